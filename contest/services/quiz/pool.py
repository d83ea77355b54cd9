"""What rounds draw from, cached per process and keyed by the bank's revision.

A start of an attempt must stay cheap when thousands start in the same minute: the pool (ids by
topic and difficulty) and the text of the questions are read once per bank revision, not per request.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from cachetools import LRUCache
from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from contest.models import Option, Picture, Question, QuestionBank
from question_bank.draw import QuestionPool, keeps_order
from question_bank.model import question_kind

CACHED_BANKS = 8


@dataclass(frozen=True)
class QuestionContent:
    """A question as an attempt freezes it (before its options are shuffled)."""

    id: int
    text: str
    multiple: bool
    topic: str
    difficulty: str
    explanation: str
    options: tuple[tuple[int, str, bool], ...]  # (option id, text, correct), in bank order
    picture: dict[str, Any] | None = None  # {"digest", "width", "height", "alt"}
    option_pictures: dict[int, dict[str, Any]] = field(default_factory=dict)  # by option id
    keep_order: bool = False  # options shown in the bank's order (Đúng/Sai, "Tất cả các phương án trên")

    def option_ids(self) -> list[int]:
        return [option_id for option_id, _text, _correct in self.options]

    def snapshot(self, option_order: list[int], shown_ids: list[int]) -> dict[str, Any]:
        """The question as this attempt shows it: options in `option_order` (bank ids), each under the id of
        `shown_ids` at the same place. Shown ids are the attempt's own: they reveal neither the bank's order of
        the options nor which option it is in another attempt; "option_id" keeps the bank's id for analysis."""
        by_id = {option_id: (text, correct) for option_id, text, correct in self.options}
        options = []
        for option_id, shown in zip(option_order, shown_ids, strict=True):
            option = {"id": shown, "option_id": option_id, "text": by_id[option_id][0], "correct": by_id[option_id][1]}
            if option_id in self.option_pictures:  # a key only where there is a picture: older snapshots unchanged
                option["picture"] = self.option_pictures[option_id]
            options.append(option)
        snapshot = {
            "text": self.text,
            "multiple": self.multiple,
            "topic": self.topic,
            "difficulty": self.difficulty,
            "explanation": self.explanation,
            "options": options,
        }
        if self.picture is not None:
            snapshot["picture"] = self.picture
        return snapshot


@dataclass
class BankContent:
    revision: int
    pool: QuestionPool
    questions: dict[int, QuestionContent]


class BankContentCache:
    """One per app: the latest content of the banks used most recently."""

    def __init__(self, size: int = CACHED_BANKS) -> None:
        self.entries: LRUCache[int, BankContent] = LRUCache(maxsize=size)
        self.lock = threading.Lock()  # cachetools caches are not thread-safe themselves


def _cache() -> BankContentCache:
    cache: BankContentCache = current_app.extensions.setdefault("bank_content_cache", BankContentCache())
    return cache


def picture_ref(picture: Picture | None, alt: str) -> dict[str, Any] | None:
    """What a page needs to show a picture (its address comes from the digest)."""
    if picture is None:
        return None
    return {"digest": picture.digest, "width": picture.width, "height": picture.height, "alt": alt}


def _kind(question: Question) -> str:
    return question_kind([o.text for o in question.options], sum(o.is_correct for o in question.options))


def load_pool(session: Session, bank: QuestionBank) -> QuestionPool:
    return bank_content(session, bank).pool


def bank_content(session: Session, bank: QuestionBank) -> BankContent:
    """The bank's active questions at its current revision, from this process's cache if it has them."""
    cache = _cache()
    # The revision of the bank as the request has it: read in this request, or from the process's copy of the
    # settings (services/shared/settings_cache.py), current unless a change is on its way.
    revision = bank.revision
    with cache.lock:
        cached = cache.entries.get(bank.id)
        if cached is not None and cached.revision == revision:
            return cached
    # Read again: the questions are labelled with the revision they are read at, never an older one a stale copy
    # gave (whose pool, cached under that revision, could then name a question the content no longer holds).
    revision = session.scalar(select(QuestionBank.revision).where(QuestionBank.id == bank.id)) or 0
    questions = session.scalars(
        select(Question)
        .where(Question.bank_id == bank.id, Question.active.is_(True))
        .options(selectinload(Question.options).selectinload(Option.picture), selectinload(Question.picture))
    ).all()
    content = BankContent(
        revision=revision,
        pool=QuestionPool.build((q.id, q.topic, q.difficulty, _kind(q)) for q in questions),
        questions={
            q.id: QuestionContent(
                q.id,
                q.text,
                q.multiple,
                q.topic,
                q.difficulty,
                q.explanation,
                tuple((o.id, o.text, o.is_correct) for o in q.options),
                picture_ref(q.picture, q.picture_alt),
                {o.id: ref for o in q.options if (ref := picture_ref(o.picture, o.picture_alt)) is not None},
                keeps_order([o.text for o in q.options], _kind(q) == "true_false"),
            )
            for q in questions
        },
    )
    with cache.lock:
        cache.entries[bank.id] = content
    return content
