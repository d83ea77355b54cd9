"""The organizer's review pages of a large round, timed as the pages compute them on every view: the integrity
flags, the question analysis and the monitoring data, with every attempt's 20 answered questions in the database.

    python -m bench.review_pages [--attempts 20000]

Uses BENCH_DATABASE_URL (dropped and created again; default contest_bench on the local PostgreSQL): the demo units
and bank, an open round, `attempts` finished attempts of as many people (bench.setup), then 20 answered questions
per attempt, as a draw would have put them. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from typing import Any

from sqlalchemy import insert, select

from bench.setup import build_app, load_board, load_round, recreate_database
from contest import clock
from contest.extensions import db
from contest.models import Attempt, AttemptItem, Question, Round
from contest.services.banks.analysis import analyse
from contest.services.console.monitoring import monitor_data
from contest.services.quiz.integrity import flags


def _answered(round_id: int, seed: int = 3) -> int:
    """20 questions of the bank per finished attempt, each answered (right about two times in three)."""
    rng = random.Random(seed)
    session = db.session()
    questions = session.scalars(select(Question).where(Question.active.is_(True))).all()
    shown: list[tuple[int, list[dict[str, Any]], dict[str, Any]]] = []
    for question in questions:
        options = [{"id": o.id, "text": o.text, "correct": o.is_correct} for o in question.options]
        shown.append((question.id, options, {"text": question.text, "multiple": False, "options": options}))
    attempts = session.scalars(select(Attempt.id).where(Attempt.round_id == round_id)).all()
    rows = 0
    for start in range(0, len(attempts), 1000):
        batch = []
        for attempt_id in attempts[start : start + 1000]:
            for position, (question_id, options, snapshot) in enumerate(rng.sample(shown, 20), start=1):
                right = [o["id"] for o in options if o["correct"]]
                chosen = right if rng.random() < 0.66 else [rng.choice(options)["id"]]
                batch.append(
                    {
                        "attempt_id": attempt_id,
                        "position": position,
                        "question_id": question_id,
                        "snapshot": snapshot,
                        "chosen": chosen,
                    }
                )
        session.execute(insert(AttemptItem), batch)
        rows += len(batch)
    session.commit()
    return rows


def _timed(step: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = step()
    return round(time.perf_counter() - started, 2), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--attempts", type=int, default=20_000)
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/contest_bench")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    recreate_database(database_url)
    app = build_app(database_url, redis_url)
    round_id, _ = load_round(app, 0)
    print(f"putting {args.attempts} finished attempts with their answers in the round ...", flush=True)
    load_board(app, round_id, args.attempts)
    figures: dict[str, Any] = {"attempts": args.attempts}
    with app.app_context():
        figures["answers"] = _answered(round_id)
        round_ = db.session.get(Round, round_id)
        if round_ is None:
            raise SystemExit(f"no round {round_id}")
        figures["integrity_flags_s"], found = _timed(lambda: flags(db.session(), round_))
        figures["flags"] = len(found)
        figures["question_analysis_s"], _stats = _timed(lambda: analyse(db.session(), round_))
        figures["monitoring_s"], _data = _timed(lambda: monitor_data(db.session(), round_))
        figures["at"] = clock.now().isoformat()
        db.engine.dispose()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
