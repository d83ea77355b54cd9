"""`flask contest create` and `flask round create`."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from contest.models import Contest, Round
from tests.helpers import DEMO_DATA


def _setup(runner) -> None:
    assert runner.invoke(args=["units", "import", str(DEMO_DATA / "units.csv")]).exit_code == 0
    result = runner.invoke(args=["bank", "import", str(DEMO_DATA / "sample_bank.xlsx"), "--bank", "CĐS"])
    assert result.exit_code == 0, result.output


def test_contest_create_with_scope(runner, session) -> None:
    _setup(runner)
    result = runner.invoke(
        args=["contest", "create", "--slug", "cds-tinh-doan", "--title", "Tuổi trẻ với CĐS", "--scope", "HBX-TD"]
    )
    assert result.exit_code == 0, result.output
    contest = session.scalar(select(Contest).where(Contest.slug == "cds-tinh-doan"))
    assert contest.title == "Tuổi trẻ với CĐS" and contest.scope_unit.code == "HBX-TD"
    assert contest.status == "published"


def test_contest_create_default_scope_is_everyone(runner, session) -> None:
    assert runner.invoke(args=["contest", "create", "--slug", "all", "--title", "Mọi người"]).exit_code == 0
    assert session.scalar(select(Contest)).scope_unit is None


def test_contest_create_refuses_duplicate_slug_bad_slug_and_unknown_scope(runner, session) -> None:
    runner.invoke(args=["contest", "create", "--slug", "a1", "--title", "A"])
    duplicate = runner.invoke(args=["contest", "create", "--slug", "a1", "--title", "B"])
    assert duplicate.exit_code == 1 and "a1" in duplicate.output
    bad_slug = runner.invoke(args=["contest", "create", "--slug", "Có dấu", "--title", "B"])
    assert bad_slug.exit_code == 1
    unknown = runner.invoke(args=["contest", "create", "--slug", "b1", "--title", "B", "--scope", "NOPE"])
    assert unknown.exit_code == 1 and "NOPE" in unknown.output
    assert [c.slug for c in session.scalars(select(Contest))] == ["a1"]


def _round_args(*extra: str, **overrides: str) -> list[str]:
    """The arguments of a valid `round create`; keyword overrides replace an option's value."""
    options = {
        "contest": "cds",
        "name": "Tuần 1",
        "opens": "2026-10-10T08:00",
        "closes": "2026-10-17T08:00",
        "questions": "20",
        "minutes": "15",
    }
    options.update(overrides)
    args = ["round", "create"]
    for option, value in options.items():
        args += [f"--{option}", value]
    return args + list(extra)


def test_round_create_prints_its_id_last_and_stores_vietnam_times_as_utc(runner, session) -> None:
    _setup(runner)
    runner.invoke(args=["contest", "create", "--slug", "cds", "--title", "CĐS"])
    result = runner.invoke(args=_round_args("--attempts", "3", "--draw", "Kinh tế số:Dễ:5,:Trung bình:10,:Khó:5"))
    assert result.exit_code == 0, result.output
    round_id = int(result.output.strip().splitlines()[-1])
    round_ = session.get(Round, round_id)
    assert round_.opens_at == datetime(2026, 10, 10, 1, 0, tzinfo=UTC)
    assert round_.closes_at == datetime(2026, 10, 17, 1, 0, tzinfo=UTC)
    assert (round_.question_count, round_.time_limit_s, round_.max_attempts) == (20, 900, 3)
    assert round_.draw_spec[0] == {"topic": "Kinh tế số", "difficulty": "easy", "count": 5}
    assert round_.prediction == "full_score" and round_.bank.name == "CĐS"


def test_round_create_with_offset_unlimited_attempts_and_prediction(runner, session) -> None:
    _setup(runner)
    runner.invoke(args=["contest", "create", "--slug", "cds", "--title", "CĐS"])
    result = runner.invoke(
        args=[
            "round",
            "create",
            "--contest",
            "cds",
            "--name",
            "Tuần 2",
            "--opens",
            "2026-10-10T01:00:00+00:00",
            "--closes",
            "2026-10-11T01:00:00Z",
            "--questions",
            "10",
            "--minutes",
            "10",
            "--attempts",
            "0",
            "--prediction",
            "participants",
            "--bank",
            "CĐS",
        ]
    )
    assert result.exit_code == 0, result.output
    round_ = session.get(Round, int(result.output.split()[-1]))
    assert round_.opens_at == datetime(2026, 10, 10, 1, 0, tzinfo=UTC)
    assert round_.max_attempts is None and round_.prediction == "participants"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(_round_args(contest="nope"), "nope", id="unknown contest"),
        pytest.param(_round_args(closes="2026-10-01T08:00"), "must close after it opens", id="closes first"),
        pytest.param(_round_args(opens="mai"), "ISO 8601", id="bad time"),
        pytest.param(_round_args("--draw", "Kinh tế số:Khó:15,:Dễ:5"), "Kinh tế số:hard", id="too many hard"),
        pytest.param(_round_args("--draw", ":Dễ:5"), "20", id="draw total"),
        pytest.param(_round_args("--draw", "Kinh tế số:5"), "Kinh tế số:5", id="bad draw"),
        pytest.param(_round_args("--draw", ":siêu khó:20"), "siêu khó", id="bad difficulty"),
        pytest.param(_round_args("--bank", "Không có"), "Không có", id="unknown bank"),
        pytest.param(_round_args("--draw", "::Đúng/Sai:20"), "Đúng/Sai, fewer than the 20", id="no true/false"),
        pytest.param(_round_args("--draw", "::Tự luận:20"), "Tự luận", id="unknown kind"),
        pytest.param(_round_args(questions="500"), "500", id="too many questions"),
    ],
)
def test_round_create_refuses_bad_input_and_creates_nothing(runner, session, args: list[str], expected: str) -> None:
    _setup(runner)
    runner.invoke(args=["contest", "create", "--slug", "cds", "--title", "CĐS"])
    result = runner.invoke(args=args)
    assert result.exit_code != 0 and expected in result.output, result.output
    assert session.scalar(select(Round.id)) is None


def test_round_create_in_a_second_round_must_have_a_new_name(runner, session) -> None:
    _setup(runner)
    runner.invoke(args=["contest", "create", "--slug", "cds", "--title", "CĐS"])
    assert runner.invoke(args=_round_args()).exit_code == 0
    again = runner.invoke(args=_round_args())
    assert again.exit_code == 1 and "Tuần 1" in again.output


def test_a_round_may_draw_by_kind_of_question(runner, session, app) -> None:
    _setup(runner)
    # 6 true/false (all easy), 5 of one answer, 1 of several
    runner.invoke(args=["bank", "import", str(DEMO_DATA / "practice_bank.csv"), "--bank", "Đúng sai"])
    runner.invoke(args=["contest", "create", "--slug", "cds", "--title", "CĐS"])
    draw = ":Dễ:Đúng/Sai:5,::Một đáp án:5"
    result = runner.invoke(args=_round_args("--draw", draw, "--bank", "Đúng sai", questions="10"))
    assert result.exit_code == 0, result.output
    round_ = session.get(Round, int(result.output.split()[-1]))
    assert round_.draw_spec[0] == {"topic": None, "difficulty": "easy", "count": 5, "kind": "true_false"}
    from contest.services.console.rounds import format_draw_spec

    assert format_draw_spec(round_.draw_spec) == draw
    refused = runner.invoke(
        args=_round_args("--draw", "::Nhiều đáp án:2", "--bank", "Đúng sai", questions="2", name="T2")
    )
    assert refused.exit_code == 1 and "has 1 active questions for *:*:Nhiều đáp án" in refused.output
