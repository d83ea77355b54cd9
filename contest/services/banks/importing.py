"""Importing a question file into a bank: all questions or none."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, selectinload

from contest.models import Option, Picture, Question, QuestionBank
from contest.services.banks.pictures import store_pictures
from contest.services.bodies.memberships import body_for_new
from contest.services.shared.audit import Actor, record
from contest.services.shared.problems import FileProblems, Problem
from question_bank.images import DraftImage, PreparedImage
from question_bank.messages import N_
from question_bank.model import DraftOption, DraftQuestion, FileProblem, ReadResult
from question_bank.validate import find_already_in_bank

MAX_BANK_NAME = 120  # the column's length, as the upload form's field allows


@dataclass
class BankImportSummary:
    bank: str
    imported: int
    dry_run: bool
    by_topic_difficulty: Counter[tuple[str, str]] = field(default_factory=Counter)
    skipped: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    bank_id: int | None = None  # None in a dry run into a new bank


def existing_fingerprints(session: Session, bank: QuestionBank | None) -> dict[str, int]:
    if bank is None:
        return {}
    rows = session.execute(select(Question.fingerprint, Question.id).where(Question.bank_id == bank.id))
    return {row[0]: row[1] for row in rows}


def import_questions(
    session: Session,
    *,
    bank_name: str,
    result: ReadResult,
    now: datetime,
    actor: Actor | None = None,  # who imports: required unless dry_run
    source: str = "",
    dry_run: bool = False,
    skip_unsupported: bool = False,
    body_id: int | None = None,
) -> BankImportSummary:
    """Validate every question, then insert them all in the bank (created if new), or raise FileProblems.

    Unsupported question types (GIFT) are problems, unless skip_unsupported: then they are listed as
    skipped and the rest imports. A real import is recorded in the audit log with `source`, the file's name.
    `body_id`: the organizing body importing; a bank of that name owned by another body is refused as taken (its
    owner is not told); a new bank belongs to it (the only body when None: services.bodies.memberships)."""
    label = result.line_label

    def as_problems(found: list[FileProblem]) -> list[Problem]:
        order: dict[str, int] = {}
        for problem in found:
            order.setdefault(problem.sheet, len(order))
        ordered = sorted(found, key=lambda problem: (order[problem.sheet], problem.line or 0))
        return [Problem(p.line, p.message, label, p.sheet) for p in ordered]

    bank_name = bank_name.strip()
    if not bank_name:
        raise FileProblems([Problem(None, N_("the name of the question bank is missing"))])
    if len(bank_name) > MAX_BANK_NAME:
        raise FileProblems([Problem(None, N_("the bank's name is longer than %(max)d characters", max=MAX_BANK_NAME))])
    bank = session.scalar(select(QuestionBank).where(QuestionBank.name == bank_name))
    if bank is not None and body_id is not None and bank.body_id != body_id:
        raise FileProblems(
            [Problem(None, N_("the bank name %(name)s is already taken: choose another", name=bank_name))]
        )
    problems = list(result.problems)
    if not skip_unsupported:
        problems += result.skipped
    problems += find_already_in_bank(result.questions, existing_fingerprints(session, bank))
    if not result.questions and not problems:
        problems.append(FileProblem(None, N_("the file holds no question")))
    if problems:
        raise FileProblems(as_problems(problems))
    summary = BankImportSummary(
        bank=bank_name,
        imported=len(result.questions),
        dry_run=dry_run,
        by_topic_difficulty=Counter((q.topic, q.difficulty) for q in result.questions),
        skipped=as_problems(result.skipped),
        notices=as_problems(result.notices),
    )
    summary.bank_id = bank.id if bank else None
    if dry_run:
        return summary
    if actor is None:
        raise ValueError("an import needs its actor for the audit log")
    if bank is None:
        bank = QuestionBank(name=bank_name, created_at=now, body_id=body_for_new(session, body_id, now).id)
        session.add(bank)
        session.flush()
        summary.bank_id = bank.id
    insert_questions(session, bank, result.questions, now, actor)
    record(
        session,
        actor,
        "bank.import",
        f"bank:{bank.id}",
        after={"file": source, "questions": summary.imported},
        now=now,
        body_id=bank.body_id,
    )
    return summary


def bump_revision(session: Session, bank: QuestionBank) -> None:
    """Mark the bank's questions as changed, atomically, so every process reloads its draw pool."""
    session.execute(update(QuestionBank).where(QuestionBank.id == bank.id).values(revision=QuestionBank.revision + 1))
    session.expire(bank, ["revision"])


def insert_questions(
    session: Session, bank: QuestionBank, questions: list[DraftQuestion], now: datetime, actor: Actor
) -> None:
    """Two bulk statements whatever the number of questions (a bank can hold thousands); each question records who
    imported it (an account, or the command line's user), unchecked."""
    if not questions:
        return
    bump_revision(session, bank)
    pictures = store_pictures(
        session, [image for q in questions for image in (q.image, *(o.image for o in q.options))], now
    )

    def picture(image: DraftImage | None) -> dict[str, Any]:
        if image is None:
            return {"picture_id": None, "picture_alt": ""}
        return {"picture_id": pictures[image.image.digest], "picture_alt": image.alt}

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
                "edited_by_id": actor.user.id if actor.user else None,
                "edited_by_cli": actor.cli_user,
                **picture(q.image),
            }
            for q in questions
        ],
    ).all()
    session.execute(
        insert(Option),
        [
            {
                "question_id": question_id,
                "position": o.position,
                "text": o.text,
                "is_correct": o.correct,
                **picture(o.image),
            }
            for question_id, q in zip(ids, questions, strict=True)
            for o in q.options
        ],
    )


def bank_questions(session: Session, bank: QuestionBank, *, include_inactive: bool = False) -> list[DraftQuestion]:
    """The bank's questions as drafts, in id order: what export writes."""
    query = select(Question).where(Question.bank_id == bank.id).order_by(Question.id)
    if not include_inactive:
        query = query.where(Question.active.is_(True))
    questions = session.scalars(
        query.options(
            selectinload(Question.options).selectinload(Option.picture).undefer(Picture.data),
            selectinload(Question.picture).undefer(Picture.data),
        )
    ).all()
    return [
        DraftQuestion(
            line=index,
            text=question.text,
            options=[
                DraftOption(
                    option.position, option.text, option.is_correct, _draft_image(option.picture, option.picture_alt)
                )
                for option in question.options
            ],
            topic=question.topic,
            difficulty=question.difficulty,
            explanation=question.explanation,
            image=_draft_image(question.picture, question.picture_alt),
        )
        for index, question in enumerate(questions, start=1)
    ]


def _draft_image(picture: Picture | None, alt: str) -> DraftImage | None:
    """A stored picture as an export writes it: named by its digest in the zip's images folder."""
    if picture is None:
        return None
    return DraftImage(
        f"images/{picture.digest[:16]}.webp", alt, PreparedImage(picture.data, picture.width, picture.height)
    )
