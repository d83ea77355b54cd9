"""Across the whole contest: individuals by the attempts that count in each round, summed, in the contest's chain."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, Subquery, and_, case, cast, func, literal, null, select, union_all
from sqlalchemy.orm import Session

from contest.models import Attempt, Contest, RankingEntry, Round, Unit, User
from contest.models.contests import DEFAULT_RANKING_CHAIN
from contest.services.people.privacy import public_name
from contest.services.ranking.rules import counted, public_as_of
from contest.services.shared.cache import cached

WHOLE_CONTEST_TTL_S = 5.0


def cached_contest_individuals(
    session: Session, contest: Contest, *, limit: int = 50, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """The same, computed by one reader every few seconds: it sums every round, too heavy to run per view."""
    entries, total = cached(
        f"contest:{contest.slug}:all:{limit}:{offset}",
        WHOLE_CONTEST_TTL_S,
        lambda: contest_individuals(session, contest, limit=limit, offset=offset),
    )
    return entries, total


def counted_attempts(contest: Contest) -> Subquery:
    """The attempt that counts for each participant in each round of the contest, as the public may see it: in a
    round ranked for good, the attempt of its final ranking (with its prediction's distance); in an open round,
    the participant's best by the live order, of what the board shows (hidden: nothing; frozen: until then)."""
    final = (
        select(
            RankingEntry.user_id,
            RankingEntry.round_id,
            RankingEntry.attempt_id,
            RankingEntry.score,
            RankingEntry.duration_ms,
            RankingEntry.started_at,
            RankingEntry.submitted_at,
            RankingEntry.prediction_distance.label("distance"),
            case((Round.prediction != "none", 1), else_=0).label("predicts"),
        )
        .join(Round, Round.id == RankingEntry.round_id)
        .where(Round.contest_id == contest.id, Round.finalized_at.is_not(None))
    )
    place = func.row_number().over(
        partition_by=(Attempt.user_id, Attempt.round_id),
        order_by=(Attempt.score.desc(), Attempt.duration_ms.asc(), Attempt.submitted_at.asc(), Attempt.id.asc()),
    )
    live = (
        select(
            Attempt.user_id,
            Attempt.round_id,
            Attempt.id.label("attempt_id"),
            Attempt.score,
            Attempt.duration_ms,
            Attempt.started_at,
            Attempt.submitted_at,
            cast(null(), Integer).label("distance"),
            literal(0).label("predicts"),  # the actual value is known at the close: the live board skips it
            place.label("place"),
        )
        .join(Round, Round.id == Attempt.round_id)
        .where(
            Round.contest_id == contest.id,
            Round.finalized_at.is_(None),
            counted(),
            public_as_of(Attempt.submitted_at),
        )
        .subquery()
    )
    open_rounds = select(*(column for column in live.c if column.name != "place")).where(live.c.place == 1)
    return union_all(final, open_rounds).subquery("counted")


def _order(totals: Subquery, chain: list[str]) -> list[Any]:
    """The contest's ranking chain over the sums of the counted attempts; the last link, the order they were
    recorded in, decides whatever the chain leaves equal."""
    by_link: dict[str, list[Any]] = {
        "score": [totals.c.score.desc()],
        # fewer rounds without a prediction where one was asked, then the smaller sum of distances
        "prediction": [totals.c.missing_predictions.asc(), totals.c.distance.asc()],
        "duration": [totals.c.duration_ms.asc()],
        "submitted_at": [totals.c.last.asc()],  # when the counted set was complete
        "started_at": [totals.c.last_started.asc()],
        "top_score_attempts": [totals.c.top_score_attempts.desc()],
    }
    order = [clause for link in chain if link in by_link for clause in by_link[link]]
    return [*order, totals.c.last_attempt.asc(), totals.c.user_id.asc()]


def contest_individuals(
    session: Session, contest: Contest, *, limit: int = 50, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """Each participant's counted attempt in every round (`counted_attempts`), summed, in the order of the
    contest's ranking chain applied to the sums: score, prediction (rounds ranked for good), duration, the last
    counted submission, the last counted start, attempts with a full score. Hidden boards count nothing and frozen
    ones count what was submitted before the freeze, until ranked."""
    attempts = counted_attempts(contest)
    full_scores = (
        select(Attempt.user_id, func.count(Attempt.id).label("count"))
        .join(Round, Round.id == Attempt.round_id)
        .where(
            Round.contest_id == contest.id,
            counted(),
            Attempt.score == Attempt.total,
            public_as_of(Attempt.submitted_at),
        )
        .group_by(Attempt.user_id)
        .subquery()
    )
    totals = (
        select(
            attempts.c.user_id,
            func.sum(attempts.c.score).label("score"),
            func.sum(attempts.c.duration_ms).label("duration_ms"),
            func.count(attempts.c.round_id).label("rounds"),
            func.max(attempts.c.submitted_at).label("last"),
            func.max(attempts.c.started_at).label("last_started"),
            func.max(attempts.c.attempt_id).label("last_attempt"),
            func.sum(case((and_(attempts.c.predicts == 1, attempts.c.distance.is_(None)), 1), else_=0)).label(
                "missing_predictions"
            ),
            func.coalesce(func.sum(attempts.c.distance), 0).label("distance"),
            func.coalesce(func.max(full_scores.c.count), 0).label("top_score_attempts"),
        )
        .outerjoin(full_scores, full_scores.c.user_id == attempts.c.user_id)
        .group_by(attempts.c.user_id)
        .subquery()
    )
    total = session.scalar(select(func.count()).select_from(totals)) or 0
    rows = session.execute(
        select(totals.c.score, totals.c.duration_ms, totals.c.rounds, User.name, Unit.name)
        .join(User, User.id == totals.c.user_id)
        .outerjoin(Unit, Unit.id == User.unit_id)
        .order_by(*_order(totals, contest_chain(contest)))
        .limit(limit)
        .offset(offset)
    ).all()
    entries = [
        {
            "rank": offset + index,
            "name": public_name(name, contest.name_display),
            "unit": unit or "",
            "score": score,
            "duration_ms": duration,
            "rounds": rounds,
        }
        for index, (score, duration, rounds, name, unit) in enumerate(rows, start=1)
    ]
    return entries, total


def contest_chain(contest: Contest) -> list[str]:
    """The contest's chain; its prediction link only when one of its rounds asks for a prediction."""
    chain = list(contest.ranking_chain or DEFAULT_RANKING_CHAIN)
    if all(round_.prediction == "none" for round_ in contest.rounds):
        chain = [link for link in chain if link != "prediction"]
    return chain
