"""A request's time budget (REQUEST_BUDGET_S): the heavy pages and exports look at it as they go and stop with a
message once it is spent, so that one slow request does not hold a worker's thread for as long as it runs (gunicorn's
gthread workers are not stopped by its timeout). Database statements have the same budget on the server's side
(contest.config: statement_timeout)."""

from __future__ import annotations

import time

from flask import Flask, current_app, g, has_request_context
from flask_babel import gettext as _

from contest.services.shared.errors import DomainError


class OverBudget(DomainError):
    status = 503
    code = "over_budget"


def _start() -> None:
    g.request_started = time.monotonic()


def check_deadline() -> None:
    """Raise OverBudget when the current request has spent its budget (outside a request: never)."""
    if not has_request_context():
        return
    budget = float(current_app.config.get("REQUEST_BUDGET_S") or 0)
    started = g.get("request_started")
    if budget <= 0 or started is None:
        return
    if time.monotonic() - started > budget:
        raise OverBudget(
            _(
                "This request needs more time than a page may take (%(seconds)d seconds): it was stopped. Try again "
                "later, or ask the operators to run it from the command line.",
                seconds=int(budget),
            )
        )


def init_app(app: Flask) -> None:
    app.before_request(_start)
