"""Asking before an action that cannot be taken back quietly (closing a round, freezing or hiding its board,
disqualifying, publishing results). With JavaScript the form asks in a dialog (static/js/confirm.js) and says yes
with `confirmed=1`; without it, the first post answers with a page that says what will happen and posts the same
fields again with `confirmed=1`."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue


def confirmed() -> bool:
    return request.form.get("confirmed") == "1"


def ask(title: str, message: str, *, back: str) -> ResponseReturnValue:
    """The confirmation page for the form just posted: its fields again (not the CSRF token, made anew)."""
    fields = [
        (name, value) for name, value in request.form.items(multi=True) if name not in ("csrf_token", "confirmed")
    ]
    return render_template(
        "organizer/confirm.html", title=title, message=message, action=request.path, fields=fields, back=back
    )
