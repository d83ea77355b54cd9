"""The organizer area under /admin, one module per domain: banks, contests, rounds (settings, board, prizes,
closing), results (publishing, winners, documents), round_review (monitoring, question analysis, integrity),
units, accounts, audit_log, bodies (organizing bodies and their members), review (the key checked by a
second person)."""

from flask import Blueprint

bp = Blueprint("organizer", __name__)

from contest.organizer import (  # noqa: E402,F401
    accounts,
    audit_log,
    banks,
    bodies,
    contests,
    results,
    review,
    round_review,
    rounds,
    units,
)
