"""Live counters of a contest and the big screen's data."""

from __future__ import annotations

from typing import Any

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from contest import clock
from contest.models import Attempt, Contest, Round, User
from contest.services.ranking.leaderboard import individual_page, unit_ranking
from contest.services.ranking.rules import public_as_of
from contest.services.ranking.tables import table_categories, tables_of
from contest.services.shared.cache import cached

STATS_TTL_S = 2.0
SCREEN_TTL_S = 3.0


def contest_counts(session: Session, contest: Contest, round_: Round | None = None) -> dict[str, int]:
    """The contest's live counters (or one round's), as the boards show them: a hidden board's round counts nothing
    and a frozen one counts what happened before the freeze, until the round is ranked for good. In a contest with
    tables a full score counts for someone ranked in a table, as the tables' lists show them."""
    in_contest = select(Attempt).join(Round, Round.id == Attempt.round_id).where(Round.contest_id == contest.id)
    if round_ is not None:
        in_contest = in_contest.where(Round.id == round_.id)
    started = in_contest.where(public_as_of(Attempt.started_at)).subquery()
    participants, attempts = session.execute(
        select(func.count(distinct(started.c.user_id)), func.count(started.c.id))
    ).one()
    finished_where = in_contest.where(Attempt.status != "in_progress", public_as_of(Attempt.submitted_at))
    in_tables = table_categories(contest)
    if in_tables:
        finished_where = finished_where.join(User, User.id == Attempt.user_id).add_columns(
            User.category.in_(in_tables).label("in_table")
        )
    finished = finished_where.subquery()
    full_scored = finished.c.score == finished.c.total
    if in_tables:
        full_scored = full_scored & finished.c.in_table
    submitted, full = session.execute(
        select(
            func.count(finished.c.id),
            func.count(distinct(finished.c.user_id)).filter(full_scored),
        )
    ).one()
    return {"participants": participants, "attempts": attempts, "submitted": submitted, "full_score": full or 0}


def featured_round(contest: Contest) -> Round | None:
    """The round a screen shows: the open one, else the last that opened."""
    now = clock.now()
    rounds = sorted(contest.rounds, key=lambda round_: round_.opens_at)
    open_rounds = [round_ for round_ in rounds if round_.state(now) == "open"]
    started = [round_ for round_ in rounds if round_.opens_at <= now]
    candidates = open_rounds or started or rounds
    return candidates[-1] if candidates else None


def screen_data(session: Session, contest: Contest) -> dict[str, Any]:
    data: dict[str, Any] = cached(
        f"contest:{contest.slug}:screen", SCREEN_TTL_S, lambda: screen_payload(session, contest)
    )
    return data


def screen_payload(session: Session, contest: Contest) -> dict[str, Any]:
    """Totals, the top ten and the top units of the featured round."""
    round_ = featured_round(contest)
    # the figures under the round's heading are the round's own
    data: dict[str, Any] = {"stats": contest_counts(session, contest, round_), "round": None, "top": [], "units": []}
    if round_ is not None:
        state = round_.state(clock.now())
        data["round"] = {
            "id": round_.id,
            "name": round_.name,
            "closes_at": clock.iso_utc(round_.closes_at),
            # when it ended: early when an organizer closed it before its time
            "closed_at": clock.iso_utc(round_.closed_at or round_.closes_at) if state == "closed" else None,
            "state": state,
            "hidden": round_.board_hidden and not round_.finalized_at,
            # ranked for good: the screen shows "Kết quả chung cuộc" and the prizes
            "final": round_.finalized_at is not None,
        }
        if not data["round"]["hidden"]:
            page = individual_page(session, round_, limit=10)
            data["top"] = [{k: v for k, v in entry.items() if k != "user_id"} for entry in page.entries]
            per_table = tables_of(contest)
            if per_table:  # each table's leaders, as many as fit in the screen's ten rows
                shown = max(3, 10 // len(per_table))
                data["tables"] = [
                    {
                        "key": table.key,
                        "name": table.name,
                        "top": [
                            {k: v for k, v in entry.items() if k != "user_id"}
                            for entry in individual_page(session, round_, limit=shown, table=table.key).entries
                        ],
                    }
                    for table in per_table
                ]
            if round_.results_published_at is None:  # prizes are shown once the results are published
                for entry in [*data["top"], *(e for t in data.get("tables", []) for e in t["top"])]:
                    entry.pop("prize", None)
            # leaders are units where someone took part, and a rate only where the headcount is known
            leaders = [row for row in unit_ranking(session, round_) if row.participants > 0 and row.headcount > 0]
            data["units"] = [row.as_json() for row in leaders[:10]]
    data["generated_at"] = clock.iso_utc(clock.now())
    return data
