"""GET /ping, answered before Flask: whether the process is alive, for load balancers and the benchmark's
baseline. No hook of the app runs for it (sessions, limits, security headers, languages, the database): none
is needed to say "ok", and a probe polled by every balancer every few seconds should cost nothing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

BODY = b"ok"
HEADERS = [
    ("Content-Type", "text/plain; charset=utf-8"),
    ("Content-Length", str(len(BODY))),
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
]


class Liveness:
    """WSGI middleware in front of the app: /ping here, everything else to the app."""

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/ping" and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            start_response("200 OK", list(HEADERS))
            return [BODY] if environ["REQUEST_METHOD"] == "GET" else []
        return self.app(environ, start_response)
