"""Routes of the quiz pages. They work without JavaScript (plain form posts); quiz.js adds one
question at a time, autosave, an offline queue and the countdown."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from contest import clock
from contest.auth import attempt_tokens
from contest.auth.permissions import current_actor, current_origin
from contest.downloads import pdf_download
from contest.extensions import db
from contest.numbers import whole_number
from contest.participant import bp
from contest.services.console.contests import public_contest
from contest.services.console.rounds import visible_round
from contest.services.people import eligibility
from contest.services.quiz import attempts, category, receipts
from contest.services.quiz.items import item_facts
from contest.services.ranking import tables
from contest.services.ranking.result_rank import result_rank
from contest.services.results import certificates
from contest.services.shared.errors import DomainError, InvalidInput


@bp.get("/rounds/<int:round_id>/take")
@login_required
def take(round_id: int) -> ResponseReturnValue:
    now = clock.now()
    round_ = visible_round(db.session(), round_id)
    attempt = attempts.open_attempt(db.session(), current_user, round_)
    if attempt is not None and attempt.accepts_answers(now):
        items = item_facts(db.session(), attempt.id)
        payload = attempts.attempt_payload(attempt, items, now)
        token = attempt_tokens.for_attempt(attempt, current_user)
        return render_template(
            "participant/quiz.html", round=round_, attempt=attempt, payload=payload, attempt_token=token
        )
    if attempt is not None:  # left open past its deadline: finish it now
        attempts.finish_attempt(db.session(), attempt, now=now, finished_by="deadline")
        db.session.commit()
    past = attempts.history(db.session(), current_user, round_)
    return render_template(
        "participant/start.html",
        round=round_,
        used=past.used,
        finished=past.finished,
        state=round_.state(now),
        in_scope=attempts.in_scope(current_user, round_),
        # the contest ranks tables and none takes this person's category: they choose it here, once
        choose_category=tables.table_categories(round_.contest)
        if tables.category_needed(round_.contest, current_user.category)
        else None,
    )


@bp.post("/rounds/<int:round_id>/take")
@login_required
def start(round_id: int) -> ResponseReturnValue:
    round_ = visible_round(db.session(), round_id)
    try:
        chosen = request.form.get("category")
        if chosen is not None and tables.category_needed(round_.contest, current_user.category):
            category.choose_category(
                db.session(), current_user, round_.contest, chosen, actor=current_actor(), now=clock.now()
            )
        attempts.start_attempt(
            db.session(),
            current_user,
            round_,
            now=clock.now(),
            origin=current_origin(),
        )
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("participant.take", round_id=round_id))
    db.session.commit()
    return redirect(url_for("participant.take", round_id=round_id))


@bp.post("/contests/<slug>/join")
@login_required
def join(slug: str) -> ResponseReturnValue:
    """A request to take part in a contest that asks for approval."""
    contest = public_contest(db.session(), slug)
    try:
        eligibility.request_to_join(db.session(), current_user, contest, now=clock.now())
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("Your request was sent: your unit administrator approves it."), "success")
    return redirect(url_for("public.contest_page", slug=slug))


@bp.post("/attempts/<int:attempt_id>/answers")
@login_required
def save_form(attempt_id: int) -> ResponseReturnValue:
    """The whole quiz as one form, for browsers without JavaScript: save, or save and submit."""
    now = clock.now()
    attempt = attempts.get_own_attempt(db.session(), current_user, attempt_id)
    if attempt.status == "in_progress":
        try:
            # the attempt row first: several saves and a finish in one transaction, never interleaved with another
            # request's saves of the same attempt (which would wait on one another's rows: a deadlock)
            attempts.hold_attempt(db.session(), attempt)
            for item in item_facts(db.session(), attempt.id):
                picked = (whole_number(value) for value in request.form.getlist(f"q{item.position}"))
                chosen = [number for number in picked if number is not None]
                if chosen != (item.chosen or []):
                    attempts.save_answer(
                        db.session(),
                        user_id=current_user.id,
                        attempt_id=attempt.id,
                        position=item.position,
                        option_ids=chosen,
                        now=now,
                    )
            if request.form.get("action") == "submit":
                attempts.submit_attempt(db.session(), attempt, prediction=request.form.get("prediction"), now=now)
        except InvalidInput as error:
            db.session.rollback()  # a choice the question does not take: nothing of this form is kept
            flash(str(error.message), "error")
            return redirect(url_for("participant.take", round_id=attempt.round_id))
        except DomainError as error:
            db.session.commit()  # what was saved stays saved
            flash(str(error.message), "error")
            if attempt.status == "in_progress":
                return redirect(url_for("participant.take", round_id=attempt.round_id))
        else:
            db.session.commit()
    if attempt.status == "in_progress":
        flash(_("Your answers are saved."), "success")
        return redirect(url_for("participant.take", round_id=attempt.round_id))
    return redirect(url_for("participant.result", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>/result")
@login_required
def result(attempt_id: int) -> ResponseReturnValue:
    now = clock.now()
    attempt = attempts.get_own_attempt(db.session(), current_user, attempt_id)
    if attempt.status == "in_progress":
        if attempt.accepts_answers(now):
            return redirect(url_for("participant.take", round_id=attempt.round_id))
        attempts.finish_attempt(db.session(), attempt, now=now, finished_by="deadline")
        db.session.commit()
    items = item_facts(db.session(), attempt.id)
    review = attempt.round.key_shown(now)
    own_answers = attempt.round.own_answers_shown(now)
    return render_template(
        "participant/result.html",
        attempt=attempt,
        round=attempt.round,
        rank=result_rank(db.session(), attempt, current_user.category, now),
        items=items if own_answers else [],
        review=review,
        own_answers=own_answers,
        certificates=[c for c in certificates.of_user(db.session(), current_user.id) if c.round_id == attempt.round_id],
        is_correct=attempts.is_correct,
    )


@bp.route("/verify", methods=["GET", "POST"])
def verify_form() -> ResponseReturnValue:
    code = request.values.get("code", "")
    if code.strip():
        return redirect(url_for("participant.verify", code=receipts.normalise_code(code)))
    return render_template("participant/verify.html", attempt=None, code="", valid=None)


@bp.get("/verify/<code>")
def verify(code: str) -> ResponseReturnValue:
    code = receipts.normalise_code(code)
    attempt = receipts.find_by_receipt(db.session(), code)
    if attempt is None:
        certificate = certificates.find(db.session(), code)
        if certificate is not None and certificate.round.results_published_at is not None:
            return render_template(
                "participant/verify.html",
                attempt=None,
                certificate=certificate,
                code=code,
                valid=certificates.matches(certificate),
            )
        return render_template("participant/verify.html", attempt=None, code=code, valid=False), 404
    valid = receipts.verify(attempt, item_facts(db.session(), attempt.id))
    return render_template("participant/verify.html", attempt=attempt, code=code, valid=valid)


@bp.get("/certificates/<code>.pdf")
@login_required
def certificate_pdf(code: str) -> ResponseReturnValue:
    """A certificate, for its owner, their unit's administrator and the organizers (anyone else: not found)."""
    certificate = certificates.find(db.session(), code)
    if (
        certificate is None
        or certificate.revoked_at is not None
        or certificate.round.results_published_at is None
        or not certificates.may_download(db.session(), current_user, certificate)
    ):
        abort(404)
    content = certificates.pdf_bytes(db.session(), certificate)
    return pdf_download(content, certificates.file_name(certificate), inline=True)
