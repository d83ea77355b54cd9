"""Routes for logging in and out."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from contest import clock
from contest.auth import bp
from contest.auth.forms import LoginForm, RegisterForm
from contest.auth.redirects import safe_next
from contest.client_origin import client_origin
from contest.extensions import db, limiter
from contest.ids import int_arg
from contest.models import User
from contest.services.errors import InvalidInput
from contest.services.people import accounts as account_care
from contest.services.people.accounts import authenticate
from contest.services.people.phones import normalise_phone
from contest.services.people.registration import register_participant, search_units
from contest.services.people.units import find_unit

# Offices share one address behind NAT: limit per phone tightly, per address loosely.
LOGIN_LIMIT_PER_PHONE = "10 per minute;50 per hour"
LOGIN_LIMIT_PER_ADDRESS = "120 per minute"
REGISTER_LIMIT = "30 per minute;300 per hour"
UNIT_CHOICES = 20  # units the picker lists at most


def _phone_key() -> str:
    """The rate-limit key of a login: the phone it tries, however it is written."""
    body = request.get_json(silent=True) if request.is_json else request.form
    raw = body.get("phone") if isinstance(body, dict) or body is request.form else None
    if isinstance(raw, str) and raw.strip():
        return "login-phone:" + (normalise_phone(raw) or raw.strip()[:20])
    return "login-address:" + get_remote_address()


def _safe_next(target: str | None) -> str:
    return safe_next(target, url_for("public.index"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT_PER_ADDRESS, methods=["POST"])
@limiter.limit(LOGIN_LIMIT_PER_PHONE, methods=["POST"], key_func=_phone_key)
def login():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(db.session, form.phone.data or "", form.password.data or "")
        if user is not None:
            login_user(user, remember=bool(form.remember.data))
            flash(_("Welcome, %(name)s.", name=user.name), "success")
            return redirect(_safe_next(request.args.get("next")))
        flash(_("The phone number or password is not correct."), "error")
    status = 400 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():  # type: ignore[no-untyped-def]
    logout_user()
    flash(_("You have logged out."), "success")
    return redirect(url_for("public.index"))


@bp.post("/api/session")
@limiter.limit(LOGIN_LIMIT_PER_ADDRESS)
@limiter.limit(LOGIN_LIMIT_PER_PHONE, key_func=_phone_key)
def api_login():  # type: ignore[no-untyped-def]
    body = request.get_json(silent=True) or {}
    phone, password = body.get("phone"), body.get("password")
    if not isinstance(phone, str) or not isinstance(password, str) or not phone or not password:
        raise InvalidInput(
            _("Enter your phone number and password."),
            {"phone": _("Enter your phone number."), "password": _("Enter your password.")},
        )
    user = authenticate(db.session, phone, password)
    if user is None:
        return jsonify(
            {"error": "invalid_credentials", "message": _("The phone number or password is not correct.")}
        ), 401
    login_user(user, remember=True)
    return jsonify({"id": user.id, "name": user.name, "role": user.role})


@bp.delete("/api/session")
def api_logout():  # type: ignore[no-untyped-def]
    logout_user()
    return jsonify({"logged_out": True})


def _register_from(values: dict) -> User:  # type: ignore[type-arg]
    def text(key: str) -> str:
        value = values.get(key)
        return value if isinstance(value, str) else ""

    return register_participant(
        db.session,
        name=text("name"),
        phone=text("phone"),
        password=text("password"),
        unit_code=text("unit_code"),
        birth_date=text("birth_date"),
        category=text("category"),
        consent=values.get("consent") in (True, "y", "on", "true", "1"),
        now=clock.now(),
        origin=client_origin(),
    )


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(REGISTER_LIMIT, methods=["POST"])
def register():  # type: ignore[no-untyped-def]
    """Registration works without JavaScript: "Find" posts the form back with the matching units."""
    form = RegisterForm()
    unit_code = request.form.get("unit_code", "")
    chosen = find_unit(db.session, unit_code) if unit_code else None
    choices = []
    status = 200
    if request.method == "POST":
        if not form.validate():
            return render_template("auth/register.html", form=form, choices=choices, chosen=chosen), 400
        if request.form.get("action") == "search":
            choices = search_units(db.session, form.unit_q.data or "")
        else:
            try:
                user = _register_from(request.form.to_dict())
            except InvalidInput as error:
                db.session.rollback()
                for name, message in error.fields.items():
                    target = getattr(form, "unit_q" if name == "unit_code" else name, None)
                    if target is not None:
                        target.errors = [*target.errors, message]
                status = 400
            else:
                db.session.commit()
                login_user(user, remember=True)
                flash(_("Your account is ready. Good luck in the contest!"), "success")
                return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/register.html", form=form, choices=choices, chosen=chosen), status


@bp.post("/api/participants")
@limiter.limit(REGISTER_LIMIT)
def api_register():  # type: ignore[no-untyped-def]
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput(_("Send the registration as a JSON object."), {})
    user = _register_from(body)
    db.session.commit()
    login_user(user, remember=True)
    return jsonify({"id": user.id, "name": user.name, "phone": user.phone, "unit_code": user.unit.code}), 201


@bp.get("/api/units")
def api_units():  # type: ignore[no-untyped-def]
    limit = int_arg("limit", UNIT_CHOICES, low=1, high=UNIT_CHOICES)
    entries = search_units(db.session, request.args.get("q", ""), limit)
    return jsonify({"entries": [entry.as_json() for entry in entries]})


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():  # type: ignore[no-untyped-def]
    """The participant's own account: change the password, download the data, delete the account."""
    status = 200
    if request.method == "POST":  # CSRFProtect has checked the token before this view runs
        action = request.form.get("action")
        try:
            if action == "password":
                account_care.change_password(
                    current_user, current=request.form.get("current", ""), new=request.form.get("new", "")
                )
                db.session.commit()
                login_user(current_user, remember=True)  # this session goes on with the new token
                flash(_("Your password was changed; other devices are logged out."), "success")
                return redirect(url_for("auth.account"))
            if action == "delete" and request.form.get("confirm") == "yes":
                account_care.anonymise(db.session, current_user, now=clock.now())
                db.session.commit()
                logout_user()
                flash(
                    _("Your account was deleted. Your results stay in your unit's counts, without your name."),
                    "success",
                )
                return redirect(url_for("public.index"))
            flash(_("Tick the box to confirm."), "error")
            status = 400
        except InvalidInput as error:
            db.session.rollback()
            flash(str(error.message), "error")
            status = 400
    return render_template("account/account.html"), status


@bp.get("/account/data.json")
@login_required
def account_data():  # type: ignore[no-untyped-def]
    response = jsonify(account_care.personal_data(db.session, current_user))
    response.headers["Content-Disposition"] = "attachment; filename=du-lieu-ca-nhan.json"
    return response
