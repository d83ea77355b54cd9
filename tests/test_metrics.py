"""GET /metrics for the operators: only with the bearer token, counts by route and status (refusals and saves
answered in front of Flask included), health read at the scrape, and sums over gunicorn's workers."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from bench.servers import free_port
from contest.models import Attempt
from tests.gunicorn_server import ROOT, gunicorn, production_env

TOKEN = "metrics-token-for-the-test"


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _value(samples, name: str, **labels: str) -> float:  # type: ignore[no-untyped-def]
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_answer_only_the_operators_token(app, client) -> None:
    assert client.get("/metrics").status_code == 404  # no METRICS_TOKEN set: no such address
    app.config["METRICS_TOKEN"] = TOKEN
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    assert client.get("/metrics", headers={"Authorization": TOKEN}).status_code == 404
    answer = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 200 and answer.mimetype == "text/plain"
    assert answer.headers["Cache-Control"] == "no-store"


def test_requests_saves_and_health_are_counted(app, quiz, session) -> None:
    app.config["METRICS_TOKEN"] = TOKEN
    scrape = app.test_client()

    def read() -> dict:  # type: ignore[type-arg]
        return _samples(scrape.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).get_data(as_text=True))

    before = read()
    started = quiz.start().get_json()
    option = started["questions"][0]["options"][0]["id"]
    path = f"/api/attempts/{started['attempt_id']}/answers/1"
    assert app.test_client().put(path, json={"options": [option]}, headers={"X-Attempt-Token": started[
        "attempt_token"]}).status_code == 200  # fmt: skip
    assert quiz.answer(started["attempt_id"], 2, [option]).status_code == 400  # another question's option
    assert quiz.answer(started["attempt_id"], 1, [option]).status_code == 200  # the cookie way
    assert app.test_client().get("/no-such-page").status_code == 404
    after = read()
    save = "/api/attempts/<int:attempt_id>/answers/<int:position>"

    def grew(name: str, **labels: str) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    assert grew("contest_requests_total", endpoint=save, method="PUT", status="200") == 2  # fast path and app
    assert grew("contest_requests_total", endpoint=save, method="PUT", status="400") == 1
    assert grew("contest_requests_total", endpoint="unmatched", method="GET", status="404") == 1
    assert grew("contest_saves_total") == 2
    assert grew("contest_request_seconds_count", endpoint=save) == 3
    assert _value(after, "contest_database_up") == 1
    in_progress = session.query(Attempt).filter_by(status="in_progress").count()
    assert in_progress == 1 and _value(after, "contest_attempts_in_progress") == in_progress
    assert _value(after, "contest_redis_up") in (0.0, 1.0)


def test_under_gunicorn_a_scrape_sums_every_workers_counts(tmp_path) -> None:
    folder = tmp_path / "metrics"
    folder.mkdir()
    port = free_port()
    env = production_env(
        port, tmp_path / "empty.db", METRICS_TOKEN=TOKEN, GUNICORN_WORKERS="3", PROMETHEUS_MULTIPROC_DIR=str(folder)
    )
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)  # fmt: skip
    with gunicorn(env) as address:
        for _ in range(60):  # each on a connection of its own: the workers share them
            urllib.request.urlopen(f"{address}/healthz", timeout=5).read()
        pids = {path.name for path in folder.glob("counter_*.db")}
        request = urllib.request.Request(f"{address}/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        text = urllib.request.urlopen(request, timeout=5).read().decode()
    assert len(pids) >= 2, pids  # the requests were answered by more than one worker
    samples = _samples(text)
    assert _value(samples, "contest_requests_total", endpoint="/healthz", method="GET", status="200") == 60
    assert re.search(r"^contest_database_up 1\.0$", text, re.MULTILINE)


def test_made_up_methods_do_not_make_new_series(app, client) -> None:
    app.config["METRICS_TOKEN"] = TOKEN
    for method in ("ZZQX1", "ABCDEFG", "AAAB"):
        client.open("/", method=method)
    text = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).get_data(as_text=True)
    assert "ZZQX1" not in text and "ABCDEFG" not in text and "AAAB" not in text
    assert 'method="other"' in text
