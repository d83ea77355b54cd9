"""The Flask application factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

from contest.config import (
    Config,
    config_for_environment,
    engine_options,
    ensure_public_url,
    ensure_rate_limits,
    ensure_secret_key,
)
from contest.extensions import babel, csrf, db, init_redis, limiter, login_manager, migrate
from contest.liveness import Liveness
from contest.models.base import render_item

LANG_COOKIE = "lang"
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def select_locale() -> str:
    """?lang= wins, then the remembered choice, then Vietnamese. Outside a request: CLI_LANGUAGE."""
    from flask import current_app, has_request_context

    if not has_request_context():
        return str(current_app.config["CLI_LANGUAGE"])
    languages = current_app.config["LANGUAGES"]
    for candidate in (request.args.get("lang"), request.cookies.get(LANG_COOKIE)):
        if candidate is not None and candidate in languages:
            return candidate
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def _limits_per_process(app: Flask) -> bool:
    """Production settings with rate limits kept in each process's memory."""
    storage = str(app.config.get("RATELIMIT_STORAGE_URI") or "memory://")
    return app.config.get("ENV_NAME") == "production" and not app.testing and storage.startswith("memory")


def create_app(config: type[Config] | dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.from_object(config_for_environment() if config is None or isinstance(config, dict) else config)
    if isinstance(config, dict):
        app.config.from_mapping(config)
    ensure_secret_key(app.config)
    ensure_public_url(app.config)
    ensure_rate_limits(app.config)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)
    from contest.fast_reads import FastReads
    from contest.fast_save import FastSave

    # /ping, saves that carry their attempt token, board reads already cached: answered before every hook (see each
    # module)
    app.wsgi_app = Liveness(FastSave(app, FastReads(app, app.wsgi_app)))  # type: ignore[method-assign]
    if app.config.get("PROXY_COUNT"):
        count = app.config["PROXY_COUNT"]
        # Flask's documented way to put middleware around the app; mypy sees the assignment as replacing a method.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)  # type: ignore[method-assign]

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True, compare_type=True, render_item=render_item
    )
    from contest import metrics

    metrics.init_app(app)  # first: its timer starts before the other hooks
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    if _limits_per_process(app):
        app.logger.warning(
            "RATE LIMITS ARE COUNTED PER PROCESS: no REDIS_URL, so each gunicorn worker and host counts logins "
            "and registrations alone (a limit of 10 becomes 10 per worker). Set REDIS_URL in production."
        )
    login_manager.init_app(app)
    init_redis(app)

    from contest import cli, deadline, errors, ids, input_guard, security_headers, templating
    from contest.auth import loader as auth_loader
    from contest.services.people import passwords
    from contest.services.ranking import renames  # noqa: F401  (connects the live boards to people's renames)

    ids.init_app(app)
    input_guard.init_app(app)
    auth_loader.init_app(app)
    templating.init_app(app)
    security_headers.init_app(app)
    errors.init_app(app)
    deadline.init_app(app)
    cli.init_app(app)
    passwords.init_app(app)

    from contest.api import bp as api_bp
    from contest.auth import bp as auth_bp
    from contest.organizer import bp as organizer_bp
    from contest.participant import bp as participant_bp
    from contest.public import bp as public_bp
    from contest.unit_admin import bp as unit_admin_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(organizer_bp, url_prefix="/admin")
    app.register_blueprint(participant_bp)
    app.register_blueprint(unit_admin_bp, url_prefix="/unit")
    app.register_blueprint(api_bp, url_prefix="/api")

    @app.after_request
    def remember_language(response: Response) -> Response:
        chosen = request.args.get("lang")
        if chosen is not None and chosen in app.config["LANGUAGES"] and chosen != request.cookies.get(LANG_COOKIE):
            response.set_cookie(LANG_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax")
        return response

    return app
