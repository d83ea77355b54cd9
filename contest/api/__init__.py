"""The JSON API of CONTRACT §4 (session cookie; writes carry X-CSRFToken)."""

from flask import Blueprint

bp = Blueprint("api", __name__)

from contest.api import routes  # noqa: E402,F401
