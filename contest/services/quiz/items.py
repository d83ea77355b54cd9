"""An attempt's items as every reader reads them (the scoring, the receipt and its check, the quiz, result and
no-JavaScript pages, the demo): their columns in one Core query, without ORM objects (a submission reads twenty)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from contest.models import AttemptItem


@dataclass(frozen=True)
class ItemFacts:
    position: int
    snapshot: dict[str, Any]
    chosen: list[int] | None
    question_id: int | None = None
    answered_at: datetime | None = None


_ITEM_FACTS = (
    select(
        AttemptItem.position, AttemptItem.snapshot, AttemptItem.chosen, AttemptItem.question_id, AttemptItem.answered_at
    )
    .where(AttemptItem.attempt_id == bindparam("attempt_id"))
    .order_by(AttemptItem.position)
)


def item_facts(session: Session, attempt_id: int) -> list[ItemFacts]:
    """The items as stored now, in order. Read on the session's connection, past its autoflush: the callers have
    no pending change to items (the saves are statements of their own)."""
    rows = session.connection().execute(_ITEM_FACTS, {"attempt_id": attempt_id})
    return [ItemFacts(*row) for row in rows]
