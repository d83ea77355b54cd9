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
limiter = Limiter(key_func=get_remote_address)


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
