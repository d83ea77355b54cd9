"""The draw: a seeded, uniform random choice of questions without repeats, and shuffled options.

The pool is built once per bank (ids grouped by topic and difficulty) and reused for every attempt,
so a draw touches only the ids it needs; with the same seed the same questions come out in the
same order, so an attempt can be re-derived and audited.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from question_bank.text import without_accents


@dataclass(frozen=True)
class DrawPart:
    topic: str | None  # None: any topic
    difficulty: str | None  # None: any difficulty
    count: int
    kind: str | None = None  # "single", "multiple", "true_false" (question_bank.model.question_kind); None: any

    def label(self) -> str:
        kind = f"{self.kind}:" if self.kind else ""
        return f"{self.topic or '*'}:{self.difficulty or '*'}:{kind}{self.count}"


class NotEnoughQuestions(ValueError):
    def __init__(self, part: DrawPart, available: int) -> None:
        super().__init__(
            f"ngân hàng chỉ còn {available} câu cho {part.topic or 'mọi chủ đề'} / "
            f"{part.difficulty or 'mọi mức độ'}, cần {part.count}"
        )
        self.part = part
        self.available = available


@dataclass
class QuestionPool:
    """Active question ids of a bank, grouped by (topic, difficulty, kind)."""

    cells: dict[tuple[str, str, str], list[int]] = field(default_factory=dict)
    _matches: dict[tuple[str | None, str | None, str | None], list[int]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, rows: Iterable[tuple[int, str, str] | tuple[int, str, str, str]]) -> QuestionPool:
        """rows: (question id, topic, difficulty[, kind]); a row without its kind is a single-answer question."""
        cells: dict[tuple[str, str, str], list[int]] = {}
        for question_id, topic, difficulty, *kind in rows:
            cells.setdefault((topic, difficulty, kind[0] if kind else "single"), []).append(question_id)
        return cls(cells)

    def matching(self, topic: str | None, difficulty: str | None, kind: str | None = None) -> list[int]:
        key = (topic, difficulty, kind)
        if key not in self._matches:
            # by (topic, difficulty) in order, ids ascending within each: the order a seed draws from, as it was
            # before questions had kinds, so a seed draws today what it drew then
            groups: dict[tuple[str, str], list[int]] = {}
            for (cell_topic, cell_difficulty, cell_kind), cell_ids in self.cells.items():
                if (
                    (topic is None or cell_topic == topic)
                    and (difficulty is None or cell_difficulty == difficulty)
                    and (kind is None or cell_kind == kind)
                ):
                    groups.setdefault((cell_topic, cell_difficulty), []).extend(cell_ids)
            self._matches[key] = [question_id for group in sorted(groups) for question_id in sorted(groups[group])]
        return self._matches[key]

    def check(self, parts: Sequence[DrawPart]) -> None:
        """Raise NotEnoughQuestions when the spec cannot be met (parts may overlap)."""
        draw_questions(self, parts, random.Random(0))


def draw_questions(pool: QuestionPool, parts: Sequence[DrawPart], rng: random.Random) -> list[int]:
    """Question ids for one attempt, in the order they are shown."""
    chosen: list[int] = []
    taken: set[int] = set()
    for part in parts:
        candidates = pool.matching(part.topic, part.difficulty, part.kind)
        if taken and any(question_id in taken for question_id in candidates):
            candidates = [question_id for question_id in candidates if question_id not in taken]
        if len(candidates) < part.count:
            raise NotEnoughQuestions(part, len(candidates))
        picked = rng.sample(candidates, part.count)
        chosen.extend(picked)
        taken.update(picked)
    rng.shuffle(chosen)
    return chosen


def shuffle_options(option_ids: Sequence[int], rng: random.Random, *, keep_order: bool = False) -> list[int]:
    """The options in the order shown: shuffled, unless their order means something (keep_order); the random
    stream is used the same either way, so the rest of the draw does not depend on it."""
    shuffled = list(option_ids)
    rng.shuffle(shuffled)
    return list(option_ids) if keep_order else shuffled


# An option that points at the others ("Tất cả các phương án trên", "Cả A và B", "Không có phương án nào"), compared
# without accents: shuffled, it would point at the wrong ones.
_POINTS_AT_OTHERS = re.compile(
    r"\b(tat ca|ca hai|ca ba|ca bon|ca [a-f](, ?[a-f])* va [a-f]|[a-f] va [a-f] deu|"
    r"khong (co )?(phuong an|dap an|y|cau) nao|(cac )?(phuong an|dap an|y) tren|"
    r"all of the above|none of the above|both [a-f] and [a-f])\b"
)


def keeps_order(option_texts: Sequence[str], true_false: bool = False) -> bool:
    """Whether a question's options are shown in the bank's order: Đúng before Sai, and options that refer to
    the others by place."""
    return true_false or any(_POINTS_AT_OTHERS.search(without_accents(text)) for text in option_texts)
