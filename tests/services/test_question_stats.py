"""Question analysis on crafted attempts, with facility and discrimination computed by hand."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from contest.models import AttemptItem
from contest.services.banks.analysis import ENOUGH_ANSWERS, analyse
from tests.factories import make_attempt, make_bank, make_contest, make_round, make_user

# Rows: attempts A, B, C, D; columns: questions 1-4; True = answered right.
RIGHT = {
    "A": [True, True, True, False],  # score 3: the upper group (27 % of 4 attempts = 1)
    "B": [True, True, False, False],  # score 2
    "C": [True, False, False, False],  # score 1
    "D": [False, False, False, True],  # score 1, recorded after C: the lower group
}


@pytest.fixture
def round_with_attempts(session, clock):  # type: ignore[no-untyped-def]
    bank = make_bank(session, clock(), questions=4)
    round_ = make_round(session, make_contest(session, clock()), clock(), bank=bank, questions=4)
    questions = bank.questions
    for answers in RIGHT.values():
        attempt = make_attempt(session, round_, make_user(session, clock()), clock(), score=sum(answers), seconds=1)
        for position, (question, right) in enumerate(zip(questions, answers, strict=True), start=1):
            options = [{"id": question.id * 10 + k, "text": f"{'abc'[k]}", "correct": k == 0} for k in range(3)]
            chosen = [options[0]["id"]] if right else [options[1]["id"]]
            session.add(
                AttemptItem(
                    attempt=attempt,
                    position=position,
                    question_id=question.id,
                    snapshot={"text": question.text, "multiple": False, "options": options},
                    chosen=chosen,
                )
            )
    session.commit()
    return round_, questions


def test_facility_discrimination_and_option_counts(session, round_with_attempts) -> None:
    round_, questions = round_with_attempts
    stats = {stat.question_id: stat for stat in analyse(session, round_)}
    q1, q2, q3, q4 = (stats[question.id] for question in questions)
    assert (q1.seen, q1.facility, q1.discrimination) == (4, 0.75, 1.0)
    assert (q2.facility, q2.discrimination) == (0.5, 1.0)
    assert (q3.facility, q3.discrimination) == (0.25, 1.0)
    assert (q4.facility, q4.discrimination) == (0.25, -1.0)
    assert [option.chosen for option in q4.options] == [1, 3, 0]


def test_suspicious_questions_are_flagged_and_listed_first(session, round_with_attempts) -> None:
    round_, questions = round_with_attempts
    stats = analyse(session, round_)
    assert stats[0].question_id == questions[3].id
    assert stats[0].flags == ["negative_discrimination", "distractor_beats_key"]
    # question 3: 3 of 4 chose the same wrong option, more than the key: flagged, though it discriminates
    assert [s.flags for s in stats if s.question_id == questions[2].id] == [["distractor_beats_key"]]
    assert [s.flags for s in stats if s.question_id == questions[0].id] == [[]]


def test_question_analysis_page(session, round_with_attempts, client, auth, clock) -> None:
    round_, _ = round_with_attempts
    make_user(session, clock(), phone="0900000001", role="organizer")
    session.commit()
    auth.login("0900000001")
    page = client.get(f"/admin/rounds/{round_.id}/questions").get_data(as_text=True)
    assert "Phân tích câu hỏi" in page and "-1,00" in page and "75,0%" in page  # Vietnamese decimal commas
    assert "4 câu hỏi đã xuất hiện trong bài thi" in page and "2 câu cần xem lại" in page
    assert "chỉ 4 lượt trả lời: chưa đủ để kết luận" in page  # 4 attempts: thin evidence, marked
    english = client.get(f"/admin/rounds/{round_.id}/questions?lang=en").get_data(as_text=True)
    assert "-1.00" in english and "75.0%" in english


def test_question_analysis_workbook(session, round_with_attempts, client, auth, clock) -> None:
    round_, questions = round_with_attempts
    make_user(session, clock(), phone="0900000001", role="organizer")
    session.commit()
    url = f"/admin/rounds/{round_.id}/questions.xlsx"
    assert client.get(url).status_code in (302, 401)  # not signed in
    auth.login("0900000001")
    workbook = load_workbook(io.BytesIO(client.get(url).data))
    rows = {row[0]: row for row in workbook["Câu hỏi"].iter_rows(min_row=2, values_only=True)}
    fourth = rows[questions[3].id]
    assert fourth[2:5] == (4, 0.25, -1.0) and fourth[5] == "độ phân biệt âm; phương án sai được chọn nhiều hơn đáp án"
    assert fourth[6] == "Có"  # fewer than ten answers
    options = [row for row in workbook["Phương án"].iter_rows(min_row=2, values_only=True) if row[0] == questions[3].id]
    assert [(row[2], row[3], row[4]) for row in options] == [("Có", 1, 0.25), (None, 3, 0.75), (None, 0, 0)]


def test_a_question_seen_often_enough_is_not_marked_as_thin(session, clock) -> None:
    bank = make_bank(session, clock(), questions=1)
    round_ = make_round(session, make_contest(session, clock()), clock(), bank=bank, questions=1)
    question = bank.questions[0]
    options = [{"id": k, "text": f"{'abc'[k]}", "correct": k == 0} for k in range(3)]
    for index in range(ENOUGH_ANSWERS):
        right = index % 2 == 0
        attempt = make_attempt(session, round_, make_user(session, clock()), clock(), score=int(right), seconds=1)
        snapshot = {"text": question.text, "multiple": False, "options": options}
        session.add(
            AttemptItem(
                attempt=attempt, position=1, question_id=question.id, snapshot=snapshot, chosen=[int(not right)]
            )
        )
    session.commit()
    [stat] = analyse(session, round_)
    assert (stat.seen, stat.facility, stat.few_answers) == (ENOUGH_ANSWERS, 0.5, False)


def test_question_analysis_pages_and_filters(session, round_with_attempts, client, auth, clock, monkeypatch) -> None:
    from contest.organizer import round_review

    round_, _ = round_with_attempts
    make_user(session, clock(), phone="0900000001", role="organizer")
    session.commit()
    auth.login("0900000001")
    url = f"/admin/rounds/{round_.id}/questions"
    review = client.get(f"{url}?show=review").get_data(as_text=True)
    assert review.count('<article class="card" id="q-') == 2
    assert "4 câu hỏi đã xuất hiện trong bài thi" in review  # the totals stay those of every question
    monkeypatch.setattr(round_review, "QUESTIONS_PER_PAGE", 3)
    first, second = (client.get(f"{url}?page={n}").get_data(as_text=True) for n in (1, 2))
    assert first.count('<article class="card" id="q-') == 3 and second.count('<article class="card" id="q-') == 1
    assert "Trang 2 / 2" in second
    assert client.get(f"{url}?page=99").status_code == 200  # past the end: the last page
