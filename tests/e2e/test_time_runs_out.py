"""When the time runs out, the page submits by itself and the participant lands on the result."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.e2e.conftest import ARTIFACTS, login, server_cli, start_quiz


def _round(name: str, closes_in: timedelta, minutes: int, contest: str = "cds-2026") -> str:
    now = datetime.now(UTC)
    if contest != "cds-2026":  # a contest of its own keeps the demo contest's boards on the demo's rounds
        server_cli("contest", "create", "--slug", contest, "--title", name, "--body", "1")
    created = server_cli(
        "round", "create", "--contest", contest, "--name", name, "--opens", (now - timedelta(minutes=1)).isoformat(),
        "--closes", (now + closes_in).isoformat(), "--questions", "3", "--minutes", str(minutes),
        "--bank", "Ngân hàng mẫu chuyển đổi số",
    )  # fmt: skip
    return created.strip().splitlines()[-1]


def test_screen_readers_hear_when_five_minutes_are_left(server, phone) -> None:
    round_id = _round("Thi năm phút", timedelta(hours=2), 5, contest="e2e-nam-phut")
    page = phone
    login(page, server, "0900000020")
    start_quiz(page, server, int(round_id))
    page.wait_for_function("document.getElementById('time-alert').textContent.includes('dưới 5 phút')")
    assert "dưới 1 phút" not in page.text_content("#time-alert")
    assert page.get_attribute("#time-alert", "aria-live") == "assertive"


def test_the_attempt_is_finished_when_the_time_runs_out(server, phone) -> None:
    round_id = _round("Thi nhanh", timedelta(seconds=25), 5)
    page = phone
    login(page, server, "0900000015")
    start_quiz(page, server, int(round_id))
    page.check("#q1 input >> nth=0")
    # screen readers hear that the time is short, once (role=alert), and that the answer is saved (role=status)
    assert page.get_attribute("#time-alert", "role") == "alert"
    page.wait_for_function("document.getElementById('time-alert').textContent.includes('dưới 1 phút')")
    page.wait_for_function("document.getElementById('save-status').textContent.includes('Đã lưu')")
    assert page.get_attribute("#save-status", "aria-live") == "polite"
    # the deadline is the round's close, about 20 s away: the countdown reaches 0 and the page submits
    page.wait_for_url("**/result", timeout=60_000)
    page.screenshot(path=ARTIFACTS / "05-time-up.png", full_page=True)
    assert "Kết quả của bạn" in page.content() and "/ 3" in page.content()
