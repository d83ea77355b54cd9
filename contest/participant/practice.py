"""Practice (thi thử): one question a page, the right answer and its explanation after each choice. No account
needed, no JavaScript needed (each question is one form); practice.js keeps a tally on the device."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from contest import clock
from contest.extensions import db, limiter
from contest.models import Contest
from contest.numbers import whole_number
from contest.participant import bp
from contest.services.console.contests import public_contest
from contest.services.quiz import practice
from contest.services.shared.errors import InvalidInput

PRACTICE_ANSWERS = "30 per minute;600 per hour"  # far above anyone reading the explanations


def _contest(slug: str) -> Contest:
    contest = public_contest(db.session(), slug)
    practice.practice_bank(contest)  # 404 where the contest offers no practice
    return contest


def _history(contest: Contest) -> practice.PracticeHistory | None:
    if not current_user.is_authenticated:
        return None
    return practice.history(db.session(), current_user.id, contest)


@bp.get("/contests/<slug>/practice")
def practice_start(slug: str) -> ResponseReturnValue:
    contest = _contest(slug)
    return render_template(
        "participant/practice.html",
        contest=contest,
        step="start",
        history=_history(contest),
        set_size=practice.SET_SIZE,
    )


@bp.get("/contests/<slug>/practice/new")
def practice_new(slug: str) -> ResponseReturnValue:
    _contest(slug)
    return redirect(url_for("participant.practice_question", slug=slug, seed=practice.new_seed(), number=1))


def _practice_key() -> str:
    return f"practice:{current_user.id}"


# Only a signed-in person's answers are written (their history), and the default limit leaves accounts alone:
# counted by account. A visitor's answers write nothing; the default limit by address covers them (an office
# behind one address must not lock out its colleagues).
@bp.route("/contests/<slug>/practice/<seed>/<int:number>", methods=["GET", "POST"])
@limiter.limit(
    PRACTICE_ANSWERS,
    key_func=_practice_key,
    methods=["POST"],
    exempt_when=lambda: not current_user.is_authenticated,
)
def practice_question(slug: str, seed: str, number: int) -> ResponseReturnValue:
    contest = _contest(slug)
    question = practice.question(db.session(), contest, seed, number)
    right_so_far = min(max(whole_number(request.values.get("right", "0")) or 0, 0), number - 1)
    context = {"contest": contest, "seed": seed, "question": question, "right_so_far": right_so_far}
    if request.method == "GET":
        return render_template("participant/practice.html", step="ask", chosen=[], **context)
    try:
        chosen = practice.chosen_options(question, request.form.getlist("choice"))
    except InvalidInput as error:
        return render_template(
            "participant/practice.html", step="ask", chosen=[], problem=error.message, **context
        ), 400
    right = question.is_right(chosen)
    if current_user.is_authenticated:
        practice.record(db.session(), current_user.id, contest, seed, question, right, clock.now())
        db.session.commit()
    return render_template(
        "participant/practice.html",
        step="answered",
        chosen=chosen,
        right=right,
        tally=right_so_far + right,
        history=_history(contest) if number == question.total else None,
        **context,
    )
