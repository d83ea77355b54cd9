"""Importing a question file into a bank: all questions or none."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from contest.models import Option, Question, QuestionBank
from contest.services.problems import FileProblems, Problem
from question_bank.model import DraftQuestion, FileProblem, ReadResult
from question_bank.spreadsheet import read_spreadsheet
from question_bank.tables import TableError, read_table
from question_bank.validate import find_duplicates


@dataclass
class BankImportSummary:
    bank: str
    imported: int
    dry_run: bool
    by_topic_difficulty: Counter[tuple[str, str]] = field(default_factory=Counter)
    skipped: list[Problem] = field(default_factory=list)


def read_questions(path: Path | str, data: bytes | None = None) -> ReadResult:
    """Read a question file of any supported format; file-level failures become one problem."""
    try:
        table = read_table(path, data)
    except TableError as error:
        return ReadResult([], [FileProblem(None, str(error))])
    return read_spreadsheet(table)


def existing_fingerprints(session: Session, bank: QuestionBank | None) -> dict[str, int]:
    if bank is None or bank.id is None:
        return {}
    rows = session.execute(select(Question.fingerprint, Question.id).where(Question.bank_id == bank.id))
    return dict(rows.tuples().all())


def import_questions(
    session: Session, *, bank_name: str, result: ReadResult, now: datetime, dry_run: bool = False
) -> BankImportSummary:
    """Validate every question, then insert them all in the bank (created if new), or raise FileProblems."""
    bank = session.scalar(select(QuestionBank).where(QuestionBank.name == bank_name))
    problems = list(result.problems)
    problems += find_duplicates(result.questions, existing_fingerprints(session, bank))
    if not result.questions and not problems:
        problems.append(FileProblem(None, "tệp không có câu hỏi nào"))
    if problems:
        label = result.line_label
        raise FileProblems([Problem(p.line, p.message, label) for p in sorted(problems, key=lambda p: p.line or 0)])
    summary = BankImportSummary(
        bank=bank_name,
        imported=len(result.questions),
        dry_run=dry_run,
        by_topic_difficulty=Counter((q.topic, q.difficulty) for q in result.questions),
        skipped=[Problem(p.line, p.message, result.line_label) for p in result.skipped],
    )
    if dry_run:
        return summary
    if bank is None:
        bank = QuestionBank(name=bank_name, created_at=now)
        session.add(bank)
        session.flush()
    insert_questions(session, bank, result.questions, now)
    return summary


def insert_questions(session: Session, bank: QuestionBank, questions: list[DraftQuestion], now: datetime) -> None:
    """Two bulk statements whatever the number of questions (a bank can hold thousands)."""
    if not questions:
        return
    ids = session.scalars(
        insert(Question).returning(Question.id, sort_by_parameter_order=True),
        [
            {
                "bank_id": bank.id,
                "text": q.text,
                "topic": q.topic,
                "difficulty": q.difficulty,
                "explanation": q.explanation,
                "multiple": q.multiple,
                "active": True,
                "fingerprint": q.fingerprint(),
                "created_at": now,
                "updated_at": now,
            }
            for q in questions
        ],
    ).all()
    session.execute(
        insert(Option),
        [
            {"question_id": question_id, "position": o.position, "text": o.text, "is_correct": o.correct}
            for question_id, q in zip(ids, questions, strict=True)
            for o in q.options
        ],
    )
