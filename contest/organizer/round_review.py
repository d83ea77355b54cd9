"""Watching and reviewing a round: live monitoring, the question analysis, integrity flags and disqualification."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from contest import clock
from contest.auth.scope import staff_required
from contest.downloads import xlsx_download
from contest.extensions import db
from contest.form_problems import problems, show_problems
from contest.ids import as_id, int_arg
from contest.labels import INTEGRITY_FLAG_LABELS
from contest.models import Round
from contest.organizer import bp, confirmation
from contest.organizer.forms import DisqualifyForm
from contest.services.banks import analysis
from contest.services.bodies.access import Right
from contest.services.console import monitoring, rounds
from contest.services.quiz import integrity
from contest.services.results import disqualification, reports
from contest.services.shared.errors import InvalidInput


@bp.get("/rounds/<int:round_id>/monitor")
@staff_required(Right.CONTESTS)
def round_monitor(round_id: int) -> ResponseReturnValue:
    round_ = rounds.find_round(db.session(), round_id)
    data = monitoring.monitor_data(db.session(), round_)
    return render_template(
        "organizer/monitor.html", round=round_, data=data, generated_at=clock.parse_iso(data["generated_at"])
    )


@bp.get("/rounds/<int:round_id>/monitor.json")
@staff_required(Right.CONTESTS)
def round_monitor_json(round_id: int) -> ResponseReturnValue:
    response = jsonify(monitoring.monitor_data(db.session(), rounds.find_round(db.session(), round_id)))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/rounds/<int:round_id>/monitor.xlsx")
@staff_required(Right.CONTESTS)
def round_monitor_xlsx(round_id: int) -> ResponseReturnValue:
    round_ = rounds.find_round(db.session(), round_id)
    data = monitoring.monitor_data(db.session(), round_)
    return xlsx_download(lambda target: monitoring.write_xlsx(data, target), f"theo-doi-dot-{round_.id}.xlsx")


@bp.get("/rounds/<int:round_id>/questions")
@staff_required(Right.ROUND_REVIEW)
def round_questions(round_id: int) -> ResponseReturnValue:
    """The analysis a page of questions at a time (the flagged ones first), optionally only those to review."""
    round_ = rounds.find_round(db.session(), round_id)
    report = reports.current(db.session(), round_, "analysis", clock.now())
    db.session.commit()
    stats = report.stats()
    only_review = request.args.get("show") == "review"
    shown = [stat for stat in stats if stat.flags] if only_review else stats
    pages = max(1, -(-len(shown) // QUESTIONS_PER_PAGE))
    page = int_arg("page", 1, low=1, high=pages)
    return render_template(
        "organizer/question_stats.html",
        round=round_,
        stats=shown[(page - 1) * QUESTIONS_PER_PAGE : page * QUESTIONS_PER_PAGE],
        total=len(stats),
        to_review=sum(1 for stat in stats if stat.flags),
        filtered=len(shown),
        only_review=only_review,
        page=page,
        pages=pages,
        enough=analysis.ENOUGH_ANSWERS,
        report=report,
    )


QUESTIONS_PER_PAGE = 20


@bp.get("/rounds/<int:round_id>/questions.xlsx")
@staff_required(Right.ROUND_REVIEW)
def round_questions_xlsx(round_id: int) -> ResponseReturnValue:
    round_ = rounds.find_round(db.session(), round_id)
    report = reports.current(db.session(), round_, "analysis", clock.now())
    db.session.commit()
    if report.payload is None:  # a large round's, not computed yet: the page says so
        return redirect(url_for("organizer.round_questions", round_id=round_id))
    stats = report.stats()
    return xlsx_download(lambda target: analysis.write_xlsx(stats, target), f"phan-tich-dot-{round_.id}.xlsx")


def _integrity_page(round_: Round, form: DisqualifyForm) -> ResponseReturnValue:
    report = reports.current(db.session(), round_, "integrity", clock.now())
    db.session.commit()
    flags = reports.with_current_names(db.session(), report.flags()) if report.kept else report.flags()
    return render_template(
        "organizer/integrity.html",
        round=round_,
        flags=flags,
        numbers=integrity.attempt_numbers(db.session(), {flag.attempt_id for flag in flags}),
        disqualified=disqualification.disqualified_attempts(db.session(), round_.id),
        flag_labels=INTEGRITY_FLAG_LABELS,
        report=report,
        form=form,
        problems=problems(form),
    ), (400 if problems(form) else 200)


@bp.get("/rounds/<int:round_id>/integrity")
@staff_required(Right.ROUND_REVIEW)
def round_integrity(round_id: int) -> ResponseReturnValue:
    form = DisqualifyForm(data={"attempt": request.args.get("attempt", "")})
    return _integrity_page(rounds.find_round(db.session(), round_id), form)


@bp.post("/rounds/<int:round_id>/disqualify")
@staff_required(Right.ROUND_REVIEW)
def round_disqualify(round_id: int) -> ResponseReturnValue:
    round_ = rounds.find_round(db.session(), round_id)
    form = DisqualifyForm()
    attempt_id = as_id(form.attempt.data or "")
    if not form.validate_on_submit() or attempt_id is None:
        form.attempt.errors = [*form.attempt.errors, _("Enter the number of the attempt.")]
        return _integrity_page(round_, form)
    attempt = disqualification.round_attempt(db.session(), round_.id, attempt_id)
    if not confirmation.confirmed():
        try:
            disqualification.check_disqualification(attempt, form.reason.data or "")
        except InvalidInput as error:
            show_problems(form, error, "reason")
            return _integrity_page(round_, form)
        return confirmation.ask(
            _("Disqualify attempt %(id)d?", id=attempt.id),
            _(
                "The attempt of %(name)s leaves every ranking (live boards, final ranking, prizes) with the reason "
                "“%(reason)s”, recorded in the audit log. It can be reinstated later.",
                name=attempt.user.name,
                reason=form.reason.data or "",
            ),
            back=url_for("organizer.round_integrity", round_id=round_.id),
        )
    try:
        disqualification.disqualify(
            db.session(), attempt, by=current_user, reason=form.reason.data or "", now=clock.now()
        )
    except InvalidInput as error:
        db.session.rollback()
        show_problems(form, error, "reason")
        return _integrity_page(round_, form)
    db.session.commit()
    disqualification.refresh_boards(db.session(), attempt)
    flash(_("Attempt %(id)d was disqualified: it no longer counts in any ranking.", id=attempt.id), "success")
    return redirect(url_for("organizer.round_integrity", round_id=round_.id))


@bp.post("/rounds/<int:round_id>/attempts/<int:attempt_id>/reinstate")
@staff_required(Right.ROUND_REVIEW)
def round_reinstate(round_id: int, attempt_id: int) -> ResponseReturnValue:
    attempt = disqualification.round_attempt(db.session(), rounds.find_round(db.session(), round_id).id, attempt_id)
    disqualification.reinstate(db.session(), attempt, by=current_user, now=clock.now())
    db.session.commit()
    disqualification.refresh_boards(db.session(), attempt)
    flash(_("Attempt %(id)d counts again.", id=attempt.id), "success")
    return redirect(url_for("organizer.round_integrity", round_id=round_id))


@bp.post("/rounds/<int:round_id>/reports/refresh")
@staff_required(Right.ROUND_REVIEW)
def round_reports_refresh(round_id: int) -> ResponseReturnValue:
    """The organizer's "Tính lại": the worker computes the round's integrity flags and question analysis again."""
    round_ = rounds.find_round(db.session(), round_id)
    reports.request(db.session(), round_, clock.now())
    db.session.commit()
    flash(_("The review is being computed again: reload the page in a minute."), "success")
    back = "organizer.round_questions" if request.form.get("page") == "questions" else "organizer.round_integrity"
    return redirect(url_for(back, round_id=round_id))
