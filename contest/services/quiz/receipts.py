"""Receipts: a short code from a hash of the finished attempt, so a disputed result can be checked.

The hash covers the questions and their order as shown, the chosen options, the server's times and
the score. `/verify/<code>` recomputes it from the database: a match shows nothing changed since.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from contest.models import Attempt, AttemptItem

CODE_LENGTH = 12  # 60 bits, shown as XXXX-XXXX-XXXX


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def attempt_digest(attempt: Attempt, items: list[AttemptItem], finished: dict[str, Any]) -> str:
    document = {
        "attempt": attempt.id,
        "user": attempt.user_id,
        "round": attempt.round_id,
        "number": attempt.number,
        "seed": attempt.seed,
        "started_at": _iso(attempt.started_at),
        "deadline": _iso(attempt.deadline),
        "submitted_at": _iso(finished["submitted_at"]),
        "score": finished["score"],
        "prediction": finished.get("prediction"),
        "items": [
            {
                "position": item.position,
                "question": item.question_id,
                "text": item.snapshot["text"],
                "options": [[option["id"], option["text"], option["correct"]] for option in item.snapshot["options"]],
                "chosen": item.chosen,
                "answered_at": _iso(item.answered_at),
            }
            for item in sorted(items, key=lambda item: item.position)
        ],
    }
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def receipt_code(attempt: Attempt, items: list[AttemptItem], finished: dict[str, Any]) -> str:
    digest = bytes.fromhex(attempt_digest(attempt, items, finished))
    letters = base64.b32encode(digest).decode("ascii")[:CODE_LENGTH]
    return "-".join(letters[index : index + 4] for index in range(0, CODE_LENGTH, 4))


def normalise_code(raw: str) -> str:
    letters = "".join(ch for ch in raw.upper() if ch.isalnum())
    return "-".join(letters[index : index + 4] for index in range(0, len(letters), 4))


def find_by_receipt(session: Session, code: str) -> Attempt | None:
    return session.scalar(select(Attempt).where(Attempt.receipt == normalise_code(code)))


def verify(attempt: Attempt, items: list[AttemptItem]) -> bool:
    """Does the attempt as stored now still give its receipt?"""
    finished = {"submitted_at": attempt.submitted_at, "score": attempt.score, "prediction": attempt.prediction}
    return attempt.receipt == receipt_code(attempt, items, finished)
