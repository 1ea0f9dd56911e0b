"""Trigram indexes for the pool search (issue 14), PostgreSQL only (SQLite, the local demo
database, searches without them).

Django's ``icontains`` on PostgreSQL is ``UPPER(col::text) LIKE UPPER('%...%')``: the indexes are
on that expression, with ``gin_trgm_ops`` from pg_trgm (a trusted extension: the database owner
may create it).
"""

from django.db import migrations

INDEXES = [
    # Pool search on a reference: HouseholdFilter.filter_search, reference__icontains.
    (
        "household_reference_trgm",
        "placement_household",
        "reference",
    ),
    # Pool search on a member's name: HouseholdFilter.filter_search, full_name__icontains.
    (
        "person_full_name_trgm",
        "placement_person",
        "full_name",
    ),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("placement", "0013_household_sizes"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
