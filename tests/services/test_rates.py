"""One rounding rule and one counting rule for participation rates (#17): every page, the big screen and the
workbooks show the same percentage for the same counts, and the bulletin counts the attempts the rankings count."""

from __future__ import annotations

from flask_babel import force_locale
from sqlalchemy import select

from contest.models import Attempt, User
from contest.numbers import percent_value, rate_permille
from contest.services.ranking.bulletin import bulletin
from contest.services.results.disqualification import disqualify
from contest.templating import percent


def test_a_rate_is_rounded_half_up_once_whatever_shows_it(app) -> None:
    assert rate_permille(87, 2000) == 44 and percent_value(87 / 2000) == 4.4  # 4.35 % is 4,4 %, not 4,3 %
    assert rate_permille(0, 10) == 0 and rate_permille(3, 0) == 0
    with app.test_request_context(), force_locale("vi"):
        assert percent(87 / 2000) == "4,4%" and percent(0.04) == "4,0%"  # the decimal stays: "4,0%", not "4%"
        for whole in range(1, 400):
            for part in range(whole + 1):
                shown = rate_permille(part, whole)
                assert percent_value(part / whole, 1) * 10 == shown, (part, whole)
                assert percent(part / whole) == f"{shown // 10},{shown % 10}%"


def test_the_screen_sends_the_rounded_rate_its_script_shows(runner, client) -> None:
    runner.invoke(args=["demo"])
    data = client.get("/api/contests/cds-2026/screen").get_json()
    page = client.get("/contests/cds-2026/screen").get_data(as_text=True)
    for unit in data["units"]:
        shown = f"{unit['rate_permille'] // 10},{unit['rate_permille'] % 10}%"
        assert f'<span class="score">{shown}</span>' in page  # what the script redraws equals the first draw


def test_the_bulletin_leaves_out_a_disqualified_attempt_as_the_rankings_do(contest_day, session, clock) -> None:
    contest = contest_day.round.contest
    before = sum(row.participants for row in bulletin(session, contest, clock()))
    cheat = session.scalar(select(Attempt).join(User, User.id == Attempt.user_id).where(User.name == "Phạm Đức"))
    judge = session.scalar(select(User).where(User.role == "participant").limit(1))
    disqualify(session, cheat, by=judge, reason="Thi hộ, đã xác minh với đơn vị", now=clock())
    session.commit()
    assert sum(row.participants for row in bulletin(session, contest, clock())) == before - 1
