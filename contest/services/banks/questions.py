"""Question banks in the organizer area: the list of banks, browsing, editing and deactivating questions."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from contest.models import Option, Question, QuestionBank
from contest.models.questions import DIFFICULTIES, MAX_OPTIONS, REVIEW_STATES
from contest.services.banks.importing import bump_revision
from contest.services.banks.pictures import store_pictures
from contest.services.banks.review import unmark
from contest.services.bodies.access import within
from contest.services.shared.audit import Actor, record
from contest.services.shared.errors import InvalidInput, NotFound
from contest.services.shared.paging import paginate
from question_bank.images import DraftImage, ImageProblem, PreparedImage, alt_problem, prepare_image
from question_bank.model import LETTERS, DraftOption, DraftQuestion
from question_bank.sanitize import as_stored
from question_bank.spreadsheet import parse_answer

PAGE_SIZE = 20  # a page of questions with their options: about a screen and a half each on a laptop


@dataclass
class BankSummary:
    bank: QuestionBank
    active: int
    total: int


def list_banks(session: Session, bodies: Collection[int] | None = None) -> list[BankSummary]:
    """The banks of these organizing bodies (all for None), with their question counts."""
    rows = session.execute(
        select(
            QuestionBank,
            func.count(Question.id).filter(Question.active.is_(True)),
            func.count(Question.id),
        )
        .outerjoin(Question, Question.bank_id == QuestionBank.id)
        .where(within(QuestionBank.body_id, bodies))
        .group_by(QuestionBank.id)
        .order_by(QuestionBank.name)
    )
    return [BankSummary(bank, active, total) for bank, active, total in rows]


def get_bank(session: Session, bank_id: int) -> QuestionBank:
    bank = session.get(QuestionBank, bank_id)
    if bank is None:
        raise NotFound(_("This question bank does not exist."))
    return bank


def search_questions(
    session: Session,
    bank: QuestionBank,
    *,
    text: str = "",
    topic: str = "",
    difficulty: str = "",
    status: str = "",
    page: int = 1,
) -> Pagination:
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
    elif status in REVIEW_STATES:
        query = query.where(Question.review_state == status)
    query = query.options(
        selectinload(Question.options).selectinload(Option.picture), selectinload(Question.picture)
    ).order_by(Question.id)
    return paginate(session, query, page=page, per_page=PAGE_SIZE)


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
    actor: Actor,
    now: datetime,
    picture_alt: str | None = None,
    new_pictures: dict[str, bytes] | None = None,
    option_alts: dict[str, str] | None = None,
) -> Question:
    """Change a question in place. Attempts already drawn keep their frozen copy, so nothing a
    participant saw or answered changes. `new_pictures` replace or add pictures ("" the question's, a letter an
    option's); `picture_alt` and `option_alts` (by letter) change their descriptions (None: kept)."""
    before, before_fingerprint = question_state(question), question.fingerprint
    fields: dict[str, str] = {}
    # each text keeps its kind: plain text stays text ("x < y" is not cut), formatted text stays safe HTML
    before_options = {option.position: option.text for option in question.options}
    text = as_stored(text.strip(), "<" in question.text)
    cleaned = [
        as_stored(option.strip(), "<" in before_options.get(position, ""))
        for position, option in enumerate(options[:MAX_OPTIONS])
    ]
    if not text:
        fields["text"] = _("Enter the question.")
    images = _edited_pictures(question, picture_alt, new_pictures or {}, option_alts or {}, fields)
    filled = [position for position, option in enumerate(cleaned) if option or images[LETTERS[position]]]
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
        options=[
            DraftOption(p, cleaned[p], letters is not None and LETTERS[p] in letters, images[LETTERS[p]])
            for p in filled
        ],
        image=images[""],
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
    question.explanation = as_stored(explanation.strip(), "<" in question.explanation)
    stored = store_pictures(session, [image for image in images.values() if image is not None], now)
    question.picture_id, question.picture_alt = _picture_columns(images[""], stored)
    question.fingerprint, question.multiple, question.updated_at = fingerprint, draft.multiple, now
    by_position = {option.position: option for option in question.options}
    for option in draft.options:
        existing = by_position.pop(option.position, None)
        picture_id, alt = _picture_columns(option.image, stored)
        if existing is None:
            question.options.append(
                Option(
                    position=option.position,
                    text=option.text,
                    is_correct=option.correct,
                    picture_id=picture_id,
                    picture_alt=alt,
                )
            )
        else:
            existing.text, existing.is_correct = option.text, option.correct
            existing.picture_id, existing.picture_alt = picture_id, alt
    for leftover in by_position.values():
        question.options.remove(leftover)
    session.flush()
    bump_revision(session, question.bank)
    after = question_state(question)
    if (before["text"], before["options"], before_fingerprint) != (after["text"], after["options"], fingerprint):
        # a changed key is checked again, by someone other than who changed it (a topic alone changes no key: the
        # person who wrote the key stays its author, and still may not check it)
        question.edited_by_id, question.edited_by_cli = (actor.user.id if actor.user else None), actor.cli_user
        unmark(question)
    record(
        session,
        actor,
        "question.edit",
        f"question:{question.id}",
        before=before,
        after=after,
        now=now,
        body_id=question.bank.body_id,
    )
    return question


def _kept(owner: Question | Option | None, alt: str | None = None) -> DraftImage | None:
    """A picture an edit keeps (with a new description when given), as far as the fingerprint needs it (its
    digest): already stored, its pixels are not read."""
    if owner is None or owner.picture is None:
        return None
    picture = owner.picture
    return DraftImage(
        "", owner.picture_alt if alt is None else alt, PreparedImage(b"", picture.width, picture.height, picture.digest)
    )


def _edited_pictures(
    question: Question,
    picture_alt: str | None,
    new_pictures: dict[str, bytes],
    option_alts: dict[str, str],
    fields: dict[str, str],
) -> dict[str, DraftImage | None]:
    """The question's ("") and each option's (by letter) picture after the edit: kept, described anew, replaced or
    added; what is wrong with one goes into `fields` under its form field's name."""
    owners: dict[str, Question | Option] = {"": question, **{option.letter: option for option in question.options}}
    images: dict[str, DraftImage | None] = {}
    for key in ("", *LETTERS):
        suffix = f"_{key.lower()}" if key else ""
        owner, typed = owners.get(key), picture_alt if key == "" else option_alts.get(key)
        alt = None if typed is None else " ".join(typed.split())
        data = new_pictures.get(key)
        if data is None:
            images[key] = _kept(owner, alt)
        else:
            try:
                prepared = prepare_image(data)
            except ImageProblem as problem:
                fields[f"picture_file{suffix}"] = problem.message.render(_)
                images[key] = _kept(owner, alt)
                continue
            kept_alt = owner.picture_alt if owner is not None and owner.picture is not None else ""
            images[key] = DraftImage("", alt or kept_alt, prepared)
        image = images[key]
        problem_alt = alt_problem(image.alt) if image is not None else None
        if problem_alt is not None:
            fields[f"picture_alt{suffix}"] = problem_alt.render(_)
    return images


def _picture_columns(image: DraftImage | None, stored: dict[str, int]) -> tuple[int | None, str]:
    return (stored[image.image.digest], image.alt) if image is not None else (None, "")


def question_state(question: Question) -> dict[str, Any]:
    """What the audit log keeps of a question before and after an edit."""
    return {
        "text": question.text,
        "topic": question.topic,
        "difficulty": question.difficulty,
        "options": {option.letter: [option.text, option.is_correct] for option in question.options},
        **({"picture_alt": question.picture_alt} if question.picture_id is not None else {}),
    }


def set_question_active(session: Session, question: Question, active: bool, *, actor: Actor, now: datetime) -> None:
    """Deactivated questions are not drawn any more; attempts that drew them keep them."""
    question.active = active
    question.updated_at = now
    session.flush()
    bump_revision(session, question.bank)
    record(
        session,
        actor,
        "question.active",
        f"question:{question.id}",
        after={"active": active},
        now=now,
        body_id=question.bank.body_id,
    )


def banks_with_counts(
    session: Session, body_id: int | None = None
) -> list[tuple[QuestionBank, list[str], dict[tuple[str, str], int]]]:
    """The banks of the body (every bank for None) with their topics and their active questions by topic and
    difficulty, for the round form's table."""
    query = select(QuestionBank).order_by(QuestionBank.name)
    if body_id is not None:
        query = query.where(QuestionBank.body_id == body_id)
    banks = session.scalars(query).all()
    return [(bank, *bank_counts(session, bank)) for bank in banks]
