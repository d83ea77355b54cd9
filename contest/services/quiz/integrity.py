"""Integrity flags for organizers to review before announcing winners. Flags inform; they never
change a score by themselves."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from contest import clock
from contest.models import Attempt, Round, User
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
    found += _same_answer_flags(session, round_)
    found += _crowd_flags(session, round_)
    found += _registration_flags(session, round_)
    found += _absence_flags(session, round_)
    return sorted(found, key=lambda flag: (FLAG_KINDS.index(flag.kind), flag.attempt_id))


# Identical answers: two attempts are compared on the questions they share (each draws its own from the bank), and
# only on those both got wrong: how often a participant is wrong depends on what they know, but which wrong option
# two people pick independently of each other follows how the round picked its wrong options. On the questions
# both got wrong, the number of identical wrong answers then follows a sum of independent chances (one per
# question: the sum over its wrong options of their share among wrong answers, squared). A pair is flagged when
# at least MIN_SAME_WRONG agree and the chance of that many is below FALSE_FLAG_RATE / pairs compared, so a round
# without copying raises a false flag about once in a hundred rounds.
MIN_SAME_WRONG = 4
FALSE_FLAG_RATE = 0.01
# Candidate pairs come from attempts that chose the same wrong answer: within a unit any such answer, across the
# round only answers rare enough to say something. Groups are taken smallest first, up to MAX_PAIRS pairs, so a
# national round costs what a big one does.
MAX_UNIT_GROUP = 200
MAX_ROUND_GROUP = 50
MAX_PAIRS = 200_000
MAX_NAMES = 10  # of a group, named in a flag's detail


@dataclass
class _Answers:
    attempt_id: int
    user_id: int
    name: str
    unit_id: int | None
    started_at: datetime
    # question id: the answer as a number (one per distinct answer of the round, negative when wrong): a national
    # round holds millions of answers in memory here
    chosen: dict[int, int]


def _answer_key(snapshot: dict[str, Any], chosen: list[int]) -> tuple[Any, bool]:
    """The chosen options as the bank knows them (whatever ids and order this attempt showed), and whether the
    answer is wrong."""
    picked = [option for option in snapshot["options"] if option["id"] in chosen]
    key = tuple(sorted(str(option.get("option_id", option["text"])) for option in picked))
    right = {option["id"] for option in snapshot["options"] if option["correct"]}
    return key, set(chosen) != right


def _tail(chances: list[float], at_least: int) -> float:
    """P(at least `at_least` of independent events with these chances happen), exactly (a few dozen at most)."""
    counts = [1.0]  # counts[k]: P(exactly k so far)
    for chance in chances:
        counts = [
            (counts[k] if k < len(counts) else 0.0) * (1 - chance) + (counts[k - 1] * chance if k else 0.0)
            for k in range(len(counts) + 1)
        ]
    return max(0.0, min(1.0, sum(counts[at_least:])))


@dataclass(frozen=True)
class _Evidence:
    shared: int
    both_wrong: int
    same_wrong: int
    same: int
    expected: float
    chance: float


def _compare(first: _Answers, second: _Answers, chance_of: dict[int, float]) -> _Evidence:
    shared = first.chosen.keys() & second.chosen.keys()
    same = sum(1 for q in shared if first.chosen[q] == second.chosen[q])
    both_wrong = [q for q in shared if first.chosen[q] < 0 and second.chosen[q] < 0]
    same_wrong = sum(1 for q in both_wrong if first.chosen[q] == second.chosen[q])
    chances = [chance_of.get(q, 1.0) for q in both_wrong]
    return _Evidence(len(shared), len(both_wrong), same_wrong, same, sum(chances), _tail(chances, same_wrong))


def _same_wrong_chance(wrong_picks: Counter[Any], options: int) -> float:
    """The chance that two participants who both got a question wrong chose the same wrong answer: the sum over its
    wrong answers of (their share of the wrong answers)², each smoothed by one pick more, so that a small round does
    not make every agreement look impossible."""
    wrong_options = max(options - 1, len(wrong_picks), 1)
    total = sum(wrong_picks.values()) + wrong_options
    never_chosen = wrong_options - len(wrong_picks)
    return sum(((count + 1) / total) ** 2 for count in wrong_picks.values()) + never_chosen * (1 / total) ** 2


def _candidate_pairs(people: dict[int, _Answers]) -> set[tuple[int, int]]:
    """Pairs of attempts by different accounts that gave one same wrong answer: within a unit, or across the round
    on a rare one; the smallest groups first, MAX_PAIRS at most."""
    by_unit: dict[tuple[int, int], list[int]] = defaultdict(list)
    by_round: dict[int, list[int]] = defaultdict(list)
    for answers in people.values():
        for code in answers.chosen.values():
            if code < 0:  # a wrong answer (codes are per question)
                if answers.unit_id is not None:
                    by_unit[(answers.unit_id, code)].append(answers.attempt_id)
                by_round[code].append(answers.attempt_id)
    groups = [group for group in by_unit.values() if 1 < len(group) <= MAX_UNIT_GROUP]
    groups += [group for group in by_round.values() if 1 < len(group) <= MAX_ROUND_GROUP]
    pairs: set[tuple[int, int]] = set()
    for group in sorted(groups, key=len):
        for index, first in enumerate(group):
            for second in group[index + 1 :]:
                if people[first].user_id != people[second].user_id:
                    pairs.add((min(first, second), max(first, second)))
        if len(pairs) >= MAX_PAIRS:
            break
    return pairs


def _same_answer_flags(session: Session, round_: Round) -> list[Flag]:
    """Pairs (and groups) of attempts by different accounts whose wrong answers agree far beyond chance on the
    questions they share; the detail gives the evidence."""
    people = {
        attempt_id: _Answers(attempt_id, user_id, name, unit_id, started_at, {})
        for attempt_id, user_id, name, unit_id, started_at in session.execute(
            select(Attempt.id, Attempt.user_id, User.name, User.unit_id, Attempt.started_at)
            .join(User, User.id == Attempt.user_id)
            .where(Attempt.round_id == round_.id, Attempt.status.in_(FINISHED))
        )
    }
    options_of: dict[int, int] = {}
    picks: dict[int, Counter[Any]] = defaultdict(Counter)  # question: wrong answer: how many chose it
    codes: dict[tuple[int, Any], int] = {}
    rows = session.execute(finished_items(round_.id).execution_options(yield_per=STREAM_ROWS))
    for attempt_id, question_id, snapshot, chosen in rows:
        if question_id is None or not chosen or attempt_id not in people:
            continue
        key, wrong = _answer_key(snapshot, chosen)
        code = codes.setdefault((question_id, key), len(codes) + 1)
        people[attempt_id].chosen[question_id] = -code if wrong else code
        options_of[question_id] = len(snapshot["options"])
        if wrong:
            picks[question_id][code] += 1
    chance_of = {
        question_id: _same_wrong_chance(picks[question_id], options) for question_id, options in options_of.items()
    }
    candidates = _candidate_pairs(people)
    bar = FALSE_FLAG_RATE / max(1, len(candidates))
    pairs: dict[tuple[int, int], _Evidence] = {}
    for first, second in candidates:
        evidence = _compare(people[first], people[second], chance_of)
        if evidence.same_wrong >= MIN_SAME_WRONG and evidence.chance < bar:
            pairs[(first, second)] = evidence
    return _group_flags(people, pairs)


def _group_flags(people: dict[int, _Answers], pairs: dict[tuple[int, int], _Evidence]) -> list[Flag]:
    """One flag per attempt of a flagged pair: its strongest pair's evidence, and the others in its group."""
    group_of = {attempt_id: {attempt_id} for pair in pairs for attempt_id in pair}
    strongest: dict[int, tuple[int, _Evidence]] = {}  # attempt: its partner in its least likely pair
    for (first, second), evidence in pairs.items():
        merged = group_of[first] | group_of[second]
        for attempt_id in merged:
            group_of[attempt_id] = merged
        for mine, theirs in ((first, second), (second, first)):
            if mine not in strongest or evidence.chance < strongest[mine][1].chance:
                strongest[mine] = (theirs, evidence)
    found = []
    for attempt_id, group in group_of.items():
        partner, evidence = strongest[attempt_id]
        other = people[partner]
        names = sorted(people[member].name for member in group if member != attempt_id)
        others = ", ".join(names[:MAX_NAMES]) + (f" (+{len(names) - MAX_NAMES})" if len(names) > MAX_NAMES else "")
        detail = _(
            "With %(others)s. Strongest, with %(name)s: %(same_wrong)d identical wrong answers on the %(both_wrong)d "
            "questions both got wrong, of %(shared)d shared (by chance about %(expected)s); %(same)d identical answers "
            "in all; started %(mine)s and %(theirs)s",
            others=others,
            name=other.name,
            same_wrong=evidence.same_wrong,
            both_wrong=evidence.both_wrong,
            shared=evidence.shared,
            expected=format_decimal(round(evidence.expected, 1), format="#,##0.0"),
            same=evidence.same,
            mine=_vn_time(people[attempt_id].started_at),
            theirs=_vn_time(other.started_at),
        )
        found.append(Flag("same_answers", attempt_id, people[attempt_id].name, detail))
    return found


def attempt_numbers(session: Session, attempt_ids: set[int]) -> dict[int, int]:
    """Each attempt's number among its participant's attempts at the round (1, 2, ...), as people count them."""
    if not attempt_ids:
        return {}
    rows = session.execute(select(Attempt.id, Attempt.number).where(Attempt.id.in_(sorted(attempt_ids))))
    return {row.id: row.number for row in rows}


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
        for (address, device), starts in groups.items():
            for run in _crowded(starts, minimum):
                if kind == "same_device":  # the browser's mark, the network address only as where it was
                    detail = _(
                        "one device (mark %(device)s, network address %(address)s): %(accounts)d accounts between "
                        "%(start)s and %(end)s",
                        device=device[:8],
                        **_span(address, run),
                    )
                else:
                    detail = _(
                        "one network address %(address)s: %(accounts)d accounts between %(start)s and %(end)s",
                        **_span(address, run),
                    )
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
