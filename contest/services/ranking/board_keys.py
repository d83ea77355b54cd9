"""What a public board read asks for, and the key its answer is cached under.

The board views (contest/api/boards.py) cache each answer under these keys; the fast path in front of Flask
(contest/fast_reads.py) serves an answer already cached under the same key. Both read an address through the
functions here, so the two ways cannot disagree on which answer a request gets."""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from contest.ids import bounded_int
from contest.services.ranking.leaderboard import MAX_OFFSET, MAX_PAGE, unit_code_arg
from contest.services.ranking.tables import TABLE_KEYS

DEFAULT_PAGE = 50
# Boards are public and polled by thousands: shared caches may keep them a couple of seconds.
PUBLIC_CACHE_CONTROL = "public, max-age=2"


@dataclass(frozen=True)
class BoardPage:
    """A page of a round's individual board: `?limit=&offset=&table=`."""

    round_id: int
    limit: int
    offset: int
    table_key: str  # "" for the whole board, else one of TABLE_KEYS

    @property
    def cache_key(self) -> str:
        return f"board:{self.round_id}:{self.limit}:{self.offset}:{self.table_key}"


def board_page(round_id: int, args: MultiDict[str, str]) -> BoardPage | None:
    """The page an address asks for; None when it names a table no contest has (404)."""
    table_key = (args.get("table") or "").strip().upper()
    if table_key and table_key not in TABLE_KEYS:  # checked before it becomes part of a cache key
        return None
    return BoardPage(
        round_id,
        bounded_int(args, "limit", DEFAULT_PAGE, low=1, high=MAX_PAGE),
        bounded_int(args, "offset", 0, high=MAX_OFFSET),
        table_key,
    )


def units_key(round_id: int, args: MultiDict[str, str]) -> tuple[str | None, str]:
    """The parent unit an address asks for (`?parent=`, None for the top) and the key of its units' board; raises
    NotFound for a code longer than any unit's."""
    parent = unit_code_arg(args.get("parent"))
    return parent, f"board:{round_id}:units:{parent or ''}"


def stats_key(slug: str) -> str:
    return f"contest:{slug}:stats"


def screen_key(slug: str) -> str:
    return f"contest:{slug}:screen"
