"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from contest.models import Base
from contest.models.base import render_item


def test_migrated_schema_matches_the_models(db) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "render_item": render_item})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
