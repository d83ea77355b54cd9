"""What the production server writes in its access log: no phone numbers from query strings or referrers."""

from __future__ import annotations

import time
import urllib.request

from bench.servers import free_port
from tests.gunicorn_server import gunicorn, production_env


def test_the_access_log_keeps_no_query_string_and_no_referrer(tmp_path) -> None:
    port, log = free_port(), tmp_path / "access.log"
    env = production_env(port, tmp_path / "empty.db", GUNICORN_WORKERS="1", GUNICORN_ACCESSLOG=str(log))
    with gunicorn(env) as address:
        # The start-up waited on /ping as many times as the server took to start: the request under test goes to
        # another address, so that its line is told apart from theirs.
        request = urllib.request.Request(
            f"{address}/healthz?q=0912345678", headers={"Referer": f"{address}/admin/users?q=0987654321"}
        )
        urllib.request.urlopen(request, timeout=5).read()
        for _ in range(50):
            if log.exists() and "/healthz" in log.read_text():
                break
            time.sleep(0.1)
    written = log.read_text()
    assert written.count('"GET /healthz HTTP/1.1" 200') == 1, written  # the path kept, its query string left out
    assert "0912345678" not in written and "0987654321" not in written and "q=" not in written
