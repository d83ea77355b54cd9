"""Certificate speed: drawing a certificate as PDF (font subset, QR code), the cached copy, and the unit's zip.

    python -m bench.certificates [--count 200]

Loads the demo (last week's round published: 36 certificates) into a temporary SQLite database, then draws `count`
certificates with fresh codes (no cache can answer), reads them back through the content cache, and builds one
unit's zip. Prints a line per measurement and, last, one JSON object whose ratios compare figures of the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from flask_migrate import upgrade

from contest import clock, create_app, demo
from contest.extensions import db
from contest.models import Round, Unit
from contest.services.results import certificates
from contest.services.shared.audit import Actor


def _timed(function: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        uri = f"sqlite:///{Path(folder) / 'bench.db'}"
        app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": uri, "REDIS_URL": None})
        with app.app_context(), app.test_request_context(base_url="https://thi.example.gov.vn"):
            upgrade()
            demo.load_demo(db.session(), actor=Actor.command_line(), now=clock.now())
            db.session.commit()
            round_ = db.session.query(Round).filter_by(name=demo.PAST_ROUND_NAME).one()
            issued = certificates.in_force(db.session(), round_)
            sample = issued[0]
            codes = iter(f"BENC-H{n:03d}-{n * 7 % 1000:04d}" for n in range(args.count * 2))
            drawn = _timed(
                lambda: certificates.draw(sample.statement, next(codes), certificates.verify_url("X")), args.count
            )
            sizes = [len(certificates.pdf_bytes(db.session(), c)) for c in issued]
            cached = _timed(lambda: certificates.pdf_bytes(db.session(), sample), args.count)
            unit = db.session.query(Unit).filter_by(code="HBX").one()
            zip_ms = _timed(lambda: certificates.zip_of(db.session(), issued), 3)
    figures = {
        "profile": "certificates",
        "count": args.count,
        "draw_ms_p50": round(statistics.median(drawn), 2),
        "draw_ms_p95": round(sorted(drawn)[int(len(drawn) * 0.95) - 1], 2),
        "certificates_per_s_one_core": round(1000 / statistics.mean(drawn), 1),
        "cached_ms_p50": round(statistics.median(cached), 3),
        "pdf_kb_mean": round(statistics.mean(sizes) / 1024, 1),
        "zip_of_unit": {"unit": unit.code, "certificates": len(issued), "ms": round(statistics.median(zip_ms), 1)},
        "ratios": {"cached_to_drawn": round(statistics.median(cached) / statistics.median(drawn), 4)},
        "cpu_count": os.cpu_count(),
    }
    print(f"draw: p50 {figures['draw_ms_p50']} ms, p95 {figures['draw_ms_p95']} ms per certificate")
    print(f"cached copy: p50 {figures['cached_ms_p50']} ms; mean size {figures['pdf_kb_mean']} KB")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
