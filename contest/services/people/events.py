"""What the people package tells the packages above it. People never call the ranking: they announce, and the
ranking (which sits above them and imports them) listens. Signals are blinker's, as Flask's own are."""

from __future__ import annotations

from blinker import Namespace

_events = Namespace()

renamed = _events.signal("person-renamed")
"""A person's name, as the boards of some rounds show it, changed: sent with `user_id` and `names`, a dict from
round id to the name shown there (a deletion sends the deleted-account name for every round they took part in)."""


def announce_renamed(user_id: int, names: dict[int, str]) -> None:
    if names:
        renamed.send(__name__, user_id=user_id, names=names)
