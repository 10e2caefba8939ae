"""Migration operations that only touch PostgreSQL.

The GIN indexes of the search documents are declared on the models (so `makemigrations
--check` knows them) but SQLite, the demo default, cannot build them and does not need them:
its search is a substring fallback.
"""

from __future__ import annotations

from django.db import migrations


class AddIndexOnPostgreSQL(migrations.AddIndex):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
