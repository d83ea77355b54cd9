"""The JSON API's account calls: log in and out, register, the unit picker, the CSRF token."""

from __future__ import annotations

from flask import g, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf

from contest.api import bp
from contest.auth.limits import login_failures, login_failures_per_phone, login_tries, register_limit
from contest.auth.registering import register_from
from contest.auth.sessions import end_session, start_session
from contest.extensions import db
from contest.ids import int_arg
from contest.services.people.accounts import authenticate
from contest.services.people.units import find_units
from contest.services.shared.errors import InvalidInput

UNIT_CHOICES = 20  # units the picker lists at most


@bp.get("/csrf")
def csrf_token() -> ResponseReturnValue:
    """The token write calls send back in X-CSRFToken."""
    return jsonify({"csrf_token": generate_csrf()})


@bp.post("/session")
@login_tries
@login_failures
@login_failures_per_phone
def api_login() -> ResponseReturnValue:
    body = request.get_json(silent=True)
    phone, password = (body.get("phone"), body.get("password")) if isinstance(body, dict) else (None, None)
    if not isinstance(phone, str) or not isinstance(password, str) or not phone or not password:
        raise InvalidInput(
            _("Enter your phone number and password."),
            {"phone": _("Enter your phone number."), "password": _("Enter your password.")},
        )
    user = authenticate(db.session(), phone, password)
    if user is None:
        return jsonify(
            {"error": "invalid_credentials", "message": _("The phone number or password is not correct.")}
        ), 401
    start_session(user)
    db.session.commit()  # a password hash made the old way was replaced
    return jsonify({"id": user.id, "name": user.name, "role": user.role, "csrf_token": _renewed_token()})


@bp.delete("/session")
def api_logout() -> ResponseReturnValue:
    end_session()
    return jsonify({"logged_out": True})


@bp.post("/participants")
@register_limit
def api_register() -> ResponseReturnValue:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput(_("Send the registration as a JSON object."), {})
    user = register_from(body)
    db.session.commit()
    start_session(user)
    return jsonify(
        {
            "id": user.id,
            "name": user.name,
            "phone": user.phone,
            "unit_code": user.unit.code if user.unit else None,
            "csrf_token": _renewed_token(),
        }
    ), 201


def _renewed_token() -> str:
    """The CSRF token of the session just started (logging in renews the session, and the token with it): the
    client's next write sends this one."""
    g.pop("csrf_token", None)
    return str(generate_csrf())


@bp.get("/units")
def api_units() -> ResponseReturnValue:
    limit = int_arg("limit", UNIT_CHOICES, low=1, high=UNIT_CHOICES)
    found = find_units(db.session(), request.args.get("q", ""), limit)
    # "more": how many matched beyond those listed (the picker says so: type more to narrow it)
    return jsonify({"entries": [entry.as_json() for entry in found.choices], "total": found.total, "more": found.more})
