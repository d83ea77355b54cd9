"""Organizers create contests and rounds in the browser, with the same rules as the CLI."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from contest.models import AuditEntry, Contest, QuestionBank, Round
from tests.factories import make_attempt, make_user
from tests.helpers import DEMO_DATA, csrf_token


def _organizer(app, session, clock, runner):  # type: ignore[no-untyped-def]
    runner.invoke(args=["units", "import", str(DEMO_DATA / "units.csv")])
    runner.invoke(args=["bank", "import", str(DEMO_DATA / "sample_bank.xlsx"), "--bank", "CĐS"])
    make_user(session, clock(), phone="0900000001", role="organizer")
    session.commit()
    client = app.test_client()
    client.post("/login", data={"phone": "0900000001", "password": "mat-khau-123", "csrf_token": csrf_token(client)})
    return client


def test_create_a_contest_then_a_round(app, session, clock, runner) -> None:
    client = _organizer(app, session, clock, runner)
    page = client.get("/admin/contests/new")
    assert page.status_code == 200 and "Cuộc thi mới" in page.get_data(as_text=True)
    assert '<option value="HBX-TD">Tỉnh đoàn</option>' in page.get_data(as_text=True)  # units to choose from
    created = client.post(
        "/admin/contests/new",
        data={
            "title": "Tuổi trẻ với chuyển đổi số",
            "slug": "tuoi-tre",
            "scope": "HBX-TD",
            "rules": "<p>Luật</p><script>x</script>",
            "names": "full",
            "status": "published",
            "csrf_token": csrf_token(client),
        },
    )
    assert created.status_code == 302 and created.headers["Location"].endswith("/admin/contests/tuoi-tre/rounds/new")
    contest = session.scalar(select(Contest).where(Contest.slug == "tuoi-tre"))
    assert contest.scope_unit.code == "HBX-TD" and contest.name_display == "full" and "<script>" not in contest.rules
    form = client.get("/admin/contests/tuoi-tre/rounds/new").get_data(as_text=True)
    assert "Kinh tế số" in form  # the bank's counts by topic and difficulty
    assert "Tên đợt thi" in form and "Họ tên" not in form  # a round's name, not a person's
    done = client.post(
        "/admin/contests/tuoi-tre/rounds/new",
        data={
            "name": "Tuần 1",
            "opens": "2026-10-10T08:00",
            "closes": "2026-10-17T08:00",
            "questions": "20",
            "minutes": "15",
            "attempts": "",
            "attempts_per_day": "1",
            "bank": "CĐS",
            "draw": ":Dễ:8,:Trung bình:8,:Khó:4",
            "prediction": "participants",
            "review": "after_attempt",
            "require_all": "1",
            "csrf_token": csrf_token(client),
        },
    )
    assert done.status_code == 302
    round_ = session.scalar(select(Round).where(Round.contest_id == contest.id))
    assert round_.opens_at.isoformat() == "2026-10-10T01:00:00+00:00"
    assert (round_.max_attempts, round_.max_attempts_per_day, round_.prediction, round_.review) == (
        None,
        1,
        "participants",
        "after_attempt",
    )
    assert round_.require_all_answered and round_.draw_spec[2] == {"topic": None, "difficulty": "hard", "count": 4}
    creations = select(AuditEntry).where(AuditEntry.action.in_(["contest.create", "round.create"]))
    recorded = {entry.action: entry.after for entry in session.scalars(creations)}
    assert recorded["contest.create"]["scope"] == "HBX-TD" and recorded["contest.create"]["names"] == "full"
    assert recorded["round.create"]["opens"] == "2026-10-10T08:00" and recorded["round.create"]["attempts_per_day"] == 1
    assert "gom đáp án" not in client.get(done.headers["Location"]).get_data(as_text=True)
    # the right answers right after each of unlimited attempts: saved as the organizer chose, with a warning
    edit_form = client.get(f"/admin/rounds/{round_.id}/edit").get_data(as_text=True)
    assert "có thể gom đủ đáp án" in edit_form  # the form says it before the choice
    edited = client.post(
        f"/admin/rounds/{round_.id}/edit",
        data={
            "name": "Tuần 1",
            "opens": "2026-10-10T08:00",
            "closes": "2026-10-17T08:00",
            "questions": "20",
            "minutes": "15",
            "attempts": "",
            "bank": "CĐS",
            "draw": ":Dễ:8,:Trung bình:8,:Khó:4",
            "prediction": "participants",
            "review": "attempt_with_key",
            "csrf_token": csrf_token(client),
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert edited.count("người thi có thể gom đáp án của cả ngân hàng") == 2  # the flash and the round's page
    session.refresh(round_)
    assert round_.review == "attempt_with_key"


def test_a_bad_new_contest_is_refused_in_vietnamese(app, session, clock, runner) -> None:
    client = _organizer(app, session, clock, runner)
    bad_contest = client.post(
        "/admin/contests/new", data={"title": "", "slug": "Có Dấu", "csrf_token": csrf_token(client)}
    )
    assert bad_contest.status_code == 400 and "Mã cuộc thi (slug)" in bad_contest.get_data(as_text=True)
    assert session.scalar(select(Contest.id)) is None
    # every problem at once, each beside its own field, and what was typed is kept
    several = client.post(
        "/admin/contests/new",
        data={
            "title": "Cuộc thi mới",
            "slug": "Có Dấu",
            "scope": "KHONG-CO",
            "practice_bank": "Không có ngân hàng này",
            "csrf_token": csrf_token(client),
        },
    ).get_data(as_text=True)
    summary = several.split('class="error-summary"')[1].split("</ul>")[0] if 'class="error-summary"' in several else ""
    assert '<a href="#slug">' in summary and '<a href="#scope">' in summary and '<a href="#practice_bank">' in summary
    assert 'value="Cuộc thi mới"' in several and 'value="KHONG-CO"' in several
    slug_error = several.split('id="slug-error"')[1].split("</p>")[0]
    assert "chữ thường" in slug_error and "KHONG-CO" not in slug_error  # its own message, not the others'


ROUND_BASE = {
    "name": "Tuần 1",
    "opens": "2026-10-10T08:00",
    "closes": "2026-10-17T08:00",
    "questions": "20",
    "minutes": "15",
    "attempts": "1",
    "bank": "CĐS",
    "prediction": "full_score",
    "review": "never",
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"opens": "hôm nay"}, "Vui lòng nhập thời điểm mở và đóng"),
        ({"questions": "mười"}, "Vui lòng nhập số nguyên"),
        ({"questions": "500"}, "ít hơn 500 câu"),
        ({"closes": "2026-10-01T08:00"}, "Thời điểm đóng phải sau"),
        ({"name": "Tuần " * 30}, "Tên đợt thi dài tối đa 120 ký tự."),  # longer than its column
        ({"review": "maybe"}, '<li><a href="#review">'),  # a select's problem is listed above the form
    ],
)
def test_a_bad_round_form_is_refused_in_vietnamese_and_nothing_is_saved(
    app, session, clock, runner, change: dict[str, str], message: str
) -> None:
    client = _organizer(app, session, clock, runner)
    client.post(
        "/admin/contests/new",
        data={"title": "Thi", "slug": "thi", "status": "published", "csrf_token": csrf_token(client)},
    )
    response = client.post(
        "/admin/contests/thi/rounds/new", data={**ROUND_BASE, **change, "csrf_token": csrf_token(client)}
    )
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert session.scalar(select(Round.id)) is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": "Cuộc thi " * 40}, "Tên cuộc thi dài tối đa 255 ký tự."),
        ({"title": "Thi", "chain-1": "", "chain-2": ""}, "Cần chọn ít nhất một tiêu chí xếp hạng."),
        ({"title": "Thi", "unit_ranking": "luck"}, '<li><a href="#unit_ranking">'),
        ({"title": "Thi", "names": "half"}, '<li><a href="#names">'),
    ],
)
def test_a_bad_contest_edit_is_refused_and_nothing_is_half_saved(
    app, session, clock, runner, change: dict[str, str], message: str
) -> None:
    client = _organizer(app, session, clock, runner)
    client.post(
        "/admin/contests/new",
        data={"title": "Thi", "slug": "thi", "status": "published", "csrf_token": csrf_token(client)},
    )
    response = client.post(
        "/admin/contests/thi/edit", data={"slug": "thi", "names": "masked", "csrf_token": csrf_token(client), **change}
    )
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    session.expire_all()
    assert session.scalar(select(Contest)).title == "Thi"


def test_publish_and_archive(app, session, clock, runner) -> None:
    client = _organizer(app, session, clock, runner)
    client.post(
        "/admin/contests/new", data={"title": "Thi", "slug": "thi", "status": "draft", "csrf_token": csrf_token(client)}
    )
    assert app.test_client().get("/contests/thi").status_code == 404  # the public does not see a draft
    assert "Bản nháp: chỉ Ban Tổ chức" in client.get("/contests/thi").get_data(as_text=True)  # its organizer does
    assert '<span class="tag">Bản nháp</span>' in client.get("/admin/contests").get_data(as_text=True)
    client.post("/admin/contests/thi/status", data={"status": "published", "csrf_token": csrf_token(client)})
    assert client.get("/contests/thi").status_code == 200
    listed = client.get("/admin/contests").get_data(as_text=True)
    assert '<span class="tag">Công khai</span>' in listed and ">published<" not in listed
    assert (
        client.post("/admin/contests/thi/status", data={"status": "gone", "csrf_token": csrf_token(client)}).status_code
        == 400
    )


ROUND_FORM = {
    "name": "Tuần 1",
    "opens": "2026-10-10T08:00",
    "closes": "2026-10-17T08:00",
    "questions": "20",
    "minutes": "15",
    "attempts": "3",
    "bank": "CĐS",
    "draw": ":Dễ:8,:Trung bình:8,:Khó:4",
    "prediction": "full_score",
    "review": "after_close",
}


def _contest_with_round(client) -> Round:  # type: ignore[no-untyped-def]
    client.post(
        "/admin/contests/new",
        data={"title": "Thi", "slug": "thi", "status": "published", "csrf_token": csrf_token(client)},
    )
    response = client.post("/admin/contests/thi/rounds/new", data={**ROUND_FORM, "csrf_token": csrf_token(client)})
    assert response.status_code == 302
    return response


def test_edit_a_contest_records_before_and_after(app, session, clock, runner) -> None:
    client = _organizer(app, session, clock, runner)
    _contest_with_round(client)
    form = client.get("/admin/contests/thi/edit").get_data(as_text=True)
    assert 'value="Thi"' in form and "Sửa cuộc thi" in form
    bad = client.post(
        "/admin/contests/thi/edit",
        data={"title": "Thi mới", "scope": "KHONG-CO", "names": "full", "csrf_token": csrf_token(client)},
    )
    assert bad.status_code == 400 and "KHONG-CO" in bad.get_data(as_text=True)
    session.expire_all()
    assert session.scalar(select(Contest.title)) == "Thi"  # nothing half-saved
    saved = client.post(
        "/admin/contests/thi/edit",
        data={
            "title": "Thi mới",
            "scope": "HBX-TD",
            "rules": "<p>Mỗi người <b>3 lượt</b></p><img src=x onerror=alert(1)>",
            "names": "full",
            "csrf_token": csrf_token(client),
        },
    )
    assert saved.status_code == 302
    session.expire_all()
    contest = session.scalar(select(Contest))
    assert (contest.title, contest.scope_unit.code, contest.name_display) == ("Thi mới", "HBX-TD", "full")
    assert contest.rules == "<p>Mỗi người <b>3 lượt</b></p>"
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "contest.edit"))
    assert entry.before["title"] == "Thi" and entry.after["title"] == "Thi mới" and entry.after["scope"] == "HBX-TD"
    assert client.post("/admin/contests/thi/edit", data={"title": "Không token"}).status_code == 400


def test_the_ranking_chain_and_unit_ranking_are_set_in_the_form(app, session, clock, runner) -> None:
    client = _organizer(app, session, clock, runner)
    _contest_with_round(client)
    form = client.get("/admin/contests/thi/edit").get_data(as_text=True)
    assert "Tiêu chí 1" in form and '<option selected value="score">điểm cao hơn</option>' in form
    base = {"title": "Thi", "scope": "", "rules": "", "names": "masked", "csrf_token": csrf_token(client)}
    twice = client.post(
        "/admin/contests/thi/edit", data={**base, "chain-1": "score", "chain-2": "duration", "chain-3": "score"}
    )
    assert twice.status_code == 400
    assert "Mỗi tiêu chí chỉ dùng một lần: “điểm cao hơn” được chọn hai lần." in twice.get_data(as_text=True)
    session.expire_all()
    assert session.scalar(select(Contest)).ranking_chain == ["score", "prediction", "duration", "submitted_at"]
    saved = client.post(
        "/admin/contests/thi/edit",
        data={**base, "chain-1": "score", "chain-2": "", "chain-3": "duration", "unit_ranking": "points"},
    )
    assert saved.status_code == 302
    session.expire_all()
    contest = session.scalar(select(Contest))
    assert (contest.ranking_chain, contest.unit_ranking) == (["score", "duration"], "points")
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "contest.edit"))
    assert entry.before["chain"] == ["score", "prediction", "duration", "submitted_at"]
    assert (entry.after["chain"], entry.after["unit_ranking"]) == (["score", "duration"], "points")
    rules = client.get("/contests/thi").get_data(as_text=True)
    assert rules.index("điểm cao hơn") < rules.index("thời gian làm bài ngắn hơn")  # the published order
    assert "dự đoán gần đúng hơn" not in rules


def test_edit_a_round_until_the_first_attempt(app, session, clock, runner) -> None:
    client = _organizer(app, session, clock, runner)
    _contest_with_round(client)
    round_ = session.scalar(select(Round))
    form = client.get(f"/admin/rounds/{round_.id}/edit").get_data(as_text=True)
    assert 'value="2026-10-10T08:00"' in form and 'value=":Dễ:8,:Trung bình:8,:Khó:4"' in form
    refused = client.post(
        f"/admin/rounds/{round_.id}/edit", data={**ROUND_FORM, "minutes": "0", "csrf_token": csrf_token(client)}
    )
    assert refused.status_code == 400 and "Thời gian làm bài phải lớn hơn 0" in refused.get_data(as_text=True)
    changed = {**ROUND_FORM, "name": "Tuần đầu", "minutes": "20", "draw": "", "closes": "2026-10-18T20:00"}
    saved = client.post(f"/admin/rounds/{round_.id}/edit", data={**changed, "csrf_token": csrf_token(client)})
    assert saved.status_code == 302
    session.expire_all()
    round_ = session.get(Round, round_.id)
    assert (round_.name, round_.time_limit_s, round_.draw_spec) == ("Tuần đầu", 1200, None)
    assert round_.closes_at.isoformat() == "2026-10-18T13:00:00+00:00"
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "round.edit"))
    assert (entry.before["minutes"], entry.after["minutes"]) == (15, 20)

    participant = make_user(session, clock(), phone="0900000099")
    make_attempt(session, round_, participant, clock())
    session.commit()
    assert client.get(f"/admin/rounds/{round_.id}/edit").status_code == 302
    locked = client.post(f"/admin/rounds/{round_.id}/edit", data={**ROUND_FORM, "csrf_token": csrf_token(client)})
    assert locked.status_code == 409 and "không thể thay đổi" in locked.get_data(as_text=True)
    session.expire_all()
    assert session.get(Round, round_.id).name == "Tuần đầu"


def test_the_draw_is_picked_in_the_table_of_the_bank_counts(app, session, clock, runner, tmp_path) -> None:
    client = _organizer(app, session, clock, runner)
    # a topic whose name holds a colon cannot be written in the text form: the table takes it
    bank_file = tmp_path / "colon.csv"
    rows = ["STT,Câu hỏi,Phương án A,Phương án B,Đáp án,Chủ đề,Mức độ"]
    rows += [f"{i},Câu {i}?,Có,Không,A,Chủ đề 1: Chính quyền số,Dễ" for i in range(1, 6)]
    bank_file.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert runner.invoke(args=["bank", "import", str(bank_file), "--bank", "Hai chấm"]).exit_code == 0
    bank_id = session.scalar(select(QuestionBank.id).where(QuestionBank.name == "Hai chấm"))
    client.post(
        "/admin/contests/new",
        data={"title": "Thi", "slug": "thi", "status": "published", "csrf_token": csrf_token(client)},
    )
    form = client.get("/admin/contests/thi/rounds/new").get_data(as_text=True)
    assert f'name="pick:{bank_id}:easy:Chủ đề 1: Chính quyền số"' in form and "/ 5" in form
    base = {**ROUND_FORM, "bank": "Hai chấm", "questions": "4", "draw": "", "csrf_token": csrf_token(client)}
    too_many = client.post(
        "/admin/contests/thi/rounds/new",
        data={**base, "questions": "6", f"pick:{bank_id}:easy:Chủ đề 1: Chính quyền số": "6"},
    )
    assert too_many.status_code == 400 and "chỉ có 5 câu hỏi" in too_many.get_data(as_text=True)
    not_a_number = client.post("/admin/contests/thi/rounds/new", data={**base, f"pickany:{bank_id}:easy": "ba"})
    assert not_a_number.status_code == 400 and "số nguyên trong bảng" in not_a_number.get_data(as_text=True)
    assert session.scalar(select(Round.id)) is None
    created = client.post(
        "/admin/contests/thi/rounds/new",
        data={**base, f"pick:{bank_id}:easy:Chủ đề 1: Chính quyền số": "3", f"pickany:{bank_id}:easy": "1"},
    )
    assert created.status_code == 302
    round_ = session.scalar(select(Round))
    assert round_.draw_spec == [
        {"topic": "Chủ đề 1: Chính quyền số", "difficulty": "easy", "count": 3},
        {"topic": None, "difficulty": "easy", "count": 1},
    ]
    edit = client.get(f"/admin/rounds/{round_.id}/edit").get_data(as_text=True)
    assert f'name="pick:{bank_id}:easy:Chủ đề 1: Chính quyền số" value="3"' in edit
    assert f'name="pickany:{bank_id}:easy" value="1"' in edit and 'id="draw" name="draw" type="text" value=""' in edit


def test_the_contest_form_offers_one_criterion_per_ranking_link(app) -> None:
    from contest.models.contests import RANKING_LINKS
    from contest.organizer.forms import ContestForm

    with app.test_request_context():
        form = ContestForm()
        assert [field.name for field in form.chain_fields()] == [f"chain-{n}" for n in range(1, len(RANKING_LINKS) + 1)]


def test_the_new_contest_form_keeps_every_value_after_an_error_and_says_a_draft_is_hidden(
    app, session, clock, runner
) -> None:
    client = _organizer(app, session, clock, runner)
    typed = {"title": "Thi Tuổi trẻ", "slug": "Có Dấu", "status": "published", "rules": "Thể lệ riêng", "names": "full"}
    refused = client.post("/admin/contests/new", data={**typed, "csrf_token": csrf_token(client)})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert '<option selected value="published">' in page or 'value="published" selected' in page
    assert 'value="Thi Tuổi trẻ"' in page and "Thể lệ riêng" in page and '<option selected value="full">' in page
    draft = client.post(
        "/admin/contests/new", data={**typed, "slug": "nhap", "status": "draft", "csrf_token": csrf_token(client)}
    )
    assert draft.status_code == 302
    told = client.get(draft.headers["Location"]).get_data(as_text=True)
    assert "bản nháp" in told  # the organizer is told participants do not see it
    preview = client.get("/contests/nhap")
    assert preview.status_code == 200 and "Bản nháp: chỉ Ban Tổ chức xem được trang này" in preview.get_data(
        as_text=True
    )
    assert app.test_client().get("/contests/nhap").status_code == 404  # the public still does not
