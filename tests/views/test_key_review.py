"""The key checked by a second person (#29): a reviewer goes through a bank with the key shown and marks questions
checked or disputed; nobody checks a question they imported or last edited; an edit of the key returns a question to
"not checked"; the authors resolve disputes (audited); a contest that requires review draws only checked questions."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from contest.models import AttemptItem, AuditEntry, Question, RoundPoolQuestion, User
from tests.factories import add_member, first_body, make_bank, make_body, make_user
from tests.helpers import DEMO_DATA, csrf_token


def _login(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    client.post("/login", data={"phone": user.phone, "password": "mat-khau-123", "csrf_token": csrf_token(client)})
    return client


def _edit(client: FlaskClient, question: Question, *, topic: str, answer: str = "A"):  # type: ignore[no-untyped-def]
    """The question edit form as an author posts it: the four options of the factories' questions."""
    form = {f"option_{letter}": f"Phương án {index}" for index, letter in enumerate("abcd")}
    form |= {"text": question.text, "answer": answer, "topic": topic, "difficulty": question.difficulty}
    return client.post(f"/admin/questions/{question.id}/edit", data={**form, "csrf_token": csrf_token(client)})


def _review(client: FlaskClient, question_id: int, verdict: str, comment: str = ""):  # type: ignore[no-untyped-def]
    data = {"verdict": verdict, "comment": comment, "csrf_token": csrf_token(client)}
    return client.post(f"/admin/questions/{question_id}/review", data=data)


def test_a_reviewer_checks_and_disputes_with_the_key_shown_and_an_author_resolves(app, session, clock) -> None:
    body = make_body(session, clock(), "KHCN")
    bank = make_bank(session, clock(), body=body, questions=4)
    reviewer, author = make_user(session, clock()), make_user(session, clock())
    add_member(session, body, reviewer, "reviewer", clock())
    add_member(session, body, author, "author", clock())
    session.commit()
    client = _login(app, reviewer)
    first, second = session.scalars(select(Question.id).where(Question.bank_id == bank.id).order_by(Question.id)).all()[
        :2
    ]
    page = client.get(f"/admin/banks/{bank.id}/review").get_data(as_text=True)
    assert "Thẩm định đáp án" in page and f"#{first}" in page and "Câu hỏi số 1?" in page
    assert 'class="correct"' in page and "Đã thẩm định 0 / 4 câu" in page  # the key is shown, marked
    checked = _review(client, first, "checked")
    assert checked.status_code == 302 and f"after={first}" in checked.headers["Location"]
    # the next question to check follows
    assert f"#{second}" in client.get(checked.headers["Location"]).get_data(as_text=True)
    refused = _review(client, second, "disputed")  # a dispute says why
    assert refused.status_code == 400 and "Vui lòng ghi rõ câu hỏi hoặc đáp án chưa đúng" in refused.get_data(
        as_text=True
    )
    assert session.get(Question, second).review_state == "unchecked"
    assert _review(client, second, "disputed", "Phương án A đã cũ: theo Quyết định mới là B.").status_code == 302
    session.expire_all()
    states = {q.id: (q.review_state, q.reviewed_by_id) for q in session.scalars(select(Question))}
    assert states[first] == ("checked", reviewer.id) and states[second] == ("disputed", reviewer.id)
    # the reviewer edits nothing
    assert client.get(f"/admin/questions/{first}/edit").status_code == 404
    # the authors see the progress and the dispute with its comment, and resolve it
    writer = _login(app, author)
    bank_page = writer.get(f"/admin/banks/{bank.id}").get_data(as_text=True)
    assert "Đã thẩm định 1 / 4 câu" in bank_page and "1 câu có ý kiến" in bank_page
    assert "Phương án A đã cũ" in bank_page
    resolved = writer.post(
        f"/admin/questions/{second}/resolve",
        data={"note": "Đã đối chiếu: đáp án A vẫn đúng.", "csrf_token": csrf_token(writer)},
    )
    assert resolved.status_code == 302
    session.expire_all()
    assert session.get(Question, second).review_state == "unchecked"  # to be checked again
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "question.dispute_resolved"))
    assert entry.user_id == author.id and entry.before["comment"].startswith("Phương án A đã cũ")
    assert entry.after["note"] == "Đã đối chiếu: đáp án A vẫn đúng." and entry.body_id == body.id


def test_nobody_checks_a_question_they_imported_or_last_edited(app, session, clock) -> None:
    author, other = make_user(session, clock(), role="organizer"), make_user(session, clock())
    add_member(session, first_body(session, clock()), other, "author", clock())
    session.commit()
    client = _login(app, author)
    form = {
        "file": (open(DEMO_DATA / "sample_bank.csv", "rb"), "sample_bank.csv"),  # noqa: SIM115
        "bank_name": "Của tôi",
        "file_format": "auto",
        "csrf_token": csrf_token(client),
    }
    upload = client.post("/admin/banks/upload", data=form, content_type="multipart/form-data")
    client.post(upload.headers["Location"] + "/confirm", data={"csrf_token": csrf_token(client)})
    question = session.scalar(select(Question).order_by(Question.id).limit(1))
    assert question.edited_by_id == author.id and question.edited_by_cli is None
    page = client.get(f"/admin/banks/{question.bank_id}/review").get_data(as_text=True)
    assert "Ngân hàng này không còn câu nào chờ bạn thẩm định" in page
    refused = _review(client, question.id, "checked")
    assert refused.status_code == 302
    session.expire_all()
    assert session.get(Question, question.id).review_state == "unchecked"
    # another author of the body checks it
    assert _review(_login(app, other), question.id, "checked").status_code == 302
    session.expire_all()
    assert session.get(Question, question.id).review_state == "checked"


def test_an_edit_of_the_key_returns_the_question_to_not_checked(app, session, clock) -> None:
    bank = make_bank(session, clock(), questions=2, review_state="checked")
    author = make_user(session, clock(), role="organizer")
    session.commit()
    client = _login(app, author)
    question = session.scalar(select(Question).where(Question.bank_id == bank.id).order_by(Question.id).limit(1))
    assert _edit(client, question, topic="Chủ đề mới").status_code == 302  # the topic is not the key
    session.expire_all()
    assert session.get(Question, question.id).review_state == "checked"
    assert session.get(Question, question.id).edited_by_id is None  # not the key's author for a topic
    assert _edit(client, question, topic="Chủ đề mới", answer="B").status_code == 302  # the key changes
    session.expire_all()
    edited = session.get(Question, question.id)
    assert edited.review_state == "unchecked" and edited.reviewed_by_id is None
    assert edited.edited_by_id == author.id  # who changed the key may not check it


def test_a_contest_that_requires_review_draws_only_checked_questions(quiz, runner, session) -> None:
    contest = quiz.round.contest
    questions = session.scalars(select(Question).where(Question.bank_id == quiz.round.bank_id).order_by(Question.id))
    checked = {question.id for question in list(questions)[:12]}
    for question in session.scalars(select(Question).where(Question.id.in_(checked))):
        question.review_state = "checked"
    session.commit()
    wrong = runner.invoke(args=["contest", "configure", "--slug", contest.slug, "--require-review", "yes"])
    assert wrong.exit_code != 0 and "on" in wrong.output and "off" in wrong.output
    configured = runner.invoke(args=["contest", "configure", "--slug", contest.slug, "--require-review", "on"])
    assert configured.exit_code == 0, configured.output
    session.expire_all()
    assert contest.require_review
    times = ["--opens", "2026-10-20T08:00", "--closes", "2026-10-27T08:00", "--bank", "Ngân hàng thi"]
    refused = runner.invoke(
        args=["round", "create", "--contest", contest.slug, "--name", "Lớn", "--questions", "13", *times]
    )
    assert refused.exit_code != 0 and "12" in refused.output and refused.output.count("\n") <= 3
    created = runner.invoke(
        args=["round", "create", "--contest", contest.slug, "--name", "Vừa", "--questions", "12", *times]
    )
    assert created.exit_code == 0, created.output
    lines = created.output.strip().splitlines()
    assert lines[-1].isdigit() and any(line.strip().startswith("Chính quyền số:") for line in lines)
    # the open round's pool is fixed at its first draw: checked questions only
    started = quiz.start().get_json()
    drawn = set(session.scalars(select(AttemptItem.question_id).where(AttemptItem.attempt_id == started["attempt_id"])))
    pool = set(
        session.scalars(select(RoundPoolQuestion.question_id).where(RoundPoolQuestion.round_id == quiz.round.id))
    )
    assert drawn and drawn <= checked and pool == checked
    off = runner.invoke(args=["contest", "configure", "--slug", contest.slug, "--require-review", "off"])
    assert off.exit_code == 0, off.output
    session.expire_all()
    assert not contest.require_review


def test_a_topic_edited_by_someone_else_leaves_the_keys_author_unable_to_check_it(app, session, clock) -> None:
    """Who wrote the key is who imported or last changed the text, options or answer: another author changing only
    the topic does not let the key's author check it."""
    writer, other = make_user(session, clock(), role="organizer"), make_user(session, clock())
    add_member(session, first_body(session, clock()), other, "author", clock())
    bank = make_bank(session, clock(), questions=1)
    question = session.scalar(select(Question).where(Question.bank_id == bank.id))
    question.edited_by_id = writer.id  # as the import records it
    session.commit()
    assert _edit(_login(app, other), question, topic="Chủ đề khác").status_code == 302
    session.expire_all()
    assert session.get(Question, question.id).edited_by_id == writer.id
    _review(_login(app, writer), question.id, "checked")
    session.expire_all()
    assert session.get(Question, question.id).review_state == "unchecked"


def test_a_question_disputed_after_the_first_draw_is_drawn_no_more(quiz, session, clock) -> None:
    contest = quiz.round.contest
    contest.require_review = True
    for question in session.scalars(select(Question).where(Question.bank_id == quiz.round.bank_id)):
        question.review_state = "checked"
    session.commit()
    first = quiz.start().get_json()  # fixes the pool: every question of the bank
    drawn = set(session.scalars(select(AttemptItem.question_id).where(AttemptItem.attempt_id == first["attempt_id"])))
    reviewer = make_user(session, clock())
    add_member(session, first_body(session, clock()), reviewer, "reviewer", clock())
    session.commit()
    client = _login(quiz.client.application, reviewer)
    for question_id in sorted(drawn)[:5]:
        assert _review(client, question_id, "disputed", "Đáp án chưa đúng.").status_code == 302
    disputed = set(sorted(drawn)[:5])
    later = [make_user(session, clock(), unit=quiz.unit) for _ in range(3)]
    session.commit()
    for person in later:
        player = quiz.client.application.test_client()
        player.post(
            "/api/session",
            json={"phone": person.phone, "password": "mat-khau-123"},
            headers={"X-CSRFToken": csrf_token(player)},
        )
        body = player.post(f"/api/rounds/{quiz.round.id}/attempts", headers={"X-CSRFToken": csrf_token(player)})
        items = select(AttemptItem.question_id).where(AttemptItem.attempt_id == body.get_json()["attempt_id"])
        assert not set(session.scalars(items)) & disputed


def test_an_operator_cannot_make_a_bank_the_practice_bank(app, session, clock) -> None:
    """Practice shows the key to anyone: choosing its bank is for those who may read the body's banks."""
    make_bank(session, clock(), name="Ôn tập")
    operator = make_user(session, clock())
    add_member(session, first_body(session, clock()), operator, "operator", clock())
    session.commit()
    client = _login(app, operator)
    form = {
        "title": "Cuộc thi mới",
        "slug": "cuoc-thi-moi",
        "names": "masked",
        "practice_bank": "Ôn tập",
        "status": "draft",
        "csrf_token": csrf_token(client),
    }
    refused = client.post("/admin/contests/new", data=form)
    assert refused.status_code == 400
    assert "Chỉ người quản lý và người soạn đề của cơ quan mới chọn ngân hàng thi thử" in refused.get_data(as_text=True)
    form.update(practice_bank="", csrf_token=csrf_token(client))
    assert client.post("/admin/contests/new", data=form).status_code == 302
