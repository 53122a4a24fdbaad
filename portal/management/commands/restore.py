"""Restore a backup archive into the configured database, or into another one for a drill."""

from django.core.management.base import BaseCommand, CommandError

from portal.backups import RestoreError, read_manifest, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive made by `manage.py backup`. Without --database-url it REPLACES "
        "the configured database; with it, it restores into that database (created if missing)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--database-url",
            help="restore into this database instead, e.g. postgres://…/portal_restore_drill",
        )
        parser.add_argument("--media-root", help="unpack media here (default: MEDIA_ROOT)")
        parser.add_argument(
            "--noinput", action="store_true", help="do not ask before replacing the database"
        )

    def handle(self, *args, archive, database_url=None, media_root=None, noinput=False, **opts):
        try:
            manifest = read_manifest(archive)
        except (OSError, KeyError, ValueError) as exc:
            raise CommandError(f"cannot read {archive}: {exc}") from exc
        self.stdout.write(f"backup of {manifest['created_at']} ({manifest['engine']})")
        if not database_url and not noinput:
            answer = input("This replaces the configured database and media. Type 'yes': ")
            if answer.strip() != "yes":
                raise CommandError("restore cancelled")
        try:
            saved, restored = restore_backup(
                archive=archive, database_url=database_url, media_root=media_root
            )
        except RestoreError as exc:
            raise CommandError(str(exc)) from exc
        differing = sorted(t for t in saved if saved[t] != restored.get(t))
        if differing:
            raise CommandError(f"restored row counts differ from the backup in: {differing}")
        self.stdout.write(
            self.style.SUCCESS(
                f"restored {len(restored)} tables, {sum(restored.values())} rows, "
                "every count as in the backup"
            )
        )
