"""Each process's copy of the contests' and rounds' settings, read by the hot requests (a start, the quiz and
contest pages) without a query, and dropped by any change to them.

A shared version, a random token in Redis, names the settings as they are. Any transaction that changes a
contest, a round, a bank or a unit (an organizer's edit, a round's first draw fixing its pool, a bank's new
revision) writes a new token after its commit, in every process, from the ORM's own events: a flush of such a row
or an ORM UPDATE or DELETE of its table. A request reads the token (one Redis GET) and uses its process's copy only
when the copy was read under the same token and is at most MAX_AGE_S old; anything else reads the database.

Without Redis, or while it does not answer, nothing is cached: every request reads the database, as before.
A change whose new token could not be written (Redis down at that moment) is seen within MAX_AGE_S; a Redis that
restarts empty gets a new token, so no copy read before it is used after it.

A copy is made from what a request read on its own connection (a second connection while the first holds a
transaction could exhaust a pool), by `Session.merge(load=False)` into a session bound to nothing, and only when
the request's session has no change of its own. The copies are detached object graphs; a request gets its own
instances the same way, which copies the loaded state without a query. Their JSON values (a round's draw, a
contest's ranking chain) are shared by reference: nothing may change them in place.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from itertools import chain
from typing import Any, TypeVar

import redis
from cachetools import LRUCache
from flask import current_app, g, has_app_context, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from contest.extensions import redis_client
from contest.models import Contest, QuestionBank, Round, Unit

VERSION_KEY = "settings:version"
MAX_AGE_S = 5.0
MAX_ENTRIES = 2048  # rounds and contests a process keeps; an attacker naming many only evicts the oldest
WATCHED: tuple[type, ...] = (Contest, Round, QuestionBank, Unit)
# The mark a session's changes leave until its commit. A change flushed and then rolled back keeps it: the next
# commit of the same session raises the version for nothing (a query per process); forgetting it at a rollback could
# forget a change flushed before a savepoint that was rolled back.
_CHANGED = "settings_changed"

T = TypeVar("T")
_now = time.monotonic  # the copies' age (a test moves it)


@dataclass(frozen=True)
class _Copy:
    version: str
    read_at: float
    graph: Any
    identities: frozenset[Any]  # the identity keys of every object in the graph


class _Copies:
    def __init__(self) -> None:
        self.entries: LRUCache[Hashable, _Copy] = LRUCache(maxsize=MAX_ENTRIES)
        self.lock = threading.Lock()  # cachetools caches are not thread-safe themselves

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


def _copies() -> _Copies:
    copies: _Copies | None = current_app.extensions.get("settings_cache")
    if copies is None:  # the first reader of this app in this process (a rare race only makes a spare one)
        copies = current_app.extensions.setdefault("settings_cache", _Copies())
    return copies


def current_version(client: redis.Redis) -> str | None:
    """The settings' token; a new one when Redis holds none (first use, or restarted empty). None when Redis
    does not answer."""
    try:
        version = client.get(VERSION_KEY)
        if version is None:
            client.set(VERSION_KEY, secrets.token_hex(8), nx=True)
            version = client.get(VERSION_KEY)
    except redis.RedisError:
        return None
    return version.decode() if isinstance(version, bytes) else version


def request_version() -> str | None:
    """The settings' version as this request first read it (one Redis GET a request); None without Redis."""
    in_request = has_request_context()
    if in_request and "settings_version" in g:
        held: str | None = g.settings_version
        return held
    client = redis_client()
    version = current_version(client) if client is not None else None
    if in_request:
        g.settings_version = version
    return version


def cached_graph(session: Session, key: Hashable, load: Callable[[Session], T | None]) -> T | None:
    """What `load` reads (an ORM object and the relations it loads), as instances of `session`: from this
    process's copy when the settings have not changed since it was read, else from the database."""
    version = request_version()
    if version is None:
        return load(session)
    copies = _copies()
    now = _now()
    with copies.lock:
        held = copies.entries.get(key)
    if held is None or held.version != version or now - held.read_at > MAX_AGE_S:
        found = load(session)  # the request's own reading, on its own connection
        if found is None or not _clean(session):
            return found  # nothing to keep, or the session has changes of its own that may yet be rolled back
        with Session() as holder:  # a copy of what was read, made without a query (no database is bound)
            copy = holder.merge(found, load=False)
            identities = frozenset(holder.identity_map.keys())
            holder.expunge_all()
        with copies.lock:
            copies.entries[key] = _Copy(version, now, copy, identities)
        return found
    if any(identity in session.identity_map for identity in held.identities):
        # merge would write the copy over the session's own instance, changes and all: the session reads it again
        return load(session)
    merged: T = session.merge(held.graph, load=False)
    return merged


def _clean(session: Session) -> bool:
    """No change pending or flushed in the session's transaction that a copy could pick up."""
    return not (session.new or session.dirty or session.deleted or session.info.get(_CHANGED))


def _watched(instance: object) -> bool:
    return isinstance(instance, WATCHED)


@event.listens_for(Session, "after_flush")
def _note_flushed_changes(session: Session, _context: Any) -> None:
    changed = chain(session.new, session.deleted, (o for o in session.dirty if session.is_modified(o)))
    if any(_watched(instance) for instance in changed):
        session.info[_CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement_changes(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    mapper = state.bind_mapper
    if mapper is not None and issubclass(mapper.class_, WATCHED):
        state.session.info[_CHANGED] = True


@event.listens_for(Session, "after_commit")
def _new_version_after_commit(session: Session) -> None:
    if not session.info.pop(_CHANGED, False) or not has_app_context():
        return
    copies = current_app.extensions.get("settings_cache")
    if copies is not None:
        copies.clear()  # this process sees its own change at once, Redis or not
    client = redis_client()
    if client is None:
        return
    try:
        client.set(VERSION_KEY, secrets.token_hex(8))
    except redis.RedisError:
        current_app.logger.warning("the settings' version could not be raised: copies expire within %ss", MAX_AGE_S)
