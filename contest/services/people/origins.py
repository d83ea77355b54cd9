"""Where a registration or an attempt came from, as the integrity flags compare them."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol


class _Request(Protocol):
    """What `ClientOrigin.of` reads of a request (Flask's request has both)."""

    @property
    def remote_addr(self) -> str | None: ...

    @property
    def headers(self) -> Mapping[str, str]: ...


@dataclass(frozen=True)
class ClientOrigin:
    address: str | None  # the client's network address (behind proxies: see PROXY_COUNT)
    device: str | None  # a short hash of the browser's User-Agent

    @classmethod
    def of(cls, request: _Request) -> ClientOrigin:
        """The request's peer address (the client's, as a trusted proxy reports it: PROXY_COUNT) and device."""
        agent = request.headers.get("User-Agent", "")
        device = hashlib.sha256(agent.encode("utf-8", "replace")).hexdigest()[:16] if agent else None
        return cls(address=(request.remote_addr or "")[:45] or None, device=device)
