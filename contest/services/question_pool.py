"""The pool a round draws from: a bank's active question ids, grouped by topic and difficulty."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from contest.models import Question, QuestionBank
from question_bank.draw import QuestionPool


def load_pool(session: Session, bank: QuestionBank) -> QuestionPool:
    rows = session.execute(
        select(Question.id, Question.topic, Question.difficulty).where(
            Question.bank_id == bank.id, Question.active.is_(True)
        )
    )
    return QuestionPool.build((row[0], row[1], row[2]) for row in rows)
