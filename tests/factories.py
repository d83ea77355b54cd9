"""Small builders of real rows for tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count

from sqlalchemy import select
from sqlalchemy.orm import Session

from contest.models import Attempt, Body, Contest, Membership, Option, Question, QuestionBank, Round, Unit, User
from contest.models.questions import DIFFICULTIES
from contest.services.people.accounts import create_user
from question_bank.model import DraftOption, DraftQuestion

_sequence = count(1001)  # generated phones (0900001001...) never meet the fixed ones tests give (0900000001...)


def make_unit(session: Session, code: str = "U1", *, parent: Unit | None = None, headcount: int = 10) -> Unit:
    # the headcount as set by hand: it stays what the test says whatever units are made below
    unit = Unit(
        code=code,
        name=f"Đơn vị {code}",
        kind="department",
        headcount=headcount,
        staff=headcount,
        headcount_override=headcount,
        parent=parent,
    )
    session.add(unit)
    session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    unit.depth = parent.depth + 1 if parent else 0
    session.flush()
    return unit


def make_user(
    session: Session,
    now: datetime,
    *,
    phone: str | None = None,
    role: str = "participant",
    unit: Unit | None = None,
    password: str = "mat-khau-123",
) -> User:
    """An account; an organizer manages the platform's first organizing body, as the upgrade makes every organizer
    of before the bodies."""
    number = next(_sequence)
    user = create_user(
        session,
        name=f"Người thi {number}",
        phone=phone or f"09{number:08d}",
        password=password,
        role=role,
        unit=unit,
        now=now,
    )
    if role == "organizer":
        session.add(Membership(body=first_body(session, now), user=user, role="manager", created_at=now))
        session.flush()
    return user


def first_body(session: Session, now: datetime) -> Body:
    """The platform's first organizing body, made when there is none (as the services make it)."""
    body = session.scalar(select(Body).order_by(Body.id).limit(1))
    if body is None:
        body = Body(name="Ban Tổ chức cuộc thi", short_name="BTC", heading="", created_at=now)
        session.add(body)
        session.flush()
    return body


def make_body(session: Session, now: datetime, short: str) -> Body:
    body = Body(name=f"Cơ quan {short}", short_name=short, heading="", created_at=now)
    session.add(body)
    session.flush()
    return body


def add_member(session: Session, body: Body, user: User, role: str, now: datetime) -> None:
    if user.role == "participant":
        user.role = "organizer"
    session.add(Membership(body=body, user=user, role=role, created_at=now))
    session.flush()


def make_bank(
    session: Session,
    now: datetime,
    *,
    name: str = "Ngân hàng",
    questions: int = 12,
    body: Body | None = None,
    review_state: str = "unchecked",
) -> QuestionBank:
    bank = QuestionBank(name=name, created_at=now, body=body or first_body(session, now))
    session.add(bank)
    for index in range(questions):
        text = f"Câu hỏi số {index + 1}?"
        options = [DraftOption(p, f"Phương án {p}", p == 0) for p in range(4)]
        question = Question(
            bank=bank,
            text=text,
            topic="Chủ đề " + "AB"[index % 2],
            difficulty=DIFFICULTIES[index % 3],
            fingerprint=DraftQuestion(0, text, options).fingerprint(),
            created_at=now,
            updated_at=now,
            review_state=review_state,
        )
        question.options = [Option(position=o.position, text=o.text, is_correct=o.correct) for o in options]
        session.add(question)
    session.flush()
    return bank


def make_contest(
    session: Session, now: datetime, *, slug: str = "thi-thu", status: str = "published", body: Body | None = None
) -> Contest:
    contest = Contest(
        slug=slug, title=f"Cuộc thi {slug}", status=status, created_at=now, body=body or first_body(session, now)
    )
    session.add(contest)
    session.flush()
    return contest


def make_round(
    session: Session,
    contest: Contest,
    now: datetime,
    *,
    bank: QuestionBank | None = None,
    name: str = "Tuần 1",
    opens_in: timedelta = timedelta(hours=-1),
    lasts: timedelta = timedelta(days=7),
    questions: int = 10,
    minutes: int = 15,
) -> Round:
    round_ = Round(
        contest=contest,
        name=name,
        opens_at=now + opens_in,
        closes_at=now + opens_in + lasts,
        question_count=questions,
        time_limit_s=minutes * 60,
        bank=bank,
    )
    session.add(round_)
    session.flush()
    return round_


def make_attempt(
    session: Session,
    round_: Round,
    user: User,
    started_at: datetime,
    *,
    number: int = 1,
    score: int | None = None,
    seconds: float | None = None,
    total: int | None = None,
) -> Attempt:
    """An attempt in progress, or, with a score, submitted `seconds` after it started."""
    finished = score is not None
    duration_ms = int((seconds or 0) * 1000)
    attempt = Attempt(
        user=user,
        round=round_,
        number=number,
        started_at=started_at,
        deadline=started_at + timedelta(seconds=round_.time_limit_s),
        submitted_at=started_at + timedelta(milliseconds=duration_ms) if finished else None,
        status="submitted" if finished else "in_progress",
        total=total or round_.question_count,
        score=score,
        duration_ms=duration_ms if finished else None,
        seed=1,
    )
    session.add(attempt)
    session.flush()
    return attempt
