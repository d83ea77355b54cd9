"""Rules that span questions: duplicates within a file and against a bank."""

from __future__ import annotations

from collections.abc import Mapping

from question_bank.messages import N_
from question_bank.model import DraftQuestion, FileProblem


def find_duplicates(questions: list[DraftQuestion]) -> list[FileProblem]:
    """A problem for each question whose text and options repeat an earlier one of the file."""
    first: dict[str, DraftQuestion] = {}
    problems = []
    for question in questions:
        fingerprint = question.fingerprint()
        earlier = first.get(fingerprint)
        if earlier is None:
            first[fingerprint] = question
        elif earlier.sheet != question.sheet:
            message = N_(
                'the same question as on line %(line)d of sheet "%(sheet)s"', line=earlier.line, sheet=earlier.sheet
            )
            problems.append(FileProblem(question.line, message, question.sheet))
        else:
            message = N_("the same question as on line %(line)d", line=earlier.line)
            problems.append(FileProblem(question.line, message, question.sheet))
    return problems


def find_already_in_bank(questions: list[DraftQuestion], existing: Mapping[str, int]) -> list[FileProblem]:
    """A problem for each question that repeats one already in the bank (`existing`: fingerprint -> id)."""
    return [
        FileProblem(
            question.line,
            N_("the same question is already in the bank (question %(id)d)", id=existing[fingerprint]),
            question.sheet,
        )
        for question in questions
        if (fingerprint := question.fingerprint()) in existing
    ]
