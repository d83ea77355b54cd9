"""The settings' process copies: a round or contest is read once per process while its settings are unchanged, and
a change made anywhere (another process, a bank's new revision, a round's first draw) is seen by the next request;
a change that could not raise the version is seen within MAX_AGE_S; without Redis nothing is cached."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis
from flask import Flask
from sqlalchemy import event, text

from contest.extensions import db
from contest.models import Round
from contest.services.banks.importing import bump_revision
from contest.services.console.contests import public_contest
from contest.services.console.rounds import visible_round
from contest.services.shared import settings_cache
from contest.services.shared.errors import NotFound
from tests.factories import make_bank, make_contest, make_round, make_unit
from tests.helpers import csrf_token, participant_client


@pytest.fixture
def setup(app: Flask, session, clock, board_redis: redis.Redis) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """A published contest with one open round, committed; the test's session emptied (as a request's starts)."""
    now = clock()
    contest = make_contest(session, now, slug="cds")
    round_ = make_round(session, contest, now, bank=make_bank(session, now), name="Tuần 1")
    session.commit()
    ids = (round_.id, contest.slug)
    session.expunge_all()
    return ids


@pytest.fixture
def statements(app: Flask) -> Iterator[list[str]]:
    seen: list[str] = []

    def remember(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement.lstrip().upper())

    event.listen(db.engine, "before_cursor_execute", remember)
    yield seen
    event.remove(db.engine, "before_cursor_execute", remember)


def _reads_rounds(statements: list[str]) -> list[str]:
    return [s for s in statements if s.startswith("SELECT") and "FROM ROUNDS" in s]


def _fresh(session) -> None:  # type: ignore[no-untyped-def]
    """What a new request's session holds: nothing."""
    session.rollback()
    session.expunge_all()


def test_a_round_is_read_once_per_process_while_its_settings_are_unchanged(setup, session, statements) -> None:
    round_id, slug = setup
    checkouts: list[object] = []

    def checked_out(*args: object) -> None:
        checkouts.append(args)

    session.connection()  # a request holds its connection already (its login was read on it)
    event.listen(db.engine, "checkout", checked_out)
    try:
        first = visible_round(session, round_id)
    finally:
        event.remove(db.engine, "checkout", checked_out)
    assert checkouts == []  # the copy is made from the request's own reading: no second connection
    assert first.name == "Tuần 1" and first.contest.slug == slug and first.bank is not None
    bank_name = first.bank.name
    assert len(_reads_rounds(statements)) == 1
    for _ in range(3):
        _fresh(session)
        statements.clear()
        again = visible_round(session, round_id)
        # the request's own instances, with the contest and the bank, and not one query
        assert again is not first and again.contest.slug == slug and again.bank.name == bank_name
        assert statements == []
    _fresh(session)
    assert [r.name for r in public_contest(session, slug).rounds] == ["Tuần 1"]
    _fresh(session)
    statements.clear()
    assert [r.name for r in public_contest(session, slug).rounds] == ["Tuần 1"]
    assert statements == []


def test_a_change_in_another_process_is_seen_by_the_next_request(
    setup, session, statements, make_app, live_redis_url, database_uri
) -> None:
    round_id, slug = setup
    assert visible_round(session, round_id).name == "Tuần 1"
    other = make_app(
        {
            "TESTING": True,
            "SECRET_KEY": "k",
            "SQLALCHEMY_DATABASE_URI": database_uri,
            "REDIS_URL": live_redis_url,
        }
    )
    with other.app_context():  # another gunicorn worker: its own cache and session, the same Redis and database
        assert visible_round(db.session(), round_id).name == "Tuần 1"
        db.session.get(Round, round_id).name = "Tuần 1 (đã sửa)"
        db.session.commit()
        db.session.remove()
    _fresh(session)
    assert visible_round(session, round_id).name == "Tuần 1 (đã sửa)"
    _fresh(session)
    # the contest's status: a contest made a draft again is no longer public, in this process too
    with other.app_context():
        db.session.get(Round, round_id).contest.status = "draft"
        db.session.commit()
        db.session.remove()
    _fresh(session)
    with pytest.raises(NotFound):
        visible_round(session, round_id)
    with pytest.raises(NotFound):
        public_contest(session, slug)


def test_a_bank_revision_written_by_an_update_statement_is_seen(setup, session) -> None:
    round_id, _slug = setup
    before = visible_round(session, round_id).bank.revision
    bump_revision(session, visible_round(session, round_id).bank)  # an ORM UPDATE, not a flush of the object
    session.commit()
    _fresh(session)
    assert visible_round(session, round_id).bank.revision == before + 1


def test_a_change_the_version_missed_is_seen_within_the_copy_age(setup, session, monkeypatch) -> None:
    round_id, _slug = setup
    clock = [1000.0]
    monkeypatch.setattr(settings_cache, "_now", lambda: clock[0])
    assert visible_round(session, round_id).question_count == 10
    # written behind the ORM's back (a console, a restore): no new version
    session.execute(text("UPDATE rounds SET question_count = 7 WHERE id = :id"), {"id": round_id})
    session.commit()
    _fresh(session)
    assert visible_round(session, round_id).question_count == 10  # the copy, still within its age
    clock[0] += settings_cache.MAX_AGE_S + 0.1
    _fresh(session)
    assert visible_round(session, round_id).question_count == 7


def test_a_redis_that_restarted_empty_invalidates_every_copy(setup, session, board_redis) -> None:
    round_id, _slug = setup
    assert visible_round(session, round_id).question_count == 10
    session.execute(text("UPDATE rounds SET question_count = 7 WHERE id = :id"), {"id": round_id})
    session.commit()
    board_redis.flushdb()  # what a restart leaves: Redis keeps nothing on disk
    _fresh(session)
    assert visible_round(session, round_id).question_count == 7


def test_without_redis_every_request_reads_the_database(setup, session, app, statements, monkeypatch) -> None:
    round_id, _slug = setup
    down = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    monkeypatch.setitem(app.extensions, "redis_client", down)
    assert visible_round(session, round_id).question_count == 10
    session.execute(text("UPDATE rounds SET question_count = 7 WHERE id = :id"), {"id": round_id})
    session.commit()
    _fresh(session)
    statements.clear()
    assert visible_round(session, round_id).question_count == 7
    assert len(_reads_rounds(statements)) == 1


def test_a_session_holding_the_round_keeps_its_own_changes(setup, session) -> None:
    round_id, _slug = setup
    visible_round(session, round_id)  # the copy exists
    _fresh(session)
    mine = session.get(Round, round_id)
    mine.name = "Chưa lưu"  # a change this request has not flushed
    assert visible_round(session, round_id) is mine and mine.name == "Chưa lưu"


def test_a_reading_with_uncommitted_changes_of_its_own_is_not_kept(setup, session) -> None:
    round_id, _slug = setup
    mine = session.get(Round, round_id)
    mine.contest.title = "Chưa lưu"
    session.flush()  # flushed, not committed
    _ = visible_round(session, round_id)
    session.rollback()
    _fresh(session)
    assert visible_round(session, round_id).contest.title != "Chưa lưu"


def test_a_first_draw_fixing_the_pool_raises_the_version(setup, app, session, clock, board_redis) -> None:
    round_id, _slug = setup
    client = participant_client(app, session, clock, "0912345678", make_unit(session), "Nguyễn Văn An")
    _fresh(session)
    assert visible_round(session, round_id).pool_fixed_at is None
    version = settings_cache.current_version(board_redis)
    response = client.post(f"/api/rounds/{round_id}/attempts", headers={"X-CSRFToken": csrf_token(client)})
    assert response.status_code == 201, response.get_json()
    assert settings_cache.current_version(board_redis) != version
    _fresh(session)
    assert visible_round(session, round_id).pool_fixed_at is not None
