"""Question analysis after a round, as Moodle's quiz statistics: how many saw each question, the share
answering correctly (facility), the discrimination index (upper 27 % minus lower 27 % of attempts by
score), how often each option was chosen, and flags for questions that look ambiguous or wrong."""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import nh3
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from contest.models import Attempt, AttemptItem, Round
from contest.models.attempts import FINISHED
from question_bank.workbooks import StreamedSheet, streamed_workbook

GROUP_SHARE = 0.27
STREAM_ROWS = 5000  # items read from the database at a time, so memory stays flat however big the round
# Below this many answers a question's figures are shown, and its flags raised, but marked as thin evidence.
ENOUGH_ANSWERS = 10
FLAG_NAMES_VI = {
    "negative_discrimination": "độ phân biệt âm",
    "distractor_beats_key": "phương án sai được chọn nhiều hơn đáp án",
}


@dataclass
class OptionStat:
    option_id: int
    text: str
    correct: bool
    chosen: int = 0


@dataclass
class QuestionStat:
    question_id: int | None
    text: str
    seen: int = 0
    right: int = 0
    facility: float = 0.0
    discrimination: float | None = None
    options: list[OptionStat] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    @property
    def few_answers(self) -> bool:
        return self.seen < ENOUGH_ANSWERS


def _is_right(snapshot: dict[str, Any], chosen: list[int] | None) -> bool:
    key = {option["id"] for option in snapshot["options"] if option["correct"]}
    return bool(chosen) and set(chosen or ()) == key


def _bank_option_id(option: dict[str, Any]) -> int:
    """The bank's id of a snapshot's option (attempts show their own ids; older attempts showed the bank's)."""
    return int(option.get("option_id", option["id"]))


def finished_items(round_id: int) -> Select[tuple[int, int | None, dict[str, Any], list[int] | None]]:
    """The items of a round's finished attempts, as a join: a national round has more attempts than one
    statement may list as parameters."""
    return (
        select(AttemptItem.attempt_id, AttemptItem.question_id, AttemptItem.snapshot, AttemptItem.chosen)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(Attempt.round_id == round_id, Attempt.status.in_(FINISHED))
    )


def analyse(session: Session, round_: Round) -> list[QuestionStat]:
    scores: dict[int, int] = {
        attempt_id: score or 0
        for attempt_id, score in session.execute(
            select(Attempt.id, Attempt.score).where(Attempt.round_id == round_.id, Attempt.status.in_(FINISHED))
        )
    }
    if not scores:
        return []
    ordered = sorted(scores, key=lambda attempt_id: (-scores[attempt_id], attempt_id))
    group = max(1, round(len(ordered) * GROUP_SHARE))
    upper, lower = set(ordered[:group]), set(ordered[-group:])
    stats: dict[int | None, QuestionStat] = {}
    by_group: dict[int | None, dict[str, list[int]]] = defaultdict(lambda: {"upper": [0, 0], "lower": [0, 0]})
    rows = session.execute(finished_items(round_.id).execution_options(yield_per=STREAM_ROWS))
    for attempt_id, question_id, snapshot, chosen in rows:
        stat = stats.get(question_id)
        if stat is None:
            options = sorted(snapshot["options"], key=_bank_option_id)
            stat = stats[question_id] = QuestionStat(
                question_id,
                snapshot["text"],
                options=[OptionStat(_bank_option_id(o), o["text"], o["correct"]) for o in options],
            )
        right = _is_right(snapshot, chosen)
        stat.seen += 1
        stat.right += int(right)
        picked = {_bank_option_id(o) for o in snapshot["options"] if chosen and o["id"] in chosen}
        for option in stat.options:
            if option.option_id in picked:
                option.chosen += 1
        for name, members in (("upper", upper), ("lower", lower)):
            if attempt_id in members:
                by_group[question_id][name][0] += int(right)
                by_group[question_id][name][1] += 1
    for question_id, stat in stats.items():
        stat.facility = stat.right / stat.seen
        upper_right, upper_seen = by_group[question_id]["upper"]
        lower_right, lower_seen = by_group[question_id]["lower"]
        if upper_seen and lower_seen:
            stat.discrimination = upper_right / upper_seen - lower_right / lower_seen
        if stat.discrimination is not None and stat.discrimination < 0:
            stat.flags.append("negative_discrimination")
        key_choices = min((o.chosen for o in stat.options if o.correct), default=0)
        if any(not o.correct and o.chosen > key_choices for o in stat.options):
            stat.flags.append("distractor_beats_key")
    return sorted(
        stats.values(),
        key=lambda stat: (not stat.flags, stat.few_answers, -len(stat.flags), stat.facility, stat.question_id or 0),
    )


def _plain(text: str) -> str:
    return html.unescape(nh3.clean(text, tags=set()))


def write_xlsx(stats: list[QuestionStat], target: BinaryIO) -> None:
    """The analysis as a workbook: one sheet of questions, one of options."""
    with streamed_workbook(target) as workbook:
        questions = StreamedSheet(workbook, "Câu hỏi", [12, 70, 12, 10, 12, 30, 10], freeze="A2")
        questions.header(
            ["Mã câu hỏi", "Câu hỏi", "Số lượt gặp", "Độ dễ", "Độ phân biệt", "Cần xem lại vì", "Ít dữ liệu"]
        )
        options = StreamedSheet(workbook, "Phương án", [12, 50, 12, 12, 12], freeze="A2")
        options.header(["Mã câu hỏi", "Phương án", "Đáp án đúng", "Số lượt chọn", "Tỷ lệ chọn"])
        for stat in stats:
            questions.row(
                [
                    stat.question_id,
                    _plain(stat.text),
                    stat.seen,
                    round(stat.facility, 4),
                    None if stat.discrimination is None else round(stat.discrimination, 4),
                    "; ".join(FLAG_NAMES_VI[flag] for flag in stat.flags),
                    "Có" if stat.few_answers else "",
                ]
            )
            for option in stat.options:
                share = round(option.chosen / stat.seen, 4) if stat.seen else 0
                options.row(
                    [stat.question_id, _plain(option.text), "Có" if option.correct else "", option.chosen, share]
                )
