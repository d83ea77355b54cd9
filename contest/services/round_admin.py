"""What organizers change on a running round: the public board's freeze and visibility, prizes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from contest.models import Contest, Round
from contest.services.cache import forget
from contest.services.prizes import validate_plan


def set_board_frozen(round_: Round, frozen: bool, now: datetime) -> None:
    """Frozen, the public board shows the standings of this moment until it is unfrozen or final."""
    round_.board_frozen_at = now if frozen else None
    forget_boards(round_)


def set_board_hidden(round_: Round, hidden: bool) -> None:
    round_.board_hidden = hidden
    forget_boards(round_)


def forget_boards(round_: Round) -> None:
    """Public readers see an organizer's change at once, not when the caches expire."""
    forget(f"board:{round_.id}:")
    forget(f"contest:{round_.contest.slug}:")


def set_prize_plan(round_: Round, raw: dict[str, Any]) -> dict[str, Any]:
    round_.prize_plan = validate_plan(raw)
    return round_.prize_plan


def contests_with_rounds(session: Session) -> list[Contest]:
    return list(
        session.scalars(select(Contest).options(selectinload(Contest.rounds)).order_by(Contest.created_at.desc()))
    )
