"""The whole-contest ranking (#16 defect 1): the attempt that counts in each round, summed, in the contest's chain."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from contest.services.ranking.contest_ranking import contest_individuals
from contest.services.ranking.rules import finalize_ranking
from tests.factories import make_attempt, make_contest, make_round, make_user

NOW = datetime(2026, 10, 10, 3, 0, tzinfo=UTC)


def _person(session, name: str):  # type: ignore[no-untyped-def]
    user = make_user(session, NOW)
    user.name = name
    return user


def _names(session, contest) -> list[str]:  # type: ignore[no-untyped-def]
    contest.name_display = "full"
    session.flush()
    return [entry["name"] for entry in contest_individuals(session, contest)[0]]


def test_a_quick_empty_attempt_does_not_lend_its_time_to_the_attempt_that_counts(session) -> None:
    """An Nguyễn submits an empty attempt in 10 s, then scores 10 in 300 s; Bình scores 10 in 200 s. An's counted
    attempt is the 300 s one: Bình is ahead (the fastest time of any attempt would have put An first)."""
    contest = make_contest(session, NOW)
    round_ = make_round(session, contest, NOW)
    round_.max_attempts = 3
    an, binh = _person(session, "An Nguyễn"), _person(session, "Bình Trần")
    make_attempt(session, round_, an, NOW - timedelta(minutes=50), number=1, score=0, seconds=10)
    make_attempt(session, round_, an, NOW - timedelta(minutes=40), number=2, score=10, seconds=300)
    make_attempt(session, round_, binh, NOW - timedelta(minutes=30), score=10, seconds=200)
    total = contest_individuals(session, contest)[1]
    assert total == 2
    assert _names(session, contest) == ["Bình Trần", "An Nguyễn"]
    assert [(entry["score"], entry["duration_ms"]) for entry in contest_individuals(session, contest)[0]] == [
        (10, 200_000),
        (10, 300_000),
    ]


def test_the_contest_follows_its_chain_with_the_prediction_of_rounds_ranked_for_good(session) -> None:
    """Equal scores: Chi predicted the number of full scores exactly and took longer; Dũng was quicker and far off.
    The default chain (score, prediction, duration) puts Chi first once the round is ranked; a contest whose chain
    has no prediction puts Dũng first."""
    contest = make_contest(session, NOW)
    round_ = make_round(session, contest, NOW, opens_in=timedelta(days=-8))  # closed a day ago
    chi, dung = _person(session, "Chi Lê"), _person(session, "Dũng Phạm")
    slow = make_attempt(session, round_, chi, NOW - timedelta(days=2), score=10, seconds=400)
    quick = make_attempt(session, round_, dung, NOW - timedelta(days=2), score=10, seconds=100)
    slow.prediction, quick.prediction = 2, 50  # two full scores: Chi is exact
    session.flush()
    assert _names(session, contest) == ["Dũng Phạm", "Chi Lê"]  # live: the prediction is not known yet
    finalize_ranking(session, round_, NOW)
    session.flush()
    assert _names(session, contest) == ["Chi Lê", "Dũng Phạm"]
    contest.ranking_chain = ["score", "duration", "submitted_at"]
    session.flush()
    assert _names(session, contest) == ["Dũng Phạm", "Chi Lê"]


def test_rounds_add_up_with_each_rounds_counted_attempt(session) -> None:
    """Two rounds: each participant's best attempt of each round is summed, score and time."""
    contest = make_contest(session, NOW)
    first = make_round(session, contest, NOW, name="Tuần 1")
    second = make_round(session, contest, NOW, name="Tuần 2")
    first.max_attempts = second.max_attempts = 2
    em, giang = _person(session, "Em Võ"), _person(session, "Giang Đỗ")
    make_attempt(session, first, em, NOW - timedelta(minutes=50), number=1, score=6, seconds=100)
    make_attempt(session, first, em, NOW - timedelta(minutes=45), number=2, score=9, seconds=250)
    make_attempt(session, second, em, NOW - timedelta(minutes=40), score=8, seconds=150)
    make_attempt(session, first, giang, NOW - timedelta(minutes=30), score=9, seconds=200)
    make_attempt(session, second, giang, NOW - timedelta(minutes=20), score=8, seconds=300)
    entries = contest_individuals(session, contest)[0]
    contest.name_display = "full"
    assert [(e["score"], e["duration_ms"], e["rounds"]) for e in entries] == [(17, 400_000, 2), (17, 500_000, 2)]
    assert _names(session, contest) == ["Em Võ", "Giang Đỗ"]
