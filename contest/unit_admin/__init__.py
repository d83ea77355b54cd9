"""Pages of unit administrators: participation of their subtree."""

from flask import Blueprint

bp = Blueprint("unit_admin", __name__)

from contest.unit_admin import routes  # noqa: E402,F401
