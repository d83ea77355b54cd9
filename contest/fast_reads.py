"""The public board reads, answered in front of Flask when this process already holds the answer.

On 10 October the big screens and the boards are polled by thousands: `GET /api/rounds/<id>/leaderboard`,
`.../units`, `/api/contests/<slug>/stats` and `.../screen`. Their views (contest/api/boards.py) compute each answer
once, share it through Redis and keep a copy in each process for half a second (contest/services/shared/cache.py).
Through Flask, serving that copy costs the session, Flask-Limiter's look at the route, Talisman's headers and the
dispatch, several times what reading the copy costs. This WSGI middleware, in front of the app like
`contest.fast_save`, answers such a read when the process holds the copy the view would send, and hands every other
request, and every read whose copy is not held, to the app unchanged:

- which copy: the address is read into a cache key by the views' own functions (`board_keys`), so both ways send
  the same answer for the same address; a copy exists only once the view has computed it for that key; an address
  with any other query argument (`?lang=`, which the app's hooks remember in a cookie) goes to the app;
- the security headers: those the app's own after-request hooks give such an answer, asked of the app once per
  process (`hook_headers`), with HSTS on https as Talisman decides it; the same `Cache-Control` as the view's;
- the rate limits: a read answered here is not counted against the visitors' default limit per address (serving a
  held copy costs less than counting it would, and a whole office behind one address watches the same board);
  every read the app answers (one whose copy is not held, an unknown contest's 404) is counted as before;
- the session, the user and the language: none is read by these views, whose answers are the same for everyone.

`tests/api/test_fast_reads.py` checks that both ways answer the same, headers included."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from flask import Flask, Response
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Request

from contest import metrics
from contest.hook_headers import hook_headers, is_secure
from contest.services.ranking import board_keys
from contest.services.shared.cache import held_copy
from contest.services.shared.errors import DomainError

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication

ROUND_READ = re.compile(r"/api/rounds/([1-9][0-9]{0,9})/(leaderboard|units)")
CONTEST_READ = re.compile(r"/api/contests/([A-Za-z0-9_-]{1,100})/(stats|screen)")


def _board_key(round_id: int, args: MultiDict[str, str]) -> str | None:
    page = board_keys.board_page(round_id, args)
    return page.cache_key if page is not None else None


def _units_key(round_id: int, args: MultiDict[str, str]) -> str | None:
    try:
        return board_keys.units_key(round_id, args)[1]
    except DomainError:
        return None  # the app answers its 404


ROUND_KEYS: dict[str, Callable[[int, MultiDict[str, str]], str | None]] = {
    "leaderboard": _board_key,
    "units": _units_key,
}
ROUND_ARGS = {"leaderboard": {"limit", "offset", "table"}, "units": {"parent"}}
CONTEST_KEYS: dict[str, Callable[[str], str]] = {"stats": board_keys.stats_key, "screen": board_keys.screen_key}
ENDPOINTS = {
    "leaderboard": "api.round_leaderboard",
    "units": "api.round_units",
    "stats": "api.contest_stats",
    "screen": "api.contest_screen",
}


class FastReads:
    """WSGI middleware: board reads whose answer this process holds answered here, everything else to the app."""

    def __init__(self, app: Flask, wsgi_app: WSGIApplication) -> None:
        self.flask_app = app
        self.wsgi_app = wsgi_app
        self._headers: dict[bool, list[tuple[str, str]]] = {}
        self._rules: dict[str, str] = {}

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "GET" or not environ.get("PATH_INFO", "").startswith("/api/"):
            return self.wsgi_app(environ, start_response)
        started = time.perf_counter()
        found = self._key(environ)
        held = held_copy(self.flask_app, found[1]) if found is not None else None
        if found is None or held is None:
            return self.wsgi_app(environ, start_response)
        answer = held.encode()
        metrics.observe(self._rule(found[0]), "GET", 200, time.perf_counter() - started)
        secure = is_secure(environ)
        headers = self._headers.get(secure)
        if headers is None:
            headers = self._headers[secure] = self._hook_headers(secure)
        start_response("200 OK", [*headers, ("Content-Length", str(len(answer)))])
        return [answer]

    @staticmethod
    def _key(environ: dict[str, Any]) -> tuple[str, str] | None:
        """(the kind of read, its cache key), or None for any other request."""
        path = environ.get("PATH_INFO", "")
        match = ROUND_READ.fullmatch(path)
        if match is not None:
            args = Request(environ).args
            # another argument (?lang=, which a hook remembers) or a NUL anywhere (which a hook refuses): the app's
            if not set(args) <= ROUND_ARGS[match[2]] or any("\x00" in value for _, value in args.items(multi=True)):
                return None
            key = ROUND_KEYS[match[2]](int(match[1]), args)
            return (match[2], key) if key is not None else None
        match = CONTEST_READ.fullmatch(path)
        if match is not None and not environ.get("QUERY_STRING"):
            return match[2], CONTEST_KEYS[match[2]](match[1])
        return None

    def _rule(self, kind: str) -> str:
        """The route's pattern, as the metrics of the app's own answers name it."""
        if not self._rules:
            rules = {rule.endpoint: rule.rule for rule in self.flask_app.url_map.iter_rules()}
            self._rules = {name: rules[endpoint] for name, endpoint in ENDPOINTS.items()}
        return self._rules[kind]

    def _hook_headers(self, secure: bool) -> list[tuple[str, str]]:
        answer = Response("{}", mimetype="application/json", headers={"Cache-Control": board_keys.PUBLIC_CACHE_CONTROL})
        path = "/api/rounds/1/leaderboard"
        return hook_headers(self.flask_app, method="GET", path=path, secure=secure, response=answer)
