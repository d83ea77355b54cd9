"""Logging in and out (pages and JSON API), and the role checks every protected route uses."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from contest.auth import routes  # noqa: E402,F401
