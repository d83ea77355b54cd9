"""Integrity flags for organizers to review before announcing winners. Flags inform; they never
change a score by themselves."""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from contest import clock
from contest.models import Attempt, AttemptItem, Round, User
from contest.models.attempts import FINISHED
from contest.services.banks.analysis import STREAM_ROWS, finished_items

# Reading a question and choosing an answer takes people more than this.
MIN_MS_PER_QUESTION = 3000
MIN_ANSWERS_FOR_SAME_SEQUENCE = 5


# Many accounts starting the round from one device (same address and browser) within the window is
# unlikely to be people sharing a phone; from one address alone it may be an office's shared network.
CROWD_WINDOW = timedelta(hours=1)
MIN_ACCOUNTS_PER_DEVICE = 3
MIN_ACCOUNTS_PER_ADDRESS = 10
# Reported absences from the quiz page, each at least attempts.LONG_ABSENCE_MS.
MIN_LONG_ABSENCES = 1

FLAG_KINDS = ("too_fast", "same_answers", "same_device", "same_address", "registered_together", "long_absences")


@dataclass(frozen=True)
class Flag:
    kind: str  # one of FLAG_KINDS
    attempt_id: int
    user_name: str
    detail: str


def _signature(items: list[tuple[int | None, dict[str, Any], list[int] | None]]) -> str | None:
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
    people = {attempt_id: (user_id, name) for attempt_id, user_id, _total, _duration, _score, name in attempts}
    rows = session.execute(
        finished_items(round_.id).order_by(AttemptItem.attempt_id).execution_options(yield_per=STREAM_ROWS)
    )
    by_signature: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for attempt_id, items in groupby(rows, key=lambda row: row[0]):  # one attempt's items in memory at a time
        signature = _signature([(question_id, snapshot, chosen) for _, question_id, snapshot, chosen in items])
        if signature is not None:
            by_signature[signature].append((attempt_id, *people[attempt_id]))
    for group in by_signature.values():
        if len({user_id for _, user_id, _ in group}) > 1:
            others = ", ".join(sorted({name for _, _, name in group}))
            found.extend(Flag("same_answers", attempt_id, name, others) for attempt_id, _, name in group)
    found += _crowd_flags(session, round_)
    found += _registration_flags(session, round_)
    found += _absence_flags(session, round_)
    return sorted(found, key=lambda flag: (FLAG_KINDS.index(flag.kind), flag.attempt_id))


@dataclass(frozen=True)
class _Start:
    """An attempt started, or an account registered (attempt_id 0), by an account at a moment."""

    attempt_id: int
    user_id: int
    name: str
    at: datetime


def _crowded(starts: list[_Start], minimum: int) -> list[list[_Start]]:
    """The runs of starts in which some CROWD_WINDOW saw `minimum` accounts or more (overlaps merged)."""
    starts = sorted(starts, key=lambda start: (start.at, start.attempt_id))
    spans: list[list[int]] = []
    in_window: Counter[int] = Counter()  # attempts per account in the sliding window: linear in the starts
    first = 0
    for last, start in enumerate(starts):
        in_window[start.user_id] += 1
        while start.at - starts[first].at > CROWD_WINDOW:
            in_window[starts[first].user_id] -= 1
            if not in_window[starts[first].user_id]:
                del in_window[starts[first].user_id]
            first += 1
        if len(in_window) < minimum:
            continue
        if spans and first <= spans[-1][1]:
            spans[-1][1] = last
        else:
            spans.append([first, last])
    return [starts[lo : hi + 1] for lo, hi in spans]


def _span(address: str | None, run: list[_Start]) -> dict[str, object]:
    """What a flag's detail says of a run: where, how many accounts, from when to when (Vietnam time)."""
    return {
        "address": address,
        "accounts": len({item.user_id for item in run}),
        "start": _vn_time(run[0].at),
        "end": _vn_time(run[-1].at),
    }


def _crowd_flags(session: Session, round_: Round) -> list[Flag]:
    rows = session.execute(
        select(Attempt.id, Attempt.user_id, User.name, Attempt.started_at, Attempt.client_address, Attempt.device)
        .join(User, User.id == Attempt.user_id)
        .where(Attempt.round_id == round_.id, Attempt.client_address.is_not(None))
    ).all()
    by_device: dict[tuple[str | None, str], list[_Start]] = defaultdict(list)
    by_address: dict[tuple[str | None, str], list[_Start]] = defaultdict(list)
    for attempt_id, user_id, name, started_at, address, device in rows:
        start = _Start(attempt_id, user_id, name, started_at)
        by_address[(address, "")].append(start)
        if device:
            by_device[(address, device)].append(start)
    found: list[Flag] = []
    for kind, groups, minimum in (
        ("same_device", by_device, MIN_ACCOUNTS_PER_DEVICE),
        ("same_address", by_address, MIN_ACCOUNTS_PER_ADDRESS),
    ):
        for (address, _device), starts in groups.items():
            for run in _crowded(starts, minimum):
                detail = _("%(address)s: %(accounts)d accounts between %(start)s and %(end)s", **_span(address, run))
                found.extend(Flag(kind, start.attempt_id, start.name, detail) for start in run)
    return found


def _registration_flags(session: Session, round_: Round) -> list[Flag]:
    """Attempts of accounts registered from one device together with others (MIN_ACCOUNTS_PER_DEVICE
    or more within CROWD_WINDOW), whether or not the others took this round."""
    devices = (
        select(User.registered_address, User.registered_device)
        .join(Attempt, Attempt.user_id == User.id)
        .where(Attempt.round_id == round_.id, User.registered_device.is_not(None))
        .distinct()
        .subquery()
    )
    rows = session.execute(
        select(User.id, User.name, User.created_at, User.registered_address, User.registered_device).join(
            devices,
            (devices.c.registered_address == User.registered_address)
            & (devices.c.registered_device == User.registered_device),
        )
    ).all()
    groups: dict[tuple[str | None, str | None], list[_Start]] = defaultdict(list)
    for user_id, name, created_at, address, device in rows:
        groups[(address, device)].append(_Start(0, user_id, name, created_at))
    together: dict[int, str] = {}
    for (address, _device), registrations in groups.items():
        for run in _crowded(registrations, MIN_ACCOUNTS_PER_DEVICE):
            detail = _(
                "%(address)s: %(accounts)d accounts registered between %(start)s and %(end)s", **_span(address, run)
            )
            together.update((item.user_id, detail) for item in run)
    if not together:
        return []
    attempts = session.execute(
        select(Attempt.id, Attempt.user_id, User.name)
        .join(User, User.id == Attempt.user_id)
        .where(Attempt.round_id == round_.id, Attempt.user_id.in_(together))
    ).all()
    return [Flag("registered_together", attempt_id, name, together[user_id]) for attempt_id, user_id, name in attempts]


def _absence_flags(session: Session, round_: Round) -> list[Flag]:
    rows = session.execute(
        select(Attempt.id, User.name, Attempt.long_absences, Attempt.away_ms)
        .join(User, User.id == Attempt.user_id)
        .where(Attempt.round_id == round_.id, Attempt.long_absences >= MIN_LONG_ABSENCES)
    ).all()
    return [
        Flag(
            "long_absences",
            attempt_id,
            name,
            _(
                "%(count)d absences of a minute or more; %(minutes)d min %(seconds)d s away in all",
                count=absences,
                minutes=away_ms // 60000,
                seconds=away_ms // 1000 % 60,
            ),
        )
        for attempt_id, name, absences, away_ms in rows
    ]


def _vn_time(moment: datetime) -> str:
    return clock.to_vietnam(moment).strftime("%d/%m %H:%M")
