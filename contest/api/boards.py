"""The JSON API's public boards: a round's individuals and units, a contest's counters and big screen.

Polled by thousands at once: each answer is computed by one reader and shared through a short cache, and a copy
this process already holds is served in front of Flask (contest/fast_reads.py)."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, request
from flask.typing import ResponseReturnValue

from contest import clock
from contest.api import bp
from contest.extensions import db
from contest.services.console.contests import public_contest
from contest.services.console.rounds import visible_round
from contest.services.ranking import board_keys, leaderboard, live_counts
from contest.services.shared.cache import cached_json


def _public_json(text: str) -> Response:
    """Boards are public and polled by thousands: shared caches may keep them a couple of seconds."""
    return Response(text, mimetype="application/json", headers={"Cache-Control": board_keys.PUBLIC_CACHE_CONTROL})


BOARD_TTL_S = 1.0
UNITS_TTL_S = 3.0


@bp.get("/rounds/<int:round_id>/leaderboard")
def round_leaderboard(round_id: int) -> ResponseReturnValue:
    page = board_keys.board_page(round_id, request.args)
    if page is None:
        abort(404)

    def build() -> dict[str, Any]:
        round_ = visible_round(db.session(), round_id)
        table = leaderboard.table_arg(round_.contest, page.table_key)
        found = leaderboard.individual_page(db.session(), round_, limit=page.limit, offset=page.offset, table=table)
        return {
            "entries": [{key: value for key, value in entry.items() if key != "user_id"} for entry in found.entries],
            "total": found.total,
            "final": round_.finalized_at is not None,
            "frozen_at": clock.iso_utc(round_.board_frozen_at) or None,
            **({"table": table} if table else {}),
        }

    # a reader of a cached page touches neither the database nor the board
    return _public_json(cached_json(page.cache_key, BOARD_TTL_S, build))


@bp.get("/rounds/<int:round_id>/units")
def round_units(round_id: int) -> ResponseReturnValue:
    parent, key = board_keys.units_key(round_id, request.args)

    def build() -> dict[str, Any]:
        round_ = visible_round(db.session(), round_id)
        return {"entries": [row.as_json() for row in leaderboard.unit_ranking(db.session(), round_, parent)]}

    return _public_json(cached_json(key, UNITS_TTL_S, build))


@bp.get("/contests/<slug>/stats")
def contest_stats(slug: str) -> ResponseReturnValue:
    def build() -> dict[str, Any]:
        return live_counts.contest_counts(db.session(), public_contest(db.session(), slug))

    return _public_json(cached_json(board_keys.stats_key(slug), live_counts.STATS_TTL_S, build))


@bp.get("/contests/<slug>/screen")
def contest_screen(slug: str) -> ResponseReturnValue:
    def build() -> dict[str, Any]:
        return live_counts.screen_payload(db.session(), public_contest(db.session(), slug))

    return _public_json(cached_json(board_keys.screen_key(slug), live_counts.SCREEN_TTL_S, build))
