"""What organizers change on a running round's public board: freeze it, hide it; caches forget it at once."""

from __future__ import annotations

from datetime import datetime

from contest.models import Round
from contest.services.cache import forget


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
