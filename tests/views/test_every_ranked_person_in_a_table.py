"""Every ranked person in a table (#26 item 3): a category is required at registration and on the account page; an
account with none, or one no table of the contest takes, chooses before its first attempt there; the close names
anyone who would be ranked outside every table and goes on only when the organizer decides so."""

from __future__ import annotations

from sqlalchemy import select

from contest.models import AuditEntry, Contest, RankingEntry, Round, User
from contest.services.people.accounts import create_user
from contest.services.people.units import find_unit
from tests.helpers import csrf_token, right_options


def _register(client, phone: str, **extra):  # type: ignore[no-untyped-def]
    body = {"name": "Trần Thị Bích Ngọc", "phone": phone, "password": "mat-khau-123", "unit_code": "HBX-SKHCN"}
    return client.post(
        "/api/participants", json={**body, "consent": True, **extra}, headers={"X-CSRFToken": csrf_token(client)}
    )


def _login(client, phone: str, password: str = "mat-khau-123") -> None:  # type: ignore[no-untyped-def]
    client.post("/login", data={"phone": phone, "password": password, "csrf_token": csrf_token(client)})


def test_registration_and_the_account_page_require_a_category(runner, app, session) -> None:
    runner.invoke(args=["demo"])
    client = app.test_client()
    refused = _register(client, "0987100001")
    assert refused.status_code == 400 and "category" in refused.get_json()["fields"]
    assert session.scalar(select(User).where(User.phone == "0987100001")) is None
    page = client.post(
        "/register",
        data={
            "name": "Trần Thị Bích Ngọc",
            "phone": "0987100001",
            "password": "mat-khau-123",
            "unit_q": "HBX-SKHCN",
            "unit_code": "HBX-SKHCN",
            "category": "",
            "consent": "y",
            "csrf_token": csrf_token(client),
        },
    )
    assert page.status_code == 400 and "Vui lòng chọn đối tượng trong danh sách." in page.get_data(as_text=True)
    assert _register(client, "0987100001", category="citizen").status_code in (200, 201)
    cleared = client.post(
        "/account",
        data={"action": "profile", "name": "Trần Thị Bích Ngọc", "category": "", "csrf_token": csrf_token(client)},
    )
    assert cleared.status_code == 400
    assert session.scalar(select(User.category).where(User.phone == "0987100001")) == "citizen"


def test_an_account_without_a_table_chooses_before_its_first_attempt_and_keeps_the_choice(
    runner, app, session, clock
) -> None:
    runner.invoke(args=["demo"])
    unit = find_unit(session, "HBX-SKHCN")
    create_user(session, name="Lê Không Bảng", phone="0987100002", password="mat-khau-123", unit=unit, now=clock())
    session.commit()  # an account from before categories were required: none
    client = app.test_client()
    _login(client, "0987100002")
    refused = client.post("/api/rounds/1/attempts", headers={"X-CSRFToken": csrf_token(client)})
    assert refused.status_code == 409 and refused.get_json()["error"] == "category_needed"
    page = client.get("/rounds/1/take").get_data(as_text=True)
    assert 'name="category"' in page and "chọn đối tượng" in page.lower()
    assert 'value="civil_servant"' in page and 'value="citizen"' in page  # the categories the tables take
    wrong = client.post("/rounds/1/take", data={"category": "alien", "csrf_token": csrf_token(client)})
    assert wrong.status_code == 302 and session.scalar(select(User.category).where(User.phone == "0987100002")) is None
    started = client.post("/rounds/1/take", data={"category": "worker", "csrf_token": csrf_token(client)})
    assert started.status_code == 302
    person = session.scalar(select(User).where(User.phone == "0987100002"))
    assert person.category == "worker"
    audit = session.scalar(select(AuditEntry).where(AuditEntry.target == f"user:{person.id}"))
    assert audit.before["category"] is None and audit.after["category"] == "worker"
    assert 'name="category"' not in client.get("/rounds/1/take").get_data(as_text=True)  # asked once
    changed = client.post(
        "/account",
        data={"action": "profile", "name": person.name, "category": "citizen", "csrf_token": csrf_token(client)},
    )
    assert changed.status_code == 400  # fixed once they take part, as before


def test_the_close_names_whoever_would_be_ranked_outside_every_table_until_the_organizer_decides(
    runner, app, session, clock
) -> None:
    runner.invoke(args=["demo"])
    round_ = session.get(Round, 1)
    unit = find_unit(session, "HBX-SKHCN")
    full = create_user(
        session, name="Phạm Điểm Cao", phone="0987100003", password="mat-khau-123", unit=unit, now=clock()
    )
    full.category = "citizen"
    session.commit()
    client = app.test_client()
    _login(client, "0987100003")
    headers = {"X-CSRFToken": csrf_token(client)}
    body = client.post("/api/rounds/1/attempts", headers=headers).get_json()
    rights = right_options(session, body["attempt_id"])
    for question in body["questions"]:
        client.put(
            f"/api/attempts/{body['attempt_id']}/answers/{question['position']}",
            json={"options": rights[question["position"]]},
            headers=headers,
        )
    client.post(f"/api/attempts/{body['attempt_id']}/submit", json={"prediction": None}, headers=headers)
    full.category = None  # as an account left without one (before categories were required)
    session.commit()
    organizer = app.test_client()
    _login(organizer, "0900000001", "Demo@2026")
    clock.advance(days=8)
    refused = organizer.post("/admin/rounds/1/close", data={"csrf_token": csrf_token(organizer), "confirmed": "1"})
    assert refused.status_code == 302
    session.expire_all()
    assert round_.finalized_at is None and round_.closed_at is None
    page = organizer.get(refused.headers["Location"]).get_data(as_text=True)
    assert "Phạm Điểm Cao (Sở Khoa học và Công nghệ)" in page and "không thuộc bảng nào" in page
    refused_cli = runner.invoke(args=["round", "close", "1"])
    assert refused_cli.exit_code != 0 and "Phạm Điểm Cao" in refused_cli.output
    decided = organizer.post(
        "/admin/rounds/1/close",
        data={"csrf_token": csrf_token(organizer), "confirmed": "1", "outside_tables": "1"},
    )
    assert decided.status_code == 302
    entry = session.scalar(select(RankingEntry).where(RankingEntry.user_id == full.id))
    assert entry.table_key is None and entry.prize is None and entry.score == entry.total  # ranked, outside, as decided
    close = session.scalar(
        select(AuditEntry).where(AuditEntry.action == "round.close", AuditEntry.target == f"round:{round_.id}")
    )
    assert close.after["outside_tables"] == 1


def test_a_person_who_took_part_cannot_change_table_through_another_contests_start_page(
    runner, app, session, clock
) -> None:
    from datetime import timedelta

    from contest.services.console.contests import create_contest
    from contest.services.console.rounds import create_round
    from contest.services.shared.audit import Actor

    runner.invoke(args=["demo"])
    person = session.scalar(select(User).where(User.phone == "0900000012"))
    assert person.category == "citizen"  # Bảng B of the demo contest, where they took this week's round
    actor = Actor.command_line()
    other = create_contest(
        session,
        slug="thu-hai",
        title="Cuộc thi thứ hai",
        now=clock(),
        actor=actor,
        body_id=session.scalar(select(Contest.body_id).where(Contest.slug == "cds-2026")),
        tables=({"A": "Bảng A", "B": "Bảng B"}, {"civil_servant": "A", "worker": "B"}),  # no table for citizens
    )
    round_ = create_round(
        session,
        contest=other,
        actor=actor,
        now=clock(),
        name="Vòng 1",
        opens_at=clock() - timedelta(hours=1),
        closes_at=clock() + timedelta(days=1),
        question_count=5,
        minutes=5,
        bank_name="Ngân hàng mẫu chuyển đổi số",
    )
    session.commit()
    client = app.test_client()
    _login(client, "0900000012", "Demo@2026")
    moved = client.post(f"/rounds/{round_.id}/take", data={"category": "worker", "csrf_token": csrf_token(client)})
    assert moved.status_code == 302
    session.refresh(person)
    assert person.category == "citizen"  # their table in the demo contest stays
    assert "chỉ Ban Tổ chức sửa được họ tên, đơn vị và đối tượng" in client.get(moved.headers["Location"]).get_data(
        as_text=True
    )
