"""Routes of the JSON API."""

from __future__ import annotations

from flask import jsonify
from flask_wtf.csrf import generate_csrf

from contest.api import bp


@bp.get("/csrf")
def csrf_token():  # type: ignore[no-untyped-def]
    """The token write calls send back in X-CSRFToken."""
    return jsonify({"csrf_token": generate_csrf()})
