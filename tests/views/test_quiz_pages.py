"""The quiz through the pages, as a browser without JavaScript uses them; result, review, receipts."""

from __future__ import annotations

import re

from sqlalchemy import select

from contest.models import Attempt, AttemptItem
from tests.helpers import csrf_token, right_options


def _positions_and_options(page: str) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for position, option in re.findall(r'name="q(\d+)" value="(\d+)"', page):
        found.setdefault(int(position), []).append(int(option))
    return found


def test_start_page_then_quiz_then_save_reload_and_submit_without_javascript(quiz, session, clock) -> None:
    client = quiz.client
    start = client.get(f"/rounds/{quiz.round.id}/take")
    assert start.status_code == 200 and "Bắt đầu làm bài" in start.get_data(as_text=True)
    assert session.scalar(select(Attempt.id)) is None  # looking does not start the timer
    started = client.post(f"/rounds/{quiz.round.id}/take", data={"csrf_token": csrf_token(client)})
    assert started.status_code == 302
    page = client.get(f"/rounds/{quiz.round.id}/take").get_data(as_text=True)
    questions = _positions_and_options(page)
    assert len(questions) == 10 and "Câu 1 / 10" in page
    attempt = session.scalar(select(Attempt))
    rights = right_options(session, attempt.id)
    form = {"csrf_token": csrf_token(client), "action": "save"}
    for position in (1, 2, 3):
        form[f"q{position}"] = [str(option) for option in rights[position]]
    saved = client.post(f"/attempts/{attempt.id}/answers", data=form)
    assert saved.status_code == 302
    reloaded = client.get(f"/rounds/{quiz.round.id}/take").get_data(as_text=True)
    assert _positions_and_options(reloaded) == questions  # same questions, same order
    for option in rights[1]:
        assert f'value="{option}" checked' in reloaded
    clock.advance(minutes=2)
    form.update({"action": "submit", "prediction": "42", "csrf_token": csrf_token(client)})
    done = client.post(f"/attempts/{attempt.id}/answers", data=form)
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/attempts/{attempt.id}/result")
    result = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Kết quả của bạn" in result and "<strong>3</strong> / 10" in result
    assert "2:00" in result and "1 / 1" in result  # time taken, rank so far
    session.refresh(attempt)
    assert attempt.prediction == 42 and attempt.receipt in result


def test_review_follows_the_round_setting(quiz, session, clock) -> None:
    body = quiz.start().get_json()
    quiz.answer(body["attempt_id"], 1, [body["questions"][0]["options"][0]["id"]])
    quiz.submit(body["attempt_id"])
    url = f"/attempts/{body['attempt_id']}/result"
    # after_attempt, round open: the participant's own choices, not the key (with more attempts left, a key
    # shown now would be collected for the next one)
    page = quiz.client.get(url).get_data(as_text=True)
    assert "Giải thích câu" not in page and "✓" not in page and '<span class="error">Sai</span>' not in page
    assert page.count('<span class="tag">bạn chọn</span>') == 1 and "<strong>Câu 2</strong>" in page  # every question
    assert "Đáp án đúng sẽ hiện ở đây sau khi đợt thi kết thúc" in page
    quiz.round.review = "attempt_with_key"  # the organizer accepts it
    session.commit()
    page = quiz.client.get(url).get_data(as_text=True)
    assert "Giải thích câu" in page and "✓ đáp án đúng" in page
    quiz.round.review = "never"
    session.commit()
    assert "Giải thích câu" not in quiz.client.get(url).get_data(as_text=True)
    quiz.round.review = "after_close"
    session.commit()
    page = quiz.client.get(url).get_data(as_text=True)
    assert "Giải thích câu" not in page and "sau khi đợt thi kết thúc" in page
    clock.advance(days=8)
    assert "Giải thích câu" in quiz.client.get(url).get_data(as_text=True)


def test_result_of_an_unfinished_attempt_leads_back_to_the_quiz(quiz) -> None:
    body = quiz.start().get_json()
    response = quiz.client.get(f"/attempts/{body['attempt_id']}/result")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/rounds/{quiz.round.id}/take")


def test_an_attempt_left_open_is_finished_when_its_page_is_opened(quiz, session, clock) -> None:
    body = quiz.start().get_json()
    quiz.answer(body["attempt_id"], 1, [body["questions"][0]["options"][0]["id"]])
    clock.advance(minutes=15)
    page = quiz.client.get(f"/rounds/{quiz.round.id}/take").get_data(as_text=True)
    assert "Lượt 1" in page
    assert session.get(Attempt, body["attempt_id"]).status == "expired"


def test_receipt_verifies_and_detects_tampering(quiz, session, client) -> None:
    body = quiz.start().get_json()
    quiz.answer(body["attempt_id"], 1, [body["questions"][0]["options"][0]["id"]])
    receipt = quiz.submit(body["attempt_id"]).get_json()["receipt"]
    assert re.fullmatch(r"[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}", receipt)
    page = client.get(f"/verify/{receipt.lower().replace('-', '')}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Hợp lệ" in text and "Nguyễn V. A." in text and "0912345678" not in text
    item = session.scalar(
        select(AttemptItem).where(AttemptItem.attempt_id == body["attempt_id"], AttemptItem.position == 2)
    )
    item.chosen = [item.snapshot["options"][0]["id"]]
    session.commit()
    tampered = client.get(f"/verify/{receipt}").get_data(as_text=True)
    assert "không còn khớp" in tampered
    assert client.get("/verify/AAAA-BBBB-CCCC").status_code == 404


def test_contest_page_links_to_the_quiz_and_anonymous_users_log_in_first(quiz, client, session) -> None:
    page = client.get("/contests/cds").get_data(as_text=True)
    assert f"/rounds/{quiz.round.id}/take" in page and "Vào thi" in page
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    response = client.get(f"/rounds/{quiz.round.id}/take")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


def test_time_left_is_rendered_from_the_server_deadline(quiz, clock) -> None:
    quiz.start()
    clock.advance(minutes=3)
    page = quiz.client.get(f"/rounds/{quiz.round.id}/take").get_data(as_text=True)
    assert 'data-deadline="2026-10-10T01:10:00.000Z"' in page
    assert 'data-server-now="2026-10-10T01:03:00.000Z"' in page


def test_a_tampered_form_is_refused_whole_and_changes_nothing(quiz, session) -> None:
    client = quiz.client
    client.post(f"/rounds/{quiz.round.id}/take", data={"csrf_token": csrf_token(client)})
    attempt = session.scalar(select(Attempt))
    rights = right_options(session, attempt.id)
    form = {"csrf_token": csrf_token(client), "action": "save", "q1": [str(o) for o in rights[1]]}
    form["q2"] = [str(rights[3][0])]  # an option of question 3 sent as the answer to question 2
    refused = client.post(f"/attempts/{attempt.id}/answers", data=form)
    assert refused.status_code == 302
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "Các phương án này không thuộc câu 2." in page
    session.expire_all()
    chosen = session.scalars(select(AttemptItem.chosen).where(AttemptItem.attempt_id == attempt.id)).all()
    assert chosen == [None] * len(chosen)  # not even question 1's valid answer was kept


def test_a_receipt_needs_the_servers_key_and_survives_a_key_rotation(quiz, session, client, app) -> None:
    """Someone who edits the database cannot recompute a receipt (#14 hole 10): it is an HMAC with the server's
    key; a new key put first keeps old receipts valid while the old key stays listed after it."""
    import base64
    import hashlib

    from contest.services.quiz import receipts

    app.config["RECEIPT_KEYS"] = "old-key-2025"
    body = quiz.start().get_json()
    receipt = quiz.submit(body["attempt_id"]).get_json()["receipt"]
    attempt = session.get(Attempt, body["attempt_id"])
    items = list(session.scalars(select(AttemptItem).where(AttemptItem.attempt_id == attempt.id)))
    finished = {"submitted_at": attempt.submitted_at, "score": attempt.score, "prediction": attempt.prediction}
    document = receipts.attempt_document(attempt, items, finished)
    plain = base64.b32encode(hashlib.sha256(document.encode()).digest()).decode()[:12]
    assert receipt.replace("-", "") != plain  # the old scheme: anyone could recompute it

    app.config["RECEIPT_KEYS"] = "new-key-2026, old-key-2025"
    assert "Hợp lệ" in client.get(f"/verify/{receipt}").get_data(as_text=True)
    assert receipts.receipt_code(attempt, items, finished) != receipt  # new receipts use the new key
    app.config["RECEIPT_KEYS"] = "new-key-2026"  # the old key withdrawn: its receipts no longer check
    assert "không còn khớp" in client.get(f"/verify/{receipt}").get_data(as_text=True)


def test_the_quiz_and_result_pages_are_not_stored(quiz) -> None:
    """On a shared computer, Back after logging out must not show the questions or the answers."""
    body = quiz.start().get_json()
    assert quiz.client.get(f"/rounds/{quiz.round.id}/take").headers["Cache-Control"] == "private, no-store"
    quiz.submit(body["attempt_id"])
    result = quiz.client.get(f"/attempts/{body['attempt_id']}/result")
    assert result.status_code == 200 and result.headers["Cache-Control"] == "private, no-store"
