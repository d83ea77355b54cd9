"""The key checked by a second person: a reviewer goes through a bank question by question with the key shown and
marks each checked or disputed; the authors resolve disputes."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from contest import clock
from contest.auth.permissions import current_actor
from contest.auth.scope import current_access, staff_required
from contest.extensions import db
from contest.form_problems import problems, show_problems
from contest.ids import int_arg
from contest.models import Question
from contest.organizer import bp
from contest.organizer.forms import ResolveForm, ReviewForm
from contest.services.banks import questions, review
from contest.services.bodies.access import Right
from contest.services.shared.errors import Forbidden, InvalidInput


def _render(bank_id: int, question: Question | None, form: ReviewForm) -> ResponseReturnValue:
    bank = questions.get_bank(db.session(), bank_id)
    access = current_access()
    return render_template(
        "organizer/review.html",
        bank=bank,
        question=question,
        form=form,
        problems=problems(form),
        progress=review.review_progress(db.session(), bank),
        may_review=question is not None and access.may_review(question, bank.body_id),
        edited_by=review.edited_by(db.session(), question) if question is not None else None,
        reviewed_by=review.people_names(
            db.session(), {question.reviewed_by_id} if question and question.reviewed_by_id else set()
        ),
    ), (400 if problems(form) else 200)


@bp.get("/banks/<int:bank_id>/review")
@staff_required(Right.REVIEW)
def bank_review(bank_id: int) -> ResponseReturnValue:
    """One question with its key: the one asked for (?question=ID), else the next one the person may check."""
    bank = questions.get_bank(db.session(), bank_id)
    chosen = int_arg("question", 0, low=0)
    if chosen:
        question = db.session.get(Question, chosen)
        if question is None or question.bank_id != bank.id:
            abort(404)
    else:
        access = current_access()
        next_id = review.next_to_review(
            db.session(),
            bank,
            int_arg("after", 0, low=0),
            current_user.id,
            access.roles.get(bank.body_id) == "reviewer",
        )
        question = db.session.get(Question, next_id) if next_id is not None else None
    return _render(bank_id, question, ReviewForm(formdata=None))


@bp.post("/questions/<int:question_id>/review")
@staff_required(Right.REVIEW)
def question_review(question_id: int) -> ResponseReturnValue:
    question = questions.get_question(db.session(), question_id)
    form = ReviewForm()
    if not form.validate():
        return _render(question.bank_id, question, form)
    try:
        review.review_question(
            db.session(),
            question,
            verdict=form.verdict.data or "",
            comment=form.comment.data or "",
            reviewer=current_user,
            allowed=current_access().may_review(question, question.bank.body_id),
            now=clock.now(),
        )
    except Forbidden as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("organizer.bank_review", bank_id=question.bank_id, question=question.id))
    except InvalidInput as error:
        db.session.rollback()
        show_problems(form, error, "comment", per_field=True)
        return _render(question.bank_id, question, form)
    db.session.commit()
    if question.review_state == "checked":
        flash(_("Question %(id)d: the key is checked.", id=question.id), "success")
    else:
        flash(_("Question %(id)d is disputed: its authors see your comment.", id=question.id), "success")
    return redirect(url_for("organizer.bank_review", bank_id=question.bank_id, after=question.id))


@bp.post("/questions/<int:question_id>/resolve")
@staff_required(Right.BANK_EDIT)
def question_resolve(question_id: int) -> ResponseReturnValue:
    question = questions.get_question(db.session(), question_id)
    form = ResolveForm()
    back = url_for("organizer.bank_detail", bank_id=question.bank_id) + "#disputes-title"
    if not form.validate():
        flash(_("Say how the dispute was resolved."), "error")
        return redirect(back)
    try:
        review.resolve_dispute(
            db.session(), question, note=form.note.data or "", actor=current_actor(), now=clock.now()
        )
    except InvalidInput as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(back)
    db.session.commit()
    flash(_("Question %(id)d is to be checked again.", id=question.id), "success")
    return redirect(url_for("organizer.bank_detail", bank_id=question.bank_id))
