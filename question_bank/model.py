"""Questions as read from a file, before they reach a database."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from question_bank.images import DraftImage
from question_bank.messages import Message
from question_bank.text import comparable

LETTERS = "ABCDEF"
TRUE_TEXT, FALSE_TEXT = "Đúng", "Sai"  # a true/false question: two options with these texts, one of them right
KIND_NAMES = {"single": "Một đáp án", "multiple": "Nhiều đáp án", "true_false": "Đúng/Sai"}  # "Loại câu hỏi"


def question_kind(option_texts: list[str], right_count: int) -> str:
    """ "true_false" (two options Đúng, Sai, one right), "multiple" (several right) or "single"."""
    if right_count > 1:
        return "multiple"
    return "true_false" if option_texts == [TRUE_TEXT, FALSE_TEXT] else "single"


@dataclass
class DraftOption:
    position: int  # 0 = A
    text: str
    correct: bool = False
    image: DraftImage | None = None

    @property
    def letter(self) -> str:
        return LETTERS[self.position]


@dataclass
class DraftQuestion:
    line: int  # the row (spreadsheet, CSV) or line (GIFT, Aiken) it came from
    text: str
    options: list[DraftOption] = field(default_factory=list)
    topic: str = ""
    difficulty: str = "medium"
    explanation: str = ""
    image: DraftImage | None = None
    sheet: str = ""  # the workbook's sheet it came from, where a file has several

    @property
    def multiple(self) -> bool:
        return sum(option.correct for option in self.options) > 1

    @property
    def kind(self) -> str:
        """ "true_false", "multiple" or "single", as the spreadsheet's "Loại câu hỏi" column says it."""
        return question_kind([option.text for option in self.options], sum(o.correct for o in self.options))

    @property
    def answer_letters(self) -> str:
        return ",".join(option.letter for option in self.options if option.correct)

    def fingerprint(self) -> str:
        """Equal for two questions whose text, options and pictures repeat each other, in any option order (the
        same text over two different pictures is two questions)."""

        def seen(text: str, image: DraftImage | None) -> str:
            return comparable(text) + (f"\x1e{image.image.digest}" if image else "")

        parts = [seen(self.text, self.image), *sorted(seen(option.text, option.image) for option in self.options)]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class FileProblem:
    line: int | None
    message: Message  # rendered in the reader's language by the application
    sheet: str = ""  # the workbook's sheet, where a file has several


@dataclass
class ReadResult:
    questions: list[DraftQuestion]
    problems: list[FileProblem]
    skipped: list[FileProblem] = field(default_factory=list)  # unsupported items left out on request
    line_label: str = "row"  # "row" for spreadsheets and CSV, "line" for GIFT and Aiken
    notices: list[FileProblem] = field(default_factory=list)  # what was fixed on the way (legacy encodings)
