"""数据备份 — the daily backup of the database and uploaded files, its rotation and its restore.

A backup is one archive `portal-backup-<UTC timestamp>.tar.gz` under BACKUP_DIR holding
`database.dump` (pg_dump's custom format) or `database.sqlite3` (SQLite's online backup API),
the `media/` tree, and `manifest.json` with the row count of every table, so a restore can
prove it brought back what was saved [C质监§18].
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

ARCHIVE_PREFIX = "portal-backup-"
ARCHIVE_SUFFIX = ".tar.gz"
POSTGRES_DUMP = "database.dump"
SQLITE_FILE = "database.sqlite3"
MANIFEST = "manifest.json"


class RestoreError(Exception):
    """The archive cannot be restored as asked (wrong kind of database, damaged archive)."""


def _postgres_environment(settings_dict):
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return env


def _postgres_arguments(settings_dict):
    arguments = ["--username", settings_dict.get("USER") or "postgres"]
    if settings_dict.get("HOST"):
        arguments += ["--host", settings_dict["HOST"]]
    if settings_dict.get("PORT"):
        arguments += ["--port", str(settings_dict["PORT"])]
    return arguments


def _table_counts():
    """{table: rows} for every model table of the live database (the restore's yardstick)."""
    tables = set(connection.introspection.table_names())
    counts = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in tables and table not in counts:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
                counts[table] = cursor.fetchone()[0]
    return counts


def _dump_database(workdir):
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        target = workdir / POSTGRES_DUMP
        subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(target),
                *_postgres_arguments(settings_dict),
                settings_dict["NAME"],
            ],
            env=_postgres_environment(settings_dict),
            check=True,
            capture_output=True,
        )
        return target
    if connection.vendor == "sqlite":
        target = workdir / SQLITE_FILE
        connection.ensure_connection()
        # The online backup API copies a consistent snapshot while web and workers keep writing.
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return target
    raise RestoreError(f"no backup method for the {connection.vendor} database")


def _rotate(directory, keep):
    archives = sorted(directory.glob(f"{ARCHIVE_PREFIX}*{ARCHIVE_SUFFIX}"))
    removed = archives[:-keep] if keep > 0 else []
    for archive in removed:
        archive.unlink()
    return removed


def create_backup(*, directory=None, keep=None):
    """Write one archive of the database and media into directory; keep the newest `keep`.

    The archive is written under a temporary name and renamed when complete, so a backup
    that dies half-way never replaces a good one in the rotation.
    """
    directory = Path(directory or settings.BACKUP_DIR)
    keep = settings.BACKUP_KEEP if keep is None else keep
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    archive = directory / f"{ARCHIVE_PREFIX}{stamp}{ARCHIVE_SUFFIX}"
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=directory, prefix=".incomplete-") as work:
        workdir = Path(work)
        manifest = {
            "created_at": datetime.now(UTC).isoformat(),
            "engine": connection.vendor,
            "database_name": str(connection.settings_dict["NAME"]),
            "table_counts": _table_counts(),
        }
        dump = _dump_database(workdir)
        (workdir / MANIFEST).write_text(json.dumps(manifest, indent=2))
        partial = workdir / archive.name
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(workdir / MANIFEST, arcname=MANIFEST)
            tar.add(dump, arcname=dump.name)
            if media_root.is_dir():
                tar.add(media_root, arcname="media")
        partial.rename(archive)
    removed = _rotate(directory, keep)
    return archive, removed


def read_manifest(archive):
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile(MANIFEST)
        if member is None:
            raise RestoreError(_("The archive has no manifest: it is not a portal backup."))
        return json.load(member)


def _postgres_target(database_url):
    """Connection settings of the database to restore into (created when missing)."""
    import dj_database_url
    import psycopg2

    settings_dict = (
        dj_database_url.parse(database_url) if database_url else connection.settings_dict
    )
    server = psycopg2.connect(
        dbname="postgres",
        user=settings_dict.get("USER") or "postgres",
        password=settings_dict.get("PASSWORD") or None,
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
    )
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [settings_dict["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{settings_dict["NAME"]}"')
    server.close()
    return settings_dict


def _restore_postgres(dump, database_url):
    settings_dict = _postgres_target(database_url)
    # Into the live database Django's own connections would hold locks pg_restore waits on.
    connection.close()
    subprocess.run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *_postgres_arguments(settings_dict),
            "--dbname",
            settings_dict["NAME"],
            str(dump),
        ],
        env=_postgres_environment(settings_dict),
        check=True,
        capture_output=True,
    )
    import psycopg2

    return psycopg2.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict.get("USER") or "postgres",
        password=settings_dict.get("PASSWORD") or None,
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
    )


def _restore_sqlite(snapshot, database_url):
    if database_url:
        import dj_database_url

        target = dj_database_url.parse(database_url)["NAME"]
    else:
        target = connection.settings_dict["NAME"]
        connection.close()
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    restored = sqlite3.connect(target)
    with sqlite3.connect(snapshot) as source:
        # The backup API replaces every page of the target, WAL included.
        source.backup(restored)
    source.close()
    return restored


def _restored_counts(db, tables):
    counts = {}
    cursor = db.cursor()
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    cursor.close()
    return counts


def restore_backup(*, archive, database_url=None, media_root=None):
    """Put an archive back: into the configured database, or into the one database_url names.

    PostgreSQL dumps go to a PostgreSQL database (created if missing), SQLite snapshots to a
    SQLite file. Media files are unpacked into media_root (MEDIA_ROOT by default). Returns
    the manifest's counts and the restored ones, which must be equal.
    """
    archive = Path(archive)
    manifest = read_manifest(archive)
    target_engine = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    if database_url:
        target_engine = "postgresql" if database_url.startswith("postgres") else "sqlite"
    if manifest["engine"] != target_engine:
        raise RestoreError(
            _("This backup is of a %(saved)s database and cannot be restored into %(target)s.")
            % {"saved": manifest["engine"], "target": target_engine}
        )
    media_root = Path(media_root or settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work:
        workdir = Path(work)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(workdir, filter="data")
        if target_engine == "postgresql":
            db = _restore_postgres(workdir / POSTGRES_DUMP, database_url)
        else:
            db = _restore_sqlite(workdir / SQLITE_FILE, database_url)
        try:
            restored = _restored_counts(db, manifest["table_counts"])
        finally:
            db.close()
        if (workdir / "media").is_dir():
            shutil.copytree(workdir / "media", media_root, dirs_exist_ok=True)
    return manifest["table_counts"], restored
