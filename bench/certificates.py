"""Certificate speed: drawing one (the fonts cut to the common characters, against the whole fonts), the worker
drawing a published round's certificates, and the organizer's zip of them streamed from the stored files.

    python -m bench.certificates [--count 100] [--people 2000]

Loads the demo into a temporary SQLite database; draws `count` certificates with fresh codes twice, once with
a Vietnamese name (the cut fonts) and once with a name in Greek letters (the whole fonts); then puts `people`
more ranked participants into last week's published round, publishes it again (their certificates are issued
and queued), lets one worker draw them all (certificates a second, one worker, one core), and streams the
round's zip. Prints a line per measurement and, last, one JSON object whose ratios compare figures of one run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import func, insert, select

from contest import clock, create_app, demo
from contest.extensions import db
from contest.models import Attempt, RankingEntry, Round, User
from contest.services.results import certificates, drawing
from contest.services.results.publishing import publish_results
from contest.services.shared.audit import Actor


def _timed(function: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _more_ranked(round_: Round, people: int) -> None:
    """`people` more participants ranked in the round, below those there (straight into the database)."""
    session = db.session()
    now = clock.now()
    last = session.scalar(select(func.max(RankingEntry.rank)).where(RankingEntry.round_id == round_.id)) or 0
    session.execute(
        insert(User),
        [
            {
                "name": f"Người Dự Thi {number}",
                "phone": f"07{number:08d}",
                "password_hash": "!",
                "role": "participant",
                "created_at": now,
                "active": True,
                "session_token": f"bench{number}",
                "category": "citizen",
            }
            for number in range(people)
        ],
    )
    users = session.scalars(select(User.id).where(User.phone.like("07%")).order_by(User.id)).all()
    start = round_.opens_at
    session.execute(
        insert(Attempt),
        [
            {
                "user_id": user_id,
                "round_id": round_.id,
                "number": 1,
                "started_at": start,
                "deadline": start + timedelta(minutes=15),
                "submitted_at": start + timedelta(minutes=10),
                "status": "submitted",
                "total": 20,
                "score": 10,
                "duration_ms": 600_000 + index,
                "seed": index,
            }
            for index, user_id in enumerate(users)
        ],
    )
    attempts = session.execute(
        select(Attempt.id, Attempt.user_id).where(Attempt.user_id.in_(select(User.id).where(User.phone.like("07%"))))
    ).all()
    session.execute(
        insert(RankingEntry),
        [
            {
                "round_id": round_.id,
                "rank": last + index,
                "user_id": user_id,
                "attempt_id": attempt_id,
                "score": 10,
                "total": 20,
                "duration_ms": 600_000 + index,
                "started_at": start,
                "submitted_at": start + timedelta(minutes=10),
                "decided_by": "duration",
            }
            for index, (attempt_id, user_id) in enumerate(attempts, start=1)
        ],
    )
    session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100, help="certificates drawn for each font measurement")
    parser.add_argument("--people", type=int, default=2000, help="ranked people whose certificates the worker draws")
    args = parser.parse_args()
    me = Actor.command_line()
    with tempfile.TemporaryDirectory() as folder:
        uri = f"sqlite:///{Path(folder) / 'bench.db'}"
        app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": uri, "REDIS_URL": None})
        app.config["PUBLIC_URL"] = "https://thi.example.gov.vn"
        with app.app_context():
            upgrade()
            demo.load_demo(db.session(), actor=me, now=clock.now())
            db.session.commit()
            while drawing.draw_next(db.session(), now=clock.now()) is not None:  # the demo's own
                db.session.commit()
            round_ = db.session.query(Round).filter_by(name=demo.PAST_ROUND_NAME).one()
            sample = certificates.in_force(db.session(), round_)[0]
            codes = iter(f"BENC-H{n:03d}-{n * 7 % 1000:04d}" for n in range(args.count * 4))
            link = certificates.verify_url("X")
            greek = {**sample.statement, "name": "Αλέξανδρος Παπαδόπουλος"}  # not in the cut fonts

            common = _timed(lambda: certificates.draw(sample.statement, next(codes), link), args.count)
            whole = _timed(lambda: certificates.draw(greek, next(codes), link), args.count)
            stored = _timed(lambda: certificates.pdf_bytes(db.session(), sample), args.count)

            _more_ranked(round_, args.people)
            started = time.perf_counter()
            report = publish_results(db.session(), round_, actor=me, now=clock.now())
            db.session.commit()
            publish_s = time.perf_counter() - started
            print(f"published again: {report.issued} certificates issued and queued in {publish_s:.2f} s", flush=True)
            started, drawn = time.perf_counter(), 0
            while drawing.draw_next(db.session(), now=clock.now()) is not None:
                db.session.commit()
                drawn += 1
            worker_s = time.perf_counter() - started
            state = drawing.progress(db.session(), round_)
            started = time.perf_counter()
            size = sum(len(chunk) for chunk in certificates.stream_zip(db.session(), round_))
            zip_s = time.perf_counter() - started
    figures = {
        "profile": "certificates",
        "count": args.count,
        "draw_ms_p50_cut_fonts": round(statistics.median(common), 1),
        "draw_ms_p95_cut_fonts": round(sorted(common)[int(len(common) * 0.95) - 1], 1),
        "draw_ms_p50_whole_fonts": round(statistics.median(whole), 1),
        "stored_copy_ms_p50": round(statistics.median(stored), 3),
        "publish_s": round(publish_s, 2),
        "worker": {
            "certificates": drawn,
            "seconds": round(worker_s, 1),
            "certificates_per_s": round(drawn / worker_s, 1),
            "all_drawn": state.done,
        },
        "zip": {"certificates": state.total, "mb": round(size / 1e6, 1), "seconds": round(zip_s, 2)},
        "ratios": {"cut_to_whole_fonts": round(statistics.median(common) / statistics.median(whole), 2)},
        "cpu_count": os.cpu_count(),
    }
    print(
        f"draw p50: {figures['draw_ms_p50_cut_fonts']} ms with the cut fonts, "
        f"{figures['draw_ms_p50_whole_fonts']} ms with the whole fonts"
    )
    print(f"worker: {drawn} certificates in {worker_s:.1f} s ({figures['worker']['certificates_per_s']} a second)")
    print(f"zip of {state.total}: {size / 1e6:.1f} MB streamed in {zip_s:.2f} s")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
