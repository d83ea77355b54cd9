"""What `/healthz` reports: the database must answer; Redis is reported, never required."""

from __future__ import annotations

import redis
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session


def database_state(session: Session) -> str:
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError:  # any driver error means the database does not answer
        session.rollback()
        return "down"
    return "up"


def redis_state(client: redis.Redis | None) -> str:
    if client is None:
        return "not configured"
    try:
        client.ping()
    except redis.RedisError:
        return "down"
    return "up"
