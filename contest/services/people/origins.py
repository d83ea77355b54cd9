"""Where a registration or an attempt came from, as the integrity flags compare them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ClientOrigin:
    address: str | None  # the client's network address (behind proxies: see PROXY_COUNT)
    device: str | None  # a short hash of the browser's User-Agent
