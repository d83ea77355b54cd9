"""Configuration classes, read from the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any, ClassVar

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


def database_url(raw: str | None) -> str:
    """The SQLAlchemy URL for DATABASE_URL; the psycopg 3 driver for plain postgres URLs."""
    if not raw:
        return f"sqlite:///{INSTANCE_DIR / 'contest.db'}"
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def engine_options(config: dict[str, Any]) -> dict[str, Any]:
    """SQLALCHEMY_ENGINE_OPTIONS with what the other settings imply for the driver."""
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    url = str(config.get("SQLALCHEMY_DATABASE_URI") or "")
    if url.startswith("postgresql") and not config.get("DATABASE_PREPARED_STATEMENTS", True):
        options["connect_args"] = {**options.get("connect_args", {}), "prepare_threshold": None}
    budget = float(config.get("REQUEST_BUDGET_S") or 0)
    if url.startswith("postgresql") and budget > 0 and config.get("DATABASE_STATEMENT_TIMEOUT", True):
        # a startup parameter of the connection (PgBouncer drops it unless told to ignore it: set the role's too)
        timeout = f"-c statement_timeout={int(budget * 1000)}"
        args = options.get("connect_args", {})
        options["connect_args"] = {**args, "options": f"{args.get('options', '')} {timeout}".strip()}
    return options


def _instance_secret() -> str:
    """A secret kept under instance/ so development sessions survive restarts."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    ENV_NAME = "production"
    DEBUG = False
    TESTING = False
    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
    # No ping before each use of a pooled connection (a round trip on every request, a fifth of a save's time): a
    # connection that died with its server fails its first statement, the pool then drops all its connections, and
    # the request gets a 503 that the quiz page sends again. Connections are renewed after 30 minutes (idle
    # timeouts of proxies and managed databases).
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, object]] = {"pool_pre_ping": False, "pool_recycle": 1800}
    # 0: no server-side prepared statements (behind PgBouncer before 1.21 in transaction pooling, which cannot keep
    # them from one transaction to the next).
    DATABASE_PREPARED_STATEMENTS = os.environ.get("DATABASE_PREPARED_STATEMENTS", "1") != "0"
    REDIS_URL: str | None = os.environ.get("REDIS_URL") or None
    # A request's time budget: a database statement longer than this is cancelled by PostgreSQL (set it for the
    # application's role, `ALTER ROLE ... SET statement_timeout`, which PgBouncer's transaction pooling keeps; without
    # PgBouncer the app also asks for it on each connection), and the heavy pages and exports stop with a message
    # when their work passes it (contest.deadline). 0: no budget.
    REQUEST_BUDGET_S = float(os.environ.get("REQUEST_BUDGET_S", "60"))
    # The key of the hash a deleted account keeps of its phone (services.people.person_key); unset: derived from
    # SECRET_KEY (set it when the secret key may rotate, or rotating it forgets every deleted person's counts).
    PHONE_HASH_KEY = os.environ.get("PHONE_HASH_KEY", "")
    DATABASE_STATEMENT_TIMEOUT = os.environ.get("DATABASE_STATEMENT_TIMEOUT", "1") != "0"
    # Password-reset links by mail (contest.mail), as Flask-Mail names the settings; without MAIL_SERVER no mail is
    # sent and "Quên mật khẩu?" says whom to ask.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "0") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    # The site's public address (https://thi.example.gov.vn): certificates' QR codes link to it, the same from the
    # `certificates export` command as from a page. Unset: the address a request came to (or 127.0.0.1:5000).
    PUBLIC_URL: str = os.environ.get("PUBLIC_URL", "").rstrip("/")
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")
    # Outside a request (the `flask` commands): English by default, the wording CONTRACT §2 fixes;
    # CONTEST_CLI_LANG=vi prints Vietnamese.
    CLI_LANGUAGE = os.environ.get("CONTEST_CLI_LANG", "en")
    WTF_CSRF_TIME_LIMIT = None  # a token lives as long as the session: quizzes last a while
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") == "1"
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_HTTPONLY = True
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024  # question-bank uploads
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    # No X-RateLimit-* headers on every response (they would put a Retry-After on each, a 503's included); a
    # refusal (429) says when to come back in its own Retry-After.
    RATELIMIT_HEADERS_ENABLED = False
    # Every route, per address, for visitors (signed-in accounts are not counted): a page polled every 5 s costs 12 a
    # minute, so 600 leaves room for 50 screens behind one office address. Empty: no default limit (benchmarks).
    DEFAULT_RATE_LIMIT = os.environ.get("DEFAULT_RATE_LIMIT", "600 per minute")
    # Login tries (right or wrong) per address: offices share one address behind NAT, so it is loose; the benchmark,
    # whose one address plays thousands of people logging in, raises it.
    LOGIN_TRIES_PER_ADDRESS = os.environ.get("LOGIN_TRIES_PER_ADDRESS", "120 per minute")
    # Keys of the attempt receipts (HMAC), comma-separated, newest first; unset: derived from SECRET_KEY.
    RECEIPT_KEYS: str | None = os.environ.get("RECEIPT_KEYS") or None
    # Proxies (nginx, a load balancer) in front of the app whose X-Forwarded-For is trusted: the client's
    # address is then the one they report (rate limits, integrity flags). 0: the socket's peer.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
    # GET /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`; unset, it answers 404 to everyone.
    METRICS_TOKEN: str | None = os.environ.get("METRICS_TOKEN") or None
    # Password hashes (Argon2id): OWASP's first choice of parameters, 19 MiB and 2 passes, about 25 ms a login.
    ARGON2_TIME_COST = int(os.environ.get("ARGON2_TIME_COST", "2"))
    ARGON2_MEMORY_KIB = int(os.environ.get("ARGON2_MEMORY_KIB", str(19 * 1024)))
    ARGON2_PARALLELISM = int(os.environ.get("ARGON2_PARALLELISM", "1"))
    # Redis down must not lock everyone out of logging in: limits fall back to each process's memory.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY") or None  # filled from instance/ in create_app
    SESSION_COOKIE_SECURE = False


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key"
    SESSION_COOKIE_SECURE = False
    RATELIMIT_STORAGE_URI = "memory://"


class ProductionConfig(Config):
    ENV_NAME = "production"


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for_environment() -> type[Config]:
    name = os.environ.get("CONTEST_ENV", "production").strip().lower()
    if name not in CONFIGS:
        raise RuntimeError(f"CONTEST_ENV must be one of {', '.join(CONFIGS)}, not {name!r}")
    return CONFIGS[name]


def ensure_secret_key(config: dict[str, Any]) -> None:
    """Refuse to run in production without SECRET_KEY; give development a stable one."""
    if config.get("SECRET_KEY"):
        return
    if config.get("ENV_NAME") == "development":
        config["SECRET_KEY"] = _instance_secret()
        return
    raise RuntimeError("SECRET_KEY is required in production: set the SECRET_KEY environment variable")


def ensure_rate_limits(config: dict[str, Any]) -> None:
    """Refuse to start with a rate limit written so that Flask-Limiter cannot read it: it would drop the limit at
    every request and only say so in its log. DEFAULT_RATE_LIMIT may be empty (no default limit)."""
    from limits import parse_many

    for name in ("LOGIN_TRIES_PER_ADDRESS", "DEFAULT_RATE_LIMIT"):
        value = config.get(name)
        if name == "DEFAULT_RATE_LIMIT" and not value:
            continue
        try:
            parse_many(str(value or ""))
        except ValueError:
            raise RuntimeError(f"{name}={value!r} is not a rate limit: write it like '120 per minute'") from None


def ensure_public_url(config: dict[str, Any]) -> None:
    """Refuse to run in production without PUBLIC_URL: links, QR codes and cache keys are built from it, never
    from the Host header a request brings (which anyone may set, and which would draw every certificate again)."""
    if config.get("ENV_NAME") == "production" and not config.get("TESTING") and not config.get("PUBLIC_URL"):
        raise RuntimeError(
            "PUBLIC_URL is required in production: set it to the site's address, for example "
            "PUBLIC_URL=https://thi.example.gov.vn"
        )
