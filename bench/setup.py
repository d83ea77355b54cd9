"""Benchmark data: a fresh database with the demo units and bank, an open round, and many
participants with ready session cookies (so the benchmark measures the quiz, not password hashing)."""

from __future__ import annotations

import hashlib
import random
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import Flask
from flask_login.utils import _create_identifier
from flask_migrate import upgrade
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url

from contest import create_app
from contest.demo import DEMO_DATA
from contest.extensions import db
from contest.models import AttemptItem, Unit, User
from contest.services.banks.importing import import_questions
from contest.services.console.contests import create_contest
from contest.services.console.rounds import create_round
from contest.services.people.passwords import hash_password
from contest.services.people.units import import_units
from contest.services.shared.audit import Actor
from question_bank.readers import read_questions
from question_bank.tables import read_table

SECRET_KEY = "benchmark-secret-key-" + "x" * 20


@dataclass
class Participant:
    user_id: int
    cookie: str
    csrf: str
    phone: str = ""


def recreate_database(url: str) -> None:
    parsed = make_url(url)
    name = parsed.database or ""
    if "bench" not in name:
        raise SystemExit(f"refusing to recreate {name!r}: the benchmark database's name must contain 'bench'")
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def build_app(database_url: str, redis_url: str | None) -> Flask:
    return create_app(
        {
            "TESTING": False,
            "SECRET_KEY": SECRET_KEY,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "REDIS_URL": redis_url,
            "PUBLIC_URL": "http://127.0.0.1",  # the production settings require it
        }
    )


def load_round(app: Flask, participants: int, seed: int = 7) -> tuple[int, list[Participant]]:
    """Units, the 120-question sample bank, a round open for a day, and `participants` accounts."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    with app.app_context():
        upgrade()
        session = db.session()
        bench = Actor(cli_user="bench")
        import_units(session, read_table(DEMO_DATA / "units.csv"), source="units.csv", actor=bench, now=now)
        bank_file = DEMO_DATA / "sample_bank.xlsx"
        import_questions(
            session,
            bank_name="Bench",
            result=read_questions(bank_file.name, bank_file.read_bytes()),
            now=now,
            actor=bench,
        )
        contest = create_contest(session, slug="bench", title="Benchmark", now=now, actor=bench)
        round_ = create_round(
            session,
            contest=contest,
            actor=bench,
            now=now,
            name="Bench",
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=1),
            question_count=20,
            minutes=60,
            max_attempts=None,
            bank_name="Bench",
            draw=":Dễ:8,:Trung bình:8,:Khó:4",
        )
        units = session.scalars(select(Unit.id).where(Unit.depth == 1)).all()
        password_hash = hash_password("bench-password")
        rows = [
            {
                "name": f"Người thi {number}",
                "phone": f"09{number:08d}",
                "password_hash": password_hash,
                "unit_id": rng.choice(units),
                "role": "participant",
                "created_at": now,
                "consent_at": now,
                "active": True,
                "session_token": secrets.token_urlsafe(16),
                "category": "citizen",
            }
            for number in range(1, participants + 1)
        ]
        for start in range(0, len(rows), 5000):
            session.execute(insert(User), rows[start : start + 5000])
        session.commit()
        users = session.execute(select(User.id, User.session_token, User.phone).order_by(User.id)).all()
        round_id = round_.id
        with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"}):
            # the identifier Flask-Login's session protection expects from the benchmark's client
            identifier = _create_identifier()
            cookies = [_participant(app, user_id, token, identifier, phone) for user_id, token, phone in users]
        db.engine.dispose()
    return round_id, cookies


def _participant(app: Flask, user_id: int, token: str, identifier: str, phone: str = "") -> Participant:
    """The session cookie and CSRF header a logged-in browser would hold (Flask-Login, Flask-WTF)."""
    raw_csrf = hashlib.sha1(secrets.token_bytes(32)).hexdigest()
    session = {"_user_id": f"{user_id}:{token}", "_fresh": True, "_id": identifier, "csrf_token": raw_csrf}
    cookie = app.session_interface.get_signing_serializer(app).dumps(session)  # type: ignore[attr-defined]
    csrf = URLSafeTimedSerializer(SECRET_KEY, salt="wtf-csrf-token").dumps(raw_csrf)
    return Participant(user_id, f"session={cookie}", csrf, phone)


def load_board(app: Flask, round_id: int, count: int, seed: int = 11) -> float:
    """`count` more participants with a finished attempt each, straight into the database, then the
    Redis board rebuilt from it. Returns the Redis memory the board took, in MB."""
    from contest.extensions import redis_client
    from contest.models import Attempt, Round
    from contest.services.ranking.leaderboard import rebuild

    rng = random.Random(seed)
    now = datetime.now(UTC)
    with app.app_context():
        session = db.session()
        units = session.scalars(select(Unit.id).where(Unit.depth == 1)).all()
        password_hash = hash_password("bench-password")
        first_id = (session.scalar(select(User.id).order_by(User.id.desc()).limit(1)) or 0) + 1
        for start in range(0, count, 5000):
            batch = range(start, min(count, start + 5000))
            session.execute(
                insert(User),
                [
                    {
                        "name": f"Thí sinh {number}",
                        "phone": f"08{number:08d}",
                        "password_hash": password_hash,
                        "unit_id": rng.choice(units),
                        "role": "participant",
                        "created_at": now,
                        "consent_at": now,
                        "active": True,
                        "session_token": secrets.token_urlsafe(8),
                        "category": "citizen",
                    }
                    for number in batch
                ],
            )
            session.execute(
                insert(Attempt),
                [
                    {
                        "user_id": first_id + number,
                        "round_id": round_id,
                        "number": 1,
                        "status": "submitted",
                        "started_at": now - timedelta(minutes=30),
                        "deadline": now + timedelta(minutes=30),
                        "submitted_at": now - timedelta(seconds=rng.randint(0, 1700)),
                        "total": 20,
                        "score": min(20, int(rng.triangular(8, 21, 19))),
                        "correct_count": 0,
                        "duration_ms": rng.randint(60_000, 900_000),
                        "seed": 0,
                        "finished_by": "participant",
                        "prediction": rng.randint(0, 50_000),
                    }
                    for number in batch
                ],
            )
        session.commit()
        client = redis_client()
        round_ = session.get(Round, round_id)
        if client is None or round_ is None:
            raise RuntimeError("the benchmark's app has no Redis, or the round is gone")
        before = int(client.info("memory")["used_memory"])
        rebuild(session, round_, client)
        after = int(client.info("memory")["used_memory"])
        db.engine.dispose()
    return (after - before) / 1e6


def stored_answers(database_url: str) -> dict[tuple[int, int], list[int] | None]:
    """Every question's stored answer, by (attempt id, position): what the runs under faults check their
    acknowledged saves against."""
    engine = create_engine(database_url)
    with engine.connect() as connection:
        stored = {
            (attempt_id, position): chosen
            for attempt_id, position, chosen in connection.execute(
                select(AttemptItem.attempt_id, AttemptItem.position, AttemptItem.chosen)
            )
        }
    engine.dispose()
    return stored
