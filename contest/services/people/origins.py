"""Where a registration or an attempt came from, as the integrity flags compare them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class ClientOrigin:
    address: str | None  # the client's network address (behind proxies: see PROXY_COUNT)
    device: str | None  # a short hash of the browser's User-Agent

    @classmethod
    def of(cls, address: str | None, user_agent: str) -> ClientOrigin:
        """From the request's peer address (the client's, as a trusted proxy reports it: PROXY_COUNT) and
        its User-Agent header, kept as a short hash."""
        agent = user_agent
        device = hashlib.sha256(agent.encode("utf-8", "replace")).hexdigest()[:16] if agent else None
        return cls(address=(address or "")[:45] or None, device=device)
