"""The key checked by a second person: a question is not checked, checked (by whom, when) or disputed (by whom,
with a comment). A reviewer goes through a bank question by question with the key shown; an edit of a question's
text, options or answer returns it to "not checked"; the authors resolve a dispute (audited). A contest may
require checked questions: its rounds then draw only those (services.quiz.round_pool)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from contest.models import Question, QuestionBank, User
from contest.services.banks.importing import bump_revision
from contest.services.shared.audit import Actor, record
from contest.services.shared.errors import Forbidden, InvalidInput

MAX_COMMENT = 1000


def unmark(question: Question) -> None:
    question.review_state, question.reviewed_by_id, question.reviewed_at = "unchecked", None, None
    question.review_comment = ""


def _mark(question: Question, state: str, reviewer: User, now: datetime, comment: str) -> None:
    question.review_state, question.reviewed_by_id, question.reviewed_at = state, reviewer.id, now
    question.review_comment = comment


def review_question(
    session: Session,
    question: Question,
    *,
    verdict: str,
    comment: str,
    reviewer: User,
    allowed: bool,
    now: datetime,
) -> None:
    """Mark a question checked or disputed. `allowed`: whether the reviewer may check this question (the caller
    knows the person's role in the body: services.bodies.access.Access.may_review)."""
    if not allowed:
        raise Forbidden(_("You imported or last edited this question: a second person checks its key."))
    comment = comment.strip()
    if verdict not in ("checked", "disputed"):
        raise InvalidInput(_("Choose whether the key is right or disputed."), {"verdict": verdict})
    if verdict == "disputed" and not comment:
        message = _("Say what is wrong with the question or its key.")
        raise InvalidInput(message, {"comment": message})
    if len(comment) > MAX_COMMENT:
        message = _("The comment has at most %(max)d characters.", max=MAX_COMMENT)
        raise InvalidInput(message, {"comment": message})
    before = {"review": question.review_state}
    _mark(question, verdict, reviewer, now, comment if verdict == "disputed" else "")
    session.flush()
    bump_revision(session, question.bank)  # the draw pools of contests that require review follow it
    record(
        session,
        Actor.account(reviewer),
        "question.review",
        f"question:{question.id}",
        before=before,
        after={"review": verdict, **({"comment": comment} if verdict == "disputed" else {})},
        now=now,
        body_id=question.bank.body_id,
    )


def check_all(session: Session, bank: QuestionBank, question_ids: list[int], *, reviewer: User, now: datetime) -> int:
    """Mark many questions of a bank checked at once (a reviewer who went through them elsewhere, the demo), each
    audited as one check; returns how many changed. The same rule as one by one: not a question the reviewer
    imported or whose key they last changed."""
    questions = session.scalars(
        select(Question).where(
            Question.bank_id == bank.id,
            Question.id.in_(question_ids),
            Question.review_state != "checked",
            (Question.edited_by_id.is_(None)) | (Question.edited_by_id != reviewer.id),
        )
    ).all()
    for question in questions:
        record(
            session,
            Actor.account(reviewer),
            "question.review",
            f"question:{question.id}",
            before={"review": question.review_state},
            after={"review": "checked"},
            now=now,
            body_id=bank.body_id,
        )
        _mark(question, "checked", reviewer, now, "")
    session.flush()
    bump_revision(session, bank)
    return len(questions)


def resolve_dispute(session: Session, question: Question, *, note: str, actor: Actor, now: datetime) -> None:
    """An author answers a dispute without changing the question (an edit resets it by itself): the question is
    not checked again until a reviewer looks at it once more."""
    if question.review_state != "disputed":
        raise InvalidInput(_("This question is not disputed."))
    note = note.strip()
    if not note or len(note) > MAX_COMMENT:
        message = _("Say how the dispute was resolved (at most %(max)d characters).", max=MAX_COMMENT)
        raise InvalidInput(message, {"note": message})
    before = {"review": "disputed", "comment": question.review_comment}
    unmark(question)
    session.flush()
    bump_revision(session, question.bank)
    record(
        session,
        actor,
        "question.dispute_resolved",
        f"question:{question.id}",
        before=before,
        after={"review": "unchecked", "note": note},
        now=now,
        body_id=question.bank.body_id,
    )


@dataclass(frozen=True)
class ReviewProgress:
    total: int
    checked: int
    disputed: int


def review_progress(session: Session, bank: QuestionBank) -> ReviewProgress:
    """Of the bank's questions in use: how many are checked and how many disputed."""
    rows = session.execute(
        select(Question.review_state, func.count())
        .where(Question.bank_id == bank.id, Question.active.is_(True))
        .group_by(Question.review_state)
    ).all()
    counts = Counter(dict(rows))
    return ReviewProgress(sum(counts.values()), counts["checked"], counts["disputed"])


def disputes(session: Session, bank: QuestionBank) -> list[Question]:
    return list(
        session.scalars(
            select(Question)
            .where(Question.bank_id == bank.id, Question.review_state == "disputed")
            .options(selectinload(Question.options))
            .order_by(Question.reviewed_at)
        )
    )


def next_to_review(
    session: Session, bank: QuestionBank, after_id: int, reviewer_id: int, own_allowed: bool
) -> int | None:
    """The next question in use that is not checked yet, after `after_id` (then from the start); a manager or
    author skips the questions they imported or last edited."""
    query = select(Question.id).where(
        Question.bank_id == bank.id, Question.active.is_(True), Question.review_state == "unchecked"
    )
    if not own_allowed:
        query = query.where((Question.edited_by_id.is_(None)) | (Question.edited_by_id != reviewer_id))
    later = session.scalar(query.where(Question.id > after_id).order_by(Question.id).limit(1))
    return later if later is not None else session.scalar(query.order_by(Question.id).limit(1))


def checked_counts(session: Session, bank: QuestionBank) -> Counter[tuple[str, str]]:
    """The bank's checked questions in use by (topic, difficulty): what a contest that requires review draws."""
    rows = session.execute(
        select(Question.topic, Question.difficulty, func.count())
        .where(Question.bank_id == bank.id, Question.active.is_(True), Question.review_state == "checked")
        .group_by(Question.topic, Question.difficulty)
    ).all()
    return Counter({(topic, difficulty): count for topic, difficulty, count in rows})


def people_names(session: Session, user_ids: set[int]) -> dict[int, str]:
    """Who checked or disputed, by account id."""
    if not user_ids:
        return {}
    return {row[0]: row[1] for row in session.execute(select(User.id, User.name).where(User.id.in_(sorted(user_ids))))}


def edited_by(session: Session, question: Question) -> str | None:
    """Who imported or last edited the question: an account's name; None for the command line."""
    if question.edited_by_id is None:
        return None
    return session.scalar(select(User.name).where(User.id == question.edited_by_id))
