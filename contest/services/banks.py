"""Question banks in the organizer area: upload with a preview, browse, edit, deactivate."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session, selectinload

from contest.models import BankUpload, Option, Question, QuestionBank, User
from contest.models.questions import DIFFICULTIES, MAX_OPTIONS
from contest.services.bank_import import BankImportSummary, bump_revision, import_questions
from contest.services.errors import InvalidInput, NotFound
from contest.services.problems import FileProblems, Problem
from question_bank.model import LETTERS, DraftOption, DraftQuestion
from question_bank.readers import read_questions
from question_bank.sanitize import clean_question_html
from question_bank.spreadsheet import parse_answer

UPLOAD_LIFETIME = timedelta(days=1)
PAGE_SIZE = 50


@dataclass
class BankSummary:
    bank: QuestionBank
    active: int
    total: int


def list_banks(session: Session) -> list[BankSummary]:
    rows = session.execute(
        select(
            QuestionBank,
            func.count(Question.id).filter(Question.active.is_(True)),
            func.count(Question.id),
        )
        .outerjoin(Question, Question.bank_id == QuestionBank.id)
        .group_by(QuestionBank.id)
        .order_by(QuestionBank.name)
    )
    return [BankSummary(bank, active, total) for bank, active, total in rows]


def get_bank(session: Session, bank_id: int) -> QuestionBank:
    bank = session.get(QuestionBank, bank_id)
    if bank is None:
        raise NotFound(_("This question bank does not exist."))
    return bank


def stage_upload(
    session: Session,
    *,
    user: User,
    bank_name: str,
    filename: str,
    data: bytes,
    file_format: str,
    skip_unsupported: bool,
    now: datetime,
) -> BankUpload:
    """Keep the file until the organizer confirms; uploads older than a day are dropped."""
    if not bank_name.strip():
        raise InvalidInput(_("Enter the name of the bank."), {"bank_name": _("Enter the name of the bank.")})
    if not data:
        raise InvalidInput(_("The file is empty."), {"file": _("The file is empty.")})
    session.execute(delete(BankUpload).where(BankUpload.created_at < now - UPLOAD_LIFETIME))
    upload = BankUpload(
        user_id=user.id,
        bank_name=bank_name.strip(),
        filename=filename[-255:],
        data=data,
        file_format=file_format,
        skip_unsupported=skip_unsupported,
        created_at=now,
    )
    session.add(upload)
    session.flush()
    return upload


def get_upload(session: Session, user: User, upload_id: int) -> BankUpload:
    upload = session.get(BankUpload, upload_id)
    if upload is None or (upload.user_id != user.id and user.role != "admin"):
        raise NotFound(_("This upload no longer exists. Please upload the file again."))
    return upload


@dataclass
class UploadPreview:
    upload: BankUpload
    problems: list[Problem] = field(default_factory=list)
    summary: BankImportSummary | None = None
    questions: list[DraftQuestion] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.summary is not None

    def counts(self) -> tuple[list[str], dict[tuple[str, str], int]]:
        counts: Counter[tuple[str, str]] = self.summary.by_topic_difficulty if self.summary else Counter()
        return sorted({topic for topic, _ in counts}), dict(counts)


def preview_upload(session: Session, upload: BankUpload, now: datetime) -> UploadPreview:
    """Everything import would do, without writing: the problems, or what would be imported."""
    result = read_questions(upload.filename, upload.data, upload.file_format)
    preview = UploadPreview(upload, questions=result.questions)
    try:
        preview.summary = import_questions(
            session,
            bank_name=upload.bank_name,
            result=result,
            now=now,
            dry_run=True,
            skip_unsupported=upload.skip_unsupported,
        )
    except FileProblems as error:
        preview.problems = error.problems
    return preview


def confirm_upload(session: Session, upload: BankUpload, now: datetime) -> BankImportSummary:
    """Import the staged file (validated again: the bank may have changed since the preview)."""
    result = read_questions(upload.filename, upload.data, upload.file_format)
    summary = import_questions(
        session, bank_name=upload.bank_name, result=result, now=now, skip_unsupported=upload.skip_unsupported
    )
    session.delete(upload)
    return summary


def discard_upload(session: Session, upload: BankUpload) -> None:
    session.delete(upload)


@dataclass
class QuestionPage:
    questions: list[Question]
    total: int
    page: int
    pages: int


def search_questions(
    session: Session,
    bank: QuestionBank,
    *,
    text: str = "",
    topic: str = "",
    difficulty: str = "",
    status: str = "",
    page: int = 1,
) -> QuestionPage:
    query = select(Question).where(Question.bank_id == bank.id)
    if text.strip():
        pattern = f"%{text.strip()}%"
        matching_options = select(Option.question_id).where(Option.text.ilike(pattern))
        query = query.where(or_(Question.text.ilike(pattern), Question.id.in_(matching_options)))
    if topic:
        query = query.where(Question.topic == topic)
    if difficulty in DIFFICULTIES:
        query = query.where(Question.difficulty == difficulty)
    if status in ("active", "inactive"):
        query = query.where(Question.active.is_(status == "active"))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    query = query.options(selectinload(Question.options)).order_by(Question.id)
    questions = session.scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return QuestionPage(list(questions), total, page, pages)


def bank_counts(session: Session, bank: QuestionBank) -> tuple[list[str], dict[tuple[str, str], int]]:
    """Active questions by topic and difficulty: what rounds can draw."""
    rows = session.execute(
        select(Question.topic, Question.difficulty, func.count())
        .where(Question.bank_id == bank.id, Question.active.is_(True))
        .group_by(Question.topic, Question.difficulty)
    )
    counts = {(topic, difficulty): count for topic, difficulty, count in rows}
    return sorted({topic for topic, _ in counts}), counts


def get_question(session: Session, question_id: int) -> Question:
    question = session.get(Question, question_id, options=[selectinload(Question.options)])
    if question is None:
        raise NotFound(_("This question does not exist."))
    return question


def update_question(
    session: Session,
    question: Question,
    *,
    text: str,
    options: list[str],
    answer: str,
    topic: str,
    difficulty: str,
    explanation: str,
    now: datetime,
) -> Question:
    """Change a question in place. Attempts already drawn keep their frozen copy, so nothing a
    participant saw or answered changes."""
    fields: dict[str, str] = {}
    text = clean_question_html(text.strip())
    cleaned = [clean_question_html(option.strip()) for option in options[:MAX_OPTIONS]]
    if not text:
        fields["text"] = _("Enter the question.")
    filled = [position for position, option in enumerate(cleaned) if option]
    if len(filled) < 2:
        fields["options"] = _("A question needs at least two options.")
    letters = parse_answer(answer)
    if letters is None:
        fields["answer"] = _("Write the letters of the correct options, for example A or A,C.")
    elif any(LETTERS.index(letter) not in filled for letter in letters):
        fields["answer"] = _("Every correct letter must point at a filled option.")
    if difficulty not in DIFFICULTIES:
        fields["difficulty"] = _("Choose a difficulty.")
    draft = DraftQuestion(
        line=0,
        text=text,
        options=[DraftOption(p, cleaned[p], letters is not None and LETTERS[p] in letters) for p in filled],
    )
    fingerprint = draft.fingerprint()
    duplicate = session.scalar(
        select(Question.id).where(
            Question.bank_id == question.bank_id, Question.fingerprint == fingerprint, Question.id != question.id
        )
    )
    if duplicate is not None:
        fields["text"] = _("Question %(id)d of this bank has the same text and options.", id=duplicate)
    if fields:
        raise InvalidInput(" ".join(fields.values()), fields)

    question.text, question.topic, question.difficulty = text, topic.strip(), difficulty
    question.explanation = clean_question_html(explanation.strip())
    question.fingerprint, question.multiple, question.updated_at = fingerprint, draft.multiple, now
    by_position = {option.position: option for option in question.options}
    for option in draft.options:
        existing = by_position.pop(option.position, None)
        if existing is None:
            question.options.append(Option(position=option.position, text=option.text, is_correct=option.correct))
        else:
            existing.text, existing.is_correct = option.text, option.correct
    for leftover in by_position.values():
        question.options.remove(leftover)
    session.flush()
    bump_revision(session, question.bank)
    return question


def set_question_active(session: Session, question: Question, active: bool, now: datetime) -> None:
    """Deactivated questions are not drawn any more; attempts that drew them keep them."""
    question.active = active
    question.updated_at = now
    session.flush()
    bump_revision(session, question.bank)
