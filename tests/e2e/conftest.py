"""Browser journeys: gunicorn serves the demo on loopback, Playwright drives Debian's Chromium.

Collected only by `make e2e` (E2E=1), which installs requirements-e2e.txt."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.servers import free_port
from tests.gunicorn_server import gunicorn

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "e2e" / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


SERVER_ENV: dict[str, str] = {}  # the served app's environment, for tests that run its CLI


def server_cli(*arguments: str) -> str:
    """Run `flask --app wsgi ARGUMENTS` against the served app's database; what it printed. A command that fails
    fails the test with what it said."""
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *arguments],
        cwd=ROOT,
        env=SERVER_ENV,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"flask {' '.join(arguments)}: {done.stdout}{done.stderr}"
    return done.stdout


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without Chromium, stop before the first journey with what to install, not an error from each of them."""
    here = Path(__file__).resolve().parent
    if not any(here in Path(str(item.path)).resolve().parents for item in items):
        return
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.exit(
            f"The browser tests need Chromium at {CHROMIUM}: install it with `apt-get install chromium` "
            "(or set CHROMIUM to a Chromium binary).",
            returncode=3,
        )


DEMO_PASSWORD = "Demo@2026"


def login(page, server: str, phone_number: str, password: str = DEMO_PASSWORD) -> None:  # type: ignore[no-untyped-def]
    """Log in through the real form, as a participant or an organizer of the demo."""
    page.goto(server + "/login")
    page.fill("#phone", phone_number)
    page.fill("#password", password)
    page.click("button[type=submit]")


def register(page, server: str, name: str, phone_number: str, unit_query: str, category: str = "civil_servant") -> None:  # type: ignore[no-untyped-def]
    """Register through the real form, choosing the first unit the picker finds for `unit_query` (and who they are:
    required, as every contest may rank tables by it)."""
    page.goto(server + "/register")
    page.fill("#name", name)
    page.fill("#phone", phone_number)
    page.fill("#password", "mat-khau-123")
    page.select_option("#category", category)
    page.fill("#unit_q", unit_query)
    page.wait_for_selector("input[name=unit_code]")
    page.check("input[name=unit_code] >> nth=0")
    page.check("#consent")


def start_quiz(page, server: str, round_id: int = 1) -> None:  # type: ignore[no-untyped-def]
    """Open the round's page, start (or resume) the attempt and wait for the quiz to be drawn."""
    page.goto(f"{server}/rounds/{round_id}/take")
    page.click("text=Bắt đầu làm bài")
    page.wait_for_selector("#palette li")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo on a fresh SQLite database, served by gunicorn with the production settings."""
    database = tmp_path_factory.mktemp("e2e") / "e2e.db"
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "e2e-secret-key-0123456789",
        "CONTEST_ENV": "production",
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
        "SESSION_COOKIE_SECURE": "0",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESSLOG": "",
    }
    env.pop("REDIS_URL", None)
    SERVER_ENV.update(env)
    server_cli("db", "upgrade")
    server_cli("demo", "--in-production")  # production settings, on purpose
    with gunicorn(env) as address:
        yield address


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def phone(browser):  # type: ignore[no-untyped-def]
    """A phone-sized page; page errors fail the test. Contexts bypass the pages' Content-Security-Policy,
    which forbids what Playwright itself runs (wait_for_function strings, the injected axe-core);
    test_content_security_policy.py loads the pages under the real policy."""
    context = browser.new_context(
        bypass_csp=True, viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="vi-VN"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield page
    context.close()
    assert errors == []
