"""Trigram (pg_trgm) GIN indexes for the inboxes' free-text search
(`ApplicationQuerySet.matching_ids`): "contains" on application numbers,
project names and codes and enterprise names, which a b-tree cannot serve.
Django writes icontains as UPPER(column::text) LIKE UPPER(...), so that is
the indexed expression.

PostgreSQL only: on SQLite (`make run`) nothing is created and search scans,
which is fine at demo size. pg_trgm is a trusted extension (PostgreSQL 13+),
so the database owner may create it. The enterprise index lives here, beside
the search that needs it, although its table is portal's."""

from django.db import migrations

INDEXES = [
    ("approvals_application_number_trgm", "approvals_application", "number"),
    ("approvals_project_name_trgm", "approvals_project", "name"),
    ("approvals_project_code_trgm", "approvals_project", "code"),
    ("portal_enterprise_name_trgm", "portal_enterprise", "name"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        expression = f"(UPPER({column}::text)) gin_trgm_ops"
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression})"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0015_inbox_and_sweep_indexes"),
        ("portal", "0004_enterprise_admin_invitations"),
    ]

    operations = [migrations.RunPython(create, drop)]
