"""Load the demo portal: every app's demo.load(), bottom app first; idempotent."""

from django.core.management.base import BaseCommand

from portal.platform_apps import optional_modules


class Command(BaseCommand):
    help = "Create or refresh the demo portal (sites, units, accounts, columns, content)."

    def handle(self, *args, **options):
        for module in optional_modules("demo"):
            module.load()
            self.stdout.write(f"demo: {module.__name__} loaded")
        self.stdout.write(self.style.SUCCESS("demo portal ready"))
