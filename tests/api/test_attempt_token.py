"""The attempt token (X-Attempt-Token): saves, absences and the submission authenticated without the session or
a CSRF token, and everything an attacker would try with it: forge it, alter it, use it on another attempt, after
the deadline, after logging out, from another site's form."""

from __future__ import annotations

import re

from itsdangerous import URLSafeSerializer
from sqlalchemy import event, select

from contest.models import Attempt, AttemptItem
from contest.services.people.accounts import change_password
from tests.helpers import csrf_token, participant_client


def _started(quiz):  # type: ignore[no-untyped-def]
    body = quiz.start().get_json()
    assert isinstance(body["attempt_token"], str) and body["attempt_token"]
    return body


def _put(client, attempt_id: int, position: int, options, token: str | None):  # type: ignore[no-untyped-def]
    headers = {"X-Attempt-Token": token} if token is not None else {}
    return client.put(f"/api/attempts/{attempt_id}/answers/{position}", json={"options": options}, headers=headers)


def _chosen(session, attempt_id: int, position: int):  # type: ignore[no-untyped-def]
    session.expire_all()
    return session.scalar(
        select(AttemptItem.chosen).where(AttemptItem.attempt_id == attempt_id, AttemptItem.position == position)
    )


def test_the_token_alone_saves_reports_and_submits_without_a_cookie_or_csrf(app, quiz, session, clock) -> None:
    body = _started(quiz)
    attempt_id, token = body["attempt_id"], body["attempt_token"]
    option = body["questions"][0]["options"][0]["id"]
    bare = app.test_client()  # no session cookie at all
    saved = _put(bare, attempt_id, 1, [option], token)
    assert saved.status_code == 200 and saved.get_json()["options"] == [option]
    assert _chosen(session, attempt_id, 1) == [option]
    clock.advance(seconds=30)
    away = bare.post(f"/api/attempts/{attempt_id}/presence", json={"away_ms": 4000}, headers={"X-Attempt-Token": token})
    assert away.status_code == 200 and away.get_json()["away_ms"] == 4000
    done = bare.post(f"/api/attempts/{attempt_id}/submit", json={"prediction": 3}, headers={"X-Attempt-Token": token})
    assert done.status_code == 200 and done.get_json()["status"] == "submitted"
    session.expire_all()
    assert session.get(Attempt, attempt_id).status == "submitted"
    assert _put(bare, attempt_id, 1, [option], token).status_code == 409  # submitted: no more changes


def test_a_save_with_the_token_is_one_statement(app, quiz, session, db) -> None:
    body = _started(quiz)
    option = body["questions"][0]["options"][0]["id"]
    statements: list[str] = []

    def remember(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        saved = _put(app.test_client(), body["attempt_id"], 1, [option], body["attempt_token"])
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    assert saved.status_code == 200
    assert len(statements) == 1 and statements[0].lstrip().upper().startswith("UPDATE ATTEMPT_ITEMS")


def _refused(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code == 401 and response.get_json()["error"] == "attempt_token"


def test_forged_altered_or_foreign_tokens_are_refused_and_change_nothing(app, quiz, session, clock) -> None:
    body = _started(quiz)
    attempt_id, token = body["attempt_id"], body["attempt_token"]
    option = body["questions"][0]["options"][0]["id"]
    bare = app.test_client()
    payload, _, signature = token.rpartition(".")
    altered = payload + "." + ("A" if signature[0] != "A" else "B") + signature[1:]
    other_key = URLSafeSerializer("not-the-apps-key", salt="contest.attempt-token").dumps(
        [attempt_id, quiz.user.id, quiz.user.session_token, 2_000_000_000]
    )
    unsigned_claim = URLSafeSerializer(app.config["SECRET_KEY"], salt="another-salt").dumps(
        [attempt_id, quiz.user.id, quiz.user.session_token, 2_000_000_000]
    )
    for bad in (altered, other_key, unsigned_claim, "garbage", "x" * 600, token + "x"):
        assert _refused(_put(bare, attempt_id, 1, [option], bad)), bad
        assert _refused(bare.post(f"/api/attempts/{attempt_id}/submit", json={}, headers={"X-Attempt-Token": bad}))
    # a person's token does not open another person's attempt, even with that person's attempt id in the address
    other = participant_client(app, session, clock, "0912000111", quiz.unit, "Trần Thị Bình")
    theirs = other.post(f"/api/rounds/{quiz.round.id}/attempts", headers={"X-CSRFToken": csrf_token(other)})
    their_id = theirs.get_json()["attempt_id"]
    their_option = theirs.get_json()["questions"][0]["options"][0]["id"]
    assert _refused(_put(bare, their_id, 1, [their_option], token))
    assert _refused(bare.post(f"/api/attempts/{their_id}/submit", json={}, headers={"X-Attempt-Token": token}))
    assert _chosen(session, attempt_id, 1) is None and _chosen(session, their_id, 1) is None
    assert session.get(Attempt, their_id).status == "in_progress"
    assert session.get(Attempt, attempt_id).status == "in_progress"


def test_a_token_of_an_earlier_attempt_does_not_open_the_next_one(app, quiz, session) -> None:
    first = _started(quiz)
    assert quiz.submit(first["attempt_id"]).status_code == 200
    second = _started(quiz)
    assert second["attempt_id"] != first["attempt_id"]
    option = second["questions"][0]["options"][0]["id"]
    assert _refused(_put(app.test_client(), second["attempt_id"], 1, [option], first["attempt_token"]))


def test_a_token_past_its_attempts_deadline_is_refused_and_the_cookie_way_says_time_is_up(app, quiz, clock) -> None:
    body = _started(quiz)
    attempt_id, token = body["attempt_id"], body["attempt_token"]
    option = body["questions"][0]["options"][0]["id"]
    clock.advance(minutes=9, seconds=59)
    assert _put(app.test_client(), attempt_id, 1, [option], token).status_code == 200  # within the time
    clock.advance(seconds=10)  # past the deadline and its grace of 5 s
    assert _refused(_put(app.test_client(), attempt_id, 1, [option], token))
    late = quiz.answer(attempt_id, 1, [option])  # what the page does next: the cookie and the CSRF token
    assert late.status_code == 409


def test_logging_out_or_a_new_password_ends_the_token(app, quiz, session, clock) -> None:
    body = _started(quiz)
    attempt_id, token = body["attempt_id"], body["attempt_token"]
    option = body["questions"][0]["options"][0]["id"]
    assert quiz.client.delete("/api/session", headers=quiz.headers()).status_code == 200
    bare = app.test_client()
    refused = _put(bare, attempt_id, 1, [option], token)
    assert refused.status_code == 401 and refused.get_json()["error"] == "unauthorized"
    away = bare.post(f"/api/attempts/{attempt_id}/presence", json={"away_ms": 1}, headers={"X-Attempt-Token": token})
    assert away.status_code == 401
    done = bare.post(f"/api/attempts/{attempt_id}/submit", json={}, headers={"X-Attempt-Token": token})
    assert done.status_code == 401
    assert _chosen(session, attempt_id, 1) is None and session.get(Attempt, attempt_id).status == "in_progress"
    # logged in again: a new token works, and a password changed elsewhere ends it too
    quiz.client.post(
        "/api/session",
        json={"phone": "0912345678", "password": "mat-khau-123"},
        headers={"X-CSRFToken": csrf_token(quiz.client)},
    )
    again = _started(quiz)
    assert again["attempt_id"] == attempt_id and again["attempt_token"] != token
    assert _put(bare, attempt_id, 1, [option], again["attempt_token"]).status_code == 200
    session.expire_all()
    change_password(session.get(type(quiz.user), quiz.user.id), current="mat-khau-123", new="mat-khau-moi-456")
    session.commit()
    assert _put(bare, attempt_id, 2, [option], again["attempt_token"]).status_code == 401


def test_without_the_header_a_cross_site_form_post_is_refused_as_before(app, quiz, session) -> None:
    """The session cookie alone (what another site's form sends) writes nothing: the CSRF check is kept for every
    call that does not carry the token in its header, and a token in the form or the address is not read."""
    body = _started(quiz)
    attempt_id, token = body["attempt_id"], body["attempt_token"]
    option = body["questions"][0]["options"][0]["id"]
    for data in ({"prediction": "1"}, {"X-Attempt-Token": token, "attempt_token": token}):
        submitted = quiz.client.post(f"/api/attempts/{attempt_id}/submit?attempt_token={token}", data=data)
        assert submitted.status_code == 400 and submitted.get_json()["error"] == "csrf"
    away = quiz.client.post(f"/api/attempts/{attempt_id}/presence", data={"away_ms": "5"})
    assert away.status_code == 400
    saved = quiz.client.put(f"/api/attempts/{attempt_id}/answers/1", json={"options": [option]})
    assert saved.status_code == 400 and saved.get_json()["error"] == "csrf"
    session.expire_all()
    assert session.get(Attempt, attempt_id).status == "in_progress" and _chosen(session, attempt_id, 1) is None
    # and the cookie with its CSRF token still works, the way pages without the token go
    assert quiz.answer(attempt_id, 1, [option]).status_code == 200


def test_no_other_site_is_allowed_to_send_the_header(app, quiz) -> None:
    """A browser sends a custom header across sites only after a preflight that the server allows: none is."""
    body = _started(quiz)
    preflight = app.test_client().options(
        f"/api/attempts/{body['attempt_id']}/answers/1",
        headers={
            "Origin": "https://evil.example",
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "x-attempt-token, content-type",
        },
    )
    assert not [name for name, _ in preflight.headers if name.lower().startswith("access-control-allow")]


def test_the_quiz_page_hands_its_token_to_its_script(app, quiz, clock) -> None:
    attempt_id = _started(quiz)["attempt_id"]
    page = quiz.client.get(f"/rounds/{quiz.round.id}/take").get_data(as_text=True)
    token = re.search(r'"attemptToken": "([^"]+)"', page)
    assert token is not None
    clock.advance(seconds=30)
    assert (
        app.test_client()
        .post(f"/api/attempts/{attempt_id}/presence", json={"away_ms": 10}, headers={"X-Attempt-Token": token.group(1)})
        .status_code
        == 200
    )


def test_saves_do_not_count_against_the_visitors_default_limit(app, quiz) -> None:
    app.config["DEFAULT_RATE_LIMIT"] = "3 per minute"
    body = _started(quiz)
    option = body["questions"][0]["options"][0]["id"]
    bare = app.test_client()
    answers = [_put(bare, body["attempt_id"], 1 + n % 10, [option], body["attempt_token"]) for n in range(8)]
    assert [a.status_code for a in answers].count(429) == 0
    assert app.test_client().get("/api/csrf").status_code == 200  # the limit itself still counts visitors
    limited = [app.test_client().get("/api/csrf").status_code for _ in range(4)]
    assert 429 in limited
