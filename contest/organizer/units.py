"""The unit tree: finding units, importing a file of units, editing or moving one."""

from __future__ import annotations

from collections.abc import Sequence

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from wtforms import SelectChoice

from contest import clock
from contest.auth.permissions import current_actor
from contest.auth.scope import staff_required
from contest.extensions import db
from contest.form_problems import problems, show_problems
from contest.labels import UNIT_KIND_LABELS
from contest.models.units import RETIRED_KINDS
from contest.organizer import bp
from contest.organizer.forms import UnitFileForm, UnitForm
from contest.services.bodies.access import Right
from contest.services.people.units import (
    find_unit,
    headcount_worked_out,
    import_units,
    root_units,
    search_units,
    units_to_review,
    update_unit,
)
from contest.services.shared.errors import InvalidInput, NotFound
from contest.services.shared.problems import FileProblems, translated
from question_bank.tables import TableError, read_table


def _unit_page(form: UnitFileForm, problems: Sequence[object] | None = None) -> str:
    query = request.args.get("q", "")
    return render_template(
        "organizer/units.html",
        query=query,
        found=search_units(db.session(), query, limit=50) if query else [],
        roots=root_units(db.session()) if problems is None else [],
        problems=problems or [],
        to_review=units_to_review(db.session()),
        form=form,
    )


@bp.get("/units")
@staff_required(Right.STAFF)
def unit_list() -> ResponseReturnValue:
    return _unit_page(UnitFileForm())


@bp.post("/units/upload")
@staff_required(Right.UNITS)
def unit_upload() -> ResponseReturnValue:
    form = UnitFileForm()
    if not form.validate_on_submit():
        return _unit_page(form), 400
    upload = form.file.data
    try:
        summary = import_units(
            db.session(),
            read_table(upload.filename, upload.read()),
            source=upload.filename or "",
            actor=current_actor(),
            now=clock.now(),
        )
    except FileProblems as error:
        db.session.rollback()
        return _unit_page(form, error.problems), 422
    except TableError as error:
        db.session.rollback()
        form.file.errors = [*form.file.errors, translated(error.message)]
        return _unit_page(form), 400
    db.session.commit()
    flash(
        _("Units imported: %(created)d new, %(updated)d updated.", created=summary.created, updated=summary.updated),
        "success",
    )
    return redirect(url_for("organizer.unit_list"))


@bp.route("/units/<code>", methods=["GET", "POST"])
@staff_required(Right.UNITS)
def unit_edit(code: str) -> ResponseReturnValue:
    unit = find_unit(db.session(), code)
    if unit is None:
        raise NotFound(_("This unit does not exist."))
    form = UnitForm()
    if unit.kind in RETIRED_KINDS:  # a district made before July 2025 keeps its kind until someone changes it
        form.kind.choices = [SelectChoice(unit.kind, UNIT_KIND_LABELS[unit.kind]), *form.kind.choices]
    if not form.is_submitted():
        form.process(
            data={
                "name": unit.name,
                "staff": unit.staff,
                # a unit with units below shows a headcount only when it was set by hand
                "headcount": unit.headcount_override if unit.children else unit.staff,
                "parent_code": unit.parent.code if unit.parent else "",
                "kind": unit.kind,
            }
        )
    elif form.validate():
        try:
            update_unit(
                db.session(),
                unit,
                name=form.name.data or "",
                kind=form.kind.data or "",
                headcount=form.headcount.data or "",
                staff=(form.staff.data or "") if unit.children else None,
                parent_code=form.parent_code.data or "",
                actor=current_actor(),
                now=clock.now(),
            )
        except InvalidInput as error:
            db.session.rollback()
            show_problems(form, error, "name", per_field=True)
        else:
            db.session.commit()
            flash(_("The unit %(name)s was saved.", name=unit.name), "success")
            return redirect(url_for("organizer.unit_edit", code=unit.code))
    found = problems(form)
    return render_template(
        "organizer/unit_edit.html", unit=unit, form=form, problems=found, worked_out=headcount_worked_out(unit)
    ), (400 if found else 200)
