"""Routes of the JSON API (CONTRACT §4). Writes need the X-CSRFToken header."""

from __future__ import annotations

from flask import jsonify, request, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from contest import clock
from contest.api import bp
from contest.extensions import db
from contest.services import attempts
from contest.services.attempts import AttemptFinished
from contest.services.rounds import visible_round


@bp.get("/csrf")
def csrf_token():  # type: ignore[no-untyped-def]
    """The token write calls send back in X-CSRFToken."""
    return jsonify({"csrf_token": generate_csrf()})


@bp.post("/rounds/<int:round_id>/attempts")
@login_required
def start_attempt(round_id: int):  # type: ignore[no-untyped-def]
    now = clock.now()
    round_ = visible_round(db.session, round_id)
    started = attempts.start_attempt(db.session, current_user, round_, now=now)
    db.session.commit()
    return jsonify(started.payload), 201 if started.created else 200


@bp.put("/attempts/<int:attempt_id>/answers/<int:position>")
@login_required
def save_answer(attempt_id: int, position: int):  # type: ignore[no-untyped-def]
    now = clock.now()
    body = request.get_json(silent=True)
    options = body.get("options") if isinstance(body, dict) else None
    try:
        chosen = attempts.save_answer(
            db.session, user_id=current_user.id, attempt_id=attempt_id, position=position, option_ids=options, now=now
        )
    except AttemptFinished:
        db.session.commit()  # the attempt may just have been finished at its deadline
        raise
    db.session.commit()  # acknowledged only once it is stored
    return jsonify({"position": position, "options": chosen, "saved_at": clock.iso_utc(now)})


@bp.post("/attempts/<int:attempt_id>/submit")
@login_required
def submit_attempt(attempt_id: int):  # type: ignore[no-untyped-def]
    attempt = attempts.get_own_attempt(db.session, attempt_id, current_user)
    body = request.get_json(silent=True)
    prediction = body.get("prediction") if isinstance(body, dict) else None
    attempt = attempts.submit_attempt(db.session, attempt, prediction=prediction, now=clock.now())
    body = {**attempts.result_payload(attempt), "result_url": url_for("participant.result", attempt_id=attempt_id)}
    db.session.commit()
    return jsonify(body)
