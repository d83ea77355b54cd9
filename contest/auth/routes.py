"""Routes for logging in and out."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from contest.auth import bp
from contest.auth.forms import LoginForm
from contest.auth.redirects import safe_next
from contest.extensions import db, limiter
from contest.services.accounts import authenticate
from contest.services.errors import InvalidInput

LOGIN_LIMIT = "10 per minute;50 per hour"


def _safe_next(target: str | None) -> str:
    return safe_next(target, url_for("public.index"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
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
@limiter.limit(LOGIN_LIMIT)
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
