"""The site's public address for links that leave it (QR codes on certificates and posters, Open Graph tags):
PUBLIC_URL, which production requires (contest.config.ensure_public_url); in development and tests without it,
the address the request came to, else the local demo's."""

from __future__ import annotations

from flask import current_app, has_request_context, request

LOCAL_ADDRESS = "http://127.0.0.1:5000"


def absolute(path: str) -> str:
    """`path` ("/contests/cds-2026") as a full address, the same from a command as from a page."""
    base = str(current_app.config.get("PUBLIC_URL") or "")
    if not base:
        base = request.host_url.rstrip("/") if has_request_context() else LOCAL_ADDRESS
    return f"{base}{path}"
