"""Rules that span questions: duplicates within a file and against a bank."""

from __future__ import annotations

from collections.abc import Mapping

from question_bank.messages import N_
from question_bank.model import DraftQuestion, FileProblem


def find_duplicates(questions: list[DraftQuestion]) -> list[FileProblem]:
    """A problem for each question whose text and options repeat an earlier one of the file."""
    first_line: dict[str, int] = {}
    problems = []
    for question in questions:
        fingerprint = question.fingerprint()
        if fingerprint in first_line:
            problems.append(
                FileProblem(question.line, N_("the same question as on line %(line)d", line=first_line[fingerprint]))
            )
        else:
            first_line[fingerprint] = question.line
    return problems


def find_already_in_bank(questions: list[DraftQuestion], existing: Mapping[str, int]) -> list[FileProblem]:
    """A problem for each question that repeats one already in the bank (`existing`: fingerprint -> id)."""
    return [
        FileProblem(
            question.line, N_("the same question is already in the bank (question %(id)d)", id=existing[fingerprint])
        )
        for question in questions
        if (fingerprint := question.fingerprint()) in existing
    ]
