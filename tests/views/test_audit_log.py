"""The audit log: commands run on the server are recorded too; the page shows what changed, filters,
pages and exports; downloads of personal data are recorded."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from contest.models import AuditEntry, Round
from contest.services.people.accounts import create_user
from contest.services.shared.audit import changes, command_line_user
from tests.factories import add_member, first_body, make_user
from tests.helpers import DEMO_DATA, csrf_token

ROUND_TIMES = ("--opens", "2026-10-10T08:00", "--closes", "2026-10-17T08:00")


def _organizer_client(app, session, clock):  # type: ignore[no-untyped-def]
    user = create_user(
        session, name="Trần Thị Tổ Chức", phone="0900000001", password="mat-khau-123", role="organizer", now=clock()
    )
    add_member(session, first_body(session, clock()), user, "manager", clock())
    session.commit()
    client = app.test_client()
    client.post("/login", data={"phone": "0900000001", "password": "mat-khau-123", "csrf_token": csrf_token(client)})
    return client


def _entries(session) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    session.expire_all()
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def test_commands_that_change_data_are_recorded_with_the_servers_user(runner, session, tmp_path) -> None:
    bank = str(DEMO_DATA / "sample_bank.xlsx")
    steps = [
        ["units", "import", str(DEMO_DATA / "units.csv")],
        ["bank", "import", bank, "--bank", "CĐS", "--dry-run"],  # changes nothing: not recorded
        ["bank", "import", bank, "--bank", "CĐS"],
        ["bank", "import", bank, "--bank", "CĐS"],  # every question a duplicate: refused, not recorded
        ["contest", "create", "--slug", "cds", "--title", "Thi CĐS", "--scope", "HBX"],
        ["contest", "configure", "--slug", "cds", "--names", "full"],
        ["round", "create", "--contest", "cds", "--name", "Tuần 1", "--bank", "CĐS", *ROUND_TIMES],
    ]
    codes = [runner.invoke(args=args).exit_code for args in steps]
    assert codes == [0, 0, 0, 1, 0, 0, 0]
    entries = _entries(session)
    assert [entry.action for entry in entries] == [
        "units.import",
        "bank.import",
        "contest.create",
        "contest.configure",
        "round.create",
    ]
    assert all(entry.user_id is None and entry.cli_user == command_line_user() for entry in entries)
    assert entries[0].after == {"created": 50, "updated": 0}
    assert entries[1].after == {"file": "sample_bank.xlsx", "questions": 120}
    assert entries[3].before["names"] == "masked" and entries[3].after["names"] == "full"
    assert entries[2].after["scope"] == "HBX" and entries[2].after["title"] == "Thi CĐS"
    assert entries[4].target == f"round:{session.scalar(select(Round.id))}"
    assert (entries[4].after["opens"], entries[4].after["bank"]) == ("2026-10-10T08:00", "CĐS")  # its settings


def test_the_page_shows_who_and_only_the_fields_an_edit_changed(app, session, clock, runner) -> None:
    runner.invoke(args=["units", "import", str(DEMO_DATA / "units.csv")])
    runner.invoke(args=["contest", "create", "--slug", "cds", "--title", "Thi CĐS"])
    client = _organizer_client(app, session, clock)
    saved = client.post(
        "/admin/contests/cds/edit",
        data={
            "title": "Thi tìm hiểu CĐS",
            "scope": "",
            "rules": "",
            "names": "masked",
            "csrf_token": csrf_token(client),
        },
    )
    assert saved.status_code == 302
    page = client.get("/admin/audit").get_data(as_text=True)
    assert f"Dòng lệnh ({command_line_user()})" in page and "Trần Thị Tổ Chức" in page
    assert "Sửa cuộc thi" in page and "Thi CĐS" in page and "Thi tìm hiểu CĐS" in page
    start = page.index("<td>Sửa cuộc thi</td>")
    edit_row = page[start : page.index("</tr>", start)]
    assert ">Tên cuộc thi</span>" in edit_row and ">Tên trên bảng xếp hạng" not in edit_row  # unchanged: left out
    client.post(
        "/admin/contests/cds/edit",
        data={
            "title": "Thi tìm hiểu CĐS",
            "scope": "",
            "rules": "",
            "names": "full",
            "chain-1": "score",
            "chain-2": "duration",
            "csrf_token": csrf_token(client),
        },
    )
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Đầy đủ" in page and "điểm cao hơn → thời gian làm bài ngắn hơn" in page  # values in words, not codes
    assert '"score"' not in page and ">chain</span>" not in page
    english = client.get("/admin/audit?lang=en").get_data(as_text=True)
    assert "Edited a contest" in english and f"Command line ({command_line_user()})" in english


def test_filters_pages_and_the_export_follow_the_same_choice(app, session, clock, runner) -> None:
    runner.invoke(args=["units", "import", str(DEMO_DATA / "units.csv")])
    for number in range(105):
        runner.invoke(args=["contest", "create", "--slug", f"thi-{number}", "--title", f"Thi {number}"])
    client = _organizer_client(app, session, clock)
    first = client.get("/admin/audit?action=contest.create").get_data(as_text=True)
    assert "105 mục" in first and "Trang 1 / 2" in first and "contest:thi-104" in first
    assert "contest:thi-0<" not in first and "units.csv" not in first
    second = client.get("/admin/audit?action=contest.create&page=2").get_data(as_text=True)
    assert "contest:thi-0<" in second and "contest:thi-104" not in second
    found = client.get("/admin/audit?q=THI-42").get_data(as_text=True)
    assert "1 mục" in found and "contest:thi-42" in found
    # the unit tree is the platform's, not a body's: its import is in the platform administrator's log only
    assert "units.csv" not in client.get("/admin/audit?q=units").get_data(as_text=True)
    make_user(session, clock(), phone="0900000002", role="admin")
    session.commit()
    admin = app.test_client()
    admin.post("/login", data={"phone": "0900000002", "password": "mat-khau-123", "csrf_token": csrf_token(admin)})
    by_person = admin.get("/admin/audit?q=units").get_data(as_text=True)
    assert "units.csv" in by_person and "contest:thi" not in by_person
    sheet = load_workbook(io.BytesIO(client.get("/admin/audit.xlsx?q=thi-42").data)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(row[3], row[4]) for row in rows] == [("contest.create", "contest:thi-42")]
    assert '"title": "Thi 42"' in rows[0][6]  # JSON, Vietnamese kept as written
    download = _entries(session)[-1]
    assert download.action == "audit.export" and download.after == {"action": "", "text": "thi-42"}
    assert download.user.phone == "0900000001"


def test_only_organizers_read_or_download_the_log(app, session, clock, auth) -> None:
    make_user(session, clock(), phone="0912000001")
    session.commit()
    auth.login("0912000001")
    assert auth.client.get("/admin/audit").status_code == 403
    assert auth.client.get("/admin/audit.xlsx").status_code == 403
    assert _entries(session) == []


def test_changes_keep_each_side_to_what_it_recorded() -> None:
    edit = AuditEntry(before={"title": "A", "names": "masked"}, after={"title": "B", "names": "masked"})
    assert [(c.field, c.before, c.after) for c in changes(edit)] == [("title", "A", "B")]
    decision = AuditEntry(before={"score": 12}, after={"reason": "Thi hộ"})
    assert [(c.field, c.in_before, c.in_after) for c in changes(decision)] == [
        ("score", True, False),
        ("reason", False, True),
    ]
    created = AuditEntry(before=None, after={"name": "Tuần 1"})
    assert [(c.field, c.in_before, c.after) for c in changes(created)] == [("name", False, "Tuần 1")]
