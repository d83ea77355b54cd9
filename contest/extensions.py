"""The Flask extensions, created unbound and attached to the app in create_app."""

from __future__ import annotations

import redis
from flask import Flask, current_app
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from contest.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


def _default_limit() -> str:
    return str(current_app.config.get("DEFAULT_RATE_LIMIT") or "")


def _no_default_limit() -> bool:
    """Signed-in callers are not counted: each is one person whose every write is checked against their own
    attempt, and counting them would cost the quiz's hot path a round trip to the limits' store."""
    from flask_login import current_user

    return not _default_limit() or bool(current_user.is_authenticated)


# Every route has a default limit for visitors (DEFAULT_RATE_LIMIT, per address), on top of the stricter ones of
# the login and registration doors; /ping, /healthz and static files are exempt.
limiter = Limiter(
    key_func=get_remote_address, default_limits=[_default_limit], default_limits_exempt_when=_no_default_limit
)


def init_redis(app: Flask) -> None:
    """One connection pool per process; None when REDIS_URL is not set (the app runs on the database)."""
    url = app.config.get("REDIS_URL")
    client = (
        redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5, health_check_interval=30)
        if url
        else None
    )
    app.extensions["redis_client"] = client


def redis_client() -> redis.Redis | None:
    return current_app.extensions.get("redis_client")
