"""The organizer area under /admin: question banks (and, later, contests, rounds, monitoring)."""

from flask import Blueprint

bp = Blueprint("organizer", __name__)

from contest.organizer import routes, setup_routes  # noqa: E402,F401
