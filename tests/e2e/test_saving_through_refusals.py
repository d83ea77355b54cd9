"""The quiz page keeps an answer until the server has stored it: a stale CSRF token is renewed and the answer sent
again, a busy server (503) is tried again later, and only a refusal of the answer itself ("invalid") drops it."""

from __future__ import annotations

import json
import sqlite3

from tests.e2e.conftest import SERVER_ENV, register, start_quiz


def _stored_choice(position: int, phone: str) -> list[int] | None:
    database = SERVER_ENV["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        row = connection.execute(
            "SELECT attempt_items.chosen FROM attempt_items JOIN attempts ON attempts.id = attempt_items.attempt_id "
            "JOIN users ON users.id = attempts.user_id WHERE users.phone = ? AND attempts.status = 'in_progress' "
            "AND attempt_items.position = ?",
            (phone, position),
        ).fetchone()
    return json.loads(row[0]) if row and row[0] else None


def _pending(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The queue of answers waiting on this device, as the page keeps it."""
    return page.evaluate(
        "Object.keys(localStorage).filter(k => k.endsWith('-pending')).map(k => localStorage.getItem(k))"
    )


def test_answers_survive_a_stale_token_and_a_busy_server(server, phone) -> None:
    page = phone
    register(page, server, "Phạm Thị Bền", "0987 777 101", "so y te")
    page.click("button[value=register]")
    start_quiz(page, server)
    refusals = ["csrf", "busy"]  # the first save meets a stale token, the next one a busy server

    def refuse_first_saves(route, request) -> None:  # type: ignore[no-untyped-def]
        if request.method == "PUT" and refusals:
            kind = refusals.pop(0)
            if kind == "csrf":
                body = {"error": "csrf", "message": "stale"}
                route.fulfill(status=400, content_type="application/json", body=json.dumps(body))
            else:
                route.fulfill(status=503, headers={"Retry-After": "1"}, body="busy")
            return
        route.continue_()

    page.route("**/api/attempts/*/answers/*", refuse_first_saves)
    page.check("#q1 input >> nth=0")
    page.wait_for_function("document.getElementById('save-status').textContent.includes('Đã lưu')", timeout=15000)
    assert refusals == []  # both refusals were met, and the answer was still sent and stored
    chosen = int(page.locator("#q1 input >> nth=0").get_attribute("value") or 0)
    assert _stored_choice(1, "0987777101") == [chosen]
    assert _pending(page) == ["{}"]


def test_only_a_refused_answer_leaves_the_queue(server, phone) -> None:
    page = phone
    register(page, server, "Đỗ Văn Lọc", "0987 777 102", "so y te")
    page.click("button[value=register]")
    start_quiz(page, server)

    def refuse_as_invalid(route, request) -> None:  # type: ignore[no-untyped-def]
        body = {"error": "invalid", "message": "not an option", "fields": {"options": "unknown"}}
        route.fulfill(status=400, content_type="application/json", body=json.dumps(body))

    page.route("**/api/attempts/*/answers/*", refuse_as_invalid)
    page.check("#q1 input >> nth=0")
    page.wait_for_function("document.getElementById('save-status').textContent.includes('Đã lưu')", timeout=15000)
    assert _pending(page) == ["{}"]


def test_saves_carry_the_attempt_token_and_go_the_cookie_way_when_it_is_refused(server, phone) -> None:
    page = phone
    register(page, server, "Lý Thị Khóa", "0987 777 103", "so y te")
    page.click("button[value=register]")
    start_quiz(page, server)
    sent: list[str | None] = []

    def note(request) -> None:  # type: ignore[no-untyped-def]
        if request.method == "PUT" and "/answers/" in request.url:
            sent.append(request.headers.get("x-attempt-token"))

    page.on("request", note)
    page.check("#q1 input >> nth=0")
    page.wait_for_function("document.getElementById('save-status').textContent.includes('Đã lưu')")
    assert sent and all(sent)  # the real token, taken from the page's data, on every save

    # the same page again with a token the server will refuse (as one whose login ended): it drops the token and
    # the answer is stored through the session cookie and the CSRF token
    def spoil_token(route) -> None:  # type: ignore[no-untyped-def]
        response = route.fetch()
        html = response.text()
        route.fulfill(response=response, body=html.replace('"attemptToken": "', '"attemptToken": "x'))

    page.route("**/rounds/*/take", spoil_token)
    page.reload()
    page.wait_for_selector("#palette li")
    sent.clear()
    page.click("#next")
    page.check("#q2 input >> nth=1")
    page.wait_for_function("document.getElementById('save-status').textContent.includes('Đã lưu')", timeout=15000)
    assert sent[0] is not None and sent[0].startswith("x") and sent[-1] is None
    chosen = int(page.locator("#q2 input >> nth=1").get_attribute("value") or 0)
    assert _stored_choice(2, "0987777103") == [chosen]
