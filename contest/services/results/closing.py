"""Closing a round: finish what is still open, compute and store the final ranking."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from contest.models import Attempt, Round, Unit, User
from contest.services.quiz.attempts import finish_attempt
from contest.services.ranking import tables
from contest.services.ranking.board_settings import forget_boards
from contest.services.ranking.rules import Ranked, finalize_ranking
from contest.services.results import reports
from contest.services.results.certificates import issue_for_round
from contest.services.shared.audit import Actor, record
from contest.services.shared.errors import DomainError


class OutsideTables(DomainError):
    """People who took part would be ranked in none of the contest's tables: the organizer decides."""

    code = "outside_tables"


MAX_NAMED = 10


def outside_tables(session: Session, round_: Round) -> list[tuple[str, str]]:
    """(name, unit) of the people who took the round whose category none of the contest's tables takes."""
    taken = tables.table_categories(round_.contest)
    if not taken:
        return []
    took_part = select(Attempt.user_id).where(Attempt.round_id == round_.id)
    rows = session.execute(
        select(User.name, Unit.name)
        .outerjoin(Unit, Unit.id == User.unit_id)
        .where(User.id.in_(took_part), or_(User.category.is_(None), User.category.not_in(taken)))
        .order_by(User.name)
    ).all()
    return [(name, unit or "") for name, unit in rows]


def close_round(
    session: Session, round_: Round, *, actor: Actor, now: datetime, outside_tables_ok: bool = False
) -> list[Ranked]:
    """End the round now (or at its closing time, if that has passed) and rank it.

    Closing again recomputes the same ranking from the same data. In a contest with tables, people who took part and
    belong to no table stop the close, named, unless the organizer decides to rank them outside every table (in the
    round's ranking, without a table's place or a prize)."""
    outside = outside_tables(session, round_)
    if outside and not outside_tables_ok:
        named = "; ".join(f"{name} ({unit})" if unit else name for name, unit in outside[:MAX_NAMED])
        more = len(outside) - MAX_NAMED
        raise OutsideTables(
            _(
                "%(count)d people who took part belong to no table of the contest: %(names)s%(more)s. Set their "
                "category on the Accounts page (or ask them to), or close the round ranking them outside every "
                "table, without a prize.",
                count=len(outside),
                names=named,
                more=_(" and %(count)d more", count=more) if more > 0 else "",
            ),
            people=[name for name, _unit in outside],
        )
    if round_.closed_at is None:
        round_.closed_at = min(now, round_.closes_at)
    ended = round_.closed_at
    still_open = session.scalars(
        select(Attempt).where(Attempt.round_id == round_.id, Attempt.status == "in_progress")
    ).all()
    for attempt in still_open:
        finish_attempt(session, attempt, now=min(now, attempt.deadline, ended), finished_by="round_closed")
    session.flush()
    ranked = finalize_ranking(session, round_, now)
    if round_.results_published_at is not None:  # closed again after its results went out: certificates follow
        issue_for_round(session, round_, now)
    forget_boards(round_)
    reports.request(session, round_, now)  # the reviews of a large round follow the close
    after = {"ranked": len(ranked), "actual_value": round_.actual_value, "outside_tables": len(outside)}
    record(session, actor, "round.close", f"round:{round_.id}", after=after, now=now)
    return ranked
