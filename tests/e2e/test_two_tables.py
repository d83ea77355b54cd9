"""#26 in the browser: a contest with two tables, a newcomer who registers as a citizen (the category is required),
takes the round with a full score, and after the close and the publication reads her final place and her prize in
her table on her result page."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta

from tests.e2e.conftest import ARTIFACTS, SERVER_ENV, register, server_cli, start_quiz

TABLES = [
    {"key": "A", "name": "Bảng A: Cán bộ, công chức", "categories": ["civil_servant"]},
    {
        "key": "B",
        "name": "Bảng B: Người dân",
        "categories": ["citizen", "worker", "union_member", "association_member"],
    },
]


def _database() -> sqlite3.Connection:
    return sqlite3.connect(SERVER_ENV["DATABASE_URL"].removeprefix("sqlite:///"))


def _right_choices(phone: str) -> dict[int, list[int]]:
    """position -> the shown ids of the right options of the person's attempt in progress."""
    with _database() as connection:
        rows = connection.execute(
            "SELECT attempt_items.position, attempt_items.snapshot FROM attempt_items JOIN attempts ON attempts.id = "
            "attempt_items.attempt_id JOIN users ON users.id = attempts.user_id WHERE users.phone = ? AND "
            "attempts.status = 'in_progress'",
            (phone,),
        ).fetchall()
    return {position: [o["id"] for o in json.loads(snapshot)["options"] if o["correct"]] for position, snapshot in rows}


def test_a_full_scorer_in_a_two_table_contest_gets_her_place_and_prize_in_her_table(server, phone) -> None:
    now = datetime.now(UTC)
    server_cli("contest", "create", "--slug", "hai-bang", "--title", "Thi hai bảng", "--body", "1")  # the department
    with _database() as connection:  # the tables, the heading and signer, as the organizer sets them on the forms
        connection.execute(
            "UPDATE contests SET tables = ?, parent_body = 'UBND tỉnh', issuer = 'Ban Tổ chức', place = 'Hòa Bình', "
            "signer_title = 'Trưởng ban', signer_name = 'Lê Văn Ký' WHERE slug = 'hai-bang'",
            (json.dumps(TABLES, ensure_ascii=False),),
        )
    created = server_cli(
        "round", "create", "--contest", "hai-bang", "--name", "Vòng 1", "--questions", "5", "--minutes", "10",
        "--opens", (now - timedelta(hours=1)).isoformat(), "--closes", (now + timedelta(days=1)).isoformat(),
        "--bank", "Ngân hàng mẫu chuyển đổi số",
    )  # fmt: skip
    round_id = int(created.strip().splitlines()[-1])
    with _database() as connection:
        connection.execute(
            "UPDATE rounds SET prize_plan = ? WHERE id = ?",
            (json.dumps({"first": 1, "second": 0, "third": 0}), round_id),
        )

    page = phone
    register(page, server, "Trần Thị Bích Ngọc", "0987 555 101", "so y te", category="citizen")
    page.click("button[value=register]")
    start_quiz(page, server, round_id)
    rights = _right_choices("0987555101")
    assert len(rights) == 5
    for position in range(1, 6):
        for shown in rights[position]:
            page.check(f'#q{position} input[value="{shown}"]')
        if position < 5:
            page.click("#next")
    page.click("#review")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#submit-button")
    page.wait_for_url("**/result")
    live = " ".join(page.inner_text("main").split())
    assert "Thứ hạng tạm thời 1 / 1 — Bảng B: Người dân" in live  # her table's, not the round's

    server_cli("round", "close", str(round_id))
    server_cli("results", "publish", str(round_id))
    page.reload()
    final = " ".join(page.inner_text("main").split())
    assert "Thứ hạng chung cuộc 1 / 1 — Bảng B: Người dân" in final and "Thứ hạng tạm thời" not in final
    assert "Giải Nhất — Bảng B: Người dân" in final
    page.screenshot(path=ARTIFACTS / "26-two-tables-result-phone.png", full_page=True)
