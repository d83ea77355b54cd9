"""Problems found in an uploaded file: every one is collected and reported, nothing is imported."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString, gettext

from contest.services.shared.errors import InvalidInput
from question_bank.messages import Message


def translated(message: Message | str) -> str:
    """A message of `question_bank` (or of this package's file checks) in the current language."""
    return message.render(gettext) if isinstance(message, Message) else str(message)


@dataclass(frozen=True)
class Problem:
    row: int | None  # None: the file as a whole
    message: Message
    label: str = "row"  # "row" for spreadsheets and CSV (CONTRACT §3), "line" for GIFT/Aiken
    sheet: str = ""  # the workbook's sheet, where the file has several

    def text(self) -> str:
        return translated(self.message)

    def where(self) -> str:
        """ "row 5", "line 12", or 'row 5, sheet "Chủ đề 2"' (empty for the file as a whole)."""
        if self.row is None:
            return gettext('sheet "%(sheet)s"', sheet=self.sheet) if self.sheet else ""
        if self.label == "line":
            return gettext("line %(number)d", number=self.row)
        if self.sheet:
            return gettext('row %(number)d, sheet "%(sheet)s"', number=self.row, sheet=self.sheet)
        return gettext("row %(number)d", number=self.row)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.text()}" if where else self.text()


class FileProblems(InvalidInput):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(LazyString(lambda: "\n".join(str(problem) for problem in problems)))
        self.problems = problems
