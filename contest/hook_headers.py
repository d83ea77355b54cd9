"""The headers the app's after-request hooks (Talisman's, the metrics') put on an answer, for the fast paths in front
of Flask (contest/fast_save.py, contest/fast_reads.py): asked of the app itself, so they cannot drift from its
settings, once per process and kind of answer."""

from __future__ import annotations

from flask import Flask, Response, g


def hook_headers(app: Flask, *, method: str, path: str, secure: bool, response: Response) -> list[tuple[str, str]]:
    """The headers `response`, answered to `method path` over http or https, leaves the app's hooks with (without
    its length)."""
    base = "https://localhost" if secure else "http://localhost"
    with app.test_request_context(path, method=method, base_url=base):
        g.only_headers = True  # not a request: the metrics do not count it
        response = app.process_response(response)
    return [(name, value) for name, value in response.headers.items() if name != "Content-Length"]


def is_secure(environ: dict[str, object]) -> bool:
    """Whether the request came over https (directly, or through a proxy that says so)."""
    return environ.get("wsgi.url_scheme") == "https" or environ.get("HTTP_X_FORWARDED_PROTO") == "https"
