"""Organizing bodies cannot see each other's work (#29): every organizer route, opened by a member of another body
with the other body's ids, answers 404 (its existence is not told); lists, the audit log, draft previews and the
unit pages leave the other body out; each role does what its row says and no more."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from contest.models import Attempt, BankUpload, Body, Contest, Question, QuestionBank, Round, Unit, User
from contest.services.shared.audit import Actor, record
from tests.factories import add_member, make_bank, make_body, make_contest, make_round, make_unit, make_user
from tests.helpers import csrf_token

# Route arguments that name what the whole platform shares (people, units): not owned by a body.
PLATFORM_ARGUMENTS = {"user_id", "code"}


@dataclass
class BodyWork:
    body: Body
    manager: User
    contest: Contest
    draft: Contest
    round: Round
    bank: QuestionBank
    question: Question
    upload: BankUpload
    attempt: Attempt

    def values(self, unit: Unit) -> dict[str, object]:
        return {
            "slug": self.contest.slug,
            "round_id": self.round.id,
            "bank_id": self.bank.id,
            "question_id": self.question.id,
            "upload_id": self.upload.id,
            "attempt_id": self.attempt.id,
            "body_id": self.body.id,
            "user_id": self.manager.id,
            "code": unit.code,
        }


def _work(session, clock, short: str, unit: Unit) -> BodyWork:  # type: ignore[no-untyped-def]
    now = clock()
    body = make_body(session, now, short)
    manager = make_user(session, now, role="participant")
    add_member(session, body, manager, "manager", now)
    bank = make_bank(session, now, name=f"Ngân hàng {short}", body=body)
    contest = make_contest(session, now, slug=f"thi-{short.lower()}", body=body)
    contest.title = f"Cuộc thi của {short}"
    draft = make_contest(session, now, slug=f"nhap-{short.lower()}", status="draft", body=body)
    draft.title = f"Bản nháp của {short}"
    round_ = make_round(session, contest, now, bank=bank, name=f"Vòng {short}", questions=5)
    player = make_user(session, now, unit=unit)
    attempt = Attempt(
        user=player,
        round=round_,
        number=1,
        started_at=now,
        deadline=now + timedelta(minutes=15),
        status="submitted",
        submitted_at=now + timedelta(minutes=1),
        total=5,
        score=3,
        duration_ms=60_000,
        seed=1,
    )
    session.add(attempt)
    upload = BankUpload(
        user_id=manager.id, body_id=body.id, bank_name=bank.name, filename="x.csv", data=b"x", created_at=now
    )
    session.add(upload)
    session.flush()
    record(session, Actor.account(manager), "round.edit", f"round:{round_.id}", after={"secret": short}, now=now)
    question = session.scalar(select(Question).where(Question.bank_id == bank.id).limit(1))
    assert question is not None
    return BodyWork(body, manager, contest, draft, round_, bank, question, upload, attempt)


@pytest.fixture
def bodies(app: Flask, session, clock):  # type: ignore[no-untyped-def]
    unit = make_unit(session, "HBX")
    theirs = _work(session, clock, "KHCN", unit)
    mine = _work(session, clock, "DOAN", unit)
    session.commit()
    return theirs, mine, unit


def _login(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    client.post("/login", data={"phone": user.phone, "password": "mat-khau-123", "csrf_token": csrf_token(client)})
    return client


def _organizer_rules(app: Flask):  # type: ignore[no-untyped-def]
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("organizer.")]


def test_every_organizer_route_names_the_right_it_needs(app: Flask) -> None:
    """A route added without `staff_required` fails here (and would answer nobody: the scope check is its own)."""
    missing = [
        rule.endpoint
        for rule in _organizer_rules(app)
        if getattr(app.view_functions[rule.endpoint], "required_right", None) is None
    ]
    assert missing == []
    assert len(_organizer_rules(app)) >= 55


def test_another_bodys_objects_are_not_found_on_every_organizer_route(app: Flask, bodies) -> None:  # type: ignore[no-untyped-def]
    theirs, mine, unit = bodies
    client = _login(app, mine.manager)
    token = csrf_token(client)
    checked = 0
    for rule in _organizer_rules(app):
        if not set(rule.arguments) - PLATFORM_ARGUMENTS:
            continue  # a person or a unit: shared by every body
        url = rule.build({name: theirs.values(unit)[name] for name in rule.arguments}, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if method == "GET":
                status = client.get(url).status_code
            else:
                status = client.post(url, data={"csrf_token": token, "confirmed": "1"}).status_code
            assert status == 404, (method, url, status)
            checked += 1
    assert checked >= 40
    # the same routes with the person's own body's ids are reached: the sweep is not answered 404 by everything
    reached = []
    for rule in _organizer_rules(app):
        if "GET" in rule.methods and set(rule.arguments) - PLATFORM_ARGUMENTS:
            url = rule.build({name: mine.values(unit)[name] for name in rule.arguments}, append_unknown=False)[1]
            reached.append((url, client.get(url).status_code))
    assert all(status != 404 or "/uploads/" in url for url, status in reached), reached


def test_lists_the_audit_log_and_previews_leave_the_other_body_out(app: Flask, bodies) -> None:  # type: ignore[no-untyped-def]
    theirs, mine, _unit = bodies
    client = _login(app, mine.manager)
    for url in ("/admin/", "/admin/contests", "/admin/banks", "/admin/audit", "/admin/bodies", "/unit/?unit=HBX"):
        page = client.get(url).get_data(as_text=True)
        assert "KHCN" not in page, url  # not their contest, bank, round, draft, body or log entry
    assert "Cuộc thi của DOAN" in client.get("/admin/contests").get_data(as_text=True)
    assert "DOAN" in client.get("/admin/audit").get_data(as_text=True)
    assert "Vòng DOAN" in client.get("/unit/?unit=HBX").get_data(as_text=True)
    # a draft is previewed by its own body only
    assert client.get(f"/contests/{theirs.draft.slug}").status_code == 404
    assert client.get(f"/contests/{mine.draft.slug}").status_code == 200
    # the same name for a new bank is refused as taken, without saying by whom
    form = {
        "file": (open("contest/demo_data/sample_bank.csv", "rb"), "sample_bank.csv"),  # noqa: SIM115
        "bank_name": theirs.bank.name,
        "file_format": "auto",
        "csrf_token": csrf_token(client),
    }
    upload = client.post("/admin/banks/upload", data=form, content_type="multipart/form-data")
    report = client.get(upload.headers["Location"]).get_data(as_text=True)
    assert "đã được dùng" in report and "KHCN" not in report.replace(theirs.bank.name, "")


ROLE_CAN = {
    # (method, url template): who of manager, author, operator, reviewer, viewer reaches it
    ("GET", "/admin/banks/{bank_id}"): {"manager", "author", "reviewer"},
    ("GET", "/admin/banks/{bank_id}/export.xlsx"): {"manager", "author", "reviewer"},
    ("GET", "/admin/questions/{question_id}/edit"): {"manager", "author"},
    ("GET", "/admin/banks/{bank_id}/review"): {"manager", "author", "reviewer"},
    ("GET", "/admin/rounds/{round_id}"): {"manager", "operator", "viewer"},
    ("GET", "/admin/rounds/{round_id}/monitor"): {"manager", "operator", "viewer"},
    ("GET", "/admin/rounds/{round_id}/integrity"): {"manager", "operator"},
    ("GET", "/admin/rounds/{round_id}/questions"): {"manager", "operator"},
    ("GET", "/admin/contests/{slug}/edit"): {"manager", "operator"},
    ("POST", "/admin/rounds/{round_id}/board"): {"manager", "operator"},
    ("POST", "/admin/questions/{question_id}/active"): {"manager", "author"},
    ("POST", "/admin/bodies/{body_id}/members"): {"manager"},
    ("GET", "/admin/audit"): {"manager"},
    ("GET", "/admin/users"): {"manager", "operator"},
    ("GET", "/admin/contests/new"): {"manager", "operator"},
    ("GET", "/admin/contests"): {"manager", "operator", "viewer"},
    ("GET", "/admin/banks"): {"manager", "author", "reviewer"},
}


@pytest.mark.parametrize("role", ["manager", "author", "operator", "reviewer", "viewer"])
def test_each_role_does_what_its_row_says_and_no_more(app: Flask, session, clock, bodies, role) -> None:  # type: ignore[no-untyped-def]
    _theirs, mine, unit = bodies
    person = make_user(session, clock())
    add_member(session, mine.body, person, role, clock())
    session.commit()
    client = _login(app, person)
    token = csrf_token(client)
    for (method, template), allowed in ROLE_CAN.items():
        url = template.format(**mine.values(unit))
        if method == "GET":
            status = client.get(url).status_code
        else:
            status = client.post(url, data={"csrf_token": token, "action": "freeze", "confirmed": "1"}).status_code
        if role in allowed:
            assert status in (200, 302, 400), (role, method, url, status)
        else:
            assert status in (403, 404), (role, method, url, status)
    assert client.get("/admin/").status_code == 200  # every member has the organizer home


def test_the_platform_administrator_sees_every_body_and_creates_one(app: Flask, session, clock, bodies) -> None:  # type: ignore[no-untyped-def]
    theirs, mine, _unit = bodies
    admin = make_user(session, clock(), role="admin")
    newcomer = make_user(session, clock(), phone="0912999001")
    session.commit()
    client = _login(app, admin)
    page = client.get("/admin/contests").get_data(as_text=True)
    assert "Cuộc thi của KHCN" in page and "Cuộc thi của DOAN" in page
    created = client.post(
        "/admin/bodies",
        data={
            "name": "Liên đoàn Lao động tỉnh",
            "short_name": "LĐLĐ",
            "heading": "",
            "manager_phone": "0912999001",
            "csrf_token": csrf_token(client),
        },
    )
    assert created.status_code == 302
    session.refresh(newcomer)
    assert newcomer.role == "organizer"  # a membership makes the account staff
    taken = client.post(
        "/admin/bodies",
        data={"name": "Khác", "short_name": "KHCN", "manager_phone": "0912999001", "csrf_token": csrf_token(client)},
    )
    assert taken.status_code == 400 and "đã được dùng" in taken.get_data(as_text=True)
    # a body's manager cannot create bodies; losing the last membership returns the account to a participant
    manager = _login(app, mine.manager)
    refused = manager.post("/admin/bodies", data={"name": "X", "short_name": "X", "csrf_token": csrf_token(manager)})
    assert refused.status_code == 403
    body = session.scalar(select(Body).where(Body.short_name == "LĐLĐ"))
    helper = make_user(session, clock(), phone="0912999002")
    session.commit()
    add = client.post(
        f"/admin/bodies/{body.id}/members",
        data={f"b{body.id}-phone": "0912999002", f"b{body.id}-role": "viewer", "csrf_token": csrf_token(client)},
    )
    assert add.status_code == 302
    session.refresh(helper)
    assert helper.role == "organizer"
    removed = client.post(
        f"/admin/bodies/{body.id}/members/{helper.id}/remove", data={"csrf_token": csrf_token(client)}
    )
    assert removed.status_code == 302
    session.refresh(helper)
    assert helper.role == "participant"
    # the last manager stays
    last = client.post(f"/admin/bodies/{body.id}/members/{newcomer.id}/remove", data={"csrf_token": csrf_token(client)})
    assert last.status_code == 302
    session.refresh(newcomer)
    assert newcomer.role == "organizer"
    assert theirs.body.id != body.id


def test_every_unit_area_route_names_the_right_a_bodys_staff_need(app: Flask) -> None:
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("unit_admin.")]
    assert rules and all(getattr(app.view_functions[r.endpoint], "required_right", None) for r in rules)


def test_staff_without_the_right_cannot_reset_rename_or_list_in_the_unit_area(
    app: Flask, session, clock, bodies
) -> None:  # type: ignore[no-untyped-def]
    """The unit area asks a body's staff for the right the organizer area would: a viewer of one body cannot reset a
    participant's password, correct their details or replace a unit's staff list (which every body's contests
    read); nobody but the platform administrator resets a unit administrator's."""
    _theirs, mine, unit = bodies
    person = make_user(session, clock(), unit=unit)
    unit_admin = make_user(session, clock())
    unit_admin.role, unit_admin.managed_unit = "unit_admin", unit
    viewer = make_user(session, clock())
    add_member(session, mine.body, viewer, "viewer", clock())
    session.commit()
    client = _login(app, viewer)
    token = csrf_token(client)
    assert client.post(f"/unit/users/{person.id}/reset", data={"csrf_token": token}).status_code == 403
    assert client.get(f"/unit/people/{person.id}/details").status_code == 403
    roster = client.post(f"/unit/roster?unit={unit.code}", data={"csrf_token": token, "keep": "y"})
    assert roster.status_code == 403
    assert client.get(f"/unit/?unit={unit.code}").status_code == 200  # looking is every member's
    manager = _login(app, mine.manager)
    token = csrf_token(manager)
    assert manager.post(f"/unit/users/{person.id}/reset", data={"csrf_token": token}).status_code == 302
    assert manager.post(f"/admin/users/{unit_admin.id}/reset", data={"csrf_token": token}).status_code in (403, 404)
    old_hash = session.get(User, unit_admin.id).password_hash
    session.expire_all()
    assert session.get(User, unit_admin.id).password_hash == old_hash
