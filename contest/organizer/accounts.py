"""Accounts: finding people by phone or name, resetting a password, correcting name, unit or category, changing a
role (administrators)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from contest import clock
from contest.auth.forms import ProfileForm
from contest.auth.permissions import current_actor
from contest.auth.resets import reset_and_show
from contest.auth.scope import staff_required
from contest.extensions import db
from contest.models import User
from contest.models.users import ROLES
from contest.organizer import bp
from contest.organizer.forms import RoleForm
from contest.services.bodies.access import Right
from contest.services.people import accounts, profile
from contest.services.shared.errors import Forbidden, InvalidInput


def role_form(user: User) -> RoleForm:
    form = RoleForm(
        formdata=None, data={"role": user.role, "managed_unit": user.managed_unit.code if user.managed_unit else ""}
    )
    # an organizer is made by a body's membership (Organizing bodies), not here
    form.role.choices = [role for role in ROLES if role != "organizer" or user.role == "organizer"]
    return form


def profile_form(user: User) -> ProfileForm:
    return ProfileForm.of(user, formdata=None)


@bp.get("/users")
@staff_required(Right.PEOPLE)
def user_search() -> ResponseReturnValue:
    query = request.args.get("q", "").strip()
    return render_template(
        "organizer/users.html",
        query=query,
        found=accounts.find_accounts(db.session(), query),
        role_form=role_form,
        profile_form=profile_form,
        can_manage=accounts.can_manage,
    )


@bp.post("/users/<int:user_id>/reset")
@staff_required(Right.PEOPLE)
def user_reset(user_id: int) -> ResponseReturnValue:
    target = reset_and_show(user_id)
    return redirect(url_for("organizer.user_search", q=target.phone))


@bp.post("/users/<int:user_id>/role")
@staff_required(Right.PLATFORM)
def user_role(user_id: int) -> ResponseReturnValue:
    target = accounts.find_account(db.session(), user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        accounts.set_role(
            db.session(),
            current_user,
            target,
            role=form.role.data or "",
            managed_unit_code=form.managed_unit.data,
            now=clock.now(),
        )
    except Forbidden:
        abort(403)
    except InvalidInput as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("organizer.user_search", q=target.phone))
    db.session.commit()
    flash(_("The role of %(name)s was changed.", name=target.name), "success")
    return redirect(url_for("organizer.user_search", q=target.phone))


@bp.post("/users/<int:user_id>/profile")
@staff_required(Right.PEOPLE)
def user_profile(user_id: int) -> ResponseReturnValue:
    """An organizer corrects a person's name, unit or category at any time (recorded in the audit log)."""
    target = accounts.find_account(db.session(), user_id)
    if target.role != "participant" or target.anonymised_at is not None:
        abort(403)  # staff accounts and deleted ones are not edited here
    form = ProfileForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        changed = profile.update_profile(
            db.session(),
            target,
            **form.details(),
            by_staff=True,
            actor=current_actor(),
            now=clock.now(),
        )
    except InvalidInput as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("organizer.user_search", q=target.phone))
    db.session.commit()
    if changed:
        flash(_("The details of %(name)s were saved.", name=target.name), "success")
    return redirect(url_for("organizer.user_search", q=target.phone))
