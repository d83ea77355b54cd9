"""Routes of the unit administrators' area. Each checks the role and the subtree."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from openpyxl import Workbook
from sqlalchemy import select

from contest import clock
from contest.auth.permissions import roles_required
from contest.auth.resets import reset_and_show
from contest.downloads import xlsx_download
from contest.extensions import db
from contest.models import Round, Unit
from contest.services.console import audit
from contest.services.people import unit_members as unit_admin
from contest.services.problems import FileProblems, translated
from contest.services.ranking import leaderboard
from contest.unit_admin import bp
from question_bank.tables import TableError, read_table

ROSTER_STATUS = {
    "took_part": _l("Took part"),
    "registered": _l("Registered, has not taken part"),
    "not_registered": _l("Not registered"),
    "other_unit": _l("Registered with another unit"),
}


def _scope() -> Unit:
    """The administrator's unit; organizers and admins may look at any unit (?unit=CODE)."""
    if current_user.role == "unit_admin":
        return current_user.managed_unit
    code = request.values.get("unit")
    unit = db.session.scalar(select(Unit).where(Unit.code == code)) if code else None
    if unit is None:
        unit = db.session.scalar(select(Unit).where(Unit.parent_id.is_(None)).limit(1))
    if unit is None:
        abort(404)
    return unit


def _round() -> Round | None:
    rounds = db.session.scalars(select(Round).order_by(Round.opens_at.desc())).all()
    chosen = request.values.get("round", type=int)
    return next((r for r in rounds if r.id == chosen), rounds[0] if rounds else None)


@bp.get("/")
@roles_required("unit_admin", "organizer", "admin")
def overview() -> str:
    unit, round_ = _scope(), _round()
    people = unit_admin.members(db.session, unit, round_)
    missing_only = request.args.get("show") == "missing"
    shown = [person for person in people if not person.took_part] if missing_only else people
    children = leaderboard.unit_ranking(db.session, round_, unit.code) if round_ else []
    rounds = db.session.scalars(select(Round).order_by(Round.opens_at.desc())).all()
    return render_template(
        "unit_admin/overview.html",
        unit=unit,
        round=round_,
        rounds=rounds,
        people=shown,
        all_count=len(people),
        took_part=sum(p.took_part for p in people),
        children=children,
    )


@bp.get("/members.xlsx")
@roles_required("unit_admin", "organizer", "admin")
def members_xlsx():  # type: ignore[no-untyped-def]
    unit, round_ = _scope(), _round()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    sheet.append(["Họ và tên", "Số điện thoại", "Đơn vị", "Đã tham gia", "Điểm cao nhất"])
    for person in unit_admin.members(db.session, unit, round_):
        sheet.append([person.name, person.phone, person.unit, "Có" if person.took_part else "Chưa", person.best_score])
    after = {"round": round_.id if round_ else None}
    audit.record(db.session, current_user, "members.export", f"unit:{unit.code}", after=after, now=clock.now())
    db.session.commit()
    return xlsx_download(workbook.save, f"tham-gia-{unit.code}.xlsx")


@bp.post("/roster")
@roles_required("unit_admin", "organizer", "admin")
def roster():  # type: ignore[no-untyped-def]
    unit, round_ = _scope(), _round()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose a file."), "error")
        return redirect(url_for("unit_admin.overview"))
    try:
        lines = unit_admin.match_roster(db.session, unit, round_, read_table(upload.filename, upload.read()))
    except (TableError, FileProblems) as error:
        flash(translated(error.message), "error")
        return redirect(url_for("unit_admin.overview")), 400
    return render_template("unit_admin/roster.html", unit=unit, round=round_, lines=lines, status=ROSTER_STATUS)


@bp.post("/users/<int:user_id>/reset")
@roles_required("unit_admin", "organizer", "admin")
def reset(user_id: int):  # type: ignore[no-untyped-def]
    reset_and_show(user_id)
    return redirect(url_for("unit_admin.overview", unit=request.args.get("unit")))
