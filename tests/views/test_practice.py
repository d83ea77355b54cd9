"""Practice (thi thử, #18 item 1): one question a page from the contest's practice bank, the right answer and the
explanation after each choice, a running tally, a fresh set on demand; no account needed, a history for those
signed in; it never touches attempts, boards or attempt limits, and its bank can never be a round's."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from contest.models import Attempt, Contest, Option, PracticeAnswer, Question
from tests.helpers import csrf_token

PRACTICE = "/contests/cds-2026/practice"


def _start(client) -> str:
    """A new set's first page address."""
    answer = client.get(f"{PRACTICE}/new")
    assert answer.status_code == 302
    location = answer.headers["Location"]
    assert re.fullmatch(r"/contests/cds-2026/practice/[0-9a-f]{16}/1", location)
    return location


def _shown(page: str) -> tuple[str, list[int]]:
    """The question text and the option ids a practice page offers, in order."""
    text = re.search(r'<span class="question-text">(.*?)</span>', page, re.S).group(1)
    return text, [int(value) for value in re.findall(r'name="choice" value="(\d+)"', page)]


def _key(session, option_ids: list[int]) -> tuple[list[int], list[int]]:
    """Of the offered options, the right ones and the wrong ones (from the database)."""
    rows = session.execute(select(Option.id, Option.is_correct).where(Option.id.in_(option_ids))).all()
    return [i for i, right in rows if right], [i for i, right in rows if not right]


def _answer(client, address: str, choices: list[int], tally: int = 0):
    return client.post(address, data={"choice": choices, "right": tally, "csrf_token": csrf_token(client)})


def test_the_contest_offers_practice_one_question_at_a_time_with_the_answer_and_explanation(
    runner, client, session
) -> None:
    runner.invoke(args=["demo"])
    assert f'href="{PRACTICE}"' in client.get("/contests/cds-2026").get_data(as_text=True)
    start = client.get(PRACTICE).get_data(as_text=True)
    assert "Thi thử" in start and "không được tính" in start
    address = _start(client)
    page = client.get(address).get_data(as_text=True)
    _text, options = _shown(page)
    assert "Câu 1 / 10" in page and "Số câu đúng" not in page  # nothing answered yet
    # nothing before ("Chọn tất cả các đáp án đúng." above a multiple-answer question is the instruction, not the key)
    assert 'class="correct"' not in page and "✓ đáp án đúng" not in page and "data-right" not in page
    right, wrong = _key(session, options)
    question = session.scalar(select(Question).join(Option).where(Option.id == options[0]))
    assert question.bank.name == "Ngân hàng thi thử chuyển đổi số"

    checked = _answer(client, address, wrong[:1]).get_data(as_text=True)
    assert "Chưa đúng" in checked and "✓ đáp án đúng" in checked
    assert "Giải thích:" in checked and question.explanation.split("“")[0][:30] in checked
    assert f"{address[:-1]}2?right=0" in checked  # the next question, the tally carried

    again = _answer(client, address, right).get_data(as_text=True)
    assert "Đúng rồi" in again and f"{address[:-1]}2?right=1" in again


def test_a_whole_set_ends_with_its_tally_and_a_new_set_draws_afresh(runner, client, session) -> None:
    runner.invoke(args=["demo"])
    address = _start(client)
    tally, texts = 0, []
    for number in range(1, 11):
        page = client.get(f"{address[:-1]}{number}?right={tally}").get_data(as_text=True)
        text, options = _shown(page)
        texts.append(text)
        right, wrong = _key(session, options)
        choice = right if number % 3 else wrong[:1]  # 3, 6, 9 wrong
        answer = _answer(client, f"{address[:-1]}{number}", choice, tally).get_data(as_text=True)
        tally += number % 3 != 0
    assert len(set(texts)) == 10  # no question twice in a set
    assert "7 / 10" in answer and "Đã hoàn thành bộ câu hỏi" in answer
    assert client.get(f"{address[:-1]}11").status_code == 404
    assert _start(client) != address  # a fresh set on demand


def test_a_made_up_tally_cannot_exceed_the_questions_answered(runner, client) -> None:
    runner.invoke(args=["demo"])
    address = _start(client)
    page = client.get(f"{address[:-1]}3?right=99").get_data(as_text=True)
    assert "Câu 3 / 10" in page and "Số câu đúng: 2/2" in page


def test_bad_practice_requests_are_refused_plainly(runner, client, session) -> None:
    runner.invoke(args=["demo"])
    address = _start(client)
    page = client.get(address).get_data(as_text=True)
    _text, options = _shown(page)
    right, _wrong = _key(session, options)
    nothing = _answer(client, address, [])
    assert nothing.status_code == 400 and "Vui lòng chọn một phương án" in nothing.get_data(as_text=True)
    stranger = session.scalar(select(Option.id).where(Option.id.not_in(options)))
    assert _answer(client, address, [stranger]).status_code == 400
    text = session.scalar(select(Question).join(Option).where(Option.id == options[0]))
    if not text.multiple:
        assert _answer(client, address, options[:2]).status_code == 400
    no_token = client.post(address, data={"choice": right})
    assert no_token.status_code == 400
    for bad in ("/contests/cds-2026/practice/xyz/1", "/contests/cds-2026/practice/" + "0" * 16 + "/0"):
        assert client.get(bad).status_code == 404
    # a contest without a practice bank offers none
    assert client.get("/contests/cds-can-bo-skhcn-2026/practice").status_code == 404
    assert client.get("/contests/cds-can-bo-skhcn-2026/practice/new").status_code == 404
    assert 'practice"' not in client.get("/contests/cds-can-bo-skhcn-2026").get_data(as_text=True)


def test_practice_touches_no_attempt_and_no_board(runner, client, session) -> None:
    runner.invoke(args=["demo"])
    attempts = session.scalar(select(func.count(Attempt.id)))
    board = client.get("/api/rounds/1/leaderboard").get_json()
    client.post("/login", data={"phone": "0900000002", "password": "Demo@2026", "csrf_token": csrf_token(client)})
    address = _start(client)
    _text, options = _shown(client.get(address).get_data(as_text=True))
    right, _wrong = _key(session, options)
    _answer(client, address, right)
    assert session.scalar(select(func.count(Attempt.id))) == attempts
    assert client.get("/api/rounds/1/leaderboard").get_json()["total"] == board["total"]


def test_signed_in_people_keep_a_history_of_the_topics_they_get_wrong(runner, client, session) -> None:
    runner.invoke(args=["demo"])
    client.post("/login", data={"phone": "0900000002", "password": "Demo@2026", "csrf_token": csrf_token(client)})
    address = _start(client)
    _text, options = _shown(client.get(address).get_data(as_text=True))
    right, wrong = _key(session, options)
    _answer(client, address, wrong[:1])
    _answer(client, address, right)  # the same question sent again (a refresh) counts once, as first answered
    rows = session.scalars(select(PracticeAnswer)).all()
    assert len(rows) == 1 and rows[0].correct is False
    topic = rows[0].topic
    second = f"{address[:-1]}2"
    _text, options = _shown(client.get(second).get_data(as_text=True))
    right, wrong = _key(session, options)
    _answer(client, second, right)
    page = client.get(PRACTICE).get_data(as_text=True)
    assert "Bạn đã trả lời 2 câu luyện tập, đúng 1 câu" in page
    assert "Chủ đề bạn hay trả lời sai nhất" in page and topic in page
    # nobody else sees it, and without an account nothing is kept
    other = client.application.test_client()
    assert "Chủ đề bạn hay trả lời sai nhất" not in other.get(PRACTICE).get_data(as_text=True)
    address = _start(other)
    _text, options = _shown(other.get(address).get_data(as_text=True))
    _answer(other, address, options[:1])
    assert session.scalar(select(func.count(PracticeAnswer.id))) == 2


def test_a_practice_bank_and_a_rounds_bank_are_never_the_same(runner, app, session, clock) -> None:
    runner.invoke(args=["demo"])
    organizer = app.test_client()
    organizer.post("/login", data={"phone": "0900000001", "password": "Demo@2026", "csrf_token": csrf_token(organizer)})
    # the round form does not offer the practice bank, and the command refuses it
    form = organizer.get("/admin/contests/cds-2026/rounds/new").get_data(as_text=True)
    assert "Ngân hàng thi thử chuyển đổi số" not in form
    refused = runner.invoke(
        args=["round", "create", "--contest", "cds-2026", "--name", "Thử", "--opens", "2026-12-01T00:00:00Z",
              "--closes", "2026-12-30T00:00:00Z", "--questions", "5", "--minutes", "5",
              "--bank", "Ngân hàng thi thử chuyển đổi số"]
    )  # fmt: skip
    assert refused.exit_code != 0 and "ngân hàng thi thử" in refused.output
    # the contest form refuses a bank a round draws from, and names why
    contest = session.scalar(select(Contest).where(Contest.slug == "cds-2026"))
    edit = organizer.get("/admin/contests/cds-2026/edit").get_data(as_text=True)
    assert 'value="Ngân hàng thi thử chuyển đổi số"' in edit
    data = {
        "title": contest.title,
        "scope": "HBX",
        "rules": contest.rules,
        "names": "masked",
        "practice_bank": "Ngân hàng mẫu chuyển đổi số",
        "csrf_token": csrf_token(organizer),
    }
    answer = organizer.post("/admin/contests/cds-2026/edit", data=data)
    assert answer.status_code == 400 and "đang được dùng cho đợt thi “" in answer.get_data(as_text=True)
    session.refresh(contest)
    assert contest.practice_bank.name == "Ngân hàng thi thử chuyển đổi số"  # unchanged
    data["practice_bank"] = ""
    assert organizer.post("/admin/contests/cds-2026/edit", data=data).status_code == 302
    session.refresh(contest)
    assert contest.practice_bank is None
    assert organizer.get(PRACTICE).status_code == 404


def test_the_command_line_sets_the_practice_bank_by_the_same_rules(runner, session) -> None:
    runner.invoke(args=["demo"])
    refused = runner.invoke(
        args=["contest", "configure", "--slug", "cds-2026", "--practice-bank", "Ngân hàng mẫu chuyển đổi số"]
    )
    assert refused.exit_code == 1 and "is used by the round “" in refused.output
    cleared = runner.invoke(args=["contest", "configure", "--slug", "cds-2026", "--practice-bank", ""])
    assert cleared.exit_code == 0 and "practice from" not in cleared.output
    contest = session.scalar(select(Contest).where(Contest.slug == "cds-2026"))
    assert contest.practice_bank_id is None
    again = runner.invoke(
        args=["contest", "configure", "--slug", "cds-2026", "--practice-bank", "Ngân hàng thi thử chuyển đổi số"]
    )
    assert again.exit_code == 0 and 'practice from bank "Ngân hàng thi thử chuyển đổi số"' in again.output


def test_a_bank_once_practised_on_never_becomes_a_rounds_bank(runner) -> None:
    runner.invoke(args=["demo"])
    assert runner.invoke(args=["contest", "configure", "--slug", "cds-2026", "--practice-bank", ""]).exit_code == 0
    refused = runner.invoke(
        args=["round", "create", "--contest", "cds-2026", "--name", "Thử", "--opens", "2026-12-01T00:00:00Z",
              "--closes", "2026-12-30T00:00:00Z", "--questions", "5", "--minutes", "5",
              "--bank", "Ngân hàng thi thử chuyển đổi số"]
    )  # fmt: skip
    assert refused.exit_code == 1 and "is or was a practice bank" in refused.output


def test_odd_choices_are_refused_not_a_server_error(runner, client, session) -> None:
    runner.invoke(args=["demo"])
    address = _start(client)
    for odd in ("²", "9" * 5000, "-1", "1.5", "", "٣"):
        assert _answer(client, address, [odd]).status_code == 400, odd


def test_true_false_shows_true_first_and_options_that_point_at_others_keep_their_place(runner, client, session) -> None:
    runner.invoke(args=["demo"])
    seen_true_false = 0
    for _set in range(6):
        address = _start(client)
        for number in range(1, 11):
            page = client.get(f"{address[:-1]}{number}").get_data(as_text=True)
            texts = re.findall(r'<span class="choice-letter">[A-F]\.</span>\s*<span>([^<]*)', page)
            if texts == ["Đúng", "Sai"] or texts == ["Sai", "Đúng"]:
                assert texts == ["Đúng", "Sai"]
                seen_true_false += 1
            if any(text.startswith("Tất cả các hình thức trên") for text in texts):
                assert texts[-1].startswith("Tất cả các hình thức trên")
    assert seen_true_false >= 6


def test_the_quiz_keeps_the_same_option_orders(runner, app, session, clock) -> None:
    from contest.models import Unit
    from tests.helpers import participant_client

    runner.invoke(args=["units", "import", "contest/demo_data/units.csv"])
    runner.invoke(args=["bank", "import", "contest/demo_data/practice_bank.csv", "--bank", "Đúng sai"])
    runner.invoke(args=["contest", "create", "--slug", "ds", "--title", "Đúng sai"])
    created = runner.invoke(
        args=["round", "create", "--contest", "ds", "--name", "Tuần 1", "--opens", "2026-01-01T00:00",
              "--closes", "2027-01-01T00:00", "--questions", "12", "--minutes", "10", "--bank", "Đúng sai"]
    )  # fmt: skip
    round_id = int(created.output.split()[-1])
    unit = session.scalar(select(Unit).where(Unit.code == "HBX-SKHCN"))
    for n in range(4):
        person = participant_client(app, session, clock, f"091234567{n}", unit, f"Người {n}")
        body = person.post(f"/api/rounds/{round_id}/attempts", headers={"X-CSRFToken": csrf_token(person)}).get_json()
        orders = [[option["text"] for option in q["options"]] for q in body["questions"]]
        assert sum(order == ["Đúng", "Sai"] for order in orders) == 6 and ["Sai", "Đúng"] not in orders
        everything = next(order for order in orders if "Tất cả các hình thức trên" in order)
        assert everything[-1] == "Tất cả các hình thức trên"


def test_organizers_are_warned_when_practice_shares_questions_with_a_round(runner, app, session) -> None:
    runner.invoke(args=["demo"])
    organizer = app.test_client()
    organizer.post("/login", data={"phone": "0900000001", "password": "Demo@2026", "csrf_token": csrf_token(organizer)})
    contest = session.scalar(select(Contest).where(Contest.slug == "cds-2026"))
    data = {
        "title": contest.title,
        "scope": "HBX",
        "rules": contest.rules,
        "names": "masked",
        "practice_bank": "Ngân hàng thi thử chuyển đổi số",
        "csrf_token": csrf_token(organizer),
    }
    quiet = organizer.post("/admin/contests/cds-2026/edit", data=data, follow_redirects=True).get_data(as_text=True)
    assert "Practice shows" not in quiet and "trùng" not in quiet  # the demo's practice bank is a bank of its own
    # a copy of the rounds' sample file as the practice bank: saved, with a warning naming the bank and the count (the
    # demo shares the file between this week's bank and last week's, 60 questions each)
    copy = ["contest/demo_data/sample_bank.csv", "--bank", "Bản sao để ôn", "--body", str(contest.body_id)]
    runner.invoke(args=["bank", "import", *copy])
    data["practice_bank"] = "Bản sao để ôn"
    page = organizer.post("/admin/contests/cds-2026/edit", data=data, follow_redirects=True).get_data(as_text=True)
    assert "60 câu hỏi của ngân hàng thi thử cũng có trong ngân hàng “Ngân hàng mẫu chuyển đổi số”" in page
    configured = runner.invoke(args=["contest", "configure", "--slug", "cds-2026", "--practice-bank", "Bản sao để ôn"])
    # (the command's language follows the app's: after the page above, these tests' app answers in Vietnamese)
    assert configured.exit_code == 0 and "60" in configured.output
    assert "“Ngân hàng mẫu chuyển đổi số”" in configured.output
    # and a new round on a bank the practice shares: its questions count as revealed (anyone sees the practice's
    # key), so the round is refused unless the organizer chooses to reuse them, and then warned about
    new_round = ["round", "create", "--contest", "cds-2026", "--name", "Tuần 3", "--opens", "2026-12-10T00:00",
                 "--closes", "2026-12-17T00:00", "--questions", "5", "--minutes", "5",
                 "--bank", "Ngân hàng mẫu chuyển đổi số"]  # fmt: skip
    refused = runner.invoke(args=new_round)
    assert refused.exit_code != 0 and "0 câu cho" in refused.output
    created = runner.invoke(args=[*new_round, "--reuse-revealed"])
    assert created.exit_code == 0 and "60" in created.output and "“Bản sao để ôn”" in created.output


def test_a_signed_in_persons_practice_answers_are_limited_a_visitors_are_not_stored(runner, client, session) -> None:
    runner.invoke(args=["demo"])
    visitor = client.application.test_client()
    address = _start(visitor)
    _text, options = _shown(visitor.get(address).get_data(as_text=True))
    token = csrf_token(visitor)
    visits = [visitor.post(address, data={"choice": options[:1], "csrf_token": token}).status_code for _ in range(35)]
    assert set(visits) == {200}  # a visitor writes nothing: only the default limit by address applies
    client.post("/login", data={"phone": "0900000002", "password": "Demo@2026", "csrf_token": csrf_token(client)})
    token = csrf_token(client)
    statuses = [client.post(address, data={"choice": options[:1], "csrf_token": token}).status_code for _ in range(31)]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429
    assert session.scalar(select(func.count(PracticeAnswer.id))) == 1  # and the same question counted once
