"""The ranking chain on crafted data: every link decides at least one place."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from contest.services.ranking.rules import Candidate, actual_value, rank_candidates

T0 = datetime(2026, 10, 10, 1, 0, tzinfo=UTC)


def candidate(
    attempt_id: int,
    score: int,
    *,
    prediction: int | None = None,
    duration: int = 60_000,
    submitted: int = 0,
    started: int = 0,
    top: int = 0,
) -> Candidate:
    return Candidate(
        attempt_id=attempt_id,
        user_id=attempt_id,
        score=score,
        total=20,
        duration_ms=duration,
        started_at=T0 + timedelta(seconds=started),
        submitted_at=T0 + timedelta(seconds=submitted),
        prediction=prediction,
        top_score_attempts=top,
    )


CHAIN = ["score", "prediction", "duration", "submitted_at"]


def test_default_chain_decides_every_place_and_says_why() -> None:
    people = [
        candidate(1, 18),  # lowest score: last, by score
        candidate(2, 20, prediction=10, duration=50_000),  # off by 1, slower than 4
        candidate(3, 20, prediction=11, duration=90_000),  # exact prediction: first
        candidate(4, 20, prediction=12, duration=40_000),  # off by 1, faster than 2
        candidate(5, 20, prediction=9, duration=40_000, submitted=3),  # off by 2
        candidate(6, 20, prediction=9, duration=40_000, submitted=3),  # the same as 5 in every link
        candidate(7, 20, prediction=9, duration=40_000, submitted=4),  # as 5 and 6, submitted later
    ]
    ranked = rank_candidates(people, CHAIN, actual=11)
    assert [entry.candidate.attempt_id for entry in ranked] == [3, 4, 2, 5, 6, 7, 1]
    assert [entry.decided_by for entry in ranked] == [
        None,
        "prediction",
        "duration",
        "prediction",
        "record_order",
        "submitted_at",
        "score",
    ]
    assert [entry.rank for entry in ranked] == list(range(1, 8))
    assert ranked[0].prediction_distance == 0 and ranked[-1].prediction_distance is None


def test_no_prediction_ranks_after_any_prediction() -> None:
    ranked = rank_candidates([candidate(1, 20), candidate(2, 20, prediction=1000)], CHAIN, actual=3)
    assert [entry.candidate.attempt_id for entry in ranked] == [2, 1]


def test_other_links_a_contest_may_add() -> None:
    people = [
        candidate(1, 20, started=10, top=1),
        candidate(2, 20, started=5, top=1),
        candidate(3, 20, started=20, top=3),
    ]
    ranked = rank_candidates(people, ["score", "top_score_attempts", "started_at"], actual=None)
    assert [entry.candidate.attempt_id for entry in ranked] == [3, 2, 1]
    assert [entry.decided_by for entry in ranked] == [None, "top_score_attempts", "started_at"]


def test_a_contest_may_drop_links() -> None:
    people = [candidate(1, 20, duration=10_000, submitted=9), candidate(2, 20, duration=90_000, submitted=1)]
    ranked = rank_candidates(people, ["score", "submitted_at"], actual=None)
    assert [entry.candidate.attempt_id for entry in ranked] == [2, 1]


def test_actual_value_follows_the_round_setting() -> None:
    class RoundStub:
        prediction = "full_score"

    people = [candidate(1, 20), candidate(2, 19), candidate(3, 20)]
    assert actual_value(RoundStub(), people) == 2
    RoundStub.prediction = "participants"
    assert actual_value(RoundStub(), people) == 3
    RoundStub.prediction = "none"
    assert actual_value(RoundStub(), people) is None


def test_tens_of_thousands_of_full_scores_are_all_placed() -> None:
    people = [
        candidate(i, 20, prediction=i % 500, duration=30_000 + i % 97, submitted=i % 3600) for i in range(1, 40_001)
    ]
    ranked = rank_candidates(people, CHAIN, actual=250)
    assert [entry.rank for entry in ranked] == list(range(1, 40_001))
    assert all(entry.decided_by for entry in ranked[1:])
