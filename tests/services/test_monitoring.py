"""Live monitoring of a round on crafted attempts: every figure computed by hand."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import load_workbook

from contest.services.console.monitoring import bucket_minutes, monitor_payload
from tests.factories import make_attempt, make_contest, make_round, make_unit, make_user


def _crafted_round(session, clock):  # type: ignore[no-untyped-def]
    """Opened two hours ago: A twice (8 then 10), B 8, D 3 in 15 minutes, C still answering."""
    root = make_unit(session, "ROOT", headcount=14)
    one, two = make_unit(session, "U1", parent=root, headcount=10), make_unit(session, "U2", parent=root, headcount=4)
    round_ = make_round(session, make_contest(session, clock()), clock(), opens_in=timedelta(hours=-2), questions=10)
    opens = round_.opens_at
    a, b = make_user(session, clock(), unit=one), make_user(session, clock(), unit=one)
    c, d = make_user(session, clock(), unit=two), make_user(session, clock(), unit=two)
    make_attempt(session, round_, a, opens + timedelta(minutes=2), score=8, seconds=300)
    make_attempt(session, round_, a, opens + timedelta(minutes=62), number=2, score=10, seconds=200)
    make_attempt(session, round_, b, opens + timedelta(minutes=7), score=8, seconds=400)
    make_attempt(session, round_, d, opens + timedelta(minutes=30), score=3, seconds=900)
    make_attempt(session, round_, c, opens + timedelta(minutes=118))
    session.commit()
    return round_


def test_bucket_sizes_keep_charts_readable() -> None:
    assert bucket_minutes(timedelta(hours=2)) == 5
    assert bucket_minutes(timedelta(hours=6)) == 10
    assert bucket_minutes(timedelta(days=7)) == 360
    assert bucket_minutes(timedelta(days=400)) == 10080


def test_figures_of_a_crafted_round(session, clock) -> None:
    round_ = _crafted_round(session, clock)
    data = monitor_payload(session, round_, clock())
    assert data["summary"] == {
        "participants": 4,
        "attempts": 5,
        "finished": 4,
        "in_progress": 1,
        "average_duration_s": 450.0,  # (300 + 200 + 400 + 900) / 4
        "average_score": 7.25,  # (8 + 10 + 8 + 3) / 4
        "question_count": 10,
    }
    timeline = data["timeline"]
    assert timeline["bucket_minutes"] == 5 and len(timeline["rows"]) == 25
    busy = {i: (r["attempts"], r["new_participants"], r["participants"]) for i, r in enumerate(timeline["rows"])}
    assert {i: v for i, v in busy.items() if v[0]} == {
        0: (1, 1, 1),
        1: (1, 1, 2),
        6: (1, 1, 3),
        12: (1, 0, 3),  # A's second attempt: no new participant
        23: (1, 1, 4),
    }
    assert timeline["rows"][0]["label"] == "10/10 06:00" and busy[24] == (0, 0, 4)
    scores = {row["score"]: row["attempts"] for row in data["scores"]}
    assert len(scores) == 11 and {k: v for k, v in scores.items() if v} == {3: 1, 8: 2, 10: 1}
    # units count participants with a finished attempt (C is still answering)
    assert [(u["code"], u["participants"], u["headcount"], u["rate"]) for u in data["units"]] == [
        ("U1", 2, 10, 20.0),
        ("U2", 1, 4, 25.0),
    ]


def test_monitor_pages_json_and_xlsx(session, clock, client, auth) -> None:
    round_ = _crafted_round(session, clock)
    make_user(session, clock(), phone="0900000001", role="organizer")
    session.commit()
    auth.login("0900000001")
    page = client.get(f"/admin/rounds/{round_.id}/monitor").get_data(as_text=True)
    assert "Theo dõi trực tiếp" in page and "vendor/chart.umd.min.js" in page and 'id="chart-units"' in page
    assert '<td>Đơn vị U1</td><td class="numeric">2</td>' in page  # the numbers as a table, without JavaScript
    script = client.get("/static/vendor/chart.umd.min.js")
    assert script.status_code == 200 and b"Chart.js v4" in script.data
    script.close()
    data = client.get(f"/admin/rounds/{round_.id}/monitor.json").get_json()
    assert data["summary"]["participants"] == 4
    workbook = load_workbook(io.BytesIO(client.get(f"/admin/rounds/{round_.id}/monitor.xlsx").data))
    assert workbook.sheetnames == ["Tổng quan", "Theo thời gian", "Theo đơn vị", "Phân bố điểm"]
    units = list(workbook["Theo đơn vị"].iter_rows(values_only=True))
    assert units[1] == ("U1", "Đơn vị U1", 2, 10, 20)
    english = load_workbook(io.BytesIO(client.get(f"/admin/rounds/{round_.id}/monitor.xlsx?lang=en").data))
    assert english.sheetnames == ["Summary", "Over time", "By unit", "Scores"]
