"""Pages of accounts: logging in and out, registering, the participant's own account."""

from __future__ import annotations

import smtplib

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, logout_user

from contest import clock
from contest.auth import bp
from contest.auth.forms import (
    DeleteAccountForm,
    EmailForm,
    ForgotPasswordForm,
    LoginForm,
    NewPasswordForm,
    PasswordChangeForm,
    ProfileForm,
    RegisterForm,
)
from contest.auth.limits import (
    WARN_WHEN_LEFT,
    failures_left_after_this_one,
    login_failures,
    login_failures_per_phone,
    login_tries,
    minutes_locked,
    register_limit,
)
from contest.auth.permissions import current_actor
from contest.auth.redirects import safe_next
from contest.auth.registering import register_from
from contest.auth.sessions import end_session, start_session
from contest.extensions import db, limiter
from contest.form_problems import show_problems
from contest.mail import mail_configured, send_mail
from contest.public_address import absolute
from contest.services.console.contests import help_contacts
from contest.services.people import accounts, password_reset, profile
from contest.services.people.accounts import authenticate
from contest.services.people.units import UnitChoice, find_unit, find_units
from contest.services.quiz.attempts import own_attempts
from contest.services.results import certificates
from contest.services.shared.errors import Forbidden, InvalidInput


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
            db.session.commit()  # a password hash made the old way was replaced
            flash(_("Welcome, %(name)s.", name=user.name), "success")
            return redirect(_safe_next(request.args.get("next")))
        flash(_("The phone number or password is not correct."), "error")
        left = failures_left_after_this_one()
        if left == 0:
            flash(_lockout_message(), "error")
        elif left is not None and left <= WARN_WHEN_LEFT:
            flash(
                ngettext(
                    "%(num)d more try: after that, logging in with this phone is refused for a while, even with the "
                    "right password. Unsure? Use “Forgot your password?” below.",
                    "%(num)d more tries: after that, logging in with this phone is refused for a while, even with the "
                    "right password. Unsure? Use “Forgot your password?” below.",
                    left,
                ),
                "warning",
            )
    status = 400 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


def _lockout_message() -> str:
    return str(
        ngettext(
            "Too many wrong passwords for this phone number: please try again in %(num)d minute. Until then the right "
            "password is refused too.",
            "Too many wrong passwords for this phone number: please try again in %(num)d minutes. Until then the "
            "right password is refused too.",
            minutes_locked(),
        )
    )


def lockout_page() -> ResponseReturnValue:
    """The login refused for too many failed tries: the form stays, with why and how long to wait."""
    headers = {"Retry-After": str(minutes_locked() * 60)}
    return render_template("auth/login.html", form=LoginForm(), locked=_lockout_message()), 429, headers


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
    email_form = EmailForm(data={"email": current_user.email or ""}) if request.method == "GET" else EmailForm()
    action = request.form.get("action")
    if action == "email" and email_form.validate_on_submit():
        try:
            password_reset.set_email(
                db.session(), current_user, email_form.email.data, actor=current_actor(), now=clock.now()
            )
        except InvalidInput as error:
            db.session.rollback()
            show_problems(email_form, error, "email")
        else:
            db.session.commit()
            flash(_("Your email address was saved."), "success")
            return redirect(url_for("auth.account"))
    elif action == "profile" and profile_form.validate_on_submit():
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
        email_form=email_form,
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


FORGOT_LIMIT = "5 per minute;20 per hour"  # per address: a reset link is a mail sent on someone's behalf


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(FORGOT_LIMIT, methods=["POST"])
def forgot_password() -> ResponseReturnValue:
    """A one-time link to set a new password, mailed to the address the account gave; the same answer whether or
    not the address is known. Without a mail server the page says whom to ask."""
    form = ForgotPasswordForm()
    sent = False
    if mail_configured() and form.validate_on_submit():
        try:
            email = password_reset.normalise_email(form.email.data)
        except InvalidInput as error:
            show_problems(form, error, "email")
        else:
            user = password_reset.account_for_reset(db.session(), email)
            if user is not None and email is not None:
                link = absolute(url_for("auth.reset_password", token=password_reset.reset_token(user, clock.now())))
                try:
                    body = _(
                        "Hello %(name)s,\n\nSomeone (we hope you) asked to set a new password for your contest "
                        "account. Open this link within an hour to choose one:\n\n%(link)s\n\nThe link works "
                        "once. If you did not ask, ignore this message: your password stays as it is.",
                        name=user.name,
                        link=link,
                    )
                    send_mail(email, _("Set a new password"), body)
                except (OSError, smtplib.SMTPException) as error:
                    current_app.logger.warning("password-reset mail not sent: %s", error)
            sent = True
    return render_template(
        "auth/forgot_password.html", form=form, sent=sent, mail=mail_configured(), contacts=help_contacts(db.session())
    ), (400 if form.errors else 200)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit(FORGOT_LIMIT, methods=["POST"])
def reset_password(token: str) -> ResponseReturnValue:
    form = NewPasswordForm()
    if password_reset.user_for_token(db.session(), token, clock.now()) is None:
        return render_template("auth/reset_password.html", form=None), 400
    if form.validate_on_submit():
        try:
            password_reset.reset_password(db.session(), token, form.password.data or "", now=clock.now())
        except InvalidInput as error:
            db.session.rollback()
            show_problems(form, error, "password")
        else:
            db.session.commit()
            flash(_("Your new password is set: log in with it."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form), (400 if form.errors else 200)
