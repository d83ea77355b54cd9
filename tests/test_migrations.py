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


def test_the_upgrade_to_organizing_bodies_keeps_everything_reachable_by_former_organizers(make_app, tmp_path) -> None:
    """0028 on a copy of the demo as it was before the bodies: every organizer of before manages one body that owns
    every contest, bank and pending upload, and opens every contest, round and bank as before."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import func, select, text

    from contest import clock
    from contest.demo import load_demo
    from contest.extensions import db
    from contest.models import Body, Contest, Membership, QuestionBank, Round, User
    from contest.services.shared.audit import Actor
    from tests.helpers import csrf_token

    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'demo.db'}")
    with app.app_context():
        upgrade()
        load_demo(db.session(), actor=Actor.command_line(), now=clock.now())
        db.session.commit()
        db.session.remove()
        downgrade(revision="0027_round_reports")  # the demo's data as a database of before the bodies holds it
        organizers = set(db.session.scalars(text("SELECT phone FROM users WHERE role = 'organizer'")))
        assert {"0900000001", "0900000004", "0900000005"} <= organizers
        db.session.remove()
        upgrade()
        assert db.session.scalar(select(func.count()).select_from(Body)) == 1
        body_id = db.session.scalar(select(Body.id))
        roles = dict(db.session.execute(select(User.phone, Membership.role).join(Membership.user)).all())
        assert roles == dict.fromkeys(organizers, "manager")
        assert set(db.session.scalars(select(Contest.body_id))) == {body_id}
        assert set(db.session.scalars(select(QuestionBank.body_id))) == {body_id}
        slugs = list(db.session.scalars(select(Contest.slug)))
        rounds = list(db.session.scalars(select(Round.id)))
        banks = list(db.session.scalars(select(QuestionBank.id)))
        db.session.remove()
    for phone in organizers:
        client = app.test_client()
        client.post("/login", data={"phone": phone, "password": "Demo@2026", "csrf_token": csrf_token(client)})
        for url in (
            [f"/admin/contests/{slug}/edit" for slug in slugs]
            + [f"/admin/rounds/{round_id}" for round_id in rounds]
            + [f"/admin/banks/{bank_id}" for bank_id in banks]
        ):
            assert client.get(url).status_code == 200, (phone, url)
