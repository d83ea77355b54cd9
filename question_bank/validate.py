"""Rules that span questions: duplicates within a file and against a bank."""

from __future__ import annotations

from collections.abc import Mapping

from question_bank.model import DraftQuestion, FileProblem


def find_duplicates(questions: list[DraftQuestion], existing: Mapping[str, int] | None = None) -> list[FileProblem]:
    """A problem for each question that repeats an earlier one in the file or one already in the
    bank (`existing` maps fingerprints to question ids)."""
    existing = existing or {}
    first_line: dict[str, int] = {}
    problems = []
    for question in questions:
        fingerprint = question.fingerprint()
        if fingerprint in existing:
            message = f"câu hỏi trùng với câu đã có trong ngân hàng (mã câu {existing[fingerprint]})"
            problems.append(FileProblem(question.line, message))
        elif fingerprint in first_line:
            problems.append(FileProblem(question.line, f"câu hỏi trùng với câu ở dòng {first_line[fingerprint]}"))
        else:
            first_line[fingerprint] = question.line
    return problems
