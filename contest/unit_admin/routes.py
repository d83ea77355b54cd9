"""Routes of the unit administrators' area. Each checks the role and the subtree."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from contest import clock
from contest.auth.forms import ProfileForm
from contest.auth.permissions import current_actor
from contest.auth.resets import reset_and_show
from contest.auth.scope import current_access, unit_area_required
from contest.downloads import still_drawing, xlsx_download, zip_download
from contest.extensions import db
from contest.form_problems import problems, show_problems
from contest.models import Round, Unit
from contest.services.bodies.access import Right
from contest.services.console.rounds import rounds_newest_first
from contest.services.people import accounts, eligibility, profile, unit_members
from contest.services.ranking import leaderboard
from contest.services.results import certificates
from contest.services.shared.errors import InvalidInput
from contest.services.shared.problems import FileProblems, translated
from contest.unit_admin import bp
from contest.unit_admin.forms import DecisionForm, RosterForm
from question_bank.tables import TableError, read_table

ROSTER_STATUS = {
    "took_part": _l("Took part"),
    "registered": _l("Registered, has not taken part"),
    "not_registered": _l("Not registered in this unit"),
}


def _scope() -> Unit:
    """The administrator's unit; organizers and admins may look at any unit (?unit=CODE)."""
    unit = unit_members.unit_to_show(db.session(), current_user, request.values.get("unit"))
    if unit is None:
        abort(404)
    return unit


def _rounds() -> tuple[list[Round], Round | None]:
    """Every round, newest first, and the one chosen (?round=ID; the newest by default)."""
    if current_user.is_organizer:  # a body's staff see their own bodies' rounds, drafts included
        theirs = current_access().bodies(Right.CONTESTS)
        rounds = rounds_newest_first(db.session(), draft_bodies=theirs, bodies=theirs)
    else:
        rounds = rounds_newest_first(db.session())
    chosen = request.values.get("round", type=int)
    return rounds, next((r for r in rounds if r.id == chosen), rounds[0] if rounds else None)


@bp.get("/")
@unit_area_required(Right.STAFF)
def overview() -> ResponseReturnValue:
    return _overview(RosterForm())


def _overview(form: RosterForm) -> str:
    unit, (rounds, round_) = _scope(), _rounds()
    people = unit_members.members(db.session(), unit, round_)
    missing_only = request.args.get("show") == "missing"
    return render_template(
        "unit_admin/overview.html",
        unit=unit,
        round=round_,
        rounds=rounds,
        people=[person for person in people if not person.took_part] if missing_only else people,
        all_count=len(people),
        took_part=sum(p.took_part for p in people),
        children=leaderboard.unit_ranking(db.session(), round_, unit.code, public=False) if round_ else [],
        form=form,
        problems=problems(form),
        staff_list_size=eligibility.staff_list_size(db.session(), unit),
        certificate_count=certificates.count_in_force(db.session(), round_, under_unit=unit)
        if round_ is not None and round_.results_published_at is not None
        else 0,
    )


@bp.get("/certificates.zip")
@unit_area_required(Right.CONTESTS)
def certificates_zip() -> ResponseReturnValue:
    """Every certificate in force of the unit's people (its whole subtree) for one published round, as one zip."""
    unit, (_rounds_list, round_) = _scope(), _rounds()
    if round_ is None:
        abort(404)
    if round_.results_published_at is None:
        abort(409)  # not published yet
    total = certificates.count_in_force(db.session(), round_, under_unit=unit)
    if still_drawing(certificates.count_drawn(db.session(), round_, under_unit=unit), total):
        return redirect(url_for("unit_admin.overview", round=round_.id, unit=unit.code))
    chunks = certificates.stream_zip(db.session(), round_, under_unit=unit)
    return zip_download(chunks, f"giay-chung-nhan-{unit.code}-dot-{round_.id}.zip")


@bp.get("/members.xlsx")
@unit_area_required(Right.STAFF)
def members_xlsx() -> ResponseReturnValue:
    unit, (_rounds_list, round_) = _scope(), _rounds()
    response = xlsx_download(
        lambda target: unit_members.write_members_xlsx(
            db.session(), unit, round_, target, actor=current_actor(), now=clock.now()
        ),
        f"tham-gia-{unit.code}.xlsx",
    )
    db.session.commit()  # the download is in the audit log
    return response


@bp.post("/roster")
@unit_area_required(Right.UNITS)
def roster() -> ResponseReturnValue:
    unit, (_rounds_list, round_) = _scope(), _rounds()
    form = RosterForm()
    if not form.validate_on_submit():
        return _overview(form), 400
    upload = form.file.data
    try:
        table = read_table(upload.filename, upload.read())
        lines = unit_members.match_roster(db.session(), unit, round_, table)
        if form.keep.data:
            kept = eligibility.save_staff_list(
                db.session(),
                unit,
                eligibility.staff_lines(table),
                source=upload.filename or "",
                actor=current_actor(),
                now=clock.now(),
            )
    except (TableError, FileProblems) as error:
        db.session.rollback()
        form.file.errors = [*form.file.errors, translated(error.message)]
        return _overview(form), 400
    if form.keep.data:
        db.session.commit()
        flash(_("The staff list of %(unit)s now holds %(count)d phone numbers.", unit=unit.name, count=kept), "success")
    return render_template("unit_admin/roster.html", unit=unit, round=round_, lines=lines, status=ROSTER_STATUS)


@bp.get("/requests")
@unit_area_required(Right.CONTEST_EDIT)
def join_requests() -> ResponseReturnValue:
    unit = _scope()
    return render_template(
        "unit_admin/requests.html",
        unit=unit,
        requests=eligibility.requests_to_decide(
            db.session(), unit, current_access().bodies(Right.CONTEST_EDIT) if current_user.is_organizer else None
        ),
        form=DecisionForm(),
    )


@bp.post("/requests/<int:request_id>")
@unit_area_required(Right.CONTEST_EDIT)
def decide_request(request_id: int) -> ResponseReturnValue:
    form, decision = DecisionForm(), request.form.get("decision")
    if not form.validate_on_submit() or decision not in ("approve", "refuse"):
        abort(400)
    decided = eligibility.decide(
        db.session(), request_id, approve=decision == "approve", actor=current_actor(), now=clock.now()
    )
    db.session.commit()
    message = (
        _("%(name)s may take part in %(contest)s.")
        if decided.status == "approved"
        else _("The request of %(name)s to take part in %(contest)s was refused.")
    )
    flash(message % {"name": decided.user.name, "contest": decided.contest.title}, "success")
    return redirect(url_for("unit_admin.join_requests", unit=request.args.get("unit")))


@bp.post("/users/<int:user_id>/reset")
@unit_area_required(Right.PEOPLE)
def reset(user_id: int) -> ResponseReturnValue:
    reset_and_show(user_id)
    return redirect(url_for("unit_admin.overview", unit=request.args.get("unit")))


@bp.route("/people/<int:user_id>/details", methods=["GET", "POST"])
@unit_area_required(Right.PEOPLE)
def person_details(user_id: int) -> ResponseReturnValue:
    """A unit administrator corrects a person's name and category before their first attempt (audited)."""
    person = accounts.find_account(db.session(), user_id)
    if not accounts.can_manage(current_user, person) or person.anonymised_at is not None:
        abort(404)  # not theirs to see
    unit_code = request.args.get("unit") or (person.unit.code if person.unit else None)
    form = ProfileForm.of(person) if request.method == "GET" else ProfileForm()
    refusal = None
    if profile.has_taken_part(db.session(), person):
        refusal = _(
            "%(name)s has taken part already: only the organizers can change their details now.", name=person.name
        )
    elif form.validate_on_submit():
        details = form.details()
        try:
            changed = profile.correct_details(
                db.session(),
                current_user,
                person,
                name=details["name"],
                category=details["category"],
                actor=current_actor(),
                now=clock.now(),
            )
        except InvalidInput as error:
            db.session.rollback()
            show_problems(form, error, "name")
        else:
            db.session.commit()
            if changed:
                flash(_("The details of %(name)s were saved.", name=person.name), "success")
            return redirect(url_for("unit_admin.overview", unit=unit_code))
    return render_template(
        "unit_admin/person.html",
        person=person,
        form=form,
        problems=problems(form),
        refusal=refusal,
        unit_code=unit_code,
    ), (400 if problems(form) else 200)
