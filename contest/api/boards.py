"""The JSON API's public boards: a round's individuals and units, a contest's counters and big screen.

Polled by thousands at once: each answer is computed by one reader and shared through a short cache."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, request
from flask.typing import ResponseReturnValue

from contest import clock
from contest.api import bp
from contest.extensions import db
from contest.ids import int_arg
from contest.services.console.contests import public_contest
from contest.services.console.rounds import visible_round
from contest.services.ranking import leaderboard, live_counts
from contest.services.ranking.tables import TABLE_KEYS
from contest.services.shared.cache import cached_json


def _public_json(text: str) -> Response:
    """Boards are public and polled by thousands: shared caches may keep them a couple of seconds."""
    return Response(text, mimetype="application/json", headers={"Cache-Control": "public, max-age=2"})


BOARD_TTL_S = 1.0


@bp.get("/rounds/<int:round_id>/leaderboard")
def round_leaderboard(round_id: int) -> ResponseReturnValue:
    limit = int_arg("limit", 50, low=1, high=leaderboard.MAX_PAGE)
    offset = int_arg("offset", 0, high=leaderboard.MAX_OFFSET)
    table_key = (request.args.get("table") or "").strip().upper()
    if table_key and table_key not in TABLE_KEYS:  # checked before it becomes part of a cache key
        abort(404)

    def build() -> dict[str, Any]:
        round_ = visible_round(db.session(), round_id)
        table = leaderboard.table_arg(round_.contest, table_key)
        page = leaderboard.individual_page(db.session(), round_, limit=limit, offset=offset, table=table)
        return {
            "entries": [{key: value for key, value in entry.items() if key != "user_id"} for entry in page.entries],
            "total": page.total,
            "final": round_.finalized_at is not None,
            "frozen_at": clock.iso_utc(round_.board_frozen_at) or None,
            **({"table": table} if table else {}),
        }

    # a reader of a cached page touches neither the database nor the board
    return _public_json(cached_json(f"board:{round_id}:{limit}:{offset}:{table_key}", BOARD_TTL_S, build))


@bp.get("/rounds/<int:round_id>/units")
def round_units(round_id: int) -> ResponseReturnValue:
    parent = leaderboard.unit_code_arg(request.args.get("parent"))

    def build() -> dict[str, Any]:
        round_ = visible_round(db.session(), round_id)
        return {"entries": [row.as_json() for row in leaderboard.unit_ranking(db.session(), round_, parent)]}

    return _public_json(cached_json(f"board:{round_id}:units:{parent or ''}", 3.0, build))


@bp.get("/contests/<slug>/stats")
def contest_stats(slug: str) -> ResponseReturnValue:
    def build() -> dict[str, Any]:
        return live_counts.contest_counts(db.session(), public_contest(db.session(), slug))

    return _public_json(cached_json(f"contest:{slug}:stats", live_counts.STATS_TTL_S, build))


@bp.get("/contests/<slug>/screen")
def contest_screen(slug: str) -> ResponseReturnValue:
    def build() -> dict[str, Any]:
        return live_counts.screen_payload(db.session(), public_contest(db.session(), slug))

    return _public_json(cached_json(f"contest:{slug}:screen", live_counts.SCREEN_TTL_S, build))
