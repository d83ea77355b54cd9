"""Routes of the JSON API (CONTRACT §4). Writes need the X-CSRFToken header."""

from __future__ import annotations

from flask import Response, jsonify, request, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from contest import clock
from contest.api import bp
from contest.auth_loader import session_credentials, unauthorized
from contest.client_origin import client_origin
from contest.extensions import db
from contest.ids import int_arg
from contest.services.cache import cached_json
from contest.services.console import contests as catalogue
from contest.services.console.rounds import visible_round
from contest.services.errors import InvalidInput
from contest.services.quiz import attempts
from contest.services.quiz.attempts import AttemptFinished
from contest.services.ranking import leaderboard
from contest.services.ranking import live_counts as stats


@bp.get("/csrf")
def csrf_token():  # type: ignore[no-untyped-def]
    """The token write calls send back in X-CSRFToken."""
    return jsonify({"csrf_token": generate_csrf()})


@bp.post("/rounds/<int:round_id>/attempts")
@login_required
def start_attempt(round_id: int):  # type: ignore[no-untyped-def]
    now = clock.now()
    round_ = visible_round(db.session, round_id)
    started = attempts.start_attempt(db.session, current_user, round_, now=now, origin=client_origin())
    db.session.commit()
    return jsonify(started.payload), 201 if started.created else 200


@bp.put("/attempts/<int:attempt_id>/answers/<int:position>")
def save_answer(attempt_id: int, position: int):  # type: ignore[no-untyped-def]
    """The hottest write of a contest: the login is checked inside the save's own query."""
    credentials = session_credentials()
    if credentials is None:
        return unauthorized()
    now = clock.now()
    body = request.get_json(silent=True)
    options = body.get("options") if isinstance(body, dict) else None
    try:
        chosen = attempts.save_answer(
            db.session,
            user_id=credentials[0],
            session_token=credentials[1],
            attempt_id=attempt_id,
            position=position,
            option_ids=options,
            now=now,
        )
    except AttemptFinished:
        db.session.commit()  # the attempt may just have been finished at its deadline
        raise
    except InvalidInput:
        db.session.rollback()  # the choice was written before it was checked: undo it
        raise
    db.session.commit()  # acknowledged only once it is stored
    return jsonify({"position": position, "options": chosen, "saved_at": clock.iso_utc(now)})


@bp.post("/attempts/<int:attempt_id>/presence")
@login_required
def report_presence(attempt_id: int):  # type: ignore[no-untyped-def]
    """The quiz page is visible again after `away_ms` hidden (for the integrity flags)."""
    body = request.get_json(silent=True)
    away_ms = body.get("away_ms") if isinstance(body, dict) else None
    attempt = attempts.record_absence(db.session, current_user, attempt_id, away_ms, clock.now())
    db.session.commit()
    return jsonify({"away_ms": attempt.away_ms, "long_absences": attempt.long_absences})


@bp.post("/attempts/<int:attempt_id>/submit")
@login_required
def submit_attempt(attempt_id: int):  # type: ignore[no-untyped-def]
    attempt = attempts.get_own_attempt(db.session, current_user, attempt_id)
    body = request.get_json(silent=True)
    prediction = body.get("prediction") if isinstance(body, dict) else None
    attempt = attempts.submit_attempt(db.session, attempt, prediction=prediction, now=clock.now())
    body = {**attempts.result_payload(attempt), "result_url": url_for("participant.result", attempt_id=attempt_id)}
    db.session.commit()
    return jsonify(body)


def _public_json(text: str):  # type: ignore[no-untyped-def]
    """Boards are public and polled by thousands: shared caches may keep them a couple of seconds."""
    return Response(text, mimetype="application/json", headers={"Cache-Control": "public, max-age=2"})


BOARD_TTL_S = 1.0


@bp.get("/rounds/<int:round_id>/leaderboard")
def round_leaderboard(round_id: int):  # type: ignore[no-untyped-def]
    limit = int_arg("limit", 50, low=1, high=leaderboard.MAX_PAGE)
    offset = int_arg("offset", 0)

    def build() -> dict:  # type: ignore[type-arg]
        round_ = visible_round(db.session, round_id)
        page = leaderboard.individual_page(db.session, round_, limit=limit, offset=offset)
        return {
            "entries": [{key: value for key, value in entry.items() if key != "user_id"} for entry in page.entries],
            "total": page.total,
            "final": round_.finalized_at is not None,
            "frozen_at": clock.iso_utc(round_.board_frozen_at) or None,
        }

    # a reader of a cached page touches neither the database nor the board
    return _public_json(cached_json(f"board:{round_id}:{limit}:{offset}", BOARD_TTL_S, build))


@bp.get("/rounds/<int:round_id>/units")
def round_units(round_id: int):  # type: ignore[no-untyped-def]
    parent = request.args.get("parent") or None

    def build() -> dict:  # type: ignore[type-arg]
        round_ = visible_round(db.session, round_id)
        return {"entries": [row.as_json() for row in leaderboard.unit_ranking(db.session, round_, parent)]}

    return _public_json(cached_json(f"board:{round_id}:units:{parent or ''}", 3.0, build))


@bp.get("/contests/<slug>/stats")
def contest_stats(slug: str):  # type: ignore[no-untyped-def]
    def build() -> dict:  # type: ignore[type-arg]
        return stats.contest_counts(db.session, catalogue.public_contest(db.session, slug))

    return _public_json(cached_json(f"contest:{slug}:stats", stats.STATS_TTL_S, build))


@bp.get("/contests/<slug>/screen")
def contest_screen(slug: str):  # type: ignore[no-untyped-def]
    def build() -> dict:  # type: ignore[type-arg]
        return stats.screen_payload(db.session, catalogue.public_contest(db.session, slug))

    return _public_json(cached_json(f"contest:{slug}:screen", stats.SCREEN_TTL_S, build))
