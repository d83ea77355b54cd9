"""Routes of the organizer area. Every route checks the organizer role."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import distinct, func, select

from contest import clock
from contest.auth.permissions import organizer_required
from contest.auth.redirects import safe_next
from contest.auth.resets import reset_and_show
from contest.downloads import xlsx_download
from contest.extensions import db
from contest.ids import as_id, int_arg
from contest.labels import AUDIT_ACTION_LABELS, INTEGRITY_FLAG_LABELS
from contest.models import Attempt, Round, Unit, User
from contest.models.questions import DIFFICULTIES
from contest.models.units import UNIT_KINDS
from contest.models.users import ROLES
from contest.organizer import bp
from contest.organizer.forms import QuestionForm, UploadForm
from contest.services.banks import analysis as question_stats
from contest.services.banks import questions as banks
from contest.services.banks import uploads
from contest.services.banks.importing import bank_questions
from contest.services.console import audit, monitoring
from contest.services.console.contests import contests_with_rounds
from contest.services.errors import Forbidden, InvalidInput
from contest.services.people import accounts as account_care
from contest.services.people.phones import normalise_phone
from contest.services.people.registration import search_units
from contest.services.people.units import find_unit, import_units, update_unit
from contest.services.problems import FileProblems, translated
from contest.services.quiz import disqualification, integrity
from contest.services.ranking import board_settings as round_admin
from contest.services.ranking import leaderboard, prizes
from contest.services.ranking.closing import close_round
from contest.services.ranking.prizes import PRIZE_NAMES_VI
from contest.services.ranking.results_export import write_results
from question_bank.export import write_bank_xlsx
from question_bank.model import LETTERS
from question_bank.tables import TableError, read_table


def question_state(question) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """What the audit log keeps of a question before and after an edit."""
    return {
        "text": question.text,
        "topic": question.topic,
        "difficulty": question.difficulty,
        "options": {option.letter: [option.text, option.is_correct] for option in question.options},
    }


def unit_state(unit) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return {
        "name": unit.name,
        "kind": unit.kind,
        "headcount": unit.headcount,
        "parent": unit.parent.code if unit.parent else None,
    }


@bp.get("/")
@organizer_required
def dashboard() -> str:
    return render_template("organizer/dashboard.html", banks=banks.list_banks(db.session))


@bp.get("/banks")
@organizer_required
def bank_list() -> str:
    return render_template("organizer/banks.html", banks=banks.list_banks(db.session), form=UploadForm())


@bp.post("/banks/upload")
@organizer_required
def bank_upload():  # type: ignore[no-untyped-def]
    form = UploadForm()
    if not form.validate_on_submit():
        return render_template("organizer/banks.html", banks=banks.list_banks(db.session), form=form), 400
    uploaded = form.file.data
    upload = uploads.stage_upload(
        db.session,
        user=current_user,
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
@organizer_required
def upload_preview(upload_id: int):  # type: ignore[no-untyped-def]
    preview = uploads.preview_upload(db.session, uploads.get_upload(db.session, current_user, upload_id), clock.now())
    db.session.rollback()  # the dry run wrote nothing; make sure of it
    status = 200 if preview.ok else 422
    return render_template("organizer/upload_preview.html", preview=preview, letters=LETTERS), status


@bp.post("/uploads/<int:upload_id>/confirm")
@organizer_required
def upload_confirm(upload_id: int):  # type: ignore[no-untyped-def]
    upload = uploads.get_upload(db.session, current_user, upload_id)
    try:
        summary = uploads.confirm_upload(db.session, upload, clock.now())
    except FileProblems:
        db.session.rollback()
        flash(_("The file no longer imports cleanly (the bank changed). Read the report again."), "error")
        return redirect(url_for("organizer.upload_preview", upload_id=upload_id))
    audit.record(
        db.session,
        current_user,
        "bank.import",
        f"bank:{summary.bank_id}",
        after={"file": upload.filename, "questions": summary.imported},
        now=clock.now(),
    )
    db.session.commit()
    flash(
        _("Imported %(count)d questions into the bank %(bank)s.", count=summary.imported, bank=summary.bank), "success"
    )
    return redirect(url_for("organizer.bank_detail", bank_id=summary.bank_id))


@bp.post("/uploads/<int:upload_id>/discard")
@organizer_required
def upload_discard(upload_id: int):  # type: ignore[no-untyped-def]
    uploads.discard_upload(db.session, uploads.get_upload(db.session, current_user, upload_id))
    audit.record(db.session, current_user, "bank.upload_discarded", f"upload:{upload_id}", now=clock.now())
    db.session.commit()
    flash(_("The upload was discarded; nothing was imported."), "success")
    return redirect(url_for("organizer.bank_list"))


@bp.get("/banks/<int:bank_id>")
@organizer_required
def bank_detail(bank_id: int) -> str:
    bank = banks.get_bank(db.session, bank_id)
    filters = {key: request.args.get(key, "") for key in ("text", "topic", "difficulty", "status")}
    page = banks.search_questions(db.session, bank, page=int_arg("page", 1, low=1), **filters)
    topics, counts = banks.bank_counts(db.session, bank)
    return render_template(
        "organizer/bank_detail.html",
        bank=bank,
        page=page,
        filters=filters,
        topics=topics,
        counts=counts,
        difficulties=DIFFICULTIES,
    )


@bp.get("/banks/<int:bank_id>/export.xlsx")
@organizer_required
def bank_export(bank_id: int):  # type: ignore[no-untyped-def]
    bank = banks.get_bank(db.session, bank_id)
    questions = bank_questions(db.session, bank)
    return xlsx_download(lambda target: write_bank_xlsx(questions, target), f"ngan-hang-{bank.id}.xlsx")


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@organizer_required
def question_edit(question_id: int):  # type: ignore[no-untyped-def]
    question = banks.get_question(db.session, question_id)
    before = question_state(question)
    form = QuestionForm()
    if request.method == "GET":
        form.text.data, form.topic.data = question.text, question.topic
        form.difficulty.data, form.explanation.data = question.difficulty, question.explanation
        form.answer.data = ",".join(option.letter for option in question.options if option.is_correct)
        for option in question.options:
            form.option_fields()[option.position].data = option.text
    elif form.validate_on_submit():
        try:
            banks.update_question(
                db.session,
                question,
                text=form.text.data or "",
                options=[field.data or "" for field in form.option_fields()],
                answer=form.answer.data or "",
                topic=form.topic.data or "",
                difficulty=form.difficulty.data or "",
                explanation=form.explanation.data or "",
                now=clock.now(),
            )
        except InvalidInput as error:
            db.session.rollback()
            for name, message in error.fields.items():
                target = form.option_a if name == "options" else getattr(form, name, None)
                if target is not None:
                    target.errors = [*target.errors, message]
        else:
            audit.record(
                db.session,
                current_user,
                "question.edit",
                f"question:{question.id}",
                before=before,
                after=question_state(question),
                now=clock.now(),
            )
            db.session.commit()
            flash(_("Question %(id)d was saved.", id=question.id), "success")
            return redirect(url_for("organizer.bank_detail", bank_id=question.bank_id))
    status = 400 if request.method == "POST" else 200
    return render_template("organizer/question_edit.html", form=form, question=question), status


@bp.post("/questions/<int:question_id>/active")
@organizer_required
def question_active(question_id: int):  # type: ignore[no-untyped-def]
    question = banks.get_question(db.session, question_id)
    active = request.form.get("active") == "1"
    banks.set_question_active(db.session, question, active, clock.now())
    audit.record(
        db.session,
        current_user,
        "question.active",
        f"question:{question.id}",
        after={"active": active},
        now=clock.now(),
    )
    db.session.commit()
    message = (
        _("Question %(id)d is in use again.", id=question.id)
        if active
        else _("Question %(id)d was deactivated: it will not be drawn any more.", id=question.id)
    )
    flash(message, "success")
    return redirect(safe_next(request.form.get("back"), url_for("organizer.bank_detail", bank_id=question.bank_id)))


def _managed_round(round_id: int):  # type: ignore[no-untyped-def]
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        abort(404)
    return round_


@bp.get("/contests")
@organizer_required
def contest_list() -> str:
    return render_template("organizer/contests.html", contests=contests_with_rounds(db.session))


@bp.get("/rounds/<int:round_id>")
@organizer_required
def round_detail(round_id: int) -> str:
    round_ = _managed_round(round_id)
    counts = db.session.execute(
        select(
            func.count(distinct(Attempt.user_id)),
            func.count(Attempt.id),
            func.count(Attempt.id).filter(Attempt.status == "in_progress"),
        ).where(Attempt.round_id == round_.id)
    ).one()
    top = leaderboard.individual_page(db.session, round_, limit=20, public=False)
    return render_template(
        "organizer/round.html",
        round=round_,
        counts=counts,
        top=top,
        state=round_.state(clock.now()),
        prize_names=PRIZE_NAMES_VI,
    )


@bp.post("/rounds/<int:round_id>/board")
@organizer_required
def round_board(round_id: int):  # type: ignore[no-untyped-def]
    round_ = _managed_round(round_id)
    action = request.form.get("action")
    if action in ("freeze", "unfreeze"):
        round_admin.set_board_frozen(round_, action == "freeze", clock.now())
    elif action in ("hide", "show"):
        round_admin.set_board_hidden(round_, action == "hide")
    else:
        abort(400)
    audit.record(db.session, current_user, f"board.{action}", f"round:{round_id}", now=clock.now())
    db.session.commit()
    flash(_("The public board was updated."), "success")
    return redirect(url_for("organizer.round_detail", round_id=round_id))


@bp.post("/rounds/<int:round_id>/prizes")
@organizer_required
def round_prizes(round_id: int):  # type: ignore[no-untyped-def]
    round_ = _managed_round(round_id)
    before = round_.prize_plan
    try:
        prizes.set_prize_plan(round_, request.form.to_dict())
    except InvalidInput as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("organizer.round_detail", round_id=round_id))
    audit.record(
        db.session,
        current_user,
        "round.prizes",
        f"round:{round_id}",
        before=before,
        after=round_.prize_plan,
        now=clock.now(),
    )
    db.session.commit()
    flash(_("The prizes were saved; they are given when the round is closed."), "success")
    return redirect(url_for("organizer.round_detail", round_id=round_id))


@bp.post("/rounds/<int:round_id>/close")
@organizer_required
def round_close(round_id: int):  # type: ignore[no-untyped-def]
    round_ = _managed_round(round_id)
    ranked = close_round(db.session, round_, now=clock.now())
    audit.record(
        db.session,
        current_user,
        "round.close",
        f"round:{round_id}",
        after={"ranked": len(ranked), "actual_value": round_.actual_value},
        now=clock.now(),
    )
    db.session.commit()
    flash(_("The round is closed: %(count)d participants ranked.", count=len(ranked)), "success")
    return redirect(url_for("organizer.round_detail", round_id=round_id))


@bp.get("/rounds/<int:round_id>/results.xlsx")
@organizer_required
def round_results(round_id: int):  # type: ignore[no-untyped-def]
    round_ = _managed_round(round_id)
    if round_.finalized_at is None:
        abort(409)
    audit.record(db.session, current_user, "results.export", f"round:{round_.id}", now=clock.now())
    db.session.commit()
    return xlsx_download(lambda target: write_results(db.session, round_, target), f"ket-qua-dot-{round_.id}.xlsx")


@bp.get("/users")
@organizer_required
def user_search() -> str:
    query = request.args.get("q", "").strip()
    found = []
    if query:
        phone = normalise_phone(query)
        statement = (
            select(User).where(User.phone == phone) if phone else select(User).where(User.name.ilike(f"%{query}%"))
        )
        found = list(db.session.scalars(statement.order_by(User.name).limit(50)))
    return render_template(
        "organizer/users.html", query=query, found=found, roles=ROLES, can_manage=account_care.can_manage
    )


@bp.post("/users/<int:user_id>/reset")
@organizer_required
def user_reset(user_id: int):  # type: ignore[no-untyped-def]
    target = reset_and_show(user_id)
    return redirect(url_for("organizer.user_search", q=target.phone))


@bp.post("/users/<int:user_id>/role")
@organizer_required
def user_role(user_id: int):  # type: ignore[no-untyped-def]
    target = db.session.get(User, user_id) or abort(404)
    before = {"role": target.role, "managed_unit": target.managed_unit.code if target.managed_unit else None}
    try:
        account_care.set_role(
            db.session,
            current_user,
            target,
            role=request.form.get("role", ""),
            managed_unit_code=request.form.get("managed_unit"),
        )
    except Forbidden:
        abort(403)
    except InvalidInput as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("organizer.user_search", q=target.phone))
    audit.record(
        db.session,
        current_user,
        "user.role",
        f"user:{target.id}",
        before=before,
        after={"role": target.role, "managed_unit": request.form.get("managed_unit")},
        now=clock.now(),
    )
    db.session.commit()
    flash(_("The role of %(name)s was changed.", name=target.name), "success")
    return redirect(url_for("organizer.user_search", q=target.phone))


@bp.get("/units")
@organizer_required
def unit_list() -> str:
    query = request.args.get("q", "")
    found = search_units(db.session, query, limit=50) if query else []
    roots = db.session.scalars(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.code)).all()
    return render_template("organizer/units.html", query=query, found=found, roots=roots)


@bp.post("/units/upload")
@organizer_required
def unit_upload():  # type: ignore[no-untyped-def]
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose a file."), "error")
        return redirect(url_for("organizer.unit_list")), 400
    try:
        summary = import_units(db.session, read_table(upload.filename, upload.read()))
    except FileProblems as error:
        db.session.rollback()
        return render_template("organizer/units.html", query="", found=[], roots=[], problems=error.problems), 422
    except TableError as error:
        db.session.rollback()
        flash(translated(error.message), "error")
        return redirect(url_for("organizer.unit_list")), 400
    audit.record(
        db.session,
        current_user,
        "units.import",
        upload.filename or "",
        after={"created": summary.created, "updated": summary.updated},
        now=clock.now(),
    )
    db.session.commit()
    flash(
        _("Units imported: %(created)d new, %(updated)d updated.", created=summary.created, updated=summary.updated),
        "success",
    )
    return redirect(url_for("organizer.unit_list"))


@bp.route("/units/<code>", methods=["GET", "POST"])
@organizer_required
def unit_edit(code: str):  # type: ignore[no-untyped-def]
    unit = find_unit(db.session, code) or abort(404)
    before = unit_state(unit)
    errors: dict[str, str] = {}
    if request.method == "POST":  # CSRFProtect has checked the token before this view runs
        try:
            update_unit(
                db.session,
                unit,
                name=request.form.get("name", ""),
                kind=request.form.get("kind", ""),
                headcount=request.form.get("headcount", ""),
                parent_code=request.form.get("parent_code", ""),
            )
        except InvalidInput as error:
            db.session.rollback()
            errors = error.fields
        else:
            audit.record(
                db.session,
                current_user,
                "unit.edit",
                f"unit:{unit.code}",
                before=before,
                after=unit_state(unit),
                now=clock.now(),
            )
            db.session.commit()
            flash(_("The unit %(name)s was saved.", name=unit.name), "success")
            return redirect(url_for("organizer.unit_edit", code=unit.code))
    return render_template(
        "organizer/unit_edit.html", unit=unit, kinds=UNIT_KINDS, errors=errors
    ), 400 if errors else 200


@bp.get("/rounds/<int:round_id>/questions")
@organizer_required
def round_questions(round_id: int) -> str:
    round_ = _managed_round(round_id)
    return render_template(
        "organizer/question_stats.html",
        round=round_,
        stats=question_stats.analyse(db.session, round_),
        enough=question_stats.ENOUGH_ANSWERS,
    )


@bp.get("/rounds/<int:round_id>/questions.xlsx")
@organizer_required
def round_questions_xlsx(round_id: int):  # type: ignore[no-untyped-def]
    round_ = _managed_round(round_id)
    stats = question_stats.analyse(db.session, round_)
    return xlsx_download(lambda target: question_stats.write_xlsx(stats, target), f"phan-tich-dot-{round_.id}.xlsx")


def _audit_filter() -> audit.AuditFilter:
    return audit.AuditFilter(action=request.args.get("action", "")[:60], text=request.args.get("q", "")[:120])


@bp.get("/audit")
@organizer_required
def audit_log() -> str:
    where = _audit_filter()
    number = int_arg("page", 1, low=1)
    entries, total = audit.page(db.session, where, offset=(number - 1) * audit.PAGE_SIZE)
    return render_template(
        "organizer/audit.html",
        entries=entries,
        total=total,
        page=number,
        pages=max(1, -(-total // audit.PAGE_SIZE)),
        where=where,
        actions=sorted(set(AUDIT_ACTION_LABELS) | set(audit.recorded_actions(db.session))),
        changes=audit.changes,
        who=audit.who,
    )


@bp.get("/audit.xlsx")
@organizer_required
def audit_xlsx():  # type: ignore[no-untyped-def]
    where = _audit_filter()
    audit.record(
        db.session, current_user, "audit.export", after={"action": where.action, "text": where.text}, now=clock.now()
    )
    db.session.commit()
    return xlsx_download(lambda target: audit.write_xlsx(db.session, target, where), "nhat-ky-thao-tac.xlsx")


@bp.get("/rounds/<int:round_id>/monitor")
@organizer_required
def round_monitor(round_id: int) -> str:
    round_ = _managed_round(round_id)
    data = monitoring.monitor_data(db.session, round_)
    return render_template(
        "organizer/monitor.html", round=round_, data=data, generated_at=clock.parse_iso(data["generated_at"])
    )


@bp.get("/rounds/<int:round_id>/monitor.json")
@organizer_required
def round_monitor_json(round_id: int):  # type: ignore[no-untyped-def]
    response = jsonify(monitoring.monitor_data(db.session, _managed_round(round_id)))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/rounds/<int:round_id>/monitor.xlsx")
@organizer_required
def round_monitor_xlsx(round_id: int):  # type: ignore[no-untyped-def]
    round_ = _managed_round(round_id)
    data = monitoring.monitor_data(db.session, round_)
    return xlsx_download(lambda target: monitoring.write_xlsx(data, target), f"theo-doi-dot-{round_.id}.xlsx")


@bp.get("/rounds/<int:round_id>/integrity")
@organizer_required
def round_integrity(round_id: int):  # type: ignore[no-untyped-def]
    round_ = _managed_round(round_id)
    return _integrity_page(round_, {})


def _integrity_page(round_: Round, errors: dict[str, str]):  # type: ignore[no-untyped-def]
    return render_template(
        "organizer/integrity.html",
        round=round_,
        flags=integrity.flags(db.session, round_),
        disqualified=disqualification.disqualified_attempts(db.session, round_.id),
        flag_labels=INTEGRITY_FLAG_LABELS,
        errors=errors,
    ), 400 if errors else 200


@bp.post("/rounds/<int:round_id>/disqualify")
@organizer_required
def round_disqualify(round_id: int):  # type: ignore[no-untyped-def]
    round_ = _managed_round(round_id)
    attempt_id = as_id(request.form.get("attempt", ""))
    if attempt_id is None:
        return _integrity_page(round_, {"attempt": _("Enter the number of the attempt.")})
    attempt = disqualification.round_attempt(db.session, round_.id, attempt_id)
    reason = request.form.get("reason", "")
    try:
        disqualification.disqualify(db.session, attempt, by=current_user, reason=reason, now=clock.now())
    except InvalidInput as error:
        db.session.rollback()
        return _integrity_page(round_, {"reason": str(error.message)})
    db.session.commit()
    disqualification.refresh_boards(db.session, attempt)
    flash(_("Attempt %(id)d was disqualified: it no longer counts in any ranking.", id=attempt.id), "success")
    return redirect(url_for("organizer.round_integrity", round_id=round_.id))


@bp.post("/rounds/<int:round_id>/attempts/<int:attempt_id>/reinstate")
@organizer_required
def round_reinstate(round_id: int, attempt_id: int):  # type: ignore[no-untyped-def]
    attempt = disqualification.round_attempt(db.session, _managed_round(round_id).id, attempt_id)
    disqualification.reinstate(db.session, attempt, by=current_user, now=clock.now())
    db.session.commit()
    disqualification.refresh_boards(db.session, attempt)
    flash(_("Attempt %(id)d counts again.", id=attempt.id), "success")
    return redirect(url_for("organizer.round_integrity", round_id=round_id))
