"""Receipts: a short code from a keyed hash (HMAC-SHA256) of the finished attempt, so a disputed result can be
checked.

The hash covers the questions and their order as shown, the chosen options, the server's times and
the score. `/verify/<code>` recomputes it from the database: a match shows nothing changed since. The key
is the server's (RECEIPT_KEYS, newest first; derived from SECRET_KEY when unset): someone who can edit the
database but not read the server's settings cannot make a changed attempt give a valid receipt. Rotation:
put a new key first and keep the old ones after it for as long as their receipts must be checked.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Sequence
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from contest.models import Attempt, AttemptItem
from contest.services.quiz.items import ItemFacts

CODE_LENGTH = 12  # 60 bits, shown as XXXX-XXXX-XXXX


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def attempt_document(attempt: Attempt, items: Sequence[AttemptItem | ItemFacts], finished: dict[str, Any]) -> str:
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
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def receipt_keys() -> list[bytes]:
    """The keys receipts are made with (the first) and checked against (any), from RECEIPT_KEYS."""
    configured = str(current_app.config.get("RECEIPT_KEYS") or "")
    keys = [key.strip().encode("utf-8") for key in configured.split(",") if key.strip()]
    if keys:
        return keys
    secret = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    return [hmac.new(secret, b"attempt receipts", hashlib.sha256).digest()]


def keyed_code(key: bytes, document: str) -> str:
    digest = hmac.new(key, document.encode("utf-8"), hashlib.sha256).digest()
    letters = base64.b32encode(digest).decode("ascii")[:CODE_LENGTH]
    return "-".join(letters[index : index + 4] for index in range(0, CODE_LENGTH, 4))


def receipt_code(attempt: Attempt, items: Sequence[AttemptItem | ItemFacts], finished: dict[str, Any]) -> str:
    return keyed_code(receipt_keys()[0], attempt_document(attempt, items, finished))


def normalise_code(raw: str) -> str:
    letters = "".join(ch for ch in raw.upper() if ch.isalnum())
    return "-".join(letters[index : index + 4] for index in range(0, len(letters), 4))


def find_by_receipt(session: Session, code: str) -> Attempt | None:
    return session.scalar(select(Attempt).where(Attempt.receipt == normalise_code(code)))


def verify(attempt: Attempt, items: Sequence[AttemptItem | ItemFacts]) -> bool:
    """Does the attempt as stored now still give its receipt?"""
    if not attempt.receipt:
        return False
    finished = {"submitted_at": attempt.submitted_at, "score": attempt.score, "prediction": attempt.prediction}
    document = attempt_document(attempt, items, finished)
    return any(hmac.compare_digest(attempt.receipt, keyed_code(key, document)) for key in receipt_keys())
