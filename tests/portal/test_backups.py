"""Daily backup [C质监§18]: an archive of database and media that restores into a fresh database.

Transactional tests: a backup reads committed data, as it does in production.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from columns.models import OperationLog, Unit
from portal.celery import app
from portal.tasks import daily_backup
from publishing.models import Article

ROOT = Path(__file__).resolve().parents[2]
CONTENT_PROBE = (
    "import json; from publishing.models import Article; from columns.models import Unit; "
    "print(json.dumps({'articles': sorted(Article.objects.values_list('title', 'body')), "
    "'units': sorted(Unit.objects.values_list('name', flat=True))}))"
)


def content_seen_through_django(database_url):
    """What a fresh Django process finds in the database database_url names."""
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="portal.settings")
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", CONTENT_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def fresh_database_url(tmp_path):
    """A database that does not exist yet, of the same kind as the test database."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    settings_dict = connection.settings_dict
    name = f"portal_restore_{uuid.uuid4().hex[:10]}"
    yield (
        f"postgres://{settings_dict['USER'] or 'postgres'}@{settings_dict['HOST'] or '127.0.0.1'}:"
        f"{settings_dict['PORT'] or 5432}/{name}"
    )
    import psycopg2

    server = psycopg2.connect(
        dbname="postgres",
        user=settings_dict["USER"] or "postgres",
        host=settings_dict["HOST"] or "127.0.0.1",
        port=settings_dict["PORT"] or 5432,
    )
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    server.close()


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_fresh_database_with_the_same_content(
    demo, settings, tmp_path, fresh_database_url
):
    settings.MEDIA_ROOT = tmp_path / "media"
    default_storage.save("attachments/2026/12/通知.txt", ContentFile("附件内容".encode()))
    article = Article.objects.order_by("pk").first()
    article.title = "备份演练标记 <b>原文</b>"
    article.save(update_fields=["title"])
    expected = {
        "articles": sorted(map(list, Article.objects.values_list("title", "body"))),
        "units": sorted(Unit.objects.values_list("name", flat=True)),
    }

    call_command("backup", dir=str(tmp_path / "backups"), stdout=open(os.devnull, "w"))
    archive = next((tmp_path / "backups").glob("portal-backup-*.tar.gz"))
    # Content changed after the backup must not come back: the restore is of the backup.
    Article.objects.filter(pk=article.pk).update(title="备份之后的修改")
    call_command(
        "restore",
        str(archive),
        database_url=fresh_database_url,
        media_root=str(tmp_path / "restored-media"),
        stdout=open(os.devnull, "w"),
    )

    restored = content_seen_through_django(fresh_database_url)
    assert restored["articles"] == expected["articles"]
    assert len(restored["articles"]) == Article.objects.count() > 0
    assert "备份演练标记 <b>原文</b>" in [title for title, _ in restored["articles"]]
    assert restored["units"] == expected["units"] and "区教育局" in restored["units"]
    restored_file = tmp_path / "restored-media" / "attachments/2026/12/通知.txt"
    assert restored_file.read_text() == "附件内容"


@pytest.mark.django_db(transaction=True)
def test_backup_rotation_keeps_the_newest_archives(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    directory = tmp_path / "backups"
    for _ in range(4):
        call_command("backup", dir=str(directory), keep=2, stdout=open(os.devnull, "w"))
    archives = sorted(directory.glob("portal-backup-*.tar.gz"))
    assert len(archives) == 2
    assert not list(directory.glob(".incomplete-*")), "no half-written archive is left behind"


@pytest.mark.django_db(transaction=True)
def test_restore_into_another_kind_of_database_is_refused_and_changes_nothing(
    demo, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("backup", dir=str(tmp_path), stdout=open(os.devnull, "w"))
    archive = next(tmp_path.glob("portal-backup-*.tar.gz"))
    other = (
        f"sqlite:///{tmp_path / 'x.sqlite3'}"
        if connection.vendor == "postgresql"
        else "postgres://postgres@127.0.0.1:5432/portal_restore_never"
    )
    with pytest.raises(CommandError, match=r"(?s)(postgresql.*sqlite|sqlite.*postgresql)"):
        call_command("restore", str(archive), database_url=other, stdout=open(os.devnull, "w"))
    assert not (tmp_path / "x.sqlite3").exists()


@pytest.mark.django_db(transaction=True)
def test_daily_backup_task_runs_from_beat_and_is_logged(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_DIR = tmp_path / "nightly"
    entries = {e["task"]: e["schedule"] for e in app.conf.beat_schedule.values()}
    schedule = entries["portal.tasks.daily_backup"]
    assert schedule.hour == {2} and schedule.minute == {30}

    archive = daily_backup.apply().get()

    assert Path(archive).parent == tmp_path / "nightly" and Path(archive).stat().st_size > 0
    logged = OperationLog.objects.get(action="backup_made")
    assert logged.detail["archive"] == archive
