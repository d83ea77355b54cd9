"""The one place the app reads the time, so tests can set it."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> datetime:
    """The current time, aware, in UTC. Tests replace it through app.config['CLOCK']."""
    if has_app_context():
        override = current_app.config.get("CLOCK")
        if override is not None:
            moment: datetime = override()
            return moment
    return datetime.now(UTC)


def to_vietnam(moment: datetime) -> datetime:
    return moment.astimezone(VIETNAM)


def parse_iso(text: str) -> datetime:
    """An ISO 8601 time; without an offset it is Vietnam time, as organizers write it."""
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VIETNAM)
    return moment.astimezone(UTC)


def iso_utc(moment: datetime | None) -> str:
    """ISO 8601 in UTC with a Z, as the API sends times."""
    if moment is None:
        return ""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
