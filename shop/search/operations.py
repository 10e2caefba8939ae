"""Migration operations that only touch PostgreSQL.

The GIN indexes of the search documents are created by SQL, outside Django's migration state:
SQLite (the demo default) can neither build them nor needs them (its search is a substring
fallback), and an index in the state would be replayed by every later SQLite table rebuild
(any AddField on these models) and fail there.
"""

from __future__ import annotations

from django.db import migrations


def gin_indexes(*indexes: tuple[str, str, str]) -> migrations.RunPython:
    """RunPython creating (name, table, column expression) GIN indexes on PostgreSQL only."""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, table, expression in indexes:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression})"
            )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, _table, _expression in indexes:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(forwards, backwards)
