"""Fixtures of the quiz: a round ready to take (`quiz`) and a contest day of five submissions (`contest_day`).

A round ready to take: a bank of 30 questions (some with two right options), a contest for
one unit's subtree, a participant of that unit logged in through the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask.testing import FlaskClient

from contest.models import Contest, Option, Question, QuestionBank, Round, Unit, User
from contest.services.people.accounts import create_user
from question_bank.model import DraftOption, DraftQuestion
from tests.factories import first_body
from tests.helpers import csrf_token, participant_client, take_round


@dataclass
class Quiz:
    round: Round
    user: User
    unit: Unit
    client: FlaskClient

    def headers(self) -> dict[str, str]:
        return {"X-CSRFToken": csrf_token(self.client)}

    def start(self):  # type: ignore[no-untyped-def]
        return self.client.post(f"/api/rounds/{self.round.id}/attempts", headers=self.headers())

    def answer(self, attempt_id: int, position: int, options):  # type: ignore[no-untyped-def]
        return self.client.put(
            f"/api/attempts/{attempt_id}/answers/{position}", json={"options": options}, headers=self.headers()
        )

    def submit(self, attempt_id: int, prediction=None):  # type: ignore[no-untyped-def]
        return self.client.post(
            f"/api/attempts/{attempt_id}/submit", json={"prediction": prediction}, headers=self.headers()
        )


def make_quiz_bank(session, now, questions: int = 30) -> QuestionBank:
    bank = QuestionBank(name="Ngân hàng thi", created_at=now, body=first_body(session, now))
    session.add(bank)
    for index in range(questions):
        multiple = index % 5 == 0
        text = f"Câu hỏi {index + 1}: chọn phương án đúng?"
        options = [
            DraftOption(p, f"Phương án {p} của câu {index + 1}", p == 1 or (multiple and p == 3)) for p in range(4)
        ]
        question = Question(
            bank=bank,
            text=text,
            topic=("Chính quyền số", "Kinh tế số")[index % 2],
            difficulty=("easy", "medium", "hard")[index % 3],
            explanation=f"Giải thích câu {index + 1}.",
            multiple=multiple,
            fingerprint=DraftQuestion(0, text, options).fingerprint(),
            created_at=now,
            updated_at=now,
        )
        question.options = [Option(position=o.position, text=o.text, is_correct=o.correct) for o in options]
        session.add(question)
    session.flush()
    return bank


def make_tree(session) -> tuple[Unit, Unit, Unit]:
    root = Unit(code="P", name="Tỉnh", kind="province", headcount=100, path="/")
    session.add(root)
    session.flush()
    root.path = f"/{root.id}/"
    children = []
    for code in ("P-A", "P-B"):
        child = Unit(code=code, name=f"Sở {code}", kind="department", headcount=10, parent=root, depth=1, path="/")
        session.add(child)
        session.flush()
        child.path = f"{root.path}{child.id}/"
        children.append(child)
    return root, children[0], children[1]


@pytest.fixture
def quiz(app, session, clock, client) -> Quiz:
    now = clock()
    bank = make_quiz_bank(session, now)
    _root, unit_a, _unit_b = make_tree(session)
    contest = Contest(
        slug="cds",
        title="Thi CĐS",
        status="published",
        body=first_body(session, now),
        scope_unit=unit_a,
        created_at=now,
        # what its documents and certificates say of who issues them (publishing waits for it)
        parent_body="UBND tỉnh Thử",
        issuer="Ban Tổ chức Cuộc thi",
        place="Thử",
        signer_title="TM. Ban Tổ chức / Trưởng ban",
        signer_name="Nguyễn Văn Ký",
    )
    round_ = Round(
        contest=contest,
        name="Tuần 1",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=7),
        question_count=10,
        time_limit_s=600,
        max_attempts=3,
        bank=bank,
        review="after_attempt",
        draw_spec=[
            {"topic": None, "difficulty": "easy", "count": 4},
            {"topic": None, "difficulty": "medium", "count": 3},
            {"topic": None, "difficulty": "hard", "count": 3},
        ],
    )
    session.add_all([contest, round_])
    user = create_user(session, name="Nguyễn Văn An", phone="0912345678", password="mat-khau-123", unit=unit_a, now=now)
    session.commit()
    response = client.post(
        "/api/session",
        json={"phone": "0912345678", "password": "mat-khau-123"},
        headers={"X-CSRFToken": csrf_token(client)},
    )
    assert response.status_code == 200
    return Quiz(round_, user, unit_a, client)


@pytest.fixture
def contest_day(app, session, clock, quiz):  # type: ignore[no-untyped-def]
    """Five participants of two units submit: scores 10, 10 (slower), 9, 7 and the quiz user's 10."""
    root = quiz.unit.parent
    unit_b = root.children[1]
    quiz.round.contest.scope_unit = root
    quiz.round.max_attempts = None
    session.commit()
    plan = [
        ("0911000001", quiz.unit, "Trần Văn Bình", 10, 5),
        ("0911000002", unit_b, "Lê Thị Cúc", 10, 2),
        ("0911000003", unit_b, "Phạm Đức", 9, 1),
        ("0911000004", quiz.unit, "Hoàng Yến", 7, None),
    ]
    for phone, unit, name, correct, prediction in plan:
        clock.advance(seconds=30)
        take_round(
            participant_client(app, session, clock, phone, unit, name), session, quiz.round.id, correct, prediction
        )
    clock.advance(seconds=30)
    take_round(quiz.client, session, quiz.round.id, 10, 3)
    return quiz
