"""Writing a bank as Moodle GIFT: the file `read_gift` (and Moodle) reads back to the same questions.

True/false questions are written `{T}` / `{F}`, one-answer questions `{=right ~wrong}`, several right answers with
Moodle's weights (`~%50%a ~%50%b ~%-100%c`); the explanation is the general feedback (`####`), the topic a
`$CATEGORY:` line. GIFT has no difficulty: a bank that needs it goes through the spreadsheet.

Moodle's GIFT has no escape for "%": an option whose text starts with a weight-like "%50%" is written after an
explicit weight, so that it is read as text. Questions without a topic come first, before any `$CATEGORY:` line
(an empty category is not a name Moodle can hold). An option that is a picture alone cannot be written (GIFT
carries no pictures here): such a bank is refused, naming the question.
"""

from __future__ import annotations

import re

from question_bank.messages import N_, Message
from question_bank.model import DraftQuestion

_LOOKS_WEIGHTED = re.compile(r"^\s*%")


class GiftExportError(ValueError):
    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\")  # first: the escapes below add backslashes of their own
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\n", "\\n")


def _weight(right: bool, right_count: int, wrong_count: int) -> str:
    share = 100 / (right_count if right else wrong_count)
    text = f"{share:.5f}".rstrip("0").rstrip(".")
    return f"%{text}%" if right else f"%-{text}%"


def _answers(question: DraftQuestion) -> str:
    if question.kind == "true_false":
        right = next(option for option in question.options if option.correct)
        return "T" if right.position == 0 else "F"
    if not question.multiple:
        return " ".join(
            ("=" if option.correct else "~%0%" if _LOOKS_WEIGHTED.match(option.text) else "~") + _escape(option.text)
            for option in question.options
        )
    rights = sum(option.correct for option in question.options)
    wrongs = len(question.options) - rights
    return " ".join("~" + _weight(option.correct, rights, wrongs) + _escape(option.text) for option in question.options)


def write_gift(questions: list[DraftQuestion]) -> str:
    for number, question in enumerate(questions, start=1):
        if any(not option.text.strip() for option in question.options):
            raise GiftExportError(
                N_(
                    "question %(number)d has an option that is a picture alone, which GIFT cannot carry: export the "
                    "bank as .zip (the workbook and its pictures)",
                    number=number,
                )
            )
    numbered = list(enumerate(questions, start=1))
    lines: list[str] = []
    topic: str | None = ""
    for number, question in [*(item for item in numbered if not item[1].topic), *(i for i in numbered if i[1].topic)]:
        if question.topic != topic:
            topic = question.topic
            name = " ".join(topic.split())  # one line: a line break would start a question of its own
            lines += [f"$CATEGORY: $course$/{name.replace('/', '//')}", ""]
        feedback = f" ####{_escape(question.explanation)}" if question.explanation else ""
        lines += [f"::Câu {number}::[html]{_escape(question.text)} {{{_answers(question)}{feedback}}}", ""]
    return "\n".join(lines)
