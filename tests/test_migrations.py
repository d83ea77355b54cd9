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


def test_existing_headcounts_keep_counting_after_the_rollup_migration(make_app, tmp_path) -> None:
    """0015: a unit with units below keeps its typed headcount as set by hand, one without keeps it as its staff,
    so no typed number changes on the day of the upgrade; one with units below and nothing typed is worked out."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from contest.extensions import db

    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'old.db'}")
    with app.app_context():
        upgrade(revision="0014_eligibility")
        db.session.execute(
            text(
                "INSERT INTO units (id, code, parent_id, name, kind, headcount, path, depth, active, search_text) "
                "VALUES (1, 'P', NULL, 'Tỉnh', 'province', 5000, '/1/', 0, 1, ''),"
                " (2, 'D', 1, 'Sở', 'department', 80, '/1/2/', 1, 1, ''),"
                " (3, 'E', 1, 'Sở khác', 'department', 0, '/1/3/', 1, 1, ''),"
                " (4, 'F', 3, 'Phòng', 'other', 12, '/1/3/4/', 2, 1, '')"
            )
        )
        db.session.commit()
        upgrade()
        rows = db.session.execute(text("SELECT code, headcount, staff, headcount_override FROM units ORDER BY id"))
        assert [tuple(row) for row in rows] == [
            ("P", 5000, 0, 5000),  # typed for a unit with units below: kept, as set by hand
            ("D", 80, 80, None),  # no unit below: its own staff
            ("E", 12, 0, None),  # nothing typed: worked out at once from the unit below it
            ("F", 12, 12, None),
        ]
