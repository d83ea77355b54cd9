"""Pages of a participant: taking a round, the result, and checking a receipt."""

from flask import Blueprint

bp = Blueprint("participant", __name__)

from contest.participant import practice, routes  # noqa: E402,F401
