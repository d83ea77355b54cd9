"""Fuzz run of the HTTP surface (#14): every route of the app, as a visitor, a participant in the middle of an
attempt and an organizer, with generated paths, query strings, forms and JSON bodies (wrong types, missing and
extra fields, huge numbers, long and odd Unicode, NUL, malformed JSON and bytes, injection strings).

Every response must be below 500; a refusal (4xx) must leave the database as it was; no page may carry a script
from the input unescaped. `make test` sends FUZZ_REQUESTS (default 400) requests; `make fuzz` (CI) 10,000."""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import sys
from collections import Counter
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_login.utils import _create_identifier
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from itsdangerous import URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.routing import Rule

from contest.auth import attempt_tokens
from contest.extensions import db
from contest.models import Attempt, AttemptItem, User
from contest.models.base import Base
from contest.services.people.accounts import create_user
from tests.factories import add_member, first_body

REQUESTS = int(os.environ.get("FUZZ_REQUESTS", "400"))
# The generated requests are sent in this many tests of equal share, which pytest-xdist runs side by side; each
# draws its own (Hypothesis seeds every test afresh).
SHARDS = 2
SCRIPT = "<script>alert('fuzz')</script>"
INJECTIONS = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "' OR '1'='1",
    "1; DROP TABLE users; --",
    "%_%",
    '=HYPERLINK("http://x")',
    "{{7*7}}",
    "${7*7}",
    "../../etc/passwd",
    "\x00",
    "\u202e\u0301\ufeff",
    "Nguyễn Văn An",
    "0912345678",
]
FIELDS = [
    # the forms' and JSON bodies' names, so that generated requests reach past "missing field"
    "phone", "password", "name", "unit", "unit_code", "category", "birth_date", "consent", "options", "prediction",
    "away_ms", "code", "q", "action", "confirm", "current", "new", "title", "slug", "status", "scope", "names",
    "rules", "opens", "closes", "questions", "minutes", "attempts", "attempts_per_day", "bank", "draw", "review",
    "require_all", "role", "managed_unit", "reason", "text", "explanation", "topic", "difficulty", "first", "second",
    "third", "consolation", "share", "limit", "offset", "page", "round", "parent", "hour", "date", "lang", "next",
]  # fmt: skip

huge_numbers = st.sampled_from([0, -1, 1, 2**31, 2**63, -(2**63), 10**30, 1e308, float("inf"), float("nan")])
odd_text = st.one_of(
    st.sampled_from(INJECTIONS),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=3000),
)
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), huge_numbers, odd_text),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.sampled_from(FIELDS) | odd_text, children, max_size=5)
    ),
    max_leaves=12,
)
form_values = st.dictionaries(
    st.sampled_from(FIELDS) | st.text(max_size=10), odd_text | st.integers().map(str), max_size=8
)
raw_bodies = st.one_of(
    st.binary(max_size=300),
    st.sampled_from([b"{", b'{"options": [1,', b"\xff\xfe\x00", b'{"a":' * 50, b"null", b"[]", b'"text"']),
)


class Surface:
    """The app under fuzz: who calls (a visitor, a participant with an attempt, an organizer) and what ids exist."""

    def __init__(self, app: Flask, quiz: Any) -> None:
        self.app, self.quiz = app, quiz
        self.round_id = quiz.round.id
        self.attempt_id = quiz.start().get_json()["attempt_id"]
        organizer = create_user(
            db.session(), name="Ban Tổ Chức", phone="0900000099", password="mat-khau-123", role="organizer",
            now=quiz.round.opens_at,
        )  # fmt: skip
        add_member(
            db.session(), first_body(db.session(), quiz.round.opens_at), organizer, "manager", quiz.round.opens_at
        )
        self.organizer_id = organizer.id
        db.session.commit()
        self.statuses: Counter[int] = Counter()
        self.stale_token_refusals = 0  # a valid token refused as a CSRF failure: the fuzz would not get past it
        rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]
        self.routes = [(rule, method) for rule in rules for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]

    def client_for(self, who: str) -> tuple[FlaskClient, str | None]:
        """A client holding the session a browser of `who` would: built from the account's current token, so that a
        logout or a deletion by an earlier request does not end the fuzz."""
        client = self.app.test_client()
        if who == "visitor":
            return client, None
        user = self._account(who)
        raw_csrf = hashlib.sha1(secrets.token_bytes(16)).hexdigest()
        with self.app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"}):
            identifier = _create_identifier()
        session = {"_user_id": user.get_id(), "_fresh": True, "_id": identifier, "csrf_token": raw_csrf}
        cookie = self.app.session_interface.get_signing_serializer(self.app).dumps(session)  # type: ignore[attr-defined]
        client.set_cookie("session", cookie)
        return client, URLSafeTimedSerializer(str(self.app.secret_key), salt="wtf-csrf-token").dumps(raw_csrf)

    def attempt_token(self, kind: str) -> str:
        """The participant's attempt's token (issued for their current login), a forged one, or text as it is."""
        if kind == "forged":
            return URLSafeSerializer("not-the-key", salt=attempt_tokens.SALT).dumps([self.attempt_id, 1, "x", 2**40])
        if kind != "participant":
            text = "".join(c for c in kind if c not in "\x00\r\n")  # what a header can carry
            return text.encode("latin-1", "replace").decode("latin-1")
        attempt = db.session.get(Attempt, self.attempt_id)
        assert attempt is not None
        with self.app.test_request_context():
            return attempt_tokens.for_attempt(attempt, self._account("participant"))

    def _account(self, who: str) -> User:
        user = db.session.get(User, self.quiz.user.id if who == "participant" else self.organizer_id)
        assert user is not None
        db.session.refresh(user)
        if not user.is_active:  # deleted by an earlier request: take part again under a new account
            user = create_user(
                db.session(), name="Người Thử Mới", phone=f"09{secrets.randbelow(10**8):08d}", password="mat-khau-123",
                unit=self.quiz.unit, now=self.quiz.round.opens_at,
            )  # fmt: skip
            db.session.commit()
            self.quiz.user = user
        return user

    def path(self, rule: Rule, values: dict[str, Any]) -> str:
        """The rule's path with each part filled: a generated value where the plan has one, else a real id."""

        def fill(match: re.Match[str]) -> str:
            name = match.group(1)
            value = values.get(name, {"round_id": self.round_id, "attempt_id": self.attempt_id}.get(name, 1))
            if name in ("slug",) and name not in values:
                value = "cds"
            return quote(str(value), safe="")

        return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", fill, rule.rule)


def fingerprint() -> tuple[Any, ...]:
    """What a refusal must not change: the row count of every table, and the stored answers."""
    session = db.session()
    counts = tuple(session.scalar(select(func.count()).select_from(table)) for table in Base.metadata.sorted_tables)
    chosen = session.execute(select(AttemptItem.attempt_id, AttemptItem.position, AttemptItem.chosen)).all()
    attempts = session.execute(select(Attempt.id, Attempt.status, Attempt.score, Attempt.prediction)).all()
    return counts, tuple(sorted(map(tuple, chosen), key=str)), tuple(sorted(map(tuple, attempts), key=str))


@pytest.fixture
def surface(app, quiz, session):  # type: ignore[no-untyped-def]
    app.config.update(DEFAULT_RATE_LIMIT="", WTF_CSRF_SSL_STRICT=False)
    made = Surface(app, quiz)
    yield made
    print(f"\nfuzz: {sum(made.statuses.values())} requests, by status {dict(sorted(made.statuses.items()))}",
          file=sys.__stderr__)  # fmt: skip


request_plans = st.fixed_dictionaries(
    {
        "route": st.integers(min_value=0, max_value=10**6),
        "who": st.sampled_from(["visitor", "participant", "organizer"]),
        "path_values": st.dictionaries(
            st.sampled_from(
                ["round_id", "attempt_id", "position", "bank_id", "question_id", "user_id", "slug", "code", "upload_id"]
            ),
            st.integers(min_value=-5, max_value=2**40) | odd_text.filter(lambda t: "/" not in t and "?" not in t),
            max_size=2,
        ),
        "query": st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=5), odd_text, max_size=4),
        "body": st.one_of(
            st.tuples(st.just("json"), json_values),
            st.tuples(st.just("form"), form_values),
            st.tuples(st.just("raw"), raw_bodies),
            st.tuples(st.just("none"), st.none()),
        ),
        "csrf": st.sampled_from(["valid", "valid", "valid", "missing", "wrong"]),
        # X-Attempt-Token: the participant's attempt's (valid for the calls that read it), a forged one, or none
        "attempt_token": st.sampled_from([None, None, None, "participant", "forged"]) | odd_text,
    }
)


@settings(
    max_examples=-(-REQUESTS // SHARDS),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(plan=request_plans)
@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_request_breaks_the_app_or_changes_data_when_refused(
    surface: Surface, shard: int, plan: dict[str, Any]
) -> None:
    _send(surface, plan)


def _send(surface: Surface, plan: dict[str, Any]) -> None:
    rule, method = surface.routes[plan["route"] % len(surface.routes)]
    client, token = surface.client_for(plan["who"])
    path = surface.path(rule, plan["path_values"])
    kind, body = plan["body"]
    headers = {"Accept-Language": "vi"}
    if plan["csrf"] == "valid" and token:
        headers["X-CSRFToken"] = token
    elif plan["csrf"] == "wrong":
        headers["X-CSRFToken"] = "not-a-token"
    attempt_token = plan.get("attempt_token")
    if attempt_token is not None:
        headers["X-Attempt-Token"] = surface.attempt_token(attempt_token)
    arguments: dict[str, Any] = {"headers": headers, "query_string": plan["query"]}
    if kind == "json":
        arguments["data"] = json.dumps(body, allow_nan=True)
        arguments["content_type"] = "application/json"
    elif kind == "form":
        form = dict(body)
        if plan["csrf"] == "valid" and token:
            form["csrf_token"] = token
        arguments["data"] = form
    elif kind == "raw":
        arguments["data"] = body
        arguments["content_type"] = "application/json"
    before = fingerprint() if method != "GET" else None
    response = client.open(path, method=method, **arguments)
    surface.statuses[response.status_code] += 1
    if token and plan["csrf"] == "valid" and response.status_code == 400:
        surface.stale_token_refusals += "biểu mẫu đã cũ" in response.get_data(as_text=True) or (
            response.is_json and (response.get_json(silent=True) or {}).get("error") == "csrf"
        )
    assert response.status_code < 500, (method, path, plan, response.get_data(as_text=True)[:500])
    if before is not None and 400 <= response.status_code < 500:
        db.session.rollback()
        assert fingerprint() == before, ("a refusal changed the database", method, path, response.status_code)
    if response.mimetype == "text/html":
        assert SCRIPT not in response.get_data(as_text=True), (method, path)


SWEEP_BODIES: list[tuple[str, Any]] = [
    ("json", {"options": "1", "phone": [SCRIPT], "prediction": 10**30, "away_ms": -1, "extra": {"x": None}}),
    ("form", dict.fromkeys(FIELDS, SCRIPT)),
    ("raw", b'{"options": [1,'),
    ("none", None),
]


def test_every_route_answers_bad_input_without_a_server_error(surface: Surface) -> None:
    """Each rule and method, for each caller, with each kind of bad body: nothing is left out by chance."""
    for rule, method in surface.routes:
        for who in ("visitor", "participant", "organizer"):
            for kind, body in SWEEP_BODIES:
                plan = {"route": surface.routes.index((rule, method)), "who": who, "path_values": {}, "query": {},
                        "body": (kind, body), "csrf": "valid"}  # fmt: skip
                _send(surface, plan)
    assert sum(surface.statuses.values()) == len(surface.routes) * 3 * len(SWEEP_BODIES)
    assert surface.stale_token_refusals == 0  # the signed-in callers' requests reach the code behind the CSRF check
