"""Routes of the public pages."""

from __future__ import annotations

from flask import abort, jsonify, render_template
from sqlalchemy import text

from contest import clock
from contest.extensions import db, redis_client
from contest.public import bp
from contest.services import catalogue
from contest.services.errors import NotFound


@bp.get("/")
def index() -> str:
    contests = catalogue.public_contests(db.session)
    return render_template("public/index.html", contests=contests, now=clock.now(), catalogue=catalogue)


@bp.get("/contests/<slug>")
def contest_page(slug: str) -> str:
    try:
        contest = catalogue.public_contest(db.session, slug)
    except NotFound:
        abort(404)
    return render_template("public/contest.html", contest=contest, now=clock.now(), catalogue=catalogue)


@bp.get("/ping")
def ping():  # type: ignore[no-untyped-def]
    """Liveness without touching the database, for load balancers (and the benchmark's baseline)."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    """200 when the database answers; Redis is reported, never fatal."""
    try:
        db.session.execute(text("SELECT 1"))
        database = "up"
    except Exception:  # any driver error means the database does not answer
        db.session.rollback()
        database = "down"
    client = redis_client()
    if client is None:
        cache = "not configured"
    else:
        try:
            client.ping()
            cache = "up"
        except Exception:  # redis raises several connection errors
            cache = "down"
    status = 200 if database == "up" else 503
    return jsonify({"status": "ok" if status == 200 else "error", "database": database, "redis": cache}), status
