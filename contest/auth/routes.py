"""Pages of accounts: logging in and out, registering, the participant's own account."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from contest import clock
from contest.auth import bp
from contest.auth.forms import DeleteAccountForm, LoginForm, PasswordChangeForm, ProfileForm, RegisterForm
from contest.auth.limits import login_failures, login_failures_per_phone, login_tries, register_limit
from contest.auth.permissions import current_actor
from contest.auth.redirects import safe_next
from contest.auth.registering import register_from
from contest.auth.sessions import end_session, start_session
from contest.extensions import db
from contest.form_problems import show_problems
from contest.services.errors import Forbidden, InvalidInput
from contest.services.people import accounts, profile
from contest.services.people.accounts import authenticate
from contest.services.people.units import UnitChoice, find_unit, find_units
from contest.services.quiz.attempts import own_attempts
from contest.services.results import certificates


def _safe_next(target: str | None) -> str:
    return safe_next(target, url_for("public.index"))


@bp.route("/login", methods=["GET", "POST"])
@login_tries
@login_failures
@login_failures_per_phone
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(db.session(), form.phone.data or "", form.password.data or "")
        if user is not None:
            start_session(user, remember=bool(form.remember.data))
            flash(_("Welcome, %(name)s.", name=user.name), "success")
            return redirect(_safe_next(request.args.get("next")))
        flash(_("The phone number or password is not correct."), "error")
    status = 400 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    end_session()
    flash(_("You have logged out."), "success")
    return redirect(url_for("public.index"))


@bp.route("/register", methods=["GET", "POST"])
@register_limit
def register() -> ResponseReturnValue:
    """Registration works without JavaScript: "Find" posts the form back with the matching units."""
    form = RegisterForm()
    unit_code = request.form.get("unit_code", "")
    chosen = find_unit(db.session(), unit_code) if unit_code else None
    choices: list[UnitChoice] = []
    more = 0
    status = 200
    if request.method == "POST":
        if not form.validate():
            return render_template("auth/register.html", form=form, choices=choices, chosen=chosen, more=more), 400
        if request.form.get("action") == "search":
            found = find_units(db.session(), form.unit_q.data or "")
            choices, more = found.choices, found.more
        else:
            try:
                user = register_from(request.form.to_dict())
            except InvalidInput as error:
                db.session.rollback()
                for name, message in error.fields.items():
                    target = getattr(form, "unit_q" if name == "unit_code" else name, None)
                    if target is not None:
                        target.errors = [*target.errors, message]
                status = 400
            else:
                db.session.commit()
                start_session(user)
                flash(_("Your account is ready. Good luck in the contest!"), "success")
                return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/register.html", form=form, choices=choices, chosen=chosen, more=more), status


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> ResponseReturnValue:
    """The participant's own account: change the password, download the data, delete the account."""
    password_form, delete_form = PasswordChangeForm(), DeleteAccountForm()
    profile_form = ProfileForm.of(current_user)
    action = request.form.get("action")
    if action == "profile" and profile_form.validate_on_submit():
        try:
            changed = profile.update_profile(
                db.session(),
                current_user,
                **profile_form.details(),
                by_staff=False,
                actor=current_actor(),
                now=clock.now(),
            )
        except Forbidden as error:
            db.session.rollback()
            profile_form.name.errors = [*profile_form.name.errors, str(error.message)]
        except InvalidInput as error:
            db.session.rollback()
            show_problems(profile_form, error, "name")
        else:
            db.session.commit()
            if changed:
                flash(_("Your details were saved."), "success")
            return redirect(url_for("auth.account"))
    elif action == "password" and password_form.validate_on_submit():
        try:
            accounts.change_password(
                current_user, current=password_form.current.data or "", new=password_form.new.data or ""
            )
        except InvalidInput as error:
            db.session.rollback()
            password_form.new.errors = [*password_form.new.errors, str(error.message)]
        else:
            db.session.commit()
            start_session(current_user._get_current_object())  # this session goes on, with the new token
            flash(_("Your password was changed; other devices are logged out."), "success")
            return redirect(url_for("auth.account"))
    elif action == "delete" and delete_form.validate_on_submit():
        if not delete_form.confirm.data:
            delete_form.confirm.errors = [*delete_form.confirm.errors, _("Tick the box to confirm.")]
        else:
            try:
                accounts.anonymise(db.session(), current_user, now=clock.now())
            except Forbidden as error:
                db.session.rollback()
                delete_form.confirm.errors = [*delete_form.confirm.errors, str(error.message)]
            else:
                db.session.commit()
                logout_user()
                flash(
                    _("Your account was deleted. Your results stay in your unit's counts, without your name."),
                    "success",
                )
                return redirect(url_for("public.index"))
    refused = request.method == "POST"
    page = render_template(
        "account/account.html",
        password_form=password_form,
        delete_form=delete_form,
        profile_form=profile_form,
        can_edit_profile=not profile.has_taken_part(db.session(), current_user),
        certificates=certificates.of_user(db.session(), current_user.id),
        attempts=own_attempts(db.session(), current_user),
    )
    return page, 400 if refused else 200


@bp.get("/account/data.json")
@login_required
def account_data() -> ResponseReturnValue:
    response = jsonify(accounts.personal_data(db.session(), current_user, now=clock.now()))
    response.headers["Content-Disposition"] = "attachment; filename=du-lieu-ca-nhan.json"
    return response
