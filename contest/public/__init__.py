"""Pages anyone can see: the contest list, a contest's page, the health check."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from contest.public import routes  # noqa: E402,F401
