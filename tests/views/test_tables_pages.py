"""Tables in the pages (#16 item 3): the leaderboard and its API by table, the contest form, the certificate, and the
participant's own details until the first attempt."""

from __future__ import annotations

import re

from sqlalchemy import select

from contest.models import AuditEntry, Certificate, Contest, User
from tests.helpers import csrf_token


def _login(client, phone: str) -> None:  # type: ignore[no-untyped-def]
    client.post("/login", data={"phone": phone, "password": "Demo@2026", "csrf_token": csrf_token(client)})


def test_the_board_and_its_api_show_one_table_and_refuse_an_unknown_one(runner, client, session) -> None:
    runner.invoke(args=["demo"])
    whole = client.get("/api/rounds/1/leaderboard?limit=50").get_json()
    table_a = client.get("/api/rounds/1/leaderboard?limit=50&table=a").get_json()
    table_b = client.get("/api/rounds/1/leaderboard?limit=50&table=B").get_json()
    assert table_a["table"] == "A" and table_a["total"] + table_b["total"] == whole["total"]
    assert [entry["rank"] for entry in table_a["entries"]] == list(range(1, table_a["total"] + 1))
    civil = set(session.scalars(select(User.name).where(User.category == "civil_servant")))
    from contest.services.people.privacy import mask_name

    assert {entry["name"] for entry in table_a["entries"]} <= {mask_name(name) for name in civil}
    assert client.get("/api/rounds/1/leaderboard?table=C").status_code == 404  # the demo has A and B
    assert client.get("/api/rounds/1/leaderboard?table=%3Cscript%3E").status_code == 404
    page = client.get("/contests/cds-2026/leaderboard?round=1&table=B").get_data(as_text=True)
    assert 'aria-current="page">Bảng B: Đoàn viên' in page and "table=B" in page  # the live refresh reads table B
    assert client.get("/contests/cds-2026/leaderboard?round=1&table=Z").status_code == 404


def test_prize_certificates_name_the_table(runner, session) -> None:
    runner.invoke(args=["demo"])
    tables = {c.statement["table"] for c in session.scalars(select(Certificate).where(Certificate.kind == "prize"))}
    assert tables == {
        "Bảng A: Cán bộ, công chức, viên chức",
        "Bảng B: Đoàn viên, hội viên, người lao động và người dân",
    }


def test_the_contest_form_sets_tables_and_explains_a_refusal(runner, client, session) -> None:
    runner.invoke(args=["demo"])
    _login(client, "0900000001")
    contest = session.scalar(select(Contest).where(Contest.slug == "cds-2026"))
    form = client.get("/admin/contests/cds-2026/edit").get_data(as_text=True)
    assert 'name="table_name_A"' in form and "Bảng A: Cán bộ, công chức, viên chức" in form
    data = {
        "csrf_token": csrf_token(client),
        "title": contest.title,
        "rules": "Thể lệ",
        "names": "masked",
        "table_civil_servant": "A",
        "table_union_member": "A",
        "table_association_member": "",
        "table_worker": "",
        "table_citizen": "",
        "table_name_A": "Bảng A",
    }
    refused = client.post("/admin/contests/cds-2026/edit", data=data)
    assert refused.status_code == 400 and "ít nhất hai bảng" in refused.get_data(as_text=True)
    session.expire_all()
    assert len(contest.tables) == 2  # unchanged
    data.update(table_citizen="B", table_name_B="Bảng B: Người dân")
    assert client.post("/admin/contests/cds-2026/edit", data=data).status_code == 302
    session.expire_all()
    assert [(t["key"], t["categories"]) for t in contest.tables] == [
        ("A", ["civil_servant", "union_member"]),
        ("B", ["citizen"]),
    ]
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "contest.edit")).after["tables"][1]["name"] == (
        "Bảng B: Người dân"
    )


def test_a_participant_corrects_their_details_until_their_first_attempt(runner, client, session, app) -> None:
    runner.invoke(args=["demo"])
    _login(client, "0900000002")  # took last week's round: the details are the organizers' now
    page = client.get("/account").get_data(as_text=True)
    assert 'value="profile"' not in page and "hãy đề nghị Ban Tổ chức" in page
    refused = client.post(
        "/account",
        data={"action": "profile", "name": "Tên Khác", "category": "citizen", "csrf_token": csrf_token(client)},
    )
    assert refused.status_code == 400
    assert session.scalar(select(User.name).where(User.phone == "0900000002")) == "Nguyễn Văn An"
    newcomer = app.test_client()
    newcomer.post(
        "/api/participants",
        json={
            "name": "Lò Văn Páo",
            "phone": "0987000111",
            "password": "mat-khau-123",
            "unit_code": "HBX-SKHCN",
            "category": "worker",
            "consent": True,
        },
        headers={"X-CSRFToken": csrf_token(newcomer)},
    )
    saved = newcomer.post(
        "/account",
        data={
            "action": "profile",
            "name": "Lò Văn Pảo",
            "category": "citizen",
            "unit": "HBX-SNV-VP",
            "csrf_token": csrf_token(newcomer),
        },
    )
    assert saved.status_code == 302
    person = session.scalar(select(User).where(User.phone == "0987000111"))
    assert (person.name, person.category, person.unit.code) == ("Lò Văn Pảo", "citizen", "HBX-SNV-VP")
    bad = newcomer.post(
        "/account",
        data={"action": "profile", "name": "Lò Văn Pảo", "unit": "KHONG-CO", "csrf_token": csrf_token(newcomer)},
    )
    assert bad.status_code == 400 and "KHONG-CO" in bad.get_data(as_text=True)
    session.refresh(person)
    assert person.unit.code == "HBX-SNV-VP"  # unchanged


def test_odd_names_and_staff_accounts_in_the_profile_routes(runner, client, session, app) -> None:
    runner.invoke(args=["demo"])
    newcomer = app.test_client()
    registered = newcomer.post(
        "/api/participants",
        json={
            "name": "ß" * 120,
            "phone": "0987000222",
            "password": "mat-khau-123",
            "unit_code": "HBX-SKHCN",
            "category": "worker",
            "consent": True,
        },
        headers={"X-CSRFToken": csrf_token(newcomer)},
    )
    assert registered.status_code in (200, 201)  # its lower-case, accent-free form is longer, and still kept
    _login(client, "0900000001")
    admin = session.scalar(select(User).where(User.phone == "0900000003"))  # a unit administrator
    refused = client.post(
        f"/admin/users/{admin.id}/profile",
        data={"name": "Đổi Tên", "unit": "", "category": "", "csrf_token": csrf_token(client)},
    )
    assert refused.status_code == 403 and session.get(User, admin.id).name != "Đổi Tên"


def test_the_organizers_top_list_gives_each_winners_table_and_place(runner, client, session) -> None:
    runner.invoke(args=["demo"])
    _login(client, "0900000001")
    page = client.get("/admin/rounds/2").get_data(as_text=True)  # last week's round, two tables
    top = page.split('id="top-title"')[1]
    assert top.count("(Bảng A, hạng 1)") == 1 and top.count("(Bảng B, hạng 1)") == 1
    # the prize form says its numbers are given in each table
    prizes = page.split('id="prizes-per-table"')[1].split("</p>")[0]
    assert "2 bảng" in prizes and "mỗi bảng" in prizes and "Bảng A" in prizes and "Bảng B" in prizes


def test_the_account_page_title_is_only_its_title(runner, client) -> None:
    runner.invoke(args=["demo"])
    _login(client, "0900000002")
    page = client.get("/account").get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert title.strip() == "Tài khoản" and page.count("js/unit-finder.js") == 1
