"""Leaderboards of a round: individuals and units, live or final, from Redis or the database.

Submissions reach the Redis boards through `queue_board_update`, applied only after the database
commit (the database is the source of truth). Reads use Redis when its board is built; otherwise
one reader rebuilds it under a lock while the others answer from the database.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import redis
from flask_babel import gettext as _
from sqlalchemy import Select, bindparam, event, func, select
from sqlalchemy.orm import Session

from contest import clock
from contest.extensions import redis_client
from contest.models import Attempt, Contest, RankingEntry, Round, Unit, User
from contest.numbers import rate_permille
from contest.services.people.privacy import public_name
from contest.services.ranking import live_board
from contest.services.ranking.live_board import BoardPage, BoardRecord
from contest.services.ranking.prizes import PRIZE_POINTS
from contest.services.ranking.rules import best_attempts, live_order
from contest.services.ranking.tables import table_names, tables_of
from contest.services.shared.cache import cached
from contest.services.shared.errors import NotFound
from contest.services.shared.paging import batches
from question_bank.text import without_accents

log = logging.getLogger(__name__)
REBUILD_LOCK_S = 60
MAX_PAGE = 200


def _unit_ids(path: str | None) -> tuple[int, ...]:
    """The unit and its ancestors, from its materialised path: the units whose counters it feeds."""
    return tuple(int(part) for part in (path or "").strip("/").split("/") if part)


# What a board entry shows of the participant, in one prepared statement (not three lazy loads).
_ENTRY_OF = (
    select(User.name, Unit.name, Unit.path, Contest.name_display)
    .select_from(User)
    .outerjoin(Unit, Unit.id == User.unit_id)
    .join(Round, Round.id == bindparam("round_id"))
    .join(Contest, Contest.id == Round.contest_id)
    .where(User.id == bindparam("user_id"))
)


def board_record(session: Session, attempt: Attempt) -> BoardRecord:
    """A finished attempt as the boards record it."""
    assert attempt.submitted_at is not None and attempt.score is not None and attempt.duration_ms is not None
    name, unit_name, unit_path, display = (
        session.connection().execute(_ENTRY_OF, {"round_id": attempt.round_id, "user_id": attempt.user_id}).one()
    )
    return BoardRecord(
        round_id=attempt.round_id,
        user_id=attempt.user_id,
        attempt_id=attempt.id,
        score=attempt.score,
        total=attempt.total,
        duration_ms=attempt.duration_ms,
        submitted_at=attempt.submitted_at,
        name=public_name(name, display),
        unit=unit_name or "",
        unit_ids=_unit_ids(unit_path),
    )


def queue_board_update(session: Session, attempt: Attempt) -> None:
    """Called by finish_attempt, the one place submissions are recorded."""
    session.info.setdefault("board_updates", []).append(board_record(session, attempt))


def unqueue_board_update(session: Session, attempt_id: int) -> None:
    """Forget a submission queued in this transaction (it was disqualified before the commit)."""
    updates = session.info.get("board_updates")
    if updates:
        session.info["board_updates"] = [update for update in updates if update.attempt_id != attempt_id]


@event.listens_for(Session, "after_commit")
def _apply_board_updates(session: Session) -> None:
    updates = session.info.pop("board_updates", None)
    if not updates:
        return
    try:
        live_board.record(updates)
    except (redis.RedisError, RuntimeError) as error:  # the database has it; a rebuild restores the board
        log.warning("board update failed, boards will be rebuilt from the database: %s", error)


@event.listens_for(Session, "after_rollback")
def _drop_board_updates(session: Session) -> None:
    session.info.pop("board_updates", None)


def rebuild(session: Session, round_: Round, client: redis.Redis | None = None) -> int:
    """Merge every participant's best attempt from the database into the Redis board."""
    client = client or redis_client()
    if client is None:
        return 0
    best = best_attempts(round_.id)
    rows = session.execute(
        select(best.c.id, best.c.score, best.c.total, best.c.duration_ms, best.c.submitted_at, User, Unit)
        .join(User, User.id == best.c.user_id)
        .outerjoin(Unit, Unit.id == User.unit_id)
    ).all()
    records = [
        BoardRecord(
            round_id=round_.id,
            user_id=user.id,
            attempt_id=attempt_id,
            score=score,
            total=total,
            duration_ms=duration,
            submitted_at=submitted,
            name=public_name(user.name, round_.contest.name_display),
            unit=unit.name if unit else "",
            unit_ids=_unit_ids(unit.path if unit else None),
        )
        for attempt_id, score, total, duration, submitted, user, unit in rows
    ]
    for some in batches(records, 2000):
        live_board.record(some, client)
    live_board.record([], client, mark_built=round_.id)
    return len(records)


def _database_page(
    session: Session,
    round_: Round,
    limit: int,
    offset: int,
    until: datetime | None,
    categories: tuple[str, ...] | None = None,
) -> BoardPage:
    best = best_attempts(round_.id, until=until)
    counted_people = select(func.count()).select_from(best)
    query = (
        select(best.c.user_id, best.c.score, best.c.duration_ms, best.c.submitted_at, User.name, Unit.name)
        .join(User, User.id == best.c.user_id)
        .outerjoin(Unit, Unit.id == User.unit_id)
    )
    if categories is not None:  # one table's people only
        counted_people = counted_people.join(User, User.id == best.c.user_id).where(User.category.in_(categories))
        query = query.where(User.category.in_(categories))
    total = session.scalar(counted_people) or 0
    rows = session.execute(query.order_by(*live_order(best)).limit(limit).offset(offset)).all()
    display = round_.contest.name_display
    entries = [
        {
            "rank": offset + index,
            "user_id": user_id,
            "name": public_name(name, display),
            "unit": unit or "",
            "score": score,
            "duration_ms": duration,
            "submitted_at": clock.iso_utc(submitted),
        }
        for index, (user_id, score, duration, submitted, name, unit) in enumerate(rows, start=1)
    ]
    return BoardPage(entries, total)


def ranked_people(round_id: int) -> Select[RankingEntry, str, str]:
    """A round's final ranking entries with each person's full name and unit name (none when unitless); callers
    add their own conditions and order."""
    return (
        select(RankingEntry, User.name, Unit.name)
        .join(User, User.id == RankingEntry.user_id)
        .outerjoin(Unit, Unit.id == User.unit_id)
        .where(RankingEntry.round_id == round_id)
    )


def _final_page(session: Session, round_: Round, limit: int, offset: int, table: str | None = None) -> BoardPage:
    where = [RankingEntry.round_id == round_.id]
    if table is not None:
        where.append(RankingEntry.table_key == table)
    total = session.scalar(select(func.count(RankingEntry.id)).where(*where)) or 0
    rows = session.execute(
        ranked_people(round_.id)
        .where(*where)
        .order_by(RankingEntry.table_rank if table is not None else RankingEntry.rank)
        .limit(limit)
        .offset(offset)
    ).all()
    display = round_.contest.name_display
    entries = [
        {
            "rank": entry.table_rank if table is not None else entry.rank,
            "user_id": entry.user_id,
            "name": public_name(name, display),
            "unit": unit or "",
            "score": entry.score,
            "duration_ms": entry.duration_ms,
            "submitted_at": clock.iso_utc(entry.submitted_at),
            "prize": entry.prize,
        }
        for entry, name, unit in rows
    ]
    return BoardPage(entries, total)


class BoardHidden(NotFound):
    code = "board_hidden"


TABLE_BOARD_TTL_S = 3.0
TABLE_BLOCK = 50


def table_arg(contest: Contest, raw: str | None) -> str | None:
    """A table's key from an address (?table=A), or None; a key the contest does not have is not found."""
    if not raw:
        return None
    key = raw.strip().upper()
    if key not in table_names(contest):
        raise NotFound(_("This contest has no table %(key)s.", key=raw[:8]))
    return key


def _table_page(
    session: Session, round_: Round, table: str, limit: int, offset: int, until: datetime | None
) -> BoardPage:
    """One table's live standings, from the database (the Redis board holds the whole round), shared a few
    seconds between readers."""
    categories = next(t.categories for t in tables_of(round_.contest) if t.key == table)
    moment = clock.iso_utc(until) if until else "live"
    # windows aligned on blocks of 50: whatever limit and offset are asked, few distinct queries and cache keys
    start = offset - offset % TABLE_BLOCK
    span = -(-(offset - start + limit) // TABLE_BLOCK) * TABLE_BLOCK

    def compute() -> dict[str, Any]:
        page = _database_page(session, round_, span, start, until, categories)
        return {"entries": page.entries, "total": page.total}

    data = cached(f"board:{round_.id}:table:{table}:{start}:{span}:{moment}", TABLE_BOARD_TTL_S, compute)
    return BoardPage(data["entries"][offset - start : offset - start + limit], data["total"])


def individual_page(
    session: Session,
    round_: Round,
    *,
    limit: int = 50,
    offset: int = 0,
    public: bool = True,
    table: str | None = None,
) -> BoardPage:
    limit, offset = max(1, min(limit, MAX_PAGE)), max(0, offset)
    if round_.finalized_at is not None:
        page = _final_page(session, round_, limit, offset, table)
        if public and round_.results_published_at is None:  # the prizes are announced with the results
            page = BoardPage([{k: v for k, v in e.items() if k != "prize"} for e in page.entries], page.total)
        return page
    if public and round_.board_hidden:
        raise BoardHidden(_("The organizers have hidden this board for now."))
    frozen = round_.board_frozen_at if public else None
    if table is not None:
        return _table_page(session, round_, table, limit, offset, frozen)
    if public and round_.board_frozen_at is not None:
        return _database_page(session, round_, limit, offset, round_.board_frozen_at)
    client = redis_client()
    if client is not None:
        try:
            if live_board.is_built(client, round_.id):
                return live_board.read_page(client, round_.id, limit, offset)
            lock = f"board:{round_.id}:rebuilding"
            if client.set(lock, "1", nx=True, ex=REBUILD_LOCK_S):
                try:
                    rebuild(session, round_, client)
                finally:
                    client.delete(lock)
                return live_board.read_page(client, round_.id, limit, offset)
        except redis.RedisError as error:
            log.warning("Redis board unavailable, reading the database: %s", error)
    return _database_page(session, round_, limit, offset, None)


def with_full_names(session: Session, page: BoardPage) -> BoardPage:
    """The same entries with full names, for staff pages (public boards show names as the contest chooses)."""
    ids = [entry["user_id"] for entry in page.entries]
    names = dict(session.execute(select(User.id, User.name).where(User.id.in_(ids))).all()) if ids else {}
    entries = [{**entry, "name": names.get(entry["user_id"], entry["name"])} for entry in page.entries]
    return BoardPage(entries, page.total)


@dataclass(frozen=True)
class UnitRow:
    rank: int
    code: str
    name: str
    participants: int
    headcount: int
    rate: float
    avg_score: float
    full_scores: int
    points: float | None = None  # with the points formula only

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "rank": self.rank,
            "code": self.code,
            "name": self.name,
            "participants": self.participants,
            "headcount": self.headcount,
            "rate": round(self.rate, 4),
            "rate_permille": rate_permille(self.participants, self.headcount),  # as shown: 44 is 4,4 %
            "avg_score": round(self.avg_score, 2),
            "full_scores": self.full_scores,
        }
        if self.points is not None:
            data["points"] = round(self.points, 2)
        return data


MAX_OFFSET = 500_000  # past any board's last place: a bigger offset would only make a new cache key
MAX_UNIT_CODE = 64
MAX_SEARCH = 100


def unit_code_arg(raw: str | None) -> str | None:
    """A unit code from an address, or None; a code longer than any unit's finds nothing (404)."""
    if not raw:
        return None
    if len(raw) > MAX_UNIT_CODE:
        raise NotFound(_("No unit has the code %(code)s.", code=raw[:MAX_UNIT_CODE] + "…"))
    return raw


def _children(session: Session, round_: Round, parent_code: str | None) -> tuple[Unit | None, list[Unit]]:
    if parent_code:
        parent = session.scalar(select(Unit).where(Unit.code == parent_code))
        if parent is None:
            raise NotFound(_("No unit has the code %(code)s.", code=parent_code))
    else:
        parent = round_.contest.scope_unit
        if parent is None:
            roots = session.scalars(select(Unit).where(Unit.parent_id.is_(None))).all()
            if len(roots) != 1:
                return None, list(roots)
            parent = roots[0]
    children = session.scalars(select(Unit).where(Unit.parent_id == parent.id, Unit.active.is_(True))).all()
    return parent, list(children)


def _database_unit_counters(
    session: Session, round_: Round, units: list[Unit], until: datetime | None
) -> dict[int, tuple[int, int, int]]:
    best = best_attempts(round_.id, until=until)
    rows = session.execute(
        select(Unit.path, best.c.score, best.c.total)
        .join(User, User.id == best.c.user_id)
        .join(Unit, Unit.id == User.unit_id)
    ).all()
    counters = {unit.id: [0, 0, 0] for unit in units}
    wanted = {unit.id for unit in units}
    for path, score, total in rows:
        for part in path.strip("/").split("/"):
            if part and int(part) in wanted:
                counter = counters[int(part)]
                counter[0] += 1
                counter[1] += score
                counter[2] += int(score == total)
    return {unit_id: (p, s, f) for unit_id, (p, s, f) in counters.items()}


def unit_ranking(
    session: Session, round_: Round, parent_code: str | None = None, *, public: bool = True
) -> list[UnitRow]:
    """The units under `parent` ranked by participation rate, then participants, then average score. In
    public, as the individual board: nothing while it is hidden, the standings of the freeze while frozen."""
    if public and round_.board_hidden and round_.finalized_at is None:
        raise BoardHidden(_("The organizers have hidden this board for now."))
    frozen_at = round_.board_frozen_at if public and round_.finalized_at is None else None
    _parent, units = _children(session, round_, parent_code)
    counters: dict[int, tuple[int, int, int]] | None = None
    client = redis_client()
    if client is not None and round_.finalized_at is None and frozen_at is None:
        try:
            if live_board.is_built(client, round_.id):
                counters = live_board.unit_counters(client, round_.id, [unit.id for unit in units])
        except redis.RedisError as error:
            log.warning("Redis unit counters unavailable, reading the database: %s", error)
    if counters is None:
        counters = _database_unit_counters(session, round_, units, frozen_at)
    prize_points = _prize_points(session, round_, units) if round_.contest.unit_ranking == "points" else None
    rows = []
    for unit in units:
        participants, score_sum, full = counters.get(unit.id, (0, 0, 0))
        rate = participants / unit.headcount if unit.headcount else 0.0
        average = score_sum / participants if participants else 0.0
        points = rate * 100 + prize_points.get(unit.id, 0) if prize_points is not None else None
        rows.append(UnitRow(0, unit.code, unit.name, participants, unit.headcount, rate, average, full, points))
    rows.sort(
        key=lambda row: (
            -(row.points if row.points is not None else row.rate),
            -row.participants,
            -row.avg_score,
            row.code,
        )
    )
    return [replace(row, rank=rank) for rank, row in enumerate(rows, start=1)]


def _prize_points(session: Session, round_: Round, units: list[Unit]) -> dict[int, int]:
    """Points of the prizes the members of each unit's subtree won in this round."""
    wanted = {unit.id for unit in units}
    points: dict[int, int] = {}
    rows = session.execute(
        select(Unit.path, RankingEntry.prize)
        .join(User, User.id == RankingEntry.user_id)
        .join(Unit, Unit.id == User.unit_id)
        .where(RankingEntry.round_id == round_.id, RankingEntry.prize.is_not(None))
    ).all()
    for path, prize in rows:
        if prize is None:  # the query takes prizes only
            continue
        for part in path.strip("/").split("/"):
            if part and int(part) in wanted:
                points[int(part)] = points.get(int(part), 0) + PRIZE_POINTS[prize]
    return points


SEARCH_TTL_S = 5.0


def cached_search(session: Session, round_: Round, text: str) -> list[dict[str, Any]]:
    """search_entries, shared for a few seconds by everyone typing the same words (at most MAX_SEARCH characters)."""
    words = " ".join(text.split())[:MAX_SEARCH]
    if not words:
        return []
    found: list[dict[str, Any]] = cached(
        f"board:{round_.id}:search:{words.casefold()}", SEARCH_TTL_S, lambda: search_entries(session, round_, words)
    )
    return found


def search_entries(session: Session, round_: Round, text: str, limit: int = 50) -> list[dict[str, Any]]:
    """Board entries whose name as the board shows it, or unit, contains `text`, with their place (live or final).
    Accents and case are ignored, as in the unit picker: "nguyen" finds "Nguyễn", "so y te" finds "Sở Y tế".

    With masked names the search reads the masked form only: searching "Văn An" must not find "Nguyễn V. A.".
    LIKE wildcards in `text` are plain characters."""
    words = without_accents(text)
    if not words:
        return []
    display = round_.contest.name_display
    in_unit = Unit.search_text.contains(words, autoescape=True)
    if display == "full":
        condition = User.search_name.contains(words, autoescape=True) | in_unit
    else:  # the database narrows by the family name, the only word a masked name shows whole
        condition = User.search_name.startswith(words.split()[0], autoescape=True) | in_unit
    statement: Select[*tuple[Any, ...]]
    if round_.finalized_at is not None:
        statement = (
            select(
                RankingEntry.rank,
                User.name,
                Unit.name,
                RankingEntry.score,
                RankingEntry.duration_ms,
                RankingEntry.submitted_at,
            )
            .join(User, User.id == RankingEntry.user_id)
            .outerjoin(Unit, Unit.id == User.unit_id)
            .where(RankingEntry.round_id == round_.id, condition)
            .order_by(RankingEntry.rank)
        )
    else:
        best = best_attempts(round_.id, until=round_.board_frozen_at)
        ranked = select(
            func.row_number().over(order_by=live_order(best)).label("rank"),
            best.c.user_id,
            best.c.score,
            best.c.duration_ms,
            best.c.submitted_at,
        ).subquery()
        statement = (
            select(ranked.c.rank, User.name, Unit.name, ranked.c.score, ranked.c.duration_ms, ranked.c.submitted_at)
            .join(User, User.id == ranked.c.user_id)
            .outerjoin(Unit, Unit.id == User.unit_id)
            .where(condition)
            .order_by(ranked.c.rank)
        )
    found: list[dict[str, Any]] = []
    for rank, name, unit, score, duration, submitted in session.execute(statement.execution_options(yield_per=500)):
        shown = public_name(name, display)
        if words not in without_accents(shown) and words not in without_accents(unit):
            continue
        found.append(
            {
                "rank": rank,
                "name": shown,
                "unit": unit or "",
                "score": score,
                "duration_ms": duration,
                "submitted_at": clock.iso_utc(submitted),
            }
        )
        if len(found) == limit:
            break
    return found
