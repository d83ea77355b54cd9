"""The JSON API of CONTRACT §4 (session cookie; writes carry X-CSRFToken): accounts, the quiz, public boards."""

from flask import Blueprint

bp = Blueprint("api", __name__)

from contest.api import accounts, boards, quiz  # noqa: E402,F401
