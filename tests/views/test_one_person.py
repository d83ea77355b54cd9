"""One person, one set of attempts (#26 item 2): deleting one's account and registering again with the same phone
gives no new attempts, no other table and no way round a refusal; an approval holds only while the person's unit
lies under the unit that approved it."""

from __future__ import annotations

from sqlalchemy import func, select

from contest.models import Attempt, JoinRequest, User
from tests.helpers import csrf_token
from tests.views.test_eligibility import _client_for, _post, _upload, staff  # noqa: F401 - the fixture

PHONE = "0912345678"  # the quiz's participant


def _delete_and_register_again(app, session, quiz, **extra):  # type: ignore[no-untyped-def]
    deleted = _post(quiz.client, "/account", action="delete", confirm="y")
    assert deleted.status_code == 302
    old = session.get(User, quiz.user.id)
    session.refresh(old)
    assert old.anonymised_at is not None and old.phone != PHONE and old.person_key and PHONE not in old.person_key
    client = app.test_client()
    body = {"name": "Nguyễn Văn An", "phone": PHONE, "password": "mat-khau-123", "unit_code": quiz.unit.code}
    registered = client.post(
        "/api/participants",
        json={**body, "category": "civil_servant", "consent": True, **extra},
        headers={"X-CSRFToken": csrf_token(client)},
    )
    assert registered.status_code == 201
    return client


def test_registering_again_with_the_same_phone_gives_no_new_attempts(app, session, staff) -> None:  # noqa: F811
    quiz = staff
    quiz.round.max_attempts = 1
    quiz.round.contest.eligibility = "staff_list"
    session.commit()
    _upload(_client_for(app, "0900000003"), [("Nguyễn Văn An", PHONE)])
    started = quiz.start().get_json()
    quiz.submit(started["attempt_id"])
    again = _delete_and_register_again(app, session, quiz)
    refused = again.post("/api/rounds/1/attempts", headers={"X-CSRFToken": csrf_token(again)})
    assert refused.status_code == 409 and refused.get_json()["error"] == "attempts_used_up"
    assert session.scalar(select(func.count(Attempt.id))) == 1
    page = again.get("/rounds/1/take").get_data(as_text=True)
    assert "1 / 1" in page  # the attempts used, the deleted account's counted


def test_a_refusal_and_the_table_stay_with_the_person(app, session, staff) -> None:  # noqa: F811
    quiz = staff
    contest = quiz.round.contest
    contest.eligibility = "approval"
    session.commit()
    _post(quiz.client, "/contests/cds/join")
    request_id = session.scalar(select(JoinRequest.id))
    _post(_client_for(app, "0900000003"), f"/unit/requests/{request_id}", decision="refuse")
    again = _delete_and_register_again(app, session, quiz)
    _post(again, "/contests/cds/join")
    refused = again.post("/api/rounds/1/attempts", headers={"X-CSRFToken": csrf_token(again)})
    assert refused.status_code == 403 and "không được chấp thuận" in refused.get_json()["message"]


def test_the_table_chosen_before_stays_after_registering_again(app, session, staff) -> None:  # noqa: F811
    quiz = staff
    contest = quiz.round.contest
    contest.tables = [
        {"key": "A", "name": "Bảng A", "categories": ["civil_servant"]},
        {"key": "B", "name": "Bảng B", "categories": ["citizen", "worker"]},
    ]
    quiz.user.category = "citizen"
    session.commit()
    started = quiz.start().get_json()
    quiz.submit(started["attempt_id"])
    again = _delete_and_register_again(app, session, quiz)  # now "civil_servant": Bảng A
    refused = again.post("/api/rounds/1/attempts", headers={"X-CSRFToken": csrf_token(again)})
    assert refused.status_code == 409 and refused.get_json()["error"] == "category_needed"
    assert "Người dân" in refused.get_json()["message"]


def test_an_approval_holds_only_while_the_unit_lies_under_the_unit_that_gave_it(app, session, staff) -> None:  # noqa: F811
    quiz = staff
    quiz.round.contest.eligibility = "approval"
    quiz.round.contest.scope_unit = quiz.unit.parent  # the province: P-A and P-B both take part
    quiz.user.category = "civil_servant"
    session.commit()
    _post(quiz.client, "/contests/cds/join")
    request_id = session.scalar(select(JoinRequest.id))
    admin = _client_for(app, "0900000003")  # P-A's administrator
    _post(admin, f"/unit/requests/{request_id}", decision="approve")
    other_unit = quiz.unit.parent.children[1]  # P-B
    moved = _post(quiz.client, "/account", action="profile", name="Nguyễn Văn An", category="civil_servant",
                  unit=other_unit.code)  # fmt: skip
    assert moved.status_code == 302
    refused = quiz.start()
    assert refused.status_code == 403 and "đang chờ" in refused.get_json()["message"]
    assert session.scalar(select(JoinRequest.status)) == "pending"
    other_admin = _client_for(app, "0900000004")  # P-B's administrator now decides
    assert "Nguyễn Văn An" in other_admin.get("/unit/requests").get_data(as_text=True)
    _post(other_admin, f"/unit/requests/{request_id}", decision="approve")
    assert quiz.start().status_code == 201
