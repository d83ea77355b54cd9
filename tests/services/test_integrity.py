"""Integrity flags on crafted attempts: impossibly fast attempts, identical answers across accounts."""

from __future__ import annotations

import random
from datetime import timedelta

from flask_babel import force_locale
from sqlalchemy import select

from contest.models import Attempt, AttemptItem, Round
from contest.services.quiz.integrity import flags
from contest.services.results.disqualification import disqualify
from tests.factories import make_attempt, make_bank, make_contest, make_round, make_unit, make_user
from tests.helpers import csrf_token


def _attempt(session, clock, round_: Round, questions, *, duration_ms: int, picks: list[int], order=None):  # type: ignore[no-untyped-def]
    score = sum(p == 0 for p in picks)
    attempt = make_attempt(
        session, round_, make_user(session, clock()), clock(), score=score, seconds=duration_ms / 1000
    )
    shown = order or list(range(len(questions)))
    for position, index in enumerate(shown, start=1):
        question = questions[index]
        options = [{"id": o.id, "text": o.text, "correct": o.is_correct} for o in question.options]
        session.add(
            AttemptItem(
                attempt=attempt,
                position=position,
                question_id=question.id,
                snapshot={"text": question.text, "multiple": False, "options": options},
                chosen=[options[picks[index]]["id"]],
            )
        )
    return attempt


def test_fast_attempts_are_flagged_and_four_people_cannot_show_copying(session, clock) -> None:
    """An attempt faster than a person reads is flagged. Two of four attempts with the same answers are not: with
    so few people the same wrong answers are not beyond chance (the test below has a round large enough)."""
    bank = make_bank(session, clock(), questions=6)
    round_ = make_round(session, make_contest(session, clock()), clock(), bank=bank, questions=6)
    questions = bank.questions
    fast = _attempt(session, clock, round_, questions, duration_ms=12_000, picks=[0, 0, 1, 0, 2, 0])
    copied = [1, 0, 2, 3, 0, 1]
    _attempt(session, clock, round_, questions, duration_ms=400_000, picks=copied)
    _attempt(session, clock, round_, questions, duration_ms=380_000, picks=copied, order=[5, 4, 3, 2, 1, 0])
    _attempt(session, clock, round_, questions, duration_ms=300_000, picks=[0, 1, 0, 0, 3, 0])
    session.commit()
    found = flags(session, round_)
    assert [(flag.kind, flag.attempt_id) for flag in found] == [("too_fast", fast.id)]
    assert found[0].detail == "12.0 s / 6"


def _drawn_attempt(session, clock, round_, user, questions, picks: dict[int, int]):  # type: ignore[no-untyped-def]
    """An attempt at the questions of `picks` (question index: option position, 0 is right), in that order."""
    attempt = make_attempt(session, round_, user, clock(), score=sum(p == 0 for p in picks.values()), seconds=600)
    for position, (index, pick) in enumerate(picks.items(), start=1):
        question = questions[index]
        options = [
            {"id": 1000 * attempt.id + o.position, "option_id": o.id, "text": o.text, "correct": o.is_correct}
            for o in question.options
        ]
        session.add(
            AttemptItem(
                attempt=attempt,
                position=position,
                question_id=question.id,
                snapshot={"text": question.text, "multiple": False, "options": options},
                chosen=[options[pick]["id"]],
            )
        )
    return attempt


def test_copied_wrong_answers_on_the_questions_two_attempts_share_are_flagged_with_the_evidence(session, clock) -> None:
    """20 questions drawn from 30 for each of 60 people who answer honestly (70% right, a random wrong option
    otherwise). Two colleagues share 14 questions and give the same answers on all of them, 12 of them the same wrong
    one: they are flagged, with each other's name and the evidence; nobody else is, not even 20 weak colleagues who
    share many wrong answers because they pick the same popular distractor. A fingerprint of the whole set
    of questions never matched here (their sets differ)."""
    rng = random.Random(20261010)
    bank = make_bank(session, clock(), questions=30)
    round_ = make_round(session, make_contest(session, clock()), clock(), bank=bank, questions=20)
    questions = bank.questions
    unit = make_unit(session, "SYT")

    def honest(indices: list[int]) -> dict[int, int]:
        return {index: 0 if rng.random() < 0.7 else rng.randint(1, 3) for index in indices}

    for _ in range(60):
        _drawn_attempt(
            session, clock, round_, make_user(session, clock()), questions, honest(rng.sample(range(30), 20))
        )
    for _ in range(20):  # weak colleagues of the same unit, wrong 70% of the time, mostly on the same distractor
        picks = {i: 0 if rng.random() < 0.3 else rng.choice((1, 1, 2, 3)) for i in rng.sample(range(30), 20)}
        _drawn_attempt(session, clock, round_, make_user(session, clock(), unit=unit), questions, picks)
    shared = list(range(14))
    source = {**{index: (rng.randint(1, 3) if index < 12 else 0) for index in shared}, **honest(list(range(14, 20)))}
    copy = {**{index: source[index] for index in shared}, **honest(list(range(20, 26)))}
    first = _drawn_attempt(session, clock, round_, make_user(session, clock(), unit=unit), questions, source)
    second = _drawn_attempt(session, clock, round_, make_user(session, clock(), unit=unit), questions, copy)
    session.commit()
    found = [flag for flag in flags(session, round_) if flag.kind == "same_answers"]
    assert sorted(flag.attempt_id for flag in found) == sorted([first.id, second.id])
    detail = {flag.attempt_id: flag.detail for flag in found}
    assert first.user.name in detail[second.id] and second.user.name in detail[first.id]
    assert "12 identical wrong answers on the 12 questions both got wrong, of 14 shared" in detail[first.id]
    assert "14 identical answers in all" in detail[first.id]
    with force_locale("vi"):  # as organizers read it: what was compared first, then what matched
        vietnamese = next(flag.detail for flag in flags(session, round_) if flag.attempt_id == first.id)
    assert "trong 14 câu hỏi chung, cả hai cùng làm sai 12 câu và chọn cùng một phương án sai ở 12 câu" in vietnamese
    assert "Tổng cộng 14 câu trả lời giống nhau." in vietnamese


def test_integrity_page(session, clock, client, auth) -> None:
    bank = make_bank(session, clock(), questions=6)
    round_ = make_round(session, make_contest(session, clock()), clock(), bank=bank, questions=6)
    fast = _attempt(session, clock, round_, bank.questions, duration_ms=5_000, picks=[0] * 6)
    fast.number = 3  # the participant's third attempt at the round
    _attempt(session, clock, round_, bank.questions, duration_ms=6_000, picks=[0] * 6)
    organizer = make_user(session, clock(), phone="0900000001", role="organizer")
    session.commit()
    auth.login("0900000001")
    page = client.get(f"/admin/rounds/{round_.id}/integrity").get_data(as_text=True)
    assert "Dấu hiệu bất thường" in page and "5.0 s / 6" in page and "Đã loại" not in page
    # the attempt's code (what the disqualify form takes) and, apart, the participant's attempt number (#17)
    row = page[page.rindex("<tr>", 0, page.index("5.0 s / 6")) : page.index("5.0 s / 6")]
    assert f'<td class="numeric">{fast.id}</td><td class="numeric">3</td>' in row
    assert "Mã bài thi" in page
    disqualify(session, fast, by=organizer, reason="Làm bài trong 5 giây", now=clock())
    session.commit()
    page = client.get(f"/admin/rounds/{round_.id}/integrity").get_data(as_text=True)
    rows = {cell: page[page.index(cell) : page.index("</tr>", page.index(cell))] for cell in ("5.0 s / 6", "6.0 s / 6")}
    assert "Đã loại" in rows["5.0 s / 6"] and "Loại bài…" not in rows["5.0 s / 6"]  # decided already
    assert "Loại bài…" in rows["6.0 s / 6"]


def test_many_accounts_from_one_device_or_address_within_an_hour(session, clock) -> None:
    bank = make_bank(session, clock(), questions=6)
    round_ = make_round(session, make_contest(session, clock()), clock(), bank=bank, questions=6)

    def started(address: str, device: str, minutes: int) -> Attempt:
        attempt = _attempt(session, clock, round_, bank.questions, duration_ms=300_000, picks=[0, 1, 0, 0, 3, 0])
        attempt.client_address, attempt.device = address, device
        attempt.started_at = clock() + timedelta(minutes=minutes)
        attempt.deadline = attempt.started_at + timedelta(minutes=15)
        attempt.submitted_at = attempt.started_at + timedelta(minutes=5)
        return attempt

    # three accounts on one phone within 40 minutes: flagged; a fourth two hours later is not
    phone = [started("203.0.113.7", "a1b2c3d4e5f60718", minutes) for minutes in (0, 25, 40)]
    later = started("203.0.113.7", "a1b2c3d4e5f60718", 200)
    # two accounts on one device: not enough
    pair = [started("198.51.100.2", "ffffffffffffffff", minutes) for minutes in (0, 5)]
    # ten accounts behind one office address, each with its own browser, within 45 minutes: flagged
    office = [started("192.0.2.10", f"{index:016x}", index * 5) for index in range(10)]
    # nine at another office: not flagged
    small = [started("192.0.2.99", f"{index + 100:016x}", index * 5) for index in range(9)]
    session.commit()
    found = flags(session, round_)
    by_kind = {
        kind: {flag.attempt_id for flag in found if flag.kind == kind} for kind in ("same_device", "same_address")
    }
    assert by_kind["same_device"] == {attempt.id for attempt in phone}
    assert by_kind["same_address"] == {attempt.id for attempt in office}
    for attempt in [later, *pair, *small]:
        assert attempt.id not in by_kind["same_device"] | by_kind["same_address"]
    device_flag = next(flag for flag in found if flag.kind == "same_device")
    assert device_flag.detail == (
        "one device (mark a1b2c3d4, network address 203.0.113.7): 3 accounts between 10/10 08:00 and 10/10 08:40"
    )
    address_flag = next(flag for flag in found if flag.kind == "same_address")
    assert address_flag.detail.startswith("one network address 192.0.2.10: 10 accounts between")


def test_long_absences_are_flagged(session, clock) -> None:
    bank = make_bank(session, clock(), questions=6)
    round_ = make_round(session, make_contest(session, clock()), clock(), bank=bank, questions=6)
    away = _attempt(session, clock, round_, bank.questions, duration_ms=500_000, picks=[0, 1, 0, 0, 3, 0])
    away.long_absences, away.away_ms = 2, 185_000
    present = _attempt(session, clock, round_, bank.questions, duration_ms=500_000, picks=[1, 1, 0, 0, 3, 0])
    present.away_ms = 30_000  # short glances elsewhere are not flagged
    session.commit()
    found = [flag for flag in flags(session, round_) if flag.kind == "long_absences"]
    assert [(flag.attempt_id, flag.detail) for flag in found] == [
        (away.id, "2 absences of a minute or more; 3 min 5 s away in all")
    ]


def test_accounts_registered_together_on_one_device_are_flagged(session, clock) -> None:
    bank = make_bank(session, clock(), questions=6)
    round_ = make_round(session, make_contest(session, clock()), clock(), bank=bank, questions=6)
    phone = ("203.0.113.7", "a1b2c3d4e5f60718")

    def account(origin, minutes: int):  # type: ignore[no-untyped-def]
        user = make_user(session, clock())
        user.registered_address, user.registered_device = origin
        user.created_at = clock() - timedelta(days=1, minutes=-minutes)
        return user

    # three accounts made on one phone within 30 minutes; only two of them take this round
    made = [account(phone, minutes) for minutes in (0, 10, 30)]
    alone = account(("198.51.100.9", "0000000000000001"), 5)
    late = account(phone, 200)  # the same phone, hours later: not part of the run
    taken = [make_attempt(session, round_, user, clock(), score=3, seconds=200) for user in (*made[:2], alone, late)]
    session.commit()
    flagged = {flag.attempt_id: flag.detail for flag in flags(session, round_) if flag.kind == "registered_together"}
    assert set(flagged) == {taken[0].id, taken[1].id}
    assert flagged[taken[0].id] == "203.0.113.7: 3 accounts registered between 09/10 08:00 and 09/10 08:30"


def test_a_large_rounds_reviews_are_computed_by_the_worker_kept_and_computed_again_on_request(
    session, clock, client, auth, runner, monkeypatch
) -> None:
    """Above reports.INLINE_ATTEMPTS finished attempts (here lowered to one, so that two attempts make a large
    round) the pages do not compute: they ask the worker, then show what it kept, and when."""
    from contest.models import RoundReport
    from contest.services.results import reports

    monkeypatch.setattr(reports, "INLINE_ATTEMPTS", 1)
    bank = make_bank(session, clock(), questions=6)
    round_ = make_round(session, make_contest(session, clock()), clock(), bank=bank, questions=6)
    _attempt(session, clock, round_, bank.questions, duration_ms=5_000, picks=[0] * 6)
    _attempt(session, clock, round_, bank.questions, duration_ms=6_000, picks=[0] * 6)
    make_user(session, clock(), phone="0900000001", role="organizer")
    session.commit()
    auth.login("0900000001")
    page = client.get(f"/admin/rounds/{round_.id}/integrity").get_data(as_text=True)
    assert "đang tính" in page and "5.0 s / 6" not in page  # not computed in the request
    questions = client.get(f"/admin/rounds/{round_.id}/questions").get_data(as_text=True)
    assert "đang tính" in questions
    assert client.get(f"/admin/rounds/{round_.id}/questions.xlsx").status_code == 302  # nothing to download yet

    assert runner.invoke(args=["work", "--until-done", "--poll", "0.1"]).exit_code == 0
    page = client.get(f"/admin/rounds/{round_.id}/integrity").get_data(as_text=True)
    assert "5.0 s / 6" in page and "Tính lúc" in page and "Tính lại" in page
    assert "Câu hỏi" in client.get(f"/admin/rounds/{round_.id}/questions").get_data(as_text=True)
    assert client.get(f"/admin/rounds/{round_.id}/questions.xlsx").status_code == 200
    kept = {row.kind: row.computed_at for row in session.scalars(select(RoundReport))}
    assert set(kept) == {"integrity", "analysis"}

    _attempt(session, clock, round_, bank.questions, duration_ms=4_000, picks=[0] * 6)  # a third, also fast
    session.commit()
    page = client.get(f"/admin/rounds/{round_.id}/integrity").get_data(as_text=True)
    assert "4.0 s / 6" not in page  # the kept review, as it says
    assert client.post(f"/admin/rounds/{round_.id}/reports/refresh").status_code == 400  # CSRF
    refreshed = client.post(
        f"/admin/rounds/{round_.id}/reports/refresh", data={"csrf_token": csrf_token(client), "page": "integrity"}
    )
    assert refreshed.status_code == 302
    assert "Hệ thống đang tính lại" in client.get(refreshed.headers["Location"]).get_data(as_text=True)
    assert runner.invoke(args=["work", "--until-done", "--poll", "0.1"]).exit_code == 0
    assert "4.0 s / 6" in client.get(f"/admin/rounds/{round_.id}/integrity").get_data(as_text=True)
