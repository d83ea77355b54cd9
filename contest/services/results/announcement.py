"""What a round's public results announce: the winners by prize tier, the final unit ranking, the figures.

Computed from the final ranking that `round close` stored; names as the contest shows them on its boards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from contest.models import Attempt, Contest, RankingEntry, Round
from contest.services.people.privacy import public_name
from contest.services.ranking.leaderboard import UnitRow, ranked_people, unit_ranking
from contest.services.ranking.prizes import PRIZE_NAMES_VI, PRIZE_ORDER, PRIZES
from contest.services.ranking.rules import counted
from contest.services.ranking.tables import table_names
from contest.services.shared.errors import NotFound


@dataclass(frozen=True)
class Winner:
    rank: int
    name: str  # as the contest shows names in public (masked or full)
    full_name: str  # for the organizers' documents and the certificates
    unit: str
    score: int
    total: int
    duration_ms: int
    decided_by: str | None
    prize: str
    user_id: int
    table_rank: int | None = None  # the place in the table, in a contest with tables


@dataclass(frozen=True)
class Tier:
    prize: str
    label: str  # "Giải Nhất"
    winners: list[Winner]
    table: str | None = None  # the table's key, in a contest with tables
    table_name: str = ""


@dataclass(frozen=True)
class Figures:
    participants: int  # people with a counted attempt
    attempts: int  # counted attempts (finished, not disqualified)
    full_scores: int  # people whose counted attempt has every question right
    headcount: int  # of the contest's scope, 0 when unknown
    units_taking_part: int
    units: int

    @property
    def rate(self) -> float | None:
        return self.participants / self.headcount if self.headcount else None


@dataclass(frozen=True)
class RoundResults:
    contest: Contest
    round: Round
    tiers: list[Tier]
    units: list[UnitRow]
    figures: Figures

    @property
    def published(self) -> bool:
        return self.round.results_published_at is not None

    @property
    def published_at(self) -> datetime | None:
        return self.round.results_published_at

    @property
    def winners(self) -> list[Winner]:
        return [winner for tier in self.tiers for winner in tier.winners]


def published_rounds(contest: Contest) -> list[Round]:
    """The contest's rounds whose results are public, latest first."""
    rounds = [round_ for round_ in contest.rounds if round_.results_published_at is not None]
    return sorted(rounds, key=lambda round_: round_.closes_at, reverse=True)


def chosen_round(contest: Contest, round_id: int | None, *, staff: bool) -> Round:
    """The round asked for (staff may see a ranked round's draft), else the latest published one."""
    if round_id is not None:
        for round_ in contest.rounds:
            visible = round_.results_published_at is not None or staff
            if round_.id == round_id and round_.finalized_at is not None and visible:
                return round_
        raise NotFound(_("The results of this round are not published yet."))
    rounds = published_rounds(contest)
    if not rounds:
        raise NotFound(_("The results of this round are not published yet."))
    return rounds[0]


def round_results(session: Session, round_: Round) -> RoundResults:
    if round_.finalized_at is None:
        raise NotFound(_("The results of this round are not published yet."))
    contest = round_.contest
    rows = session.execute(
        ranked_people(round_.id)
        .where(RankingEntry.prize.is_not(None))
        .order_by(RankingEntry.table_key, RankingEntry.table_rank, RankingEntry.rank)
    ).all()
    names = table_names(contest)
    keys: list[str | None] = list(names) if names else [None]
    by_prize: dict[tuple[str | None, str], list[Winner]] = {(key, prize): [] for key in keys for prize in PRIZES}
    for entry, name, unit in rows:
        if entry.prize not in PRIZE_ORDER or (entry.table_key, entry.prize) not in by_prize:
            continue
        by_prize[(entry.table_key, entry.prize)].append(
            Winner(
                rank=entry.table_rank or entry.rank,  # in a contest with tables, the place in the table
                name=public_name(name, contest.name_display),
                full_name=name,
                unit=unit or "",
                score=entry.score,
                total=entry.total,
                duration_ms=entry.duration_ms,
                decided_by=entry.decided_by,
                prize=entry.prize,
                user_id=entry.user_id,
                table_rank=entry.table_rank,
            )
        )
    tiers = [
        Tier(prize, PRIZE_NAMES_VI[prize], winners, key, names.get(key or "", ""))
        for (key, prize), winners in by_prize.items()
        if winners
    ]
    units = unit_ranking(session, round_, public=False)
    return RoundResults(contest, round_, tiers, units, _figures(session, round_, units))


def _figures(session: Session, round_: Round, units: list[UnitRow]) -> Figures:
    participants, full_scores = session.execute(
        select(
            func.count(RankingEntry.id),
            func.count(RankingEntry.id).filter(RankingEntry.score == RankingEntry.total),
        ).where(RankingEntry.round_id == round_.id)
    ).one()
    attempts = session.scalar(select(func.count(Attempt.id)).where(Attempt.round_id == round_.id, counted())) or 0
    scope = round_.contest.scope_unit
    headcount = scope.headcount if scope is not None else sum(row.headcount for row in units)
    return Figures(
        participants=participants,
        attempts=attempts,
        full_scores=full_scores or 0,
        headcount=headcount or 0,
        units_taking_part=sum(1 for row in units if row.participants),
        units=len(units),
    )
