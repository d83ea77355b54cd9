"""When the time runs out, the page submits by itself and the participant lands on the result."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

from tests.e2e.conftest import ARTIFACTS, ROOT, SERVER_ENV


def test_the_attempt_is_finished_when_the_time_runs_out(server, phone) -> None:
    now = datetime.now(UTC)
    created = subprocess.run(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "wsgi",
            "round",
            "create",
            "--contest",
            "cds-2026",
            "--name",
            "Thi nhanh",
            "--opens",
            (now - timedelta(minutes=1)).isoformat(),
            "--closes",
            (now + timedelta(seconds=25)).isoformat(),
            "--questions",
            "3",
            "--minutes",
            "5",
            "--bank",
            "Ngân hàng mẫu chuyển đổi số",
        ],
        cwd=ROOT,
        env=SERVER_ENV,
        capture_output=True,
        text=True,
    )
    assert created.returncode == 0, created.stderr
    round_id = created.stdout.strip().splitlines()[-1]
    page = phone
    page.goto(server + "/login")
    page.fill("#phone", "0900000015")
    page.fill("#password", "Demo@2026")
    page.click("button[type=submit]")
    page.goto(f"{server}/rounds/{round_id}/take")
    page.click("text=Bắt đầu làm bài")
    page.wait_for_selector("#palette li")
    page.check("#q1 input >> nth=0")
    # the deadline is the round's close, about 20 s away: the countdown reaches 0 and the page submits
    page.wait_for_url("**/result", timeout=60_000)
    page.screenshot(path=ARTIFACTS / "05-time-up.png", full_page=True)
    assert "Kết quả của bạn" in page.content() and "/ 3" in page.content()
