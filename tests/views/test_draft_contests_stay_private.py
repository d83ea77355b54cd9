"""A draft contest is its organizers' alone (#26 item 6): a unit administrator's round picker never names it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from contest.models import Contest
from contest.services.console.contests import create_contest
from contest.services.console.rounds import create_round
from contest.services.shared.audit import Actor
from tests.helpers import csrf_token


def _login(app, phone: str):  # type: ignore[no-untyped-def]
    client = app.test_client()
    client.post("/login", data={"phone": phone, "password": "Demo@2026", "csrf_token": csrf_token(client)})
    return client


def test_a_unit_administrators_round_picker_leaves_out_draft_contests(runner, app, session, clock) -> None:
    runner.invoke(args=["demo"])
    actor = Actor.command_line()
    department = session.scalar(select(Contest.body_id).where(Contest.slug == "cds-2026"))
    secret = create_contest(
        session,
        slug="bi-mat-2027",
        title="Cuộc thi BÍ MẬT 2027",
        now=clock(),
        actor=actor,
        status="draft",
        body_id=department,
    )
    assert secret.status == "draft"
    create_round(
        session,
        contest=secret,
        actor=actor,
        now=clock(),
        name="Vòng 1",
        opens_at=clock() + timedelta(days=30),
        closes_at=clock() + timedelta(days=37),
        question_count=5,
        minutes=5,
        bank_name="Ngân hàng mẫu chuyển đổi số",
    )
    session.commit()
    unit_admin = _login(app, "0900000003").get("/unit/").get_data(as_text=True)
    assert "Tuần 2" in unit_admin and "BÍ MẬT" not in unit_admin
    organizer = _login(app, "0900000001").get("/unit/?unit=HBX-SKHCN").get_data(as_text=True)
    assert "BÍ MẬT" in organizer
    # the youth union's organizer sees the unit's page with the youth union's rounds only
    youth = _login(app, "0900000005").get("/unit/?unit=HBX-SKHCN").get_data(as_text=True)
    assert "Vòng 1" in youth and "Tuần 2" not in youth and "BÍ MẬT" not in youth
