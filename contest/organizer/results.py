"""A round's results: publishing them (with the certificates), the official list of winners, and the contest's
settings for these documents."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from contest import clock
from contest.auth.permissions import current_actor
from contest.auth.scope import staff_required
from contest.downloads import pdf_download, still_drawing, xlsx_download, zip_download
from contest.extensions import db
from contest.form_problems import problems, show_problems
from contest.organizer import bp, confirmation
from contest.organizer.forms import DocumentsForm
from contest.services.bodies.access import Right
from contest.services.console import contests, rounds
from contest.services.results import announcement, certificates, documents, drawing, publishing, settings
from contest.services.shared.audit import record
from contest.services.shared.errors import DomainError, InvalidInput
from contest.templating import number as format_number


@bp.post("/rounds/<int:round_id>/results/publish")
@staff_required(Right.CONTEST_EDIT)
def results_publish(round_id: int) -> ResponseReturnValue:
    round_ = rounds.find_round(db.session(), round_id)
    if not confirmation.confirmed() and round_.finalized_at is not None:
        # what will be issued, one certificate to look at, and the winners, before anything is made public
        return render_template(
            "organizer/publish_confirm.html",
            round=round_,
            plan=publishing.publish_plan(db.session(), round_, clock.now()),
            results=announcement.round_results(db.session(), round_),
        )
    try:
        report = publishing.publish_results(db.session(), round_, actor=current_actor(), now=clock.now())
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("organizer.round_detail", round_id=round_id))
    db.session.commit()
    flash(
        _(
            "The results are public. Certificates in force: %(valid)d (new or changed: %(issued)d, withdrawn: "
            "%(revoked)d).",
            valid=report.valid,
            issued=report.issued,
            revoked=report.revoked,
        ),
        "success",
    )
    return redirect(url_for("public.results_page", slug=round_.contest.slug, round=round_.id))


PREVIEW_CODE = "XEM-TRUOC"  # never a real code: /verify finds nothing for it


@bp.get("/rounds/<int:round_id>/results/preview.pdf")
@staff_required(Right.CONTESTS)
def certificate_preview(round_id: int) -> ResponseReturnValue:
    """One certificate as publishing would issue it now (the first winner's), marked as a preview."""
    round_ = rounds.find_round(db.session(), round_id)
    if round_.finalized_at is None:
        abort(409)
    plan = publishing.publish_plan(db.session(), round_, clock.now())
    if plan.sample is None:
        abort(404)
    background, seal = certificates.contest_pictures(db.session(), round_.contest)
    drawn = certificates.draw(
        plan.sample, PREVIEW_CODE, certificates.verify_url(PREVIEW_CODE), background=background, seal=seal
    )
    return pdf_download(drawn, f"xem-truoc-giay-chung-nhan-{round_.id}.pdf", inline=True)


def _ranked_results(round_id: int) -> announcement.RoundResults:
    round_ = rounds.find_round(db.session(), round_id)
    if round_.finalized_at is None:
        abort(409)
    return announcement.round_results(db.session(), round_)


@bp.get("/rounds/<int:round_id>/winners.xlsx")
@staff_required(Right.CONTESTS)
def winners_xlsx(round_id: int) -> ResponseReturnValue:
    results = _ranked_results(round_id)
    return xlsx_download(lambda target: documents.winners_xlsx(results, target), f"danh-sach-dat-giai-{round_id}.xlsx")


@bp.get("/rounds/<int:round_id>/winners.pdf")
@staff_required(Right.CONTESTS)
def winners_pdf(round_id: int) -> ResponseReturnValue:
    results = _ranked_results(round_id)
    return pdf_download(documents.winners_pdf(results), f"danh-sach-dat-giai-{round_id}.pdf")


@bp.route("/contests/<slug>/documents", methods=["GET", "POST"])
@staff_required(Right.CONTEST_EDIT)
def contest_documents(slug: str) -> ResponseReturnValue:
    contest = contests.find_contest(db.session(), slug)
    form = DocumentsForm()
    if not form.is_submitted():
        form.process(data=settings.document_settings(contest))
    elif form.validate():
        remove = tuple(kind for kind in ("background", "seal") if form[f"remove_{kind}"].data)
        try:
            settings.set_documents(
                db.session(),
                contest,
                {name: form[name].data or "" for name in settings.LIMITS},
                background=form.background.data.read() if form.background.data else None,
                seal=form.seal.data.read() if form.seal.data else None,
                remove=remove,
                actor=current_actor(),
                now=clock.now(),
            )
        except InvalidInput as error:
            db.session.rollback()
            show_problems(form, error, "issuer")
        else:
            db.session.commit()
            flash(_("Saved. Certificates already issued change when the results are published again."), "success")
            return redirect(url_for("organizer.contest_documents", slug=slug))
    has_background, has_seal = settings.has_pictures(db.session(), contest)
    return render_template(
        "organizer/documents.html",
        form=form,
        contest=contest,
        problems=problems(form),
        has_background=has_background,
        has_seal=has_seal,
    ), (400 if problems(form) else 200)


@bp.get("/rounds/<int:round_id>/certificates/progress")
@staff_required(Right.CONTESTS)
def certificate_progress(round_id: int) -> ResponseReturnValue:
    """How far the worker has come drawing the round's certificates (the round page asks while it runs)."""
    round_ = rounds.find_round(db.session(), round_id)
    response = jsonify(drawing.progress(db.session(), round_).as_json())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/rounds/<int:round_id>/certificates.zip")
@staff_required(Right.CONTESTS)
def certificates_zip(round_id: int) -> ResponseReturnValue:
    """Every certificate in force of the round, as stored by the worker, one zip streamed file by file, named by
    person in the ranking's order."""
    round_ = rounds.find_round(db.session(), round_id)
    if round_.results_published_at is None:
        abort(409)  # not published: no certificates yet
    state = drawing.progress(db.session(), round_)
    if still_drawing(state.drawn, state.total):
        return redirect(url_for("organizer.round_detail", round_id=round_id))
    return zip_download(certificates.stream_zip(db.session(), round_), f"giay-chung-nhan-dot-{round_.id}.zip")


@bp.post("/rounds/<int:round_id>/certificates/retry")
@staff_required(Right.CONTEST_EDIT)
def certificates_retry(round_id: int) -> ResponseReturnValue:
    """The drawings that failed go back in the worker's queue (recorded in the audit log)."""
    round_ = rounds.find_round(db.session(), round_id)
    count = drawing.retry_failed(db.session(), round_)
    record(
        db.session(),
        current_actor(),
        "certificates.retry",
        f"round:{round_.id}",
        after={"certificates": count},
        now=clock.now(),
    )
    db.session.commit()
    flash(_("%(count)s certificates are queued to be drawn again.", count=format_number(count)), "success")
    return redirect(url_for("organizer.round_detail", round_id=round_id))
