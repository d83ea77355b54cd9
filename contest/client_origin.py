"""Where a request comes from, as the integrity flags need it: the address and a short device hash.

The address is the socket's peer, or the client's as a trusted proxy reports it (PROXY_COUNT)."""

from __future__ import annotations

import hashlib

from flask import request

from contest.services.people.origins import ClientOrigin


def client_origin() -> ClientOrigin:
    agent = request.headers.get("User-Agent", "")
    device = hashlib.sha256(agent.encode("utf-8", "replace")).hexdigest()[:16] if agent else None
    return ClientOrigin(address=(request.remote_addr or "")[:45] or None, device=device)
