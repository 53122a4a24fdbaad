"""The public web hosts the published files are sent to (分发): list them with their position
and last error, add one, or reset one whose disk was replaced (it receives every file again)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from staticsite.models import PublicHost


class Command(BaseCommand):
    help = "Public hosts receiving the published pages: --add NAME URL, --reset NAME, or a list."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--add", nargs=2, metavar=("NAME", "RECEIVER_URL"))
        which.add_argument("--reset", metavar="NAME")
        which.add_argument("--remove", metavar="NAME")

    def handle(self, *args, add=None, reset=None, remove=None, **options):
        if add:
            host = PublicHost(name=add[0], receiver_url=add[1])
            try:
                host.full_clean()
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            host.save()
        elif reset or remove:
            hosts = PublicHost.objects.filter(name=reset or remove)
            if not hosts.exists():
                raise CommandError(f"no public host named {reset or remove}")
            if remove:
                hosts.delete()
            else:
                hosts.update(acknowledged=0, acknowledged_at=None, last_error="")
        for host in PublicHost.objects.order_by("name"):
            state = host.last_error or f"at {host.acknowledged} ({host.acknowledged_at or 'never'})"
            self.stdout.write(f"{host.name}\t{host.receiver_url}\t{state}")
