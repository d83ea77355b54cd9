"""Practice (thi thử): sets of questions from the contest's practice bank, the right answer and its explanation
right after each choice, and for a signed-in person the topics they get wrong most.

A set is named by its seed: the same seed draws the same questions in the same order, so a set needs no state on
the server (the pages carry the seed and the running tally). Practice never touches attempts, rankings, boards or
attempt limits. Its bank shows its key by design, which is why no round may draw from it (`check_round_bank`).
"""

from __future__ import annotations

import random
import re
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from contest.models import Contest, PracticeAnswer, Question, QuestionBank, Round
from contest.numbers import whole_number
from contest.services.bodies.access import within
from contest.services.quiz.pool import QuestionContent, bank_content
from contest.services.shared.errors import InvalidInput, NotFound
from question_bank.draw import DrawPart, draw_questions, shuffle_options

SET_SIZE = 10  # questions in a practice set
SEED = re.compile(r"[0-9a-f]{16}")
WEAK_TOPICS = 3  # topics named on the practice page


@dataclass(frozen=True)
class PracticeQuestion:
    number: int  # 1-based, within its set
    total: int
    content: QuestionContent
    option_ids: list[int]  # the bank's option ids in the order shown

    def options(self) -> list[tuple[int, str, bool]]:
        by_id = {option_id: (text, correct) for option_id, text, correct in self.content.options}
        return [(option_id, *by_id[option_id]) for option_id in self.option_ids]

    @property
    def right_ids(self) -> set[int]:
        return {option_id for option_id, _text, correct in self.content.options if correct}

    def is_right(self, chosen: list[int]) -> bool:
        return bool(chosen) and set(chosen) == self.right_ids


@dataclass(frozen=True)
class WeakTopic:
    topic: str
    wrong: int
    answered: int


@dataclass(frozen=True)
class PracticeHistory:
    answered: int
    right: int
    weak_topics: list[WeakTopic]


def new_seed() -> str:
    return secrets.token_hex(8)


def practice_bank(contest: Contest) -> QuestionBank:
    """The bank the contest's practice draws from; NotFound when it offers none (or it holds no active question)."""
    if contest.practice_bank is None:
        raise NotFound(_("This contest offers no practice."))
    return contest.practice_bank


def question(session: Session, contest: Contest, seed: str, number: int) -> PracticeQuestion:
    """Question `number` (1-based) of the set named by `seed`; NotFound for a seed or number that names none."""
    if not SEED.fullmatch(seed):
        raise NotFound(_("This practice set does not exist: start a new one."))
    content = bank_content(session, practice_bank(contest))
    size = min(SET_SIZE, len(content.questions))
    if size == 0:
        raise NotFound(_("This contest offers no practice."))
    if not 1 <= number <= size:
        raise NotFound(_("This practice set does not exist: start a new one."))
    ids = draw_questions(content.pool, [DrawPart(None, None, size)], random.Random(seed))
    chosen = content.questions[ids[number - 1]]
    order = shuffle_options(chosen.option_ids(), random.Random(f"{seed}:{number}"), keep_order=chosen.keep_order)
    return PracticeQuestion(number, size, chosen, order)


def chosen_options(practice: PracticeQuestion, raw: list[str]) -> list[int]:
    """The options a form chose, checked against the question (InvalidInput for none or a foreign one)."""
    known = set(practice.option_ids)
    numbers = {whole_number(value) for value in raw}
    chosen = sorted(number for number in numbers if number is not None and number in known)
    if not chosen or len(chosen) != len(set(raw)):
        raise InvalidInput(_("Choose an answer first."))
    if len(chosen) > 1 and not practice.content.multiple:
        raise InvalidInput(_("This question takes one answer."))
    return chosen


def record(
    session: Session, user_id: int, contest: Contest, seed: str, practice: PracticeQuestion, right: bool, now: datetime
) -> None:
    """Keep a signed-in person's answer for their history; the same question of the same set counts once."""
    exists = session.scalar(
        select(PracticeAnswer.id).where(
            PracticeAnswer.user_id == user_id,
            PracticeAnswer.contest_id == contest.id,
            PracticeAnswer.set_seed == seed,
            PracticeAnswer.position == practice.number,
        )
    )
    if exists is not None:
        return
    try:
        with session.begin_nested():
            session.add(
                PracticeAnswer(
                    user_id=user_id,
                    contest_id=contest.id,
                    question_id=practice.content.id,
                    set_seed=seed,
                    position=practice.number,
                    topic=practice.content.topic,
                    correct=right,
                    answered_at=now,
                )
            )
    except IntegrityError:
        pass  # the same answer sent twice at once: the first one counts


def history(session: Session, user_id: int, contest: Contest) -> PracticeHistory:
    """What a person answered in this contest's practice, and the topics they get wrong most (by share wrong)."""
    wrong = func.sum(case((PracticeAnswer.correct.is_(False), 1), else_=0))
    rows = session.execute(
        select(PracticeAnswer.topic, func.count(PracticeAnswer.id), wrong)
        .where(PracticeAnswer.user_id == user_id, PracticeAnswer.contest_id == contest.id)
        .group_by(PracticeAnswer.topic)
    ).all()
    answered = sum(count for _topic, count, _wrong in rows)
    missed = sum(int(wrong_count or 0) for _topic, _count, wrong_count in rows)
    topics = [WeakTopic(topic or "", int(wrong_count or 0), count) for topic, count, wrong_count in rows]
    weak = sorted(
        (topic for topic in topics if topic.wrong),
        key=lambda topic: (-topic.wrong / topic.answered, -topic.wrong, topic.topic),
    )
    return PracticeHistory(answered, answered - missed, weak[:WEAK_TOPICS])


def banks_used_by_rounds(session: Session) -> dict[int, str]:
    """bank id -> the name of a round drawing from it."""
    rows = session.execute(select(Round.bank_id, Round.name).where(Round.bank_id.is_not(None)).order_by(Round.id))
    return {row.bank_id: row.name for row in rows if row.bank_id is not None}


def practice_bank_ids(session: Session) -> set[int]:
    """Banks whose right answers have been open to anyone: a contest practises on them, or did."""
    return set(session.scalars(select(QuestionBank.id).where(QuestionBank.practice_since.is_not(None))))


def check_practice_bank(session: Session, bank: QuestionBank) -> None:
    """A bank whose rounds' questions must stay secret cannot be shown with its key."""
    used_by = banks_used_by_rounds(session).get(bank.id)
    if used_by is not None:
        message = _(
            "The bank “%(bank)s” is used by the round “%(round)s”. Practice shows the right answers, so choose a "
            "bank of its own.",
            bank=bank.name,
            round=used_by,
        )
        raise InvalidInput(message, {"practice_bank": message})


def mark_practice(bank: QuestionBank, now: datetime) -> None:
    """From now on anyone may see the bank's right answers: it is never a round's bank again."""
    if bank.practice_since is None:
        bank.practice_since = now


def check_round_bank(session: Session, bank: QuestionBank) -> None:
    """A practice bank shows its key to anyone: no round may draw from it, even once practice has moved on."""
    if bank.practice_since is not None:
        message = _(
            "The bank “%(bank)s” is or was a practice bank, whose right answers anyone could see: a round needs "
            "another bank.",
            bank=bank.name,
        )
        raise InvalidInput(message, {"bank": message})


def practice_bank_choices(session: Session, bodies: Collection[int] | None = None) -> list[str]:
    """The names of the banks (of these bodies; all for None) a contest may practise on: those no round draws from."""
    used = banks_used_by_rounds(session)
    banks = session.scalars(
        select(QuestionBank).where(within(QuestionBank.body_id, bodies)).order_by(QuestionBank.name)
    )
    return [bank.name for bank in banks if bank.id not in used]


def _banks_sharing(session: Session, bank_id: int, among: Collection[int]) -> list[tuple[int, str, int]]:
    """Of the banks `among` (other than `bank_id`), those holding questions of `bank_id` (same text and options):
    (id, name, how many), by name."""
    others = set(among) - {bank_id}
    if not others:
        return []
    mine = select(Question.fingerprint).where(Question.bank_id == bank_id)
    rows = session.execute(
        select(QuestionBank.id, QuestionBank.name, func.count(Question.id))
        .join(Question, Question.bank_id == QuestionBank.id)
        .where(QuestionBank.id.in_(others), Question.fingerprint.in_(mine))
        .group_by(QuestionBank.id, QuestionBank.name)
        .order_by(QuestionBank.name)
    ).all()
    return [(row[0], row[1], row[2]) for row in rows]


def practice_sharing_warnings(session: Session, practice: QuestionBank) -> list[str]:
    """What to tell an organizer whose practice bank holds questions a round's bank holds too: practice shows their
    right answers, so a participant may know them before the round (the form flashes them, the command prints them)."""
    used = banks_used_by_rounds(session)
    return [
        _(
            "Warning: %(count)d questions of the practice bank are also in the bank “%(bank)s” of the round "
            "“%(round)s”. Practice shows their right answers, so participants may know them before the round.",
            count=count,
            bank=name,
            round=used[bank_id],
        )
        for bank_id, name, count in _banks_sharing(session, practice.id, used)
    ]


def round_sharing_warnings(session: Session, bank: QuestionBank) -> list[str]:
    """The same, told of a round's bank that holds questions of a practice bank."""
    return [
        _(
            "Warning: %(count)d questions of this round's bank are also in the practice bank “%(bank)s”, whose right "
            "answers anyone can see.",
            count=count,
            bank=name,
        )
        for _bank_id, name, count in _banks_sharing(session, bank.id, practice_bank_ids(session))
    ]
