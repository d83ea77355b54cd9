"""Prizes of a round, given at `round close` in ranking order.

A plan gives how many first, second, third and consolation prizes; optionally at most a share of
the entrants win anything, and one prize per person across the contest (the higher one is kept: a
person who already won a higher or equal prize in another round is passed over; a lower prize from
an earlier round is withdrawn there, and that round can be closed again to hand it on)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from contest.models import RankingEntry, Round
from contest.numbers import whole_number
from contest.services.shared.audit import Actor, record
from contest.services.shared.errors import InvalidInput

PRIZES = ("first", "second", "third", "consolation")
PRIZE_ORDER = {prize: index for index, prize in enumerate(PRIZES)}  # smaller is higher
# The points formula of unit rankings (CONTRACT §5): participation rate as points, plus these per prize.
PRIZE_POINTS = {"first": 10, "second": 7, "third": 5, "consolation": 3}
MAX_PER_PRIZE = 100_000  # a typo of many zeros would otherwise build a list that size at close
PRIZE_NAMES_VI = {"first": "Giải Nhất", "second": "Giải Nhì", "third": "Giải Ba", "consolation": "Giải Khuyến khích"}


def validate_plan(raw: dict[str, Any]) -> dict[str, Any]:
    plan: dict[str, Any] = {}
    for prize in PRIZES:
        value = raw.get(prize, 0)
        if isinstance(value, str):
            parsed = whole_number(value)
            value = -1 if parsed is None else parsed
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_PER_PRIZE:
            raise InvalidInput(
                _("The number of each prize must be a whole number from 0 to %(max)d.", max=MAX_PER_PRIZE),
                {prize: "number"},
            )
        plan[prize] = value
    share = raw.get("max_share")
    if share not in (None, ""):
        try:
            share = float(share)
        except (TypeError, ValueError):
            share = -1.0
        if not 0 < share <= 1:
            raise InvalidInput(
                _("The share of winners must be between 0 and 1 (for example 0.1)."), {"max_share": "share"}
            )
        plan["max_share"] = share
    plan["one_per_person"] = bool(raw.get("one_per_person"))
    return plan


def allocate(session: Session, round_: Round, user_ids_in_order: Sequence[int]) -> dict[int, str]:
    """user id -> prize for this round's plan."""
    plan = round_.prize_plan or {}
    slots = [prize for prize in PRIZES for _ in range(int(plan.get(prize, 0)))]
    if plan.get("max_share"):
        slots = slots[: math.floor(len(user_ids_in_order) * plan["max_share"])]
    won_elsewhere: dict[int, tuple[int, str]] = {}
    if plan.get("one_per_person"):
        rows = session.execute(
            select(RankingEntry.user_id, RankingEntry.id, RankingEntry.prize)
            .join(Round, Round.id == RankingEntry.round_id)
            .where(Round.contest_id == round_.contest_id, Round.id != round_.id, RankingEntry.prize.is_not(None))
        ).all()
        for user_id, entry_id, prize in rows:
            if prize is None:  # the query takes prizes only
                continue
            if user_id not in won_elsewhere or PRIZE_ORDER[prize] < PRIZE_ORDER[won_elsewhere[user_id][1]]:
                won_elsewhere[user_id] = (entry_id, prize)
    given: dict[int, str] = {}
    candidates = iter(user_ids_in_order)
    for prize in slots:
        for user_id in candidates:
            other = won_elsewhere.get(user_id)
            if other is not None and PRIZE_ORDER[other[1]] <= PRIZE_ORDER[prize]:
                continue  # keeps the higher (or equal) prize won in another round
            if other is not None:
                session.execute(update(RankingEntry).where(RankingEntry.id == other[0]).values(prize=None))
            given[user_id] = prize
            break
    return given


def set_prize_plan(
    session: Session, round_: Round, raw: dict[str, Any], *, actor: Actor, now: datetime
) -> dict[str, Any]:
    """Check and keep the prizes the round gives at its close; refused whole (InvalidInput) when a number is off."""
    before = round_.prize_plan
    round_.prize_plan = validate_plan(raw)
    record(session, actor, "round.prizes", f"round:{round_.id}", before=before, after=round_.prize_plan, now=now)
    return round_.prize_plan
