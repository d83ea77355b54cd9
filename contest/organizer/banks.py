"""Question banks: the overview, uploads with a preview, browsing, editing and deactivating questions."""

from __future__ import annotations

import io

from flask import Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from contest import clock
from contest.auth.permissions import current_actor
from contest.auth.redirects import safe_next
from contest.auth.scope import can, current_access, staff_required
from contest.downloads import xlsx_download
from contest.extensions import db
from contest.form_problems import problems, show_problems
from contest.ids import int_arg
from contest.models.questions import DIFFICULTIES
from contest.organizer import bp
from contest.organizer.forms import QuestionForm, UploadForm
from contest.services.banks import questions, review, uploads
from contest.services.banks.importing import bank_questions
from contest.services.bodies.access import Right
from contest.services.bodies.memberships import bodies_of_person, body_choices
from contest.services.console import morning
from contest.services.shared.errors import InvalidInput
from contest.services.shared.paging import list_page
from contest.services.shared.problems import FileProblems, translated
from question_bank.export import has_pictures, write_bank_xlsx, write_bank_zip
from question_bank.gift_export import GiftExportError, write_gift
from question_bank.model import LETTERS
from question_bank.sanitize import as_typed


@bp.get("/")
@staff_required(Right.STAFF)
def dashboard() -> ResponseReturnValue:
    access = current_access()
    return render_template(
        "organizer/dashboard.html",
        banks=questions.list_banks(db.session(), access.bodies(Right.BANKS)),
        view=morning.morning_view(
            db.session(), clock.now(), access.bodies(Right.CONTESTS), access.bodies(Right.BANK_EDIT)
        ),
        bodies=bodies_of_person(db.session(), access),
    )


def _upload_form() -> UploadForm:
    form = UploadForm()
    form.body.set_bodies(body_choices(db.session(), current_access(), Right.BANK_EDIT))
    return form


def _bank_list(form: UploadForm) -> str:
    banks = questions.list_banks(db.session(), current_access().bodies(Right.BANKS))
    return render_template("organizer/banks.html", banks=banks, form=form)


@bp.get("/banks")
@staff_required(Right.BANKS)
def bank_list() -> ResponseReturnValue:
    return _bank_list(_upload_form())


@bp.post("/banks/upload")
@staff_required(Right.BANK_EDIT)
def bank_upload() -> ResponseReturnValue:
    form = _upload_form()
    if not form.validate_on_submit():
        return _bank_list(form), 400
    uploaded = form.file.data
    upload = uploads.stage_upload(
        db.session(),
        user=current_user,
        body_id=int(form.body.data or 0),
        bank_name=form.bank_name.data or "",
        filename=uploaded.filename or "file",
        data=uploaded.read(),
        file_format=form.file_format.data or "auto",
        skip_unsupported=bool(form.skip_unsupported.data),
        now=clock.now(),
    )
    db.session.commit()
    return redirect(url_for("organizer.upload_preview", upload_id=upload.id))


@bp.get("/uploads/<int:upload_id>")
@staff_required(Right.BANK_EDIT)
def upload_preview(upload_id: int) -> ResponseReturnValue:
    upload = uploads.get_upload(db.session(), current_user, upload_id)
    preview = uploads.preview_upload(db.session(), upload, clock.now())
    db.session.rollback()  # the dry run wrote nothing; make sure of it
    # every row, a page at a time, with its pictures (stored at the upload when the file has no problem)
    rows = list_page(preview.questions, page=int_arg("page", 1, low=1), per_page=PREVIEW_ROWS)
    return render_template("organizer/upload_preview.html", preview=preview, rows=rows, letters=LETTERS), (
        200 if preview.ok else 422
    )


PREVIEW_ROWS = 20


@bp.post("/uploads/<int:upload_id>/confirm")
@staff_required(Right.BANK_EDIT)
def upload_confirm(upload_id: int) -> ResponseReturnValue:
    upload = uploads.get_upload(db.session(), current_user, upload_id)
    try:
        summary = uploads.confirm_upload(db.session(), upload, actor=current_actor(), now=clock.now())
    except FileProblems:
        db.session.rollback()
        flash(_("The file no longer imports cleanly (the bank changed). Read the report again."), "error")
        return redirect(url_for("organizer.upload_preview", upload_id=upload_id))
    db.session.commit()
    flash(
        _("Imported %(count)d questions into the bank %(bank)s.", count=summary.imported, bank=summary.bank), "success"
    )
    return redirect(url_for("organizer.bank_detail", bank_id=summary.bank_id))


@bp.post("/uploads/<int:upload_id>/discard")
@staff_required(Right.BANK_EDIT)
def upload_discard(upload_id: int) -> ResponseReturnValue:
    upload = uploads.get_upload(db.session(), current_user, upload_id)
    uploads.discard_upload(db.session(), upload, actor=current_actor(), now=clock.now())
    db.session.commit()
    flash(_("The upload was discarded; nothing was imported."), "success")
    return redirect(url_for("organizer.bank_list"))


@bp.get("/banks/<int:bank_id>")
@staff_required(Right.BANKS)
def bank_detail(bank_id: int) -> ResponseReturnValue:
    bank = questions.get_bank(db.session(), bank_id)
    filters = {key: request.args.get(key, "") for key in ("text", "topic", "difficulty", "status")}
    page = questions.search_questions(db.session(), bank, page=int_arg("page", 1, low=1), **filters)
    topics, counts = questions.bank_counts(db.session(), bank)
    disputes = review.disputes(db.session(), bank)
    return render_template(
        "organizer/bank_detail.html",
        progress=review.review_progress(db.session(), bank),
        disputes=disputes,
        reviewer_names=review.people_names(db.session(), {q.reviewed_by_id for q in disputes if q.reviewed_by_id}),
        may_edit=can(Right.BANK_EDIT, bank.body_id),
        may_review=can(Right.REVIEW, bank.body_id),
        bank=bank,
        page=page,
        filters=filters,
        topics=topics,
        counts=counts,
        difficulties=DIFFICULTIES,
    )


@bp.get("/banks/<int:bank_id>/export.xlsx")
@staff_required(Right.BANKS)
def bank_export(bank_id: int) -> ResponseReturnValue:
    bank = questions.get_bank(db.session(), bank_id)
    rows = bank_questions(db.session(), bank)
    if has_pictures(rows):  # a workbook alone would name pictures it does not hold
        return bank_export_zip(bank_id)
    return xlsx_download(lambda target: write_bank_xlsx(rows, target), f"ngan-hang-{bank.id}.xlsx")


@bp.get("/banks/<int:bank_id>/export.zip")
@staff_required(Right.BANKS)
def bank_export_zip(bank_id: int) -> ResponseReturnValue:
    """The workbook and the bank's pictures, as the upload takes them back."""
    bank = questions.get_bank(db.session(), bank_id)
    target = io.BytesIO()
    write_bank_zip(bank_questions(db.session(), bank), target)
    return Response(
        target.getvalue(),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="ngan-hang-{bank.id}.zip"'},
    )


@bp.get("/banks/<int:bank_id>/export.gift")
@staff_required(Right.BANKS)
def bank_export_gift(bank_id: int) -> ResponseReturnValue:
    bank = questions.get_bank(db.session(), bank_id)
    try:
        text = write_gift(bank_questions(db.session(), bank))
    except GiftExportError as error:
        flash(translated(error.message), "error")
        return redirect(url_for("organizer.bank_detail", bank_id=bank.id)), 303
    return Response(
        text,
        mimetype="text/plain",
        headers={"Content-Disposition": f'attachment; filename="ngan-hang-{bank.id}.gift"'},
    )


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@staff_required(Right.BANK_EDIT)
def question_edit(question_id: int) -> ResponseReturnValue:
    question = questions.get_question(db.session(), question_id)
    form = QuestionForm()
    if request.method == "GET":
        # as the organizer would type it: plain text without its entities, formatted text as its HTML
        form.text.data, form.topic.data = as_typed(question.text), question.topic
        form.difficulty.data, form.explanation.data = question.difficulty, as_typed(question.explanation)
        form.answer.data = ",".join(option.letter for option in question.options if option.is_correct)
        form.picture_alt.data = question.picture_alt
        for option in question.options:
            form.option_fields()[option.position].data = as_typed(option.text)
            form.option_picture_fields()[option.position][1].data = option.picture_alt
    elif form.validate_on_submit():
        try:
            questions.update_question(
                db.session(),
                question,
                text=form.text.data or "",
                options=[field.data or "" for field in form.option_fields()],
                answer=form.answer.data or "",
                topic=form.topic.data or "",
                difficulty=form.difficulty.data or "",
                explanation=form.explanation.data or "",
                picture_alt=form.picture_alt.data if form.picture_alt.raw_data is not None else None,
                new_pictures=form.new_pictures(),
                option_alts=form.option_alts(),
                actor=current_actor(),
                now=clock.now(),
            )
        except InvalidInput as error:
            db.session.rollback()
            show_problems(form, error, "text", {"options": "option_a"}, per_field=True)
        else:
            db.session.commit()
            flash(_("Question %(id)d was saved.", id=question.id), "success")
            return redirect(url_for("organizer.bank_detail", bank_id=question.bank_id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "organizer/question_edit.html", form=form, question=question, problems=problems(form)
    ), status


@bp.post("/questions/<int:question_id>/active")
@staff_required(Right.BANK_EDIT)
def question_active(question_id: int) -> ResponseReturnValue:
    question = questions.get_question(db.session(), question_id)
    active = request.form.get("active") == "1"
    questions.set_question_active(db.session(), question, active, actor=current_actor(), now=clock.now())
    db.session.commit()
    message = (
        _("Question %(id)d is in use again.", id=question.id)
        if active
        else _("Question %(id)d was deactivated: it will not be drawn any more.", id=question.id)
    )
    flash(message, "success")
    return redirect(safe_next(request.form.get("back"), url_for("organizer.bank_detail", bank_id=question.bank_id)))
