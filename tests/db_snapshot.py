"""The test database as the demo left it, kept in memory once per test process and put back
after each transactional test: a copy back takes milliseconds where Django's flush and a
demo reload took seconds.

SQLite (pytest-django's test database is in memory): the backup API copies the whole database.
PostgreSQL: every table's rows as COPY output, and every sequence's position.
"""

import io
import sqlite3

from django.db import OperationalError, connection, transaction

#: PostgreSQL's deadlock_detected; how many times a restore may meet one.
DEADLOCK_DETECTED = "40P01"
DEADLOCK_ATTEMPTS = 5


class SQLiteSnapshot:
    def __init__(self):
        connection.ensure_connection()
        self.copy = sqlite3.connect(":memory:")
        connection.connection.backup(self.copy)

    def restore(self):
        connection.ensure_connection()
        self.copy.backup(connection.connection)


class PostgreSQLSnapshot:
    def __init__(self):
        # The tables Django's flush would empty (not django_migrations).
        tables = connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        self.rows = {}
        with connection.cursor() as cursor:
            for table in sorted(tables):
                rows = io.BytesIO()
                # Without a column list COPY leaves out generated columns (the search
                # document), which PostgreSQL computes again on the way back in.
                cursor.copy_expert(f"COPY {connection.ops.quote_name(table)} TO STDOUT", rows)
                self.rows[table] = rows.getvalue()
            cursor.execute(
                "SELECT format('%I.%I', schemaname, sequencename), "
                "coalesce(last_value, start_value), last_value IS NOT NULL FROM pg_sequences"
            )
            self.sequences = cursor.fetchall()

    def restore(self):
        # A deployed installation (tests/deploy) may still be answering or working when a
        # test ends: TRUNCATE locks the tables one by one, and PostgreSQL may end the restore
        # as a deadlock's victim. The other side goes on and finishes; the restore is tried
        # again.
        for attempt in range(DEADLOCK_ATTEMPTS):
            try:
                return self._restore()
            except OperationalError as error:
                deadlock = getattr(error.__cause__, "pgcode", None) == DEADLOCK_DETECTED
                if not deadlock or attempt == DEADLOCK_ATTEMPTS - 1:
                    raise

    def _restore(self):
        quote = connection.ops.quote_name
        # One transaction: Django's foreign keys are checked at commit, so the tables can be
        # filled in any order.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(map(quote, self.rows))} RESTART IDENTITY CASCADE")
            for table, rows in self.rows.items():
                if rows:
                    cursor.copy_expert(f"COPY {quote(table)} FROM STDIN", io.BytesIO(rows))
            # Each sequence where it stood, so new ids come after the restored rows.
            cursor.execute(
                "SELECT " + ", ".join(["setval(%s, %s, %s)"] * len(self.sequences)),
                [value for sequence in self.sequences for value in sequence],
            )


def take():
    """The current contents of the default test database, restorable with .restore()."""
    if connection.vendor == "sqlite":
        return SQLiteSnapshot()
    if connection.vendor == "postgresql":
        return PostgreSQLSnapshot()
    raise NotImplementedError(f"no database snapshot for {connection.vendor}")
