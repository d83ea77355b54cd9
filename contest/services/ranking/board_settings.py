"""What organizers change on a running round's public board: freeze it, hide it; caches forget it at once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, object_session

from contest.models import Round
from contest.services.shared.audit import Actor, record
from contest.services.shared.cache import forget, forget_at_commit


def set_board_frozen(session: Session, round_: Round, frozen: bool, *, actor: Actor, now: datetime) -> None:
    """Frozen, the public board shows the standings of this moment until it is unfrozen or final."""
    round_.board_frozen_at = now if frozen else None
    record(session, actor, "board.freeze" if frozen else "board.unfreeze", f"round:{round_.id}", now=now)
    forget_boards(round_)


def set_board_hidden(session: Session, round_: Round, hidden: bool, *, actor: Actor, now: datetime) -> None:
    round_.board_hidden = hidden
    record(session, actor, "board.hide" if hidden else "board.show", f"round:{round_.id}", now=now)
    forget_boards(round_)


def forget_boards(round_: Round) -> None:
    """Public readers see an organizer's change at once, not when the caches expire: the boards are forgotten now and
    again after the commit (a board computed meanwhile was computed from the round as it was)."""
    session = object_session(round_)
    for prefix in (f"board:{round_.id}:", f"contest:{round_.contest.slug}:"):
        if session is None:
            forget(prefix)
        else:
            forget_at_commit(session, prefix)
