"""Problems found in an uploaded file: every one is collected and reported, nothing is imported."""

from __future__ import annotations

from dataclasses import dataclass

from contest.services.errors import InvalidInput


@dataclass(frozen=True)
class Problem:
    row: int | None  # None: the file as a whole
    message: str
    label: str = "row"  # "row" for spreadsheets and CSV (CONTRACT §3), "line" for GIFT/Aiken

    def __str__(self) -> str:
        return f"{self.label} {self.row}: {self.message}" if self.row is not None else self.message


class FileProblems(InvalidInput):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems
