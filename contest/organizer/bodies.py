"""Organizing bodies: the platform administrator creates one with its first manager; a manager adds members by
phone with a role and removes them."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from contest import clock
from contest.auth.permissions import current_actor
from contest.auth.scope import current_access, staff_required
from contest.extensions import db
from contest.form_problems import problems, show_problems
from contest.labels import BODY_ROLE_HINTS
from contest.models import User
from contest.organizer import bp
from contest.organizer.forms import BodyForm, MemberForm
from contest.services.bodies import memberships
from contest.services.bodies.access import Right
from contest.services.people.accounts import find_by_phone
from contest.services.shared.errors import InvalidInput


def _render(
    body_form: BodyForm | None = None, member_form: tuple[int, MemberForm] | None = None
) -> ResponseReturnValue:
    access = current_access()
    body_problems = problems(body_form) if body_form is not None else {}
    member_problems = problems(member_form[1]) if member_form is not None else {}
    return render_template(
        "organizer/bodies.html",
        bodies=memberships.list_bodies(db.session(), None if access.admin else set(access.roles)),
        body_form=body_form or BodyForm(formdata=None),
        member_forms={member_form[0]: member_form[1]} if member_form else {},
        new_member_form=lambda body_id: MemberForm(formdata=None, prefix=f"b{body_id}"),
        role_hints=BODY_ROLE_HINTS,
        may_manage=lambda body_id: access.can(Right.MEMBERS, body_id),
        body_problems=body_problems,
        member_problems=member_problems,
    ), (400 if body_problems or member_problems else 200)


def _account(phone: str) -> User:
    user = find_by_phone(db.session(), phone)
    if user is None:
        message = _("No account has this phone number: the person registers first.")
        raise InvalidInput(message, {"phone": message})
    return user


@bp.get("/bodies")
@staff_required(Right.STAFF)
def body_list() -> ResponseReturnValue:
    return _render()


@bp.post("/bodies")
@staff_required(Right.PLATFORM)
def body_create() -> ResponseReturnValue:
    form = BodyForm()
    if not form.validate():
        return _render(body_form=form)
    now = clock.now()
    try:
        manager = _account(form.manager_phone.data or "")
        body = memberships.create_body(
            db.session(),
            name=form.name.data or "",
            short_name=form.short_name.data or "",
            heading=form.heading.data or "",
            actor=current_actor(),
            now=now,
        )
        memberships.add_member(db.session(), body, manager, "manager", actor=current_actor(), now=now)
    except InvalidInput as error:
        db.session.rollback()
        show_problems(form, error, "name", {"phone": "manager_phone"}, per_field=True)
        return _render(body_form=form)
    db.session.commit()
    flash(_("The body %(name)s was created; %(person)s manages it.", name=body.name, person=manager.name), "success")
    return redirect(url_for("organizer.body_list"))


@bp.post("/bodies/<int:body_id>/members")
@staff_required(Right.MEMBERS)
def body_member_add(body_id: int) -> ResponseReturnValue:
    form = MemberForm(prefix=f"b{body_id}")  # one form per body on the page: their fields' ids differ
    if not form.validate():
        return _render(member_form=(body_id, form))
    body = memberships.find_body(db.session(), body_id)
    try:
        person = _account(form.phone.data or "")
        memberships.add_member(db.session(), body, person, form.role.data or "", actor=current_actor(), now=clock.now())
    except InvalidInput as error:
        db.session.rollback()
        show_problems(form, error, "phone", per_field=True)
        return _render(member_form=(body_id, form))
    db.session.commit()
    flash(_("%(person)s is now a member of %(body)s.", person=person.name, body=body.short_name), "success")
    return redirect(url_for("organizer.body_list") + f"#body-{body.id}")


@bp.post("/bodies/<int:body_id>/members/<int:user_id>/remove")
@staff_required(Right.MEMBERS)
def body_member_remove(body_id: int, user_id: int) -> ResponseReturnValue:
    body = memberships.find_body(db.session(), body_id)
    person = db.get_or_404(User, user_id)
    try:
        memberships.remove_member(db.session(), body, person, actor=current_actor(), now=clock.now())
    except InvalidInput as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("%(person)s is no longer a member of %(body)s.", person=person.name, body=body.short_name), "success")
    return redirect(url_for("organizer.body_list") + f"#body-{body.id}")
