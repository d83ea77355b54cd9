"""`flask demo`: the demo data, loaded once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from contest.models import Contest, Membership, Option, Question, QuestionBank, Round, Unit, User
from tests.helpers import csrf_token


def _counts(session) -> dict[str, int]:
    return {
        model.__name__: session.scalar(select(func.count()).select_from(model))
        for model in (Unit, QuestionBank, Question, Option, Contest, Round, User)
    }


def test_demo_loads_units_bank_contest_open_round_and_accounts(runner, session, clock) -> None:
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "organizer login: phone 0900000001, password Demo@2026" in result.output
    counts = _counts(session)
    assert counts["Unit"] == 50
    # the sample bank (120 questions of four options), the practice bank (7 true/false, 7 of four options and one
    # of two pictures), and the youth union's bank (40 of the sample's questions)
    assert counts["Question"] == 120 + 15 + 40 and counts["Option"] == 480 + 7 * 2 + 7 * 4 + 2 + 40 * 4
    # the province's contest with last week's round and this week's, one closed to a department's staff, and the
    # youth union's draft contest with its first round
    assert counts["Contest"] == 3 and counts["Round"] == 4
    contest = session.scalar(select(Contest).where(Contest.slug == "cds-2026"))
    assert contest.status == "published" and contest.scope_unit.code == "HBX"
    assert contest.practice_bank.name == "Ngân hàng thi thử chuyển đổi số"
    past, current = contest.rounds  # in order of opening: one a week, as the rules say
    assert current.state(clock()) == "open" and current.id == 1 and current.name == "Tuần 2"
    assert past.state(clock()) == "closed" and past.closes_at == current.opens_at
    assert current.closes_at - current.opens_at == timedelta(days=7)
    assert contest.rules.startswith("<p>Cuộc thi dành cho") and "<ul><li>Mỗi tuần một đợt thi" in contest.rules
    plan = current.prize_plan
    # as the rules announce, in each of the two tables
    assert (plan["first"], plan["second"], plan["third"], plan["consolation"], plan["one_per_person"]) == (
        1,
        1,
        1,
        2,
        True,
    )
    assert [table["key"] for table in contest.tables] == ["A", "B"] and "Hai bảng" in contest.rules
    organizer = session.scalar(select(User).where(User.phone == "0900000001"))
    assert organizer.role == "organizer"
    # two bodies: the department's contests and banks, the youth union's; the department's contest draws only
    # checked questions, and its reviewer has checked most of its banks and disputed one question
    roles = dict(session.execute(select(User.phone, Membership.role).join(Membership.user)).all())
    assert roles == {"0900000001": "manager", "0900000004": "reviewer", "0900000005": "manager"}
    youth = session.scalar(select(Contest).where(Contest.slug == "tuoi-tre-cds-2026"))
    assert youth.body_id != contest.body_id and youth.status == "draft" and contest.require_review
    states = dict(
        session.execute(
            select(Question.review_state, func.count())
            .join(QuestionBank)
            .where(QuestionBank.body_id == contest.body_id, QuestionBank.practice_since.is_(None))
            .group_by(Question.review_state)
        ).all()
    )
    assert states == {"checked": 113, "disputed": 1, "unchecked": 6}
    assert "key reviewer (thẩm định) of the department: phone 0900000004" in result.output


def test_demo_has_a_contest_for_listed_staff_that_its_participant_may_take(runner, client, session) -> None:
    result = runner.invoke(args=["demo"])
    assert "unit administrator login: phone 0900000003" in result.output
    closed = session.scalar(select(Contest).where(Contest.eligibility == "staff_list"))
    assert closed.scope_unit.code == "HBX-SKHCN"
    client.post("/login", data={"phone": "0900000002", "password": "Demo@2026", "csrf_token": csrf_token(client)})
    page = client.get(f"/contests/{closed.slug}").get_data(as_text=True)
    assert "có trong danh sách của đơn vị: bạn được dự thi" in page
    admin = client.application.test_client()
    admin.post("/login", data={"phone": "0900000003", "password": "Demo@2026", "csrf_token": csrf_token(admin)})
    assert "hiện có 4 số điện thoại" in admin.get("/unit/").get_data(as_text=True)


def test_demo_twice_changes_nothing(runner, session) -> None:
    assert runner.invoke(args=["demo"]).exit_code == 0
    before = _counts(session)
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0
    assert "already loaded, nothing changed" in second.output
    assert _counts(session) == before


def test_demo_contest_page_shows_the_open_round(runner, client) -> None:
    runner.invoke(args=["demo"])
    page = client.get("/contests/cds-2026").get_data(as_text=True)
    assert "Tuần 2" in page and "Đang mở" in page


def test_demo_shows_integrity_flags_and_a_disqualified_attempt(runner, session) -> None:
    from contest.models import Attempt
    from contest.services.quiz.integrity import flags
    from contest.services.ranking.leaderboard import individual_page

    assert runner.invoke(args=["demo"]).exit_code == 0
    round_ = session.scalar(select(Round).where(Round.name == "Tuần 2"))
    kinds = {flag.kind for flag in flags(session, round_)}
    assert {"same_device", "long_absences"} <= kinds
    disqualified = session.scalar(select(Attempt).where(Attempt.disqualified_at.is_not(None)))
    assert disqualified is not None and "thi hộ" in disqualified.disqualification_reason
    board = individual_page(session, round_, limit=50, public=False)
    assert disqualified.user_id not in {entry["user_id"] for entry in board.entries}
    assert len(board.entries) == 23
    from contest.models import AuditEntry

    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "attempt.disqualify"))
    assert entry.target == f"attempt:{disqualified.id}"  # the decision is in the audit log


def test_demo_is_refused_with_production_settings_unless_asked_for(make_app, session) -> None:
    """The demo publishes an organizer's password: a production server does not load it by accident."""
    app = make_app(ENV_NAME="production", TESTING=False, PUBLIC_URL="https://thi.example.gov.vn")
    with app.app_context():
        refused = app.test_cli_runner().invoke(args=["demo"])
        assert refused.exit_code == 1 and "--in-production" in refused.output
        assert app.extensions["sqlalchemy"].session.scalar(select(User.id)) is None
        assert app.test_cli_runner().invoke(args=["demo", "--in-production"]).exit_code == 0


def test_demo_has_last_weeks_results_published_with_certificates(runner, client, session) -> None:
    """Last week's round is closed, its results public, a winners' list ready and certificates issued, the demo
    participant's among them (shown on their account page)."""
    from contest.models import Certificate

    assert runner.invoke(args=["demo"]).exit_code == 0
    past = session.scalar(select(Round).where(Round.name == "Tuần 1"))
    assert past.finalized_at is not None and past.results_published_at is not None
    contest_page = client.get("/contests/cds-2026").get_data(as_text=True)
    assert f'href="/contests/cds-2026/results?round={past.id}"' in contest_page  # the ended round links to them
    page = client.get("/contests/cds-2026/results").get_data(as_text=True)
    assert "Kết quả Tuần 1" in page and "Giải Nhất" in page and "Giải Khuyến khích" in page
    assert "Bảng A: Cán bộ, công chức, viên chức" in page and "Bảng B: Đoàn viên" in page  # winners by table
    kinds = session.scalars(select(Certificate.kind).where(Certificate.round_id == past.id)).all()
    assert kinds.count("participation") == 20 and kinds.count("prize") == 10  # 1 + 1 + 1 + 2 in each table
    prizes = session.scalars(
        select(Certificate.statement).where(Certificate.round_id == past.id, Certificate.kind == "prize")
    ).all()
    assert sorted(p["prize"] for p in prizes if p["prize"] == "first") == ["first", "first"]  # one per table
    client.post("/login", data={"phone": "0900000002", "password": "Demo@2026", "csrf_token": csrf_token(client)})
    account = client.get("/account").get_data(as_text=True)
    assert "Giấy chứng nhận tham gia" in account
    # the account page lists the person's results, each with its receipt
    from contest.models import Attempt

    mine = session.scalar(select(Attempt).join(User, User.id == Attempt.user_id).where(User.phone == "0900000002"))
    assert "Kết quả của bạn" in account and mine.receipt in account and f"{mine.score}/{mine.total}" in account
