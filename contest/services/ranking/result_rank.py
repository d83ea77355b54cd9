"""What a participant's result page says of their place: the rank that means what it says.

While the round is open: the live rank, "so far", in the person's table where the contest has tables; while the
board is frozen, the rank in the frozen standings; while it is hidden, none (the result page is no side door to a
hidden board). Once the round is ranked for good: the final place in the table (or in the round) and, once the
results are published, the prize."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from contest.models import Attempt, RankingEntry, Round
from contest.services.ranking.rules import counted, live_rank
from contest.services.ranking.tables import categories_of, table_names, table_of_category


@dataclass(frozen=True)
class ResultRank:
    kind: str  # "live" (so far), "frozen" (as the board was frozen) or "final"
    rank: int
    participants: int
    is_best: bool = True
    table: str = ""  # the table's name, where the contest ranks tables
    prize: str | None = None  # final and published only


def result_rank(session: Session, attempt: Attempt, category: str | None, now: datetime) -> ResultRank | None:
    round_ = attempt.round
    contest = round_.contest
    table_key = table_of_category(contest).get(category or "") if contest.tables else None
    table = table_names(contest).get(table_key or "", "")
    if round_.finalized_at is not None:
        entry = session.scalar(
            select(RankingEntry).where(RankingEntry.round_id == round_.id, RankingEntry.user_id == attempt.user_id)
        )
        if entry is None:
            return None
        is_best = entry.attempt_id == attempt.id
        prize = entry.prize if round_.results_published_at is not None else None
        if entry.table_key is not None and entry.table_rank is not None:
            size = session.scalar(
                select(func.count(RankingEntry.id)).where(
                    RankingEntry.round_id == round_.id, RankingEntry.table_key == entry.table_key
                )
            )
            name = table_names(contest).get(entry.table_key, "")
            return ResultRank("final", entry.table_rank, size or 0, is_best, name, prize)
        size = session.scalar(select(func.count(RankingEntry.id)).where(RankingEntry.round_id == round_.id))
        return ResultRank("final", entry.rank, size or 0, is_best, "", prize)
    if round_.board_hidden or round_.state(now) != "open":
        return None  # hidden; or over and not yet ranked for good
    categories = None
    if contest.tables:
        if table_key is None:
            return None
        categories = categories_of(contest, table_key)
    live = live_rank(session, attempt, until=round_.board_frozen_at, categories=categories)
    if live is None:
        return None
    kind = "frozen" if round_.board_frozen_at is not None else "live"
    return ResultRank(kind, live.rank, live.participants, live.is_best, table)


def board_place(session: Session, round_: Round, user_id: int, table: str | None) -> int | None:
    """The person's place on the board as the public sees it (the whole round's, or one table's): the final ranking
    once there is one, else the live or frozen standings; None when they are not on it or it is hidden."""
    if round_.finalized_at is not None:
        entry = session.scalar(
            select(RankingEntry).where(RankingEntry.round_id == round_.id, RankingEntry.user_id == user_id)
        )
        if entry is None or (table is not None and entry.table_key != table):
            return None
        return entry.table_rank if table is not None else entry.rank
    if round_.board_hidden:
        return None
    # any attempt of theirs that counts (live_rank places their best one)
    attempt = session.scalar(
        select(Attempt).where(Attempt.round_id == round_.id, Attempt.user_id == user_id, counted()).limit(1)
    )
    if attempt is None:
        return None
    categories = None
    if table is not None:
        categories = categories_of(round_.contest, table)
    live = live_rank(session, attempt, until=round_.board_frozen_at, categories=categories)
    return live.rank if live is not None else None
