"""The timed quiz: start or resume, save answers, submit, finish at the deadline.

The server alone decides when an attempt ends: deadline = min(started_at + time limit, round close).
Every finished attempt goes through `finish_attempt`, the one place that scores and records a
submission.
"""

from __future__ import annotations

import json
import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NoReturn, cast

from flask_babel import gettext as _
from sqlalchemy import (
    Connection,
    CursorResult,
    Engine,
    Integer,
    String,
    bindparam,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, make_transient_to_detached, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from contest import clock
from contest.models import Attempt, AttemptItem, Round, User
from contest.models.attempts import ANSWER_GRACE, AttemptStatus
from contest.models.questions import MAX_OPTIONS
from contest.numbers import whole_number
from contest.services.banks.pictures import shown
from contest.services.people import eligibility
from contest.services.people.origins import ClientOrigin
from contest.services.people.person_key import earlier_accounts
from contest.services.people.registration import CATEGORY_LABELS
from contest.services.quiz.items import ItemFacts, item_facts
from contest.services.quiz.pool import bank_content
from contest.services.quiz.receipts import receipt_code
from contest.services.quiz.round_pool import round_draw_pool
from contest.services.ranking.leaderboard import queue_board_update
from contest.services.ranking.tables import category_needed
from contest.services.shared.errors import DomainError, Forbidden, InvalidInput, NotFound
from question_bank.draw import DrawPart, NotEnoughQuestions, draw_questions, shuffle_options

MAX_PREDICTION = 10_000_000  # far above any contest's number of participants


class RoundNotOpen(DomainError):
    code = "round_not_open"


class AttemptsUsedUp(DomainError):
    code = "attempts_used_up"


class CategoryNeeded(DomainError):
    """The contest ranks tables by category and the participant's category is in none of them."""

    code = "category_needed"


class NotLoggedIn(DomainError):
    status = 401
    code = "unauthorized"


def _logged_in(session: Session, user_id: int, session_token: str) -> bool:
    user = session.get(User, user_id)
    return user is not None and user.accepts_session(session_token)


class AttemptFinished(DomainError):
    code = "attempt_finished"


class NotAllAnswered(DomainError):
    code = "not_all_answered"


@dataclass
class StartedAttempt:
    attempt: Attempt
    created: bool
    payload: dict[str, Any]  # what the participant's browser gets (attempt_payload)


def in_scope(user: User, round_: Round) -> bool:
    scope = round_.contest.scope_unit
    if scope is None:
        return True
    return user.unit is not None and user.unit.path.startswith(scope.path)


@dataclass(frozen=True)
class PastAttempt:
    id: int
    number: int
    status: str
    started_at: datetime
    deadline: datetime


def _attempts_of(session: Session, user: User, round_: Round) -> list[PastAttempt]:
    """All the person's attempts at the round, in one query (a participant has a handful): this account's, and
    those of the accounts they deleted before registering again with the same phone (one person, one set)."""
    # the start is a hot request: an account with no deleted one before it (nearly all) keeps the one-index lookup
    owners = Attempt.user_id == user.id
    if user.person_key:
        owners = or_(owners, Attempt.user_id.in_(earlier_accounts(user)))
    rows = session.execute(
        select(Attempt.id, Attempt.number, Attempt.status, Attempt.started_at, Attempt.deadline, Attempt.user_id).where(
            owners, Attempt.round_id == round_.id
        )
    )
    return [PastAttempt(*row[:5]) if row.user_id == user.id else _earlier(row) for row in rows]


def _earlier(row: Any) -> PastAttempt:
    """An attempt of a deleted account of the same person: it counts, and is over (number 0: this account's
    numbering starts at 1)."""
    status = row.status if row.status != "in_progress" else "expired"
    return PastAttempt(row.id, 0, status, row.started_at, row.deadline)


def _check_can_start(session: Session, user: User, round_: Round, now: datetime, past: list[PastAttempt]) -> int:
    """The number the new attempt gets; raises when the rules say no."""
    if round_.contest.status != "published":
        raise RoundNotOpen(_("This contest is not open."))
    if not in_scope(user, round_):
        scope = round_.contest.scope_unit
        raise Forbidden(_("This contest is for the members of %(unit)s.", unit=scope.name if scope else ""))
    eligibility.check_may_take_part(session, user, round_.contest)
    earlier = _earlier_category(session, user, round_)
    if earlier is not None and earlier != user.category:
        raise CategoryNeeded(
            _(
                "You took part in this contest before, with another account of this phone number, as %(category)s: "
                "choose the same on your account page to take part again.",
                category=CATEGORY_LABELS.get(earlier, earlier),
            )
        )
    if category_needed(round_.contest, user.category):
        raise CategoryNeeded(
            _(
                "This contest ranks its participants in tables by who they are: choose yours before you start "
                "(it cannot be changed once you have taken part)."
            )
        )
    state = round_.state(now)
    if state == "upcoming":
        raise RoundNotOpen(_("This round has not opened yet."))
    if state == "closed":
        raise RoundNotOpen(_("This round is closed."))
    used, last_number = len(past), max((attempt.number for attempt in past), default=0)
    if round_.max_attempts is not None and used >= round_.max_attempts:
        raise AttemptsUsedUp(_("You have used all %(count)d attempts of this round.", count=round_.max_attempts))
    if round_.max_attempts_per_day is not None:
        day_start = clock.to_vietnam(now).replace(hour=0, minute=0, second=0, microsecond=0)
        today = sum(1 for attempt in past if attempt.started_at >= day_start)
        if today >= round_.max_attempts_per_day:
            raise AttemptsUsedUp(_("You have used today's attempts. Come back tomorrow."))
    return last_number + 1


def _earlier_category(session: Session, user: User, round_: Round) -> str | None:
    """The category with which a deleted account of the same person took part in the round's contest (the table
    they chose then), if any."""
    if not round_.contest.tables or not user.person_key:
        return None
    return session.scalar(
        select(User.category)
        .join(Attempt, Attempt.user_id == User.id)
        .join(Round, Round.id == Attempt.round_id)
        .where(User.id.in_(earlier_accounts(user)), Round.contest_id == round_.contest_id, User.category.is_not(None))
        .limit(1)
    )


def open_attempt(session: Session, user: User, round_: Round) -> Attempt | None:
    """The participant's attempt at the round still in progress, if any (at most one: a unique index)."""
    return session.scalar(
        select(Attempt).where(
            Attempt.user_id == user.id, Attempt.round_id == round_.id, Attempt.status == "in_progress"
        )
    )


def running_attempts(session: Session, user: User, now: datetime) -> list[Attempt]:
    """The person's attempts still running (their clock ticking), soonest deadline first: the home and contest pages
    show them first, with the time left and the way back in (a phone's Back leaves the quiz in silence)."""
    return list(
        session.scalars(
            select(Attempt)
            .where(Attempt.user_id == user.id, Attempt.status == "in_progress", Attempt.deadline > now)
            .options(selectinload(Attempt.round).selectinload(Round.contest))
            .order_by(Attempt.deadline)
        )
    )


@dataclass(frozen=True)
class History:
    used: int  # attempts started, in progress or not
    finished: list[Attempt]  # in the order they were taken


def history(session: Session, user: User, round_: Round) -> History:
    """What the participant has done in the round, for the start page."""
    taken = session.scalars(
        select(Attempt).where(Attempt.user_id == user.id, Attempt.round_id == round_.id).order_by(Attempt.number)
    ).all()
    # a deleted account's attempts count too (only an account with one before it has any to add)
    used = len(_attempts_of(session, user, round_)) if user.person_key else len(taken)
    return History(used, [attempt for attempt in taken if attempt.status != AttemptStatus.IN_PROGRESS])


def own_attempts(session: Session, user: User, limit: int = 100) -> list[Attempt]:
    """The person's attempts, newest first, with their rounds and contests (the account page)."""
    return list(
        session.scalars(
            select(Attempt)
            .where(Attempt.user_id == user.id)
            .options(selectinload(Attempt.round).selectinload(Round.contest))
            .order_by(Attempt.started_at.desc())
            .limit(limit)
        )
    )


# Shown option ids are drawn from this range: far from any bank id, and within what every client and column holds.
SHOWN_ID_RANGE = range(100_000_000, 1_000_000_000)


def random_option_ids(count: int, rng: random.Random) -> list[int]:
    """Distinct ids for a question's options in one attempt, in no order: a participant who sorts them learns
    nothing of the bank's order, and the same option has another id in every other attempt."""
    return rng.sample(SHOWN_ID_RANGE, count)


# A page hidden this long (another app, another tab) is a long absence for the integrity flags.
LONG_ABSENCE_MS = 60_000


_INSERT_ITEMS = insert(AttemptItem)

# PostgreSQL: the attempt and its drawn items in one statement (a data-modifying WITH), the items as one JSON array
# read by json_to_recordset; a snapshot keeps the text it was sent as, as the JSON column's own insert would write it.
_INSERT_ATTEMPT_WITH_ITEMS = text(
    """
    WITH new_attempt AS (
        INSERT INTO attempts (user_id, round_id, number, started_at, deadline, total, seed, status, client_address,
                              device, away_ms, long_absences)
        VALUES (:user_id, :round_id, :number, :started_at, :deadline, :total, :seed, 'in_progress', :client_address,
                :device, 0, 0)
        RETURNING id
    ), new_items AS (
        INSERT INTO attempt_items (attempt_id, position, question_id, snapshot)
        SELECT new_attempt.id, item.position, item.question_id, item.snapshot
        FROM new_attempt, json_to_recordset(CAST(:items AS JSON)) AS item(position INTEGER, question_id INTEGER,
                                                                          snapshot JSON)
    )
    SELECT id FROM new_attempt
    """
).bindparams(
    bindparam("started_at", type_=Attempt.__table__.c.started_at.type),
    bindparam("deadline", type_=Attempt.__table__.c.deadline.type),
    bindparam("items", type_=String()),
)

# What a new attempt holds besides what the start sets: given to the object so that none of its columns is left to
# be read back.
_NEW_ATTEMPT = {
    "status": AttemptStatus.IN_PROGRESS.value,
    "submitted_at": None,
    "score": None,
    "correct_count": None,
    "duration_ms": None,
    "prediction": None,
    "receipt": None,
    "finished_by": None,
    "away_ms": 0,
    "long_absences": 0,
    "disqualified_at": None,
    "disqualified_by_id": None,
    "disqualification_reason": None,
}


def _store_attempt(session: Session, fields: dict[str, Any], items: list[dict[str, Any]]) -> Attempt:
    """Insert the new attempt and its items; the attempt, in the session as if it had been read back.

    On PostgreSQL one statement and round trip (see _INSERT_ATTEMPT_WITH_ITEMS), where the ORM's insert and the
    items' batch take two; elsewhere (SQLite) the ORM's insert, then all the items in one batch (SQLAlchemy's
    "insertmanyvalues", whose compiled form is cached). A unique index refusing it raises IntegrityError."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        attempt = Attempt(**fields, status=AttemptStatus.IN_PROGRESS.value)
        session.add(attempt)
        session.flush()
        connection.execute(_INSERT_ITEMS, [{"attempt_id": attempt.id, **item} for item in items])
        return attempt
    params = {**fields, "items": json.dumps(items)}
    attempt_id = connection.execute(_INSERT_ATTEMPT_WITH_ITEMS, params).scalar_one()
    attempt = Attempt(id=attempt_id, **fields, **_NEW_ATTEMPT)
    make_transient_to_detached(attempt)  # every column given: nothing is expired, nothing is read again
    # persistent from here, as if read: a rollback of this transaction does not expunge it (the caller commits next)
    session.add(attempt)
    return attempt


def start_attempt(
    session: Session, user: User, round_: Round, *, now: datetime, origin: ClientOrigin | None = None
) -> StartedAttempt:
    """Resume the participant's unfinished attempt, or draw and store a new one.

    Two starts at once (a double tap, two tabs) make one attempt: the database's unique indexes let
    one insert win, and the other resumes it."""
    past = _attempts_of(session, user, round_)
    open_one = next((attempt for attempt in past if attempt.status == "in_progress"), None)
    if open_one is not None:
        existing = session.get(Attempt, open_one.id)
        if existing is not None and existing.accepts_answers(now):
            return _resumed(session, existing, now)
        if existing is not None:
            finish_attempt(session, existing, now=now, finished_by="deadline")
            past = _attempts_of(session, user, round_)
    try:
        number = _check_can_start(session, user, round_, now, past)
    except AttemptsUsedUp:
        # A start at the same moment may have taken the last attempt since we looked: resume it.
        winner = open_attempt(session, user, round_)
        if winner is None:
            raise
        return _resumed(session, winner, now)
    if round_.bank is None:
        raise RoundNotOpen(_("This round has no questions yet."))
    seed = secrets.randbits(62)
    rng = random.Random(seed)
    content = bank_content(session, round_.bank)
    pool = round_draw_pool(session, round_, content, now)  # the bank's unrevealed questions, fixed at the first draw
    parts = [DrawPart(p["topic"], p["difficulty"], p["count"], p.get("kind")) for p in round_.draw_spec or []] or [
        DrawPart(None, None, round_.question_count)
    ]
    try:
        question_ids = draw_questions(pool, parts, rng)
    except NotEnoughQuestions as error:
        raise RoundNotOpen(_("This round cannot draw its questions now. Please tell the organizers.")) from error
    deadline = min(now + timedelta(seconds=round_.time_limit_s), round_.closes_at)
    fields = {
        "user_id": user.id,
        "round_id": round_.id,
        "number": number,
        "started_at": now,
        "deadline": deadline,
        "total": len(question_ids),
        "seed": seed,
        "client_address": origin.address if origin else None,
        "device": origin.device if origin else None,
    }
    items: list[dict[str, Any]] = []
    for position, question_id in enumerate(question_ids, start=1):
        question = content.questions[question_id]
        order = shuffle_options(question.option_ids(), rng, keep_order=question.keep_order)
        shown_ids = random_option_ids(len(order), rng)
        items.append(
            {"position": position, "question_id": question_id, "snapshot": question.snapshot(order, shown_ids)}
        )
    try:
        attempt = _store_attempt(session, fields, items)
    except IntegrityError:
        session.rollback()  # nothing else is pending at the start of a request
        winner = open_attempt(session, user, round_)
        if winner is None:
            raise AttemptsUsedUp(_("Another attempt was started at the same moment. Reload the page.")) from None
        return _resumed(session, winner, now)
    drawn = [ItemFacts(item["position"], item["snapshot"], None, item["question_id"]) for item in items]
    return StartedAttempt(attempt, created=True, payload=attempt_payload(attempt, drawn, now))


def _resumed(session: Session, attempt: Attempt, now: datetime) -> StartedAttempt:
    return StartedAttempt(
        attempt, created=False, payload=attempt_payload(attempt, item_facts(session, attempt.id), now)
    )


def record_absence(session: Session, attempt: Attempt, away_ms: Any, now: datetime) -> Attempt:
    """The quiz page was hidden for `away_ms` and is back: add it to the attempt's absences.

    Only an attempt in progress takes reports, and never more time than it has lasted."""
    if isinstance(away_ms, bool) or not isinstance(away_ms, int) or away_ms < 0:
        raise InvalidInput(_("The time away must be a whole number of milliseconds."), {"away_ms": away_ms})
    if attempt.status != "in_progress":
        raise AttemptFinished(_("This attempt is already finished."))
    elapsed_ms = max(0, int((now - attempt.started_at).total_seconds() * 1000))
    away_ms = min(away_ms, elapsed_ms)
    # one UPDATE adding to the totals: two reports at once both count
    session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id)
        .values(
            away_ms=Attempt.away_ms + away_ms,
            long_absences=Attempt.long_absences + int(away_ms >= LONG_ABSENCE_MS),
        )
        .execution_options(synchronize_session=False)
    )
    session.refresh(attempt, ["away_ms", "long_absences"])
    return attempt


def get_own_attempt(session: Session, user: User, attempt_id: int) -> Attempt:
    attempt = session.get(Attempt, attempt_id, options=[joinedload(Attempt.round)])
    if attempt is None or attempt.user_id != user.id:
        raise NotFound(_("This attempt does not exist."))
    return attempt


def attempt_of_login(session: Session, *, user_id: int, session_token: str, attempt_id: int) -> Attempt:
    """The attempt, with its round, of the account still logged in with `session_token` (an attempt token's claim),
    in one query where loading the account and then its attempt take two; refused as `get_own_attempt` and the
    login check would refuse it."""
    attempt = session.scalar(
        select(Attempt)
        .join(User, User.id == Attempt.user_id)
        .where(
            Attempt.id == attempt_id,
            Attempt.user_id == user_id,
            User.session_token == session_token,  # User.accepts_session, as SQL
            User.active.is_(True),
            User.anonymised_at.is_(None),
        )
        .options(joinedload(Attempt.round))
    )
    if attempt is not None:
        return attempt
    if not _logged_in(session, user_id, session_token):
        raise NotLoggedIn(_("Please log in to continue."))
    raise NotFound(_("This attempt does not exist."))


_ITEM_TO_SAVE = (
    select(AttemptItem.snapshot, Attempt.status, Attempt.deadline)
    .join(Attempt, Attempt.id == AttemptItem.attempt_id)
    .where(
        Attempt.id == bindparam("b_attempt_id"),
        Attempt.user_id == bindparam("b_user_id"),
        AttemptItem.position == bindparam("b_position"),
    )
)


# Whether the choice fits the question, in SQL (the item's snapshot is JSON): every chosen id is one of its options'
# ids, and one at most unless it takes several. `b_probe` is the choice as [{"id": ...}, ...], `b_count` its length.
_CHOICE_FITS = {
    "postgresql": "CAST(attempt_items.snapshot AS JSONB) -> 'options' @> CAST(:b_probe AS JSONB)"
    " AND (:b_count <= 1 OR attempt_items.snapshot ->> 'multiple' = 'true')",
    "sqlite": "NOT EXISTS (SELECT 1 FROM json_each(:b_probe) AS chosen WHERE json_extract(chosen.value, '$.id')"
    " NOT IN (SELECT json_extract(o.value, '$.id') FROM json_each(attempt_items.snapshot, '$.options') AS o))"
    " AND (:b_count <= 1 OR json_extract(attempt_items.snapshot, '$.multiple') = 1)",
}


def _save_statement(dialect: str, check_login: bool) -> Any:
    """One guarded UPDATE: the item of an attempt of this user, still in progress, before its deadline and grace,
    with a choice that fits the question (and, with check_login, of an active account whose session token matches).
    It writes nothing it has not checked, so it may run alone in its own transaction."""
    open_attempt = select(Attempt.id).where(
        Attempt.id == bindparam("b_attempt_id"),
        Attempt.user_id == bindparam("b_user_id"),
        Attempt.status == "in_progress",
        Attempt.deadline >= bindparam("b_limit", type_=Attempt.__table__.c.deadline.type),
    )
    if check_login:  # User.accepts_session, as SQL
        open_attempt = open_attempt.join(User, User.id == Attempt.user_id).where(
            User.session_token == bindparam("b_token"), User.active.is_(True), User.anonymised_at.is_(None)
        )
    # FOR SHARE (PostgreSQL): the attempt row stays as read until the save commits, so a finish, which takes the
    # row first, waits for saves in flight and scores them; a save after a finish sees it finished.
    open_attempt = open_attempt.with_for_update(read=True, of=Attempt)
    fits = text(_CHOICE_FITS[dialect]).bindparams(
        bindparam("b_probe", type_=String()), bindparam("b_count", type_=Integer())
    )
    return (
        update(AttemptItem)
        .where(
            AttemptItem.attempt_id == bindparam("b_attempt_id"),
            AttemptItem.position == bindparam("b_position"),
            AttemptItem.attempt_id.in_(open_attempt),
            fits,
        )
        .values(
            chosen=bindparam("b_chosen", type_=AttemptItem.__table__.c.chosen.type),
            answered_at=bindparam("b_answered_at", type_=AttemptItem.__table__.c.answered_at.type),
        )
        .returning(AttemptItem.id)
    )


# Built once per database kind: a save runs a prepared statement, with no expression building and no ORM bookkeeping.
_SAVE_STATEMENTS = {
    (dialect, check_login): _save_statement(dialect, check_login)
    for dialect in _CHOICE_FITS
    for check_login in (False, True)
}


def _checked_choice(option_ids: Any, position: int) -> list[int]:
    """The chosen option ids, sorted and without repeats; refused before anything is written when they are not a
    list of ids, or more than any question has, or outside the range an attempt shows."""
    if not isinstance(option_ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in option_ids):
        raise InvalidInput(_("Send the chosen options as a list of option ids."), {"options": "list"})
    chosen = sorted(set(option_ids))
    if len(chosen) > MAX_OPTIONS or any(not 0 < option_id < SHOWN_ID_RANGE.stop for option_id in chosen):
        raise InvalidInput(
            _("These options do not belong to question %(position)d.", position=position), {"options": "unknown"}
        )
    return chosen


def _write_choice(
    connection: Connection,
    *,
    user_id: int,
    attempt_id: int,
    position: int,
    chosen: list[int],
    now: datetime,
    session_token: str | None,
) -> bool:
    """Run the guarded UPDATE on `connection`; whether it wrote the choice."""
    params: dict[str, Any] = {
        "b_attempt_id": attempt_id,
        "b_user_id": user_id,
        "b_position": position,
        "b_limit": now - ANSWER_GRACE,
        "b_chosen": chosen or None,
        "b_answered_at": now if chosen else None,
        "b_probe": json.dumps([{"id": option_id} for option_id in chosen]),
        "b_count": len(chosen),
    }
    if session_token is not None:
        params["b_token"] = session_token
    statement = _SAVE_STATEMENTS[(connection.dialect.name, session_token is not None)]
    return connection.execute(statement, params).first() is not None


def save_answer(
    session: Session,
    *,
    user_id: int,
    attempt_id: int,
    position: int,
    option_ids: Any,
    now: datetime,
    session_token: str | None = None,
    own_transaction: bool = False,
) -> list[int]:
    """Store the chosen options of one question. Saving the same choice twice changes nothing.

    The write is one guarded UPDATE that checks everything (see `_save_statement`); with `session_token` it also
    checks the login (an active account whose token is the session cookie's), so the user need not be loaded first.
    In the session's transaction by default; with `own_transaction` (the API's save, the hottest write of a
    contest) the UPDATE runs alone in a transaction of its own (autocommit) and is committed when it returns: one
    round trip where BEGIN, UPDATE and COMMIT take three. When nothing was written, a read in the session tells why
    (login, attempt, question, choice, finished, time up)."""
    chosen = _checked_choice(option_ids, position)
    save: dict[str, Any] = {
        "user_id": user_id,
        "attempt_id": attempt_id,
        "position": position,
        "chosen": chosen,
        "now": now,
        "session_token": session_token,
    }
    if own_transaction:
        written = _write_alone(session.get_bind().engine, **save)
    else:
        written = _write_choice(session.connection(), **save)
    if not written:
        _refuse_save(session, user_id, attempt_id, position, chosen, now, session_token)
    return chosen


def _write_alone(engine: Engine, **save: Any) -> bool:
    """The guarded UPDATE alone in a transaction of its own (autocommit): stored once it returns."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        return _write_choice(connection, **save)


def store_choice(
    engine: Engine,
    *,
    user_id: int,
    session_token: str,
    attempt_id: int,
    position: int,
    option_ids: Any,
    now: datetime,
) -> list[int] | None:
    """The save's one statement and nothing else, for the fast path in front of Flask (contest/fast_save.py): the
    chosen options once stored; None when nothing was written (the full save then tells why); InvalidInput for a
    choice that is not a list of possible ids."""
    chosen = _checked_choice(option_ids, position)
    written = _write_alone(
        engine,
        user_id=user_id,
        attempt_id=attempt_id,
        position=position,
        chosen=chosen,
        now=now,
        session_token=session_token,
    )
    return chosen if written else None


class SaveRaced(DomainError):
    """The save wrote nothing and the read that followed found nothing wrong (the attempt changed in between): the
    browser sends it again."""

    status = 503
    code = "unavailable"


def _refuse_save(
    session: Session,
    user_id: int,
    attempt_id: int,
    position: int,
    chosen: list[int],
    now: datetime,
    session_token: str | None,
) -> NoReturn:
    """Why a save wrote nothing, as the error to answer with."""
    if session_token is not None and not _logged_in(session, user_id, session_token):
        raise NotLoggedIn(_("Please log in to continue."))
    params = {"b_attempt_id": attempt_id, "b_user_id": user_id, "b_position": position}
    row = session.connection().execute(_ITEM_TO_SAVE, params).one_or_none()
    if row is None:
        owned = session.scalar(select(Attempt.id).where(Attempt.id == attempt_id, Attempt.user_id == user_id))
        if owned is None:
            raise NotFound(_("This attempt does not exist."))
        raise NotFound(_("This attempt has no question %(position)d.", position=position))
    snapshot, status, deadline = row
    if status == "in_progress" and now > deadline + ANSWER_GRACE:
        attempt = session.get(Attempt, attempt_id)
        if attempt is not None:
            finish_attempt(session, attempt, now=now, finished_by="deadline")
        raise AttemptFinished(_("Time is up: answers saved before the deadline were counted."))
    if status != "in_progress":
        raise AttemptFinished(_("This attempt has been submitted; answers can no longer change."))
    allowed = {option["id"] for option in snapshot["options"]}
    if any(option_id not in allowed for option_id in chosen):
        raise InvalidInput(
            _("These options do not belong to question %(position)d.", position=position), {"options": "unknown"}
        )
    if len(chosen) > 1 and not snapshot["multiple"]:
        raise InvalidInput(_("Question %(position)d takes one answer.", position=position), {"options": "single"})
    raise SaveRaced(_("The answer could not be saved just now. Please try again."))


@dataclass(frozen=True)
class Score:
    score: int
    correct: int
    total: int


def score_items(items: Sequence[AttemptItem | ItemFacts]) -> Score:
    """Single answer: right or wrong. Multiple answer: right only with all and only the right options."""
    correct = sum(1 for item in items if is_correct(item))
    return Score(score=correct, correct=correct, total=len(items))


def is_correct(item: AttemptItem | ItemFacts) -> bool:
    right = {option["id"] for option in item.snapshot["options"] if option["correct"]}
    return bool(item.chosen) and set(item.chosen or ()) == right


def _parse_prediction(raw: Any, round_: Round) -> int | None:
    if round_.prediction == "none" or raw is None or raw == "":
        return None
    if isinstance(raw, str):
        raw = whole_number(raw)
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= MAX_PREDICTION:
        raise InvalidInput(_("The prediction must be a whole number from 0."), {"prediction": "number"})
    return raw


def submit_attempt(session: Session, attempt: Attempt, *, prediction: Any, now: datetime) -> Attempt:
    """Score and close the attempt; submitting again returns the same result."""
    if attempt.status != "in_progress":
        return attempt
    value = _parse_prediction(prediction, attempt.round)
    if attempt.accepts_answers(now) and attempt.round.require_all_answered:
        unanswered = session.scalar(
            select(func.count(AttemptItem.id)).where(AttemptItem.attempt_id == attempt.id, AttemptItem.chosen.is_(None))
        )
        if unanswered:
            raise NotAllAnswered(_("Answer every question before submitting: %(count)d left.", count=unanswered))
    return finish_attempt(session, attempt, now=now, finished_by="participant", prediction=value)


def hold_attempt(session: Session, attempt: Attempt) -> None:
    """Take the attempt row until the transaction ends (a write: the row lock on PostgreSQL, the database's write
    lock on SQLite): saves of other requests wait, and what this transaction reads next is final."""
    session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.status == "in_progress")
        .values(status=Attempt.status)
        .execution_options(synchronize_session=False)  # nothing changes: no object of the session to bring up to date
    )


def finish_attempt(
    session: Session, attempt: Attempt, *, now: datetime, finished_by: str, prediction: int | None = None
) -> Attempt:
    """Score the attempt from the answers saved in time and record it, exactly once.

    The UPDATE only applies to an attempt still in progress, so of two racing submits one records
    and the other reads what it recorded. The attempt row is taken before the answers are read (a write:
    a row lock on PostgreSQL, the database's write lock on SQLite): a save in flight commits first and counts."""
    hold_attempt(session, attempt)
    items = item_facts(session, attempt.id)
    result = score_items(items)
    submitted_at = min(now, attempt.deadline)
    status = "submitted" if finished_by == "participant" and attempt.accepts_answers(now) else "expired"
    values = {
        "status": status,
        "submitted_at": submitted_at,
        "score": result.score,
        "correct_count": result.correct,
        "duration_ms": int((submitted_at - attempt.started_at).total_seconds() * 1000),
        "prediction": prediction,
        "finished_by": finished_by,
    }
    values["receipt"] = receipt_code(attempt, items, values)
    recorded = cast(
        CursorResult[Any],
        session.execute(
            update(Attempt)
            .where(Attempt.id == attempt.id, Attempt.status == "in_progress")
            .values(**values)
            .execution_options(synchronize_session=False)  # the attempt is given its values below
        ),
    )
    if recorded.rowcount == 1:
        for key, value in values.items():
            set_committed_value(attempt, key, value)
        queue_board_update(session, attempt)
    else:  # another request recorded it first: read what it recorded
        session.refresh(attempt)
    return attempt


def result_payload(attempt: Attempt) -> dict[str, Any]:
    return {
        "score": attempt.score,
        "correct": attempt.correct_count,
        "total": attempt.total,
        "duration_ms": attempt.duration_ms,
        "status": attempt.status,
        "receipt": attempt.receipt,
    }


def finalize_expired(session: Session, *, now: datetime, limit: int = 1000) -> int:
    """Finish attempts left open past their deadline (closed tabs), so boards never wait on them."""
    stale = session.scalars(
        select(Attempt)
        .where(Attempt.status == "in_progress", Attempt.deadline < now - ANSWER_GRACE)
        .order_by(Attempt.deadline)
        .limit(limit)
    ).all()
    for attempt in stale:
        finish_attempt(session, attempt, now=now, finished_by="deadline")
    return len(stale)


def attempt_payload(attempt: Attempt, items: Sequence[AttemptItem | ItemFacts], now: datetime) -> dict[str, Any]:
    """What the participant's browser gets: the questions without any sign of the right options."""
    return {
        "attempt_id": attempt.id,
        "round_id": attempt.round_id,
        "status": attempt.status,
        "deadline": clock.iso_utc(attempt.deadline),
        "server_now": clock.iso_utc(now),
        "questions": [
            {
                "position": item.position,
                "text": item.snapshot["text"],
                "multiple": item.snapshot["multiple"],
                "picture": shown(item.snapshot.get("picture")),
                "options": [
                    {"id": option["id"], "text": option["text"], "picture": shown(option.get("picture"))}
                    for option in item.snapshot["options"]
                ],
            }
            for item in items
        ],
        "answers": {str(item.position): item.chosen for item in items if item.chosen},
    }
