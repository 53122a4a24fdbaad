"""Back up the database and uploaded files into BACKUP_DIR, keeping the newest BACKUP_KEEP."""

from django.core.management.base import BaseCommand

from portal.backups import create_backup


class Command(BaseCommand):
    help = "Write a timestamped archive of the database and media; rotate old archives."

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="where archives go (default: BACKUP_DIR)")
        parser.add_argument("--keep", type=int, help="archives to keep (default: BACKUP_KEEP)")

    def handle(self, *args, dir=None, keep=None, **options):
        archive, removed = create_backup(directory=dir, keep=keep)
        for old in removed:
            self.stdout.write(f"removed old backup {old}")
        self.stdout.write(self.style.SUCCESS(f"backup written: {archive}"))
