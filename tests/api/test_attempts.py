"""The quiz through the JSON API: start or resume, save, submit, deadlines, limits, concurrency."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import event, func, select

from contest.models import Attempt, AttemptItem, Contest, Option, Round
from tests.helpers import csrf_token, participant_client, right_options


def _keys(value) -> set[str]:
    """Every key anywhere in a JSON document."""
    if isinstance(value, dict):
        return set(value) | set().union(*(_keys(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_keys(v) for v in value)) if value else set()
    return set()


def test_start_draws_the_spec_and_stores_it_at_once(quiz, session, clock) -> None:
    response = quiz.start()
    assert response.status_code == 201
    body = response.get_json()
    assert body["deadline"] == "2026-10-10T01:10:00.000Z"
    assert len(body["questions"]) == 10 and body["answers"] == {}
    assert [q["position"] for q in body["questions"]] == list(range(1, 11))
    attempt = session.get(Attempt, body["attempt_id"])
    items = session.scalars(select(AttemptItem).where(AttemptItem.attempt_id == attempt.id)).all()
    levels = sorted(item.snapshot["difficulty"] for item in items)
    assert levels == ["easy"] * 4 + ["hard"] * 3 + ["medium"] * 3
    assert attempt.number == 1 and attempt.status == "in_progress" and attempt.started_at == clock()
    for question, item in zip(body["questions"], sorted(items, key=lambda i: i.position), strict=True):
        assert [o["id"] for o in question["options"]] == [o["id"] for o in item.snapshot["options"]]
        assert question["multiple"] == item.snapshot["multiple"]


def test_a_start_writes_the_attempt_and_its_items_at_once_and_reads_nothing_back(quiz, session, db) -> None:
    statements: list[str] = []

    def remember(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement.lstrip().upper())

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        response = quiz.start()
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    assert response.status_code == 201
    stores = ("INSERT INTO ATTEMPTS", "INSERT INTO ATTEMPT_ITEMS", "WITH NEW_ATTEMPT")
    writes = [index for index, statement in enumerate(statements) if statement.startswith(stores)]
    # PostgreSQL: one statement (WITH ... INSERT ... INSERT); SQLite: the attempt, then its items in one batch
    assert len(writes) == (1 if db.engine.dialect.name == "postgresql" else 2), statements
    assert statements[writes[-1] + 1 :] == []  # the token and the answer need nothing read back
    body = response.get_json()
    session.expire_all()
    attempt = session.get(Attempt, body["attempt_id"])
    assert attempt.away_ms == 0 and attempt.long_absences == 0 and attempt.status == "in_progress"
    items = session.scalars(
        select(AttemptItem).where(AttemptItem.attempt_id == attempt.id).order_by(AttemptItem.position)
    ).all()
    assert [(q["position"], q["text"]) for q in body["questions"]] == [(i.position, i.snapshot["text"]) for i in items]
    assert all(item.chosen is None and item.answered_at is None for item in items)
    assert quiz.start().get_json() == body  # resumed as it was stored


def test_correct_options_and_explanations_are_never_sent_before_submission(quiz, session) -> None:
    body = quiz.start().get_json()
    assert not _keys(body) & {"correct", "is_correct", "explanation", "answer", "right"}
    text = quiz.client.get(f"/rounds/{quiz.round.id}/take").get_data(as_text=True)
    assert "Giải thích câu" not in text and "correct" not in text.replace("correct-", "")
    saved = quiz.answer(body["attempt_id"], 1, [body["questions"][0]["options"][0]["id"]]).get_json()
    assert not _keys(saved) & {"correct", "is_correct", "explanation"}


def test_options_are_shuffled_per_attempt(quiz, session) -> None:
    body = quiz.start().get_json()
    rights = right_options(session, body["attempt_id"])
    first_positions = [[o["id"] for o in q["options"]].index(rights[q["position"]][0]) for q in body["questions"]]
    assert len(set(first_positions)) > 1  # the right option is not always in the same place


def test_resume_gives_the_same_questions_answers_and_deadline(quiz, clock) -> None:
    first = quiz.start().get_json()
    option = first["questions"][2]["options"][1]["id"]
    assert quiz.answer(first["attempt_id"], 3, [option]).status_code == 200
    clock.advance(minutes=4)
    again = quiz.start()
    assert again.status_code == 200
    body = again.get_json()
    assert body["attempt_id"] == first["attempt_id"] and body["deadline"] == first["deadline"]
    assert body["questions"] == first["questions"]
    assert body["answers"] == {"3": [option]}


def test_saving_is_idempotent_and_validated(quiz, session) -> None:
    body = quiz.start().get_json()
    attempt_id = body["attempt_id"]
    single = next(q for q in body["questions"] if not q["multiple"])
    ids = [o["id"] for o in single["options"]]
    position = single["position"]
    assert quiz.answer(attempt_id, position, [ids[0]]).get_json()["options"] == [ids[0]]
    assert quiz.answer(attempt_id, position, [ids[0]]).status_code == 200
    assert quiz.answer(attempt_id, position, [ids[0], ids[1]]).status_code == 400  # one answer only
    assert quiz.answer(attempt_id, position, [999999]).status_code == 400
    assert quiz.answer(attempt_id, position, "A").status_code == 400
    assert quiz.answer(attempt_id, 99, [ids[0]]).status_code == 404
    item = session.scalar(
        select(AttemptItem).where(AttemptItem.attempt_id == attempt_id, AttemptItem.position == position)
    )
    assert item.chosen == [ids[0]]
    assert quiz.answer(attempt_id, position, []).status_code == 200  # clearing an answer
    session.expire_all()
    assert session.get(AttemptItem, item.id).chosen is None


def test_an_acknowledged_save_is_committed_and_a_choice_that_does_not_fit_writes_nothing(quiz, session, db) -> None:
    """The API's save is one guarded UPDATE in a transaction of its own: another connection sees an acknowledged
    answer at once; an option of another question, or two options for a single-answer question, change nothing and
    are refused with the reason."""
    body = quiz.start().get_json()
    attempt_id = body["attempt_id"]
    single = next(q for q in body["questions"] if not q["multiple"])
    other = next(q for q in body["questions"] if q["position"] != single["position"])
    ids = [o["id"] for o in single["options"]]
    assert quiz.answer(attempt_id, single["position"], [ids[1]]).status_code == 200
    with db.engine.connect() as elsewhere:  # a connection of its own: sees only what is committed
        stored = elsewhere.execute(
            select(AttemptItem.chosen).where(
                AttemptItem.attempt_id == attempt_id, AttemptItem.position == single["position"]
            )
        ).scalar_one()
    assert stored == [ids[1]]
    foreign = quiz.answer(attempt_id, single["position"], [other["options"][0]["id"]])
    assert foreign.status_code == 400 and foreign.get_json()["fields"]["options"] == "unknown"
    two = quiz.answer(attempt_id, single["position"], [ids[0], ids[2]])
    assert two.status_code == 400 and two.get_json()["fields"]["options"] == "single"
    session.expire_all()
    item = session.scalar(
        select(AttemptItem).where(AttemptItem.attempt_id == attempt_id, AttemptItem.position == single["position"])
    )
    assert item.chosen == [ids[1]]


def test_a_save_that_wrote_nothing_for_no_reason_it_can_find_asks_to_be_sent_again(quiz, monkeypatch) -> None:
    """A refusal the read afterwards cannot explain (the attempt changed in between) is a 503 with Retry-After: the
    quiz page sends the answer again, where a 409 would end its quiz."""
    from contest.services.quiz import attempts

    body = quiz.start().get_json()
    question = body["questions"][0]
    monkeypatch.setattr(attempts, "_write_choice", lambda *args, **kwargs: False)
    refused = quiz.answer(body["attempt_id"], question["position"], [question["options"][0]["id"]])
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "1"
    assert refused.get_json()["message"] == "Chưa lưu được câu trả lời vừa rồi. Vui lòng thử lại."
    monkeypatch.undo()
    again = quiz.answer(body["attempt_id"], question["position"], [question["options"][0]["id"]])
    assert again.status_code == 200


def test_writes_need_the_csrf_header(quiz) -> None:
    body = quiz.start().get_json()
    response = quiz.client.put(
        f"/api/attempts/{body['attempt_id']}/answers/1", json={"options": [body["questions"][0]["options"][0]["id"]]}
    )
    assert response.status_code == 400 and response.get_json()["error"] == "csrf"


def test_scoring_single_and_multiple_answers(quiz, session) -> None:
    body = quiz.start().get_json()
    attempt_id = body["attempt_id"]
    rights = right_options(session, attempt_id)
    multiple = [q["position"] for q in body["questions"] if q["multiple"]]
    for question in body["questions"]:
        position = question["position"]
        if position in multiple[:1]:
            quiz.answer(attempt_id, position, rights[position][:1])  # only one of two right options: wrong
        elif position == 2 and position not in multiple:
            wrong = next(o["id"] for o in question["options"] if o["id"] not in rights[position])
            quiz.answer(attempt_id, position, [wrong])
        else:
            quiz.answer(attempt_id, position, rights[position])
    expected = 10 - (1 if multiple else 0) - (1 if 2 not in multiple else 0)
    result = quiz.submit(attempt_id, prediction=120).get_json()
    assert (result["score"], result["correct"], result["total"]) == (expected, expected, 10)
    attempt = session.get(Attempt, attempt_id)
    assert attempt.status == "submitted" and attempt.prediction == 120 and attempt.receipt


def test_submit_twice_returns_the_same_result(quiz, clock) -> None:
    attempt_id = quiz.start().get_json()["attempt_id"]
    clock.advance(seconds=95, milliseconds=250)
    first = quiz.submit(attempt_id).get_json()
    clock.advance(minutes=3)
    second = quiz.submit(attempt_id).get_json()
    assert first == second and first["duration_ms"] == 95_250


def test_answers_after_submission_are_refused(quiz) -> None:
    body = quiz.start().get_json()
    quiz.submit(body["attempt_id"])
    response = quiz.answer(body["attempt_id"], 1, [body["questions"][0]["options"][0]["id"]])
    assert response.status_code == 409 and response.get_json()["error"] == "attempt_finished"


def test_deadline_with_grace_then_refusal_and_finish(quiz, session, clock) -> None:
    body = quiz.start().get_json()
    attempt_id = body["attempt_id"]
    option = body["questions"][0]["options"][0]["id"]
    clock.advance(minutes=10, seconds=4)  # 4 s after the deadline: within the grace
    assert quiz.answer(attempt_id, 1, [option]).status_code == 200
    clock.advance(seconds=2)  # 6 s after: refused, and the attempt is finished with what was saved
    refused = quiz.answer(attempt_id, 2, [body["questions"][1]["options"][0]["id"]])
    assert refused.status_code == 409
    attempt = session.get(Attempt, attempt_id)
    session.refresh(attempt)
    assert attempt.status == "expired" and attempt.finished_by == "deadline"
    assert attempt.submitted_at == attempt.deadline and attempt.duration_ms == 600_000
    items = {
        i.position: i.chosen for i in session.scalars(select(AttemptItem).where(AttemptItem.attempt_id == attempt_id))
    }
    assert items[1] == [option] and items[2] is None


def test_deadline_never_passes_the_round_close(quiz, session, clock) -> None:
    quiz.round.closes_at = clock() + timedelta(minutes=3)
    session.commit()
    body = quiz.start().get_json()
    assert body["deadline"] == "2026-10-10T01:03:00.000Z"


def test_closed_upcoming_and_used_up_rounds_are_refused_with_a_reason(quiz, session, clock) -> None:
    quiz.round.max_attempts = 1
    session.commit()
    attempt_id = quiz.start().get_json()["attempt_id"]
    quiz.submit(attempt_id)
    used_up = quiz.start()
    assert used_up.status_code == 409 and used_up.get_json()["error"] == "attempts_used_up"
    assert "hết 1 lượt thi" in used_up.get_json()["message"]
    quiz.round.max_attempts = 5
    quiz.round.opens_at = clock() + timedelta(days=1)
    quiz.round.closes_at = clock() + timedelta(days=2)
    session.commit()
    upcoming = quiz.start()
    assert upcoming.status_code == 409 and upcoming.get_json()["message"] == "Đợt thi này chưa mở."
    clock.advance(days=3)
    closed = quiz.start()
    assert closed.status_code == 409 and closed.get_json()["message"] == "Đợt thi này đã đóng."


def test_a_contest_outside_the_participants_unit_is_forbidden(quiz, session) -> None:
    other = session.scalar(select(Contest))
    sibling = session.scalar(select(Round).where(Round.id == quiz.round.id)).contest.scope_unit.parent.children[1]
    other.scope_unit = sibling
    session.commit()
    response = quiz.start()
    assert response.status_code == 403 and "Sở P-B" in response.get_json()["message"]


def test_daily_limit_counts_vietnam_days(quiz, session, clock) -> None:
    quiz.round.max_attempts = None
    quiz.round.max_attempts_per_day = 1
    session.commit()
    quiz.submit(quiz.start().get_json()["attempt_id"])
    assert quiz.start().status_code == 409
    clock.advance(hours=16)  # 01:00 UTC + 16 h = 00:00 next day in Vietnam
    assert quiz.start().status_code == 201


def test_anonymous_and_foreign_attempts(quiz, client, session, clock) -> None:
    attempt_id = quiz.start().get_json()["attempt_id"]
    client.delete("/api/session", headers={"X-CSRFToken": csrf_token(client)})
    anonymous = client.post(f"/api/rounds/{quiz.round.id}/attempts", headers={"X-CSRFToken": csrf_token(client)})
    assert anonymous.status_code == 401
    from contest.services.people.accounts import create_user

    create_user(session, name="Người khác", phone="0987000111", password="mat-khau-123", unit=quiz.unit, now=clock())
    session.commit()
    client.post(
        "/api/session",
        json={"phone": "0987000111", "password": "mat-khau-123"},
        headers={"X-CSRFToken": csrf_token(client)},
    )
    assert quiz.answer(attempt_id, 1, []).status_code == 404
    assert quiz.submit(attempt_id).status_code == 404
    assert client.post("/api/rounds/9999/attempts", headers={"X-CSRFToken": csrf_token(client)}).status_code == 404


def test_require_all_answered(quiz, session, clock) -> None:
    quiz.round.require_all_answered = True
    session.commit()
    body = quiz.start().get_json()
    refused = quiz.submit(body["attempt_id"])
    assert refused.status_code == 409 and "còn 10 câu" in refused.get_json()["message"]
    clock.advance(minutes=11)  # at the deadline the attempt is finished whatever is missing
    assert quiz.submit(body["attempt_id"]).get_json()["status"] == "expired"


def test_a_cleared_answer_counts_as_unanswered(quiz, session) -> None:
    quiz.round.require_all_answered = True
    session.commit()
    body = quiz.start().get_json()
    for question in body["questions"]:
        assert quiz.answer(body["attempt_id"], question["position"], [question["options"][0]["id"]]).status_code == 200
    assert quiz.answer(body["attempt_id"], 3, []).get_json()["options"] == []  # the participant unticks it
    refused = quiz.submit(body["attempt_id"])
    assert refused.status_code == 409 and "còn 1 câu" in refused.get_json()["message"]
    assert session.scalar(select(AttemptItem.chosen).where(AttemptItem.position == 3)) is None


def test_bad_prediction_is_refused(quiz) -> None:
    attempt_id = quiz.start().get_json()["attempt_id"]
    assert quiz.submit(attempt_id, prediction=-3).status_code == 400
    assert quiz.submit(attempt_id, prediction="nhiều").status_code == 400
    assert quiz.submit(attempt_id, prediction=7).status_code == 200


def test_finalize_sweep_finishes_abandoned_attempts(quiz, runner, session, clock) -> None:
    attempt_id = quiz.start().get_json()["attempt_id"]
    clock.advance(minutes=5)
    assert "finished 0 attempts left open past their deadline" in runner.invoke(args=["attempts", "finalize"]).output
    clock.advance(minutes=6)
    assert "finished 1 attempt left open past its deadline" in runner.invoke(args=["attempts", "finalize"]).output
    session.expire_all()
    assert session.get(Attempt, attempt_id).status == "expired"


def test_a_new_start_after_an_abandoned_attempt_counts_it(quiz, session, clock) -> None:
    first = quiz.start().get_json()["attempt_id"]
    clock.advance(minutes=30)
    second = quiz.start().get_json()
    assert second["attempt_id"] != first
    assert session.get(Attempt, first).status == "expired"
    assert session.get(Attempt, second["attempt_id"]).number == 2


def _in_threads(count: int, work) -> list:  # type: ignore[no-untyped-def]
    results: list = []
    barrier = threading.Barrier(count)

    def run() -> None:
        barrier.wait()
        results.append(work())

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _logged_in_client(app):  # type: ignore[no-untyped-def]
    client = app.test_client()
    client.post(
        "/api/session",
        json={"phone": "0912345678", "password": "mat-khau-123"},
        headers={"X-CSRFToken": csrf_token(client)},
    )
    return client, csrf_token(client)


def test_concurrent_starts_make_one_attempt(app, quiz, session) -> None:
    quiz.round.max_attempts = 1
    session.commit()
    clients = [_logged_in_client(app) for _ in range(6)]
    lock = threading.Lock()

    def start():  # type: ignore[no-untyped-def]
        with lock:
            client, token = clients.pop()
        with app.app_context():
            response = client.post(f"/api/rounds/{quiz.round.id}/attempts", headers={"X-CSRFToken": token})
            return response.status_code, (response.get_json() or {}).get("attempt_id")

    results = _in_threads(6, start)
    assert {status for status, _ in results} <= {200, 201}
    assert len({attempt_id for _, attempt_id in results}) == 1
    assert session.scalar(select(func.count(Attempt.id))) == 1


def test_concurrent_submits_record_once(app, quiz, session) -> None:
    attempt_id = quiz.start().get_json()["attempt_id"]
    clients = [_logged_in_client(app) for _ in range(5)]
    lock = threading.Lock()

    def submit():  # type: ignore[no-untyped-def]
        with lock:
            client, token = clients.pop()
        with app.app_context():
            response = client.post(
                f"/api/attempts/{attempt_id}/submit", json={"prediction": 5}, headers={"X-CSRFToken": token}
            )
            return response.status_code, response.get_json()

    results = _in_threads(5, submit)
    assert [status for status, _ in results] == [200] * 5
    assert len({str(body) for _, body in results}) == 1
    assert session.scalar(select(func.count(Attempt.id)).where(Attempt.status == "submitted")) == 1


def test_start_records_the_address_and_device_and_the_page_reports_absences(quiz, session, clock, app) -> None:
    attempt_id = quiz.client.post(
        f"/api/rounds/{quiz.round.id}/attempts", headers={**quiz.headers(), "User-Agent": "Mozilla/5.0 (Phone)"}
    ).get_json()["attempt_id"]
    attempt = session.get(Attempt, attempt_id)
    assert attempt.client_address == "127.0.0.1" and len(attempt.device) == 16

    def report(away_ms, client=quiz.client, headers=None):  # type: ignore[no-untyped-def]
        return client.post(
            f"/api/attempts/{attempt_id}/presence", json={"away_ms": away_ms}, headers=headers or quiz.headers()
        )

    clock.advance(minutes=3)
    assert report(5_000).get_json() == {"away_ms": 5_000, "long_absences": 0}
    assert report(90_000).get_json() == {"away_ms": 95_000, "long_absences": 1}
    assert report(10**9).get_json()["away_ms"] == 95_000 + 180_000  # never more than the attempt has lasted
    for bad in ("90000", -1, True, None, 1.5):
        assert report(bad).status_code == 400, bad
    assert quiz.client.post(f"/api/attempts/{attempt_id}/presence", json={"away_ms": 1}).status_code == 400  # CSRF
    stranger = app.test_client()
    assert report(1, client=stranger, headers={"X-CSRFToken": csrf_token(stranger)}).status_code == 401
    quiz.submit(attempt_id)
    assert report(70_000).status_code == 409
    session.expire_all()
    assert session.get(Attempt, attempt_id).long_absences == 2  # 90 s, and the capped report


def _shown_by_bank_option(session, attempt_id: int) -> dict[int, int]:
    """bank option id -> the id the attempt shows for it."""
    items = session.scalars(select(AttemptItem).where(AttemptItem.attempt_id == attempt_id)).all()
    return {option["option_id"]: option["id"] for item in items for option in item.snapshot["options"]}


def test_option_ids_reveal_neither_the_bank_order_nor_the_option_in_another_attempt(quiz, app, session, clock) -> None:
    """Sorting the ids a participant receives must not give the order the file listed the options in (authors
    often put the right one first), and a key seen in one attempt must not name the options of another."""
    body = quiz.start().get_json()
    shown = [option["id"] for question in body["questions"] for option in question["options"]]
    assert not set(shown) & set(session.scalars(select(Option.id)))  # not the bank's ids
    in_bank_order = 0
    for item in session.scalars(select(AttemptItem).where(AttemptItem.attempt_id == body["attempt_id"])):
        bank_ids_by_shown_id = [o["option_id"] for o in sorted(item.snapshot["options"], key=lambda o: o["id"])]
        in_bank_order += bank_ids_by_shown_id == sorted(bank_ids_by_shown_id)
    assert in_bank_order <= len(body["questions"]) // 3  # chance is 1 in 24 for four options
    other = participant_client(app, session, clock, "0911000777", quiz.unit, "Người Khác")
    other_id = other.post(f"/api/rounds/{quiz.round.id}/attempts", headers={"X-CSRFToken": csrf_token(other)})
    mine, theirs = (
        _shown_by_bank_option(session, body["attempt_id"]),
        _shown_by_bank_option(session, other_id.get_json()["attempt_id"]),
    )
    common = set(mine) & set(theirs)
    assert common and all(mine[option] != theirs[option] for option in common)
    # the shown ids work end to end: the right ones score, and the analysis counts them per bank option
    rights = right_options(session, body["attempt_id"])
    for position, options in rights.items():
        assert quiz.answer(body["attempt_id"], position, options).status_code == 200
    assert quiz.submit(body["attempt_id"]).get_json()["correct"] == len(rights)


def test_an_options_list_longer_than_any_question_is_refused_before_it_is_written(quiz, session, db) -> None:
    """A list of 20,000 ids is refused before the guarded UPDATE runs, not rolled back after writing it."""
    body = quiz.start().get_json()
    first = body["questions"][0]
    statements: list[str] = []

    def remember(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        huge = quiz.answer(body["attempt_id"], first["position"], list(range(1, 20_001)))
        too_big = quiz.answer(body["attempt_id"], first["position"], [10**15])
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    assert huge.status_code == 400 and huge.get_json()["fields"]["options"] == "unknown"
    assert too_big.status_code == 400
    assert not [s for s in statements if s.lstrip().upper().startswith("UPDATE ATTEMPT_ITEMS")]
    item = session.scalar(
        select(AttemptItem).where(AttemptItem.attempt_id == body["attempt_id"], AttemptItem.position == 1)
    )
    assert item.chosen is None


def test_a_finish_waits_for_a_save_in_flight_and_counts_it(app, quiz, session, clock) -> None:
    """A save acknowledged while the attempt is being finished is in the score (#14 hole 10): the finish takes
    the attempt row before it reads the answers, and a save holds the row (shared) until it commits."""
    from sqlalchemy.orm import Session as OrmSession

    from contest.extensions import db
    from contest.services.quiz.attempts import finish_attempt, save_answer

    attempt_id = quiz.start().get_json()["attempt_id"]
    right = right_options(session, attempt_id)
    session.commit()
    saver = OrmSession(db.engine)
    saved = save_answer(
        saver, user_id=quiz.user.id, attempt_id=attempt_id, position=1, option_ids=right[1], now=clock()
    )
    assert saved == right[1]  # written, not yet committed

    finished: list[int | None] = []

    def finish() -> None:
        with app.app_context(), OrmSession(db.engine) as finisher:
            attempt = finisher.get(Attempt, attempt_id)
            finish_attempt(finisher, attempt, now=clock(), finished_by="participant")
            finisher.commit()
            finished.append(attempt.score)

    thread = threading.Thread(target=finish)
    thread.start()
    thread.join(0.5)
    saver.commit()  # the participant is told "saved" now
    saver.close()
    thread.join(10)
    assert finished == [1]
    session.expire_all()
    assert session.get(Attempt, attempt_id).score == 1
