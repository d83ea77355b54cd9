"""Live boards in Redis, fed by submissions; the database stays the source of truth.

Per round: a sorted set whose members sort by the live order (lexicographically: all scores 0),
a hash of each participant's current member, a hash of what the board shows of them, and unit
counters (participants, sum of best scores, full scores) for every unit on the participant's path.
One Lua script applies a new finished attempt, only if it beats the participant's best: applying
the same attempt twice, or an older one, changes nothing. A rebuild therefore merges everything
from the database into the live keys without losing a submission that arrives meanwhile.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import redis
from flask import current_app
from redis.commands.core import Script

from contest import clock
from contest.extensions import redis_client

MAX_SCORE = 99_999
# KEYS: board zset, members hash, info hash, unit counters hash, built flag
# ARGV: user id, member, info json, score, full (0/1), unit ids...
_RECORD = """
local old = redis.call('HGET', KEYS[2], ARGV[1])
if old and old <= ARGV[2] then return 0 end
local old_score = 0
local old_full = 0
if old then
  redis.call('ZREM', KEYS[1], old)
  local info = cjson.decode(redis.call('HGET', KEYS[3], ARGV[1]))
  old_score = info['score']
  old_full = info['full']
end
redis.call('ZADD', KEYS[1], 0, ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
local score = tonumber(ARGV[4])
local full = tonumber(ARGV[5])
for i = 6, #ARGV do
  local unit = ARGV[i]
  if not old then redis.call('HINCRBY', KEYS[4], 'p:' .. unit, 1) end
  redis.call('HINCRBY', KEYS[4], 's:' .. unit, score - old_score)
  redis.call('HINCRBY', KEYS[4], 'f:' .. unit, full - old_full)
end
return 1
"""


# KEYS: info hash; ARGV: user id, new name
_RENAME = """
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local info = cjson.decode(raw)
info['name'] = ARGV[2]
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(info))
return 1
"""


def keys(round_id: int) -> list[str]:
    prefix = f"board:{round_id}"
    return [f"{prefix}:order", f"{prefix}:member", f"{prefix}:info", f"{prefix}:units", f"{prefix}:built"]


def member(score: int, duration_ms: int, submitted_at: datetime, attempt_id: int, user_id: int) -> str:
    """Sorts like the live order: higher score, shorter duration, earlier submission."""
    submitted_ms = int(submitted_at.astimezone(UTC).timestamp() * 1000)
    return f"{MAX_SCORE - score:05d}|{duration_ms:012d}|{submitted_ms:015d}|{attempt_id:012d}|{user_id}"


def user_of(board_member: str) -> int:
    return int(board_member.rsplit("|", 1)[1])


@dataclass(frozen=True)
class BoardRecord:
    round_id: int
    user_id: int
    attempt_id: int
    score: int
    total: int
    duration_ms: int
    submitted_at: datetime
    name: str
    unit: str
    unit_ids: tuple[int, ...]  # every unit on the participant's path, root first


def _script(client: redis.Redis, source: str = _RECORD) -> Script:
    """One registered Lua script per source and app (its SHA is sent, not its text)."""
    scripts: dict[str, Script] = current_app.extensions.setdefault("board_scripts", {})
    if source not in scripts:
        scripts[source] = Script(client, source)
    return scripts[source]


def record(records: Iterable[BoardRecord], client: redis.Redis | None = None, *, mark_built: int | None = None) -> int:
    """Apply finished attempts to the boards (in one round trip); returns how many improved a board."""
    client = client or redis_client()
    if client is None:
        return 0
    script = _script(client)
    pipe = client.pipeline(transaction=False)
    count = 0
    for item in records:
        info = json.dumps(
            {
                "name": item.name,
                "unit": item.unit,
                "score": item.score,
                "total": item.total,
                "duration_ms": item.duration_ms,
                "submitted_at": clock.iso_utc(item.submitted_at),
                "full": int(item.score == item.total),
            },
            ensure_ascii=False,
        )
        board_member = member(item.score, item.duration_ms, item.submitted_at, item.attempt_id, item.user_id)
        script(
            keys=keys(item.round_id)[:4],
            args=[item.user_id, board_member, info, item.score, int(item.score == item.total), *item.unit_ids],
            client=pipe,
        )
        count += 1
    if mark_built is not None:
        pipe.set(keys(mark_built)[4], "1")
    if count or mark_built is not None:
        pipe.execute()
    return count


def rename(user_id: int, round_ids: Iterable[int], name: str, client: redis.Redis | None = None) -> None:
    """Show the participant under `name` on the live boards of those rounds now (after a deletion), not after
    the next rebuild."""
    client = client or redis_client()
    if client is None:
        return
    script = _script(client, _RENAME)
    pipe = client.pipeline(transaction=False)
    for round_id in round_ids:
        script(keys=[keys(round_id)[2]], args=[user_id, name], client=pipe)
    pipe.execute()


def is_built(client: redis.Redis, round_id: int) -> bool:
    return bool(client.exists(keys(round_id)[4]))


@dataclass(frozen=True)
class BoardPage:
    entries: list[dict[str, Any]]
    total: int


def read_page(client: redis.Redis, round_id: int, limit: int, offset: int) -> BoardPage:
    order, _, info, _, _ = keys(round_id)
    pipe = client.pipeline(transaction=False)
    pipe.zrange(order, offset, offset + limit - 1)
    pipe.zcard(order)
    members, total = pipe.execute()
    users = [user_of(value.decode()) for value in members]
    details = client.hmget(info, users) if users else []
    entries = []
    for position, (user_id, raw) in enumerate(zip(users, details, strict=True), start=offset + 1):
        data = json.loads(raw) if raw else {}
        entries.append(
            {
                "rank": position,
                "user_id": user_id,
                "name": data.get("name", ""),
                "unit": data.get("unit", ""),
                "score": data.get("score"),
                "duration_ms": data.get("duration_ms"),
                "submitted_at": data.get("submitted_at"),
            }
        )
    return BoardPage(entries, total)


def unit_counters(client: redis.Redis, round_id: int, unit_ids: list[int]) -> dict[int, tuple[int, int, int]]:
    """(participants, sum of best scores, full scores) of each unit's subtree."""
    if not unit_ids:
        return {}
    fields = [f"{kind}:{unit}" for unit in unit_ids for kind in ("p", "s", "f")]
    values = client.hmget(keys(round_id)[3], fields)
    result = {}
    for index, unit in enumerate(unit_ids):
        p, s, f = (int(value or 0) for value in values[index * 3 : index * 3 + 3])
        result[unit] = (p, s, f)
    return result
