"""The save's fast path (contest/fast_save.py): a save with its attempt token is stored and answered in front of
Flask's hooks, with the same answer and headers the app gives; everything it does not store reaches the app whole."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from contest.models import AttemptItem
from contest.services.quiz import attempts
from tests.helpers import csrf_token


def _put(client, attempt_id, position, body, token=None, **extra):  # type: ignore[no-untyped-def]
    # the cookie way over https: the CSRF check also asks that the request come from this site's page
    if token:
        headers = {"X-Attempt-Token": token}
    else:
        headers = {"X-CSRFToken": csrf_token(client), "Referer": "https://localhost/rounds/1/take"}
    return client.put(f"/api/attempts/{attempt_id}/answers/{position}", json=body, headers=headers, **extra)


def _stored(session, attempt_id: int, position: int):  # type: ignore[no-untyped-def]
    session.expire_all()
    return session.scalar(
        select(AttemptItem.chosen).where(AttemptItem.attempt_id == attempt_id, AttemptItem.position == position)
    )


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_stored_save_is_answered_before_the_apps_hooks_as_the_app_answers_it(
    app, quiz, session, hooks, scheme
) -> None:
    started = quiz.start().get_json()
    attempt_id, token = started["attempt_id"], started["attempt_token"]
    first, second = started["questions"][0]["options"][:2]
    base = {"base_url": f"{scheme}://localhost"}
    through_app = _put(quiz.client, attempt_id, 1, {"options": [first["id"]]}, **base)
    hooks.clear()
    fast = _put(app.test_client(), attempt_id, 1, {"options": [second["id"]]}, token, **base)
    assert hooks == []  # answered in front of Flask
    assert fast.status_code == through_app.status_code == 200
    assert fast.get_json() == {**through_app.get_json(), "options": [second["id"]]}
    assert fast.get_data().endswith(b"\n") and through_app.get_data().endswith(b"\n")
    same = {name: value for name, value in through_app.headers if name not in ("Content-Length", "Set-Cookie")}
    assert {name: value for name, value in fast.headers if name != "Content-Length"} == same
    assert ("Strict-Transport-Security" in fast.headers) == (scheme == "https")
    assert int(fast.headers["Content-Length"]) == len(fast.get_data())
    assert _stored(session, attempt_id, 1) == [second["id"]]


def test_every_save_not_stored_there_reaches_the_app_whole_and_gets_its_answer(
    app, quiz, session, hooks, clock
) -> None:
    started = quiz.start().get_json()
    attempt_id, token = started["attempt_id"], started["attempt_token"]
    single = next(q for q in started["questions"] if not q["multiple"])
    ids = [option["id"] for option in single["options"]]
    bare = app.test_client()
    cases = [
        ({"options": [ids[0], ids[1]]}, 400, "invalid"),  # one answer only: refused by the app, with its message
        ({"options": [999_999_999]}, 400, "invalid"),
        ({"options": "A"}, 400, "invalid"),
        ({"choices": [ids[0]]}, 400, "invalid"),
        ([ids[0]], 400, "invalid"),
    ]
    for body, status, error in cases:
        hooks.clear()
        answer = _put(bare, attempt_id, single["position"], body, token)
        assert hooks == [f"/api/attempts/{attempt_id}/answers/{single['position']}"], body
        assert answer.status_code == status and answer.get_json()["error"] == error, body
        assert answer.get_json()["message"]  # the app's own words, in Vietnamese
    not_json = bare.put(
        f"/api/attempts/{attempt_id}/answers/1", data=b'{"options": [1,', headers={"X-Attempt-Token": token}
    )
    assert not_json.status_code == 400
    assert _put(bare, attempt_id, 99, {"options": [ids[0]]}, token).status_code == 404
    assert _put(bare, attempt_id + 1, 1, {"options": [ids[0]]}, token).status_code == 401  # not this token's attempt
    assert _stored(session, attempt_id, single["position"]) is None
    clock.advance(minutes=11)
    late = _put(bare, attempt_id, single["position"], {"options": [ids[0]]}, token)
    assert late.status_code == 401 and late.get_json()["error"] == "attempt_token"
    assert _stored(session, attempt_id, single["position"]) is None


def test_a_database_error_on_the_fast_path_leaves_the_save_to_the_app(app, quiz, session, hooks, monkeypatch) -> None:
    started = quiz.start().get_json()
    option = started["questions"][0]["options"][0]["id"]

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OperationalError("UPDATE attempt_items", {}, Exception("connection lost"))

    monkeypatch.setattr(attempts, "store_choice", broken)
    saved = _put(app.test_client(), started["attempt_id"], 1, {"options": [option]}, started["attempt_token"])
    assert hooks  # the app did the save
    assert saved.status_code == 200 and _stored(session, started["attempt_id"], 1) == [option]


def test_a_body_nested_too_deep_is_answered_by_the_app_with_its_headers(app, quiz, hooks) -> None:
    started = quiz.start().get_json()
    deep = b'{"options": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    answer = app.test_client().put(
        f"/api/attempts/{started['attempt_id']}/answers/1",
        data=deep,
        headers={"X-Attempt-Token": started["attempt_token"], "Content-Type": "application/json"},
    )
    assert hooks and 400 <= answer.status_code < 500
    assert answer.headers["Content-Security-Policy"]
