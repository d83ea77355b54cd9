"""Integrity flags for organizers to review before announcing winners. Flags inform; they never
change a score by themselves."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from contest.models import Attempt, AttemptItem, Round, User

FINISHED = ("submitted", "expired")
# Reading a question and choosing an answer takes people more than this.
MIN_MS_PER_QUESTION = 3000
MIN_ANSWERS_FOR_SAME_SEQUENCE = 5


@dataclass(frozen=True)
class Flag:
    kind: str  # "too_fast" or "same_answers"
    attempt_id: int
    user_name: str
    detail: str


def _signature(items: list[tuple[int | None, dict, list[int] | None]]) -> str | None:  # type: ignore[type-arg]
    """The same questions answered with the same options, whatever order they were shown in."""
    answered = []
    for question_id, snapshot, chosen in items:
        if chosen:
            texts = sorted(option["text"] for option in snapshot["options"] if option["id"] in chosen)
            answered.append([question_id, texts])
    if len(answered) < MIN_ANSWERS_FOR_SAME_SEQUENCE:
        return None
    answered.sort(key=lambda entry: entry[0] or 0)
    return hashlib.sha256(json.dumps(answered, ensure_ascii=False).encode()).hexdigest()


def flags(session: Session, round_: Round) -> list[Flag]:
    attempts = session.execute(
        select(Attempt.id, Attempt.user_id, Attempt.total, Attempt.duration_ms, Attempt.score, User.name)
        .join(User, User.id == Attempt.user_id)
        .where(Attempt.round_id == round_.id, Attempt.status.in_(FINISHED))
    ).all()
    found: list[Flag] = []
    for attempt_id, _user_id, total, duration, score, name in attempts:
        if score and duration is not None and duration < total * MIN_MS_PER_QUESTION:
            found.append(Flag("too_fast", attempt_id, name, f"{duration / 1000:.1f} s / {total}"))
    items: dict[int, list] = defaultdict(list)  # type: ignore[type-arg]
    rows = session.execute(
        select(AttemptItem.attempt_id, AttemptItem.question_id, AttemptItem.snapshot, AttemptItem.chosen).where(
            AttemptItem.attempt_id.in_([row[0] for row in attempts])
        )
    )
    for attempt_id, question_id, snapshot, chosen in rows:
        items[attempt_id].append((question_id, snapshot, chosen))
    by_signature: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for attempt_id, user_id, _total, _duration, _score, name in attempts:
        signature = _signature(items[attempt_id])
        if signature is not None:
            by_signature[signature].append((attempt_id, user_id, name))
    for group in by_signature.values():
        if len({user_id for _, user_id, _ in group}) > 1:
            others = ", ".join(sorted({name for _, _, name in group}))
            found.extend(Flag("same_answers", attempt_id, name, others) for attempt_id, _, name in group)
    return sorted(found, key=lambda flag: (flag.kind, flag.attempt_id))
