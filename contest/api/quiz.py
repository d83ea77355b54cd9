"""The JSON API's quiz calls: start or resume an attempt, save answers, report absences, submit.

A save, an absence report and a submission are authenticated either by the attempt token the start gave
(`X-Attempt-Token`, contest/auth/attempt_tokens.py: no session, no user loaded, no CSRF token), or as every
other write is, by the session cookie and `X-CSRFToken`. Neither counts against the visitors' default rate limit:
each is bounded by the attempt it names."""

from __future__ import annotations

from datetime import datetime

from flask import jsonify, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from contest import clock
from contest.api import bp
from contest.auth import attempt_tokens
from contest.auth.loader import session_credentials, unauthorized
from contest.auth.permissions import current_origin
from contest.extensions import csrf, db, limiter
from contest.models import Attempt
from contest.services.console.rounds import visible_round
from contest.services.quiz import attempts
from contest.services.quiz.attempts import AttemptFinished, NotLoggedIn
from contest.services.shared.errors import DomainError


class BadAttemptToken(DomainError):
    """A token that is forged, altered, another attempt's or past its deadline: the page goes the cookie way."""

    status = 401
    code = "attempt_token"


def _claim(attempt_id: int, now: datetime) -> attempt_tokens.AttemptClaim | None:
    """The attempt token's claim; None when the request carries none, after the CSRF check the cookie way needs."""
    raw = attempt_tokens.presented()
    if raw is None:
        csrf.protect()
        return None
    claim = attempt_tokens.read(raw, attempt_id=attempt_id, now=now)
    if claim is None:
        raise BadAttemptToken(_("This page's key to the attempt is no longer valid."))
    return claim


def _own_attempt(attempt_id: int, now: datetime) -> Attempt:
    """The attempt the caller may act on, with its round: of the account the token names (if it still has that
    login), or of the session's."""
    claim = _claim(attempt_id, now)
    if claim is None:
        if not current_user.is_authenticated:
            raise NotLoggedIn(_("Please log in to continue."))
        return attempts.get_own_attempt(db.session(), current_user, attempt_id)
    return attempts.attempt_of_login(
        db.session(), user_id=claim.user_id, session_token=claim.session_token, attempt_id=attempt_id
    )


@bp.post("/rounds/<int:round_id>/attempts")
@login_required
def start_attempt(round_id: int) -> ResponseReturnValue:
    now = clock.now()
    round_ = visible_round(db.session(), round_id)
    started = attempts.start_attempt(
        db.session(),
        current_user,
        round_,
        now=now,
        origin=current_origin(),
    )
    # signed before the commit, which expires the attempt and the user (reading them after it costs two queries)
    body = {**started.payload, "attempt_token": attempt_tokens.for_attempt(started.attempt, current_user)}
    db.session.commit()
    return jsonify(body), 201 if started.created else 200


@bp.put("/attempts/<int:attempt_id>/answers/<int:position>")
@limiter.exempt
def save_answer(attempt_id: int, position: int) -> ResponseReturnValue:
    """The hottest write of a contest: the login is checked inside the save's own query."""
    now = clock.now()
    claim = _claim(attempt_id, now)
    credentials = (claim.user_id, claim.session_token) if claim is not None else session_credentials()
    if credentials is None:
        return unauthorized()
    body = request.get_json(silent=True)
    options = body.get("options") if isinstance(body, dict) else None
    try:
        # committed when it returns (one statement in its own transaction): acknowledged only once it is stored
        chosen = attempts.save_answer(
            db.session(),
            user_id=credentials[0],
            session_token=credentials[1],
            attempt_id=attempt_id,
            position=position,
            option_ids=options,
            now=now,
            own_transaction=True,
        )
    except AttemptFinished:
        db.session.commit()  # the attempt may just have been finished at its deadline
        raise
    return jsonify({"position": position, "options": chosen, "saved_at": clock.iso_utc(now)})


@bp.post("/attempts/<int:attempt_id>/presence")
@limiter.exempt
def report_presence(attempt_id: int) -> ResponseReturnValue:
    """The quiz page is visible again after `away_ms` hidden (for the integrity flags)."""
    now = clock.now()
    attempt = _own_attempt(attempt_id, now)
    body = request.get_json(silent=True)
    away_ms = body.get("away_ms") if isinstance(body, dict) else None
    attempt = attempts.record_absence(db.session(), attempt, away_ms, now)
    db.session.commit()
    return jsonify({"away_ms": attempt.away_ms, "long_absences": attempt.long_absences})


@bp.post("/attempts/<int:attempt_id>/submit")
@limiter.exempt
def submit_attempt(attempt_id: int) -> ResponseReturnValue:
    now = clock.now()
    attempt = _own_attempt(attempt_id, now)
    body = request.get_json(silent=True)
    prediction = body.get("prediction") if isinstance(body, dict) else None
    attempt = attempts.submit_attempt(db.session(), attempt, prediction=prediction, now=now)
    body = {**attempts.result_payload(attempt), "result_url": url_for("participant.result", attempt_id=attempt_id)}
    db.session.commit()
    return jsonify(body)


# CSRFProtect's check runs in _claim instead, skipped only when the attempt token authenticates the call.
for _view in (save_answer, report_presence, submit_attempt):
    csrf.exempt(_view)
