"""The JSON API's quiz calls: start or resume an attempt, save answers, report absences, submit."""

from __future__ import annotations

from flask import jsonify, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from contest import clock
from contest.api import bp
from contest.auth.loader import session_credentials, unauthorized
from contest.auth.permissions import current_origin
from contest.extensions import db
from contest.services.console.rounds import visible_round
from contest.services.quiz import attempts
from contest.services.quiz.attempts import AttemptFinished


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
    db.session.commit()
    return jsonify(started.payload), 201 if started.created else 200


@bp.put("/attempts/<int:attempt_id>/answers/<int:position>")
def save_answer(attempt_id: int, position: int) -> ResponseReturnValue:
    """The hottest write of a contest: the login is checked inside the save's own query."""
    credentials = session_credentials()
    if credentials is None:
        return unauthorized()
    now = clock.now()
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
@login_required
def report_presence(attempt_id: int) -> ResponseReturnValue:
    """The quiz page is visible again after `away_ms` hidden (for the integrity flags)."""
    body = request.get_json(silent=True)
    away_ms = body.get("away_ms") if isinstance(body, dict) else None
    attempt = attempts.record_absence(db.session(), current_user, attempt_id, away_ms, clock.now())
    db.session.commit()
    return jsonify({"away_ms": attempt.away_ms, "long_absences": attempt.long_absences})


@bp.post("/attempts/<int:attempt_id>/submit")
@login_required
def submit_attempt(attempt_id: int) -> ResponseReturnValue:
    attempt = attempts.get_own_attempt(db.session(), current_user, attempt_id)
    body = request.get_json(silent=True)
    prediction = body.get("prediction") if isinstance(body, dict) else None
    attempt = attempts.submit_attempt(db.session(), attempt, prediction=prediction, now=clock.now())
    body = {**attempts.result_payload(attempt), "result_url": url_for("participant.result", attempt_id=attempt_id)}
    db.session.commit()
    return jsonify(body)
