"""The live boards follow a person's new name at once (a profile change, a deletion), rather than at the next
rebuild: the ranking listens to the people package's announcement. Imported by the app factory, so the listener
is connected in every process that serves or runs commands."""

from __future__ import annotations

import logging
from typing import Any

import redis

from contest.services.people import events
from contest.services.ranking import live_board

log = logging.getLogger(__name__)


@events.renamed.connect
def show_new_name(_sender: Any, *, user_id: int, names: dict[int, str]) -> None:
    try:
        by_name: dict[str, list[int]] = {}
        for round_id, name in names.items():
            by_name.setdefault(name, []).append(round_id)
        for name, round_ids in by_name.items():
            live_board.rename(user_id, round_ids, name)
    except redis.RedisError as error:  # the next rebuild of the board brings the new name
        log.warning("the live boards still show account %s under its old name until rebuilt: %s", user_id, error)
