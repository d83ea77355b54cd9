"""The backup procedures of docs/operations.md: a backup of the running database, restored into an empty one,
holds every attempt and every answer (pg_dump/pg_restore on PostgreSQL, the online backup on SQLite)."""

from __future__ import annotations

import sqlite3
import subprocess
from typing import Any

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import Connection, make_url

from contest.extensions import db
from contest.models import Attempt, AttemptItem


def _everything(connection: Connection) -> tuple[list[Any], list[Any]]:
    attempts = connection.execute(
        select(Attempt.id, Attempt.user_id, Attempt.status, Attempt.score, Attempt.receipt).order_by(Attempt.id)
    ).all()
    answers = connection.execute(
        select(AttemptItem.attempt_id, AttemptItem.position, AttemptItem.chosen, AttemptItem.answered_at).order_by(
            AttemptItem.attempt_id, AttemptItem.position
        )
    ).all()
    return [tuple(row) for row in attempts], [tuple(row) for row in answers]


def test_a_backup_restored_into_an_empty_database_holds_every_attempt_and_answer(contest_day, session, tmp_path):
    quiz = contest_day
    open_attempt = quiz.start().get_json()  # one attempt still in progress, with an answer saved
    quiz.answer(open_attempt["attempt_id"], 1, [open_attempt["questions"][0]["options"][0]["id"]])
    session.commit()
    with db.engine.connect() as live:
        attempts, answers = _everything(live)
    assert len(attempts) == 6 and any(row[2] == "in_progress" for row in attempts)
    assert sum(1 for row in answers if row[2]) >= 5 * 9  # the day's answers are there to be found

    url = make_url(db.engine.url)
    if url.get_backend_name() == "postgresql":
        restored_url = _postgres_round_trip(url, tmp_path)
    else:
        restored_url = _sqlite_round_trip(url, tmp_path)
    restored = create_engine(restored_url)
    try:
        with restored.connect() as connection:
            assert _everything(connection) == (attempts, answers)
    finally:
        restored.dispose()
        if url.get_backend_name() == "postgresql":
            _drop(url, restored_url)


def _libpq(url: Any) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _postgres_round_trip(url: Any, tmp_path: Any) -> str:
    dump = tmp_path / "contest.dump"
    # as docs/operations.md says, while the app's connections are open
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", _libpq(url)], check=True)
    target = url.set(database=f"{url.database}_restore")
    _drop(url, target)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_libpq(target)}", str(dump)], check=True)
    return str(target.render_as_string(hide_password=False))


def _drop(url: Any, target: Any) -> None:
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(str(target)).database}" WITH (FORCE)'))
    admin.dispose()


def _sqlite_round_trip(url: Any, tmp_path: Any) -> str:
    backup = tmp_path / "backup.db"
    # the online backup of docs/operations.md, while the app holds its connections
    subprocess.run(["sqlite3", url.database, f".backup '{backup}'"], check=True)
    copy = tmp_path / "python-backup.db"
    with sqlite3.connect(url.database) as source, sqlite3.connect(copy) as target:
        source.backup(target)  # the same without the sqlite3 program
    assert copy.stat().st_size == backup.stat().st_size
    return f"sqlite:///{backup}"
