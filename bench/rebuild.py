"""How long a round's Redis board takes to rebuild from the database (after Redis lost its data, or after
a disqualification, which drops the round's board and builds it again; readers use the database meanwhile).

    python -m bench.rebuild [--board 100000] [--repeat 2]

Uses BENCH_DATABASE_URL (dropped and created again; default contest_bench on the local PostgreSQL) and
BENCH_REDIS_URL (flushed; default database 14 of the local Redis). The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import time

import redis

from bench.setup import build_app, load_board, load_round, recreate_database
from contest.extensions import db
from contest.models import Round
from contest.services.ranking import live_board
from contest.services.ranking.leaderboard import rebuild


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--board", type=int, default=100_000, help="finished attempts on the board")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/contest_bench")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    recreate_database(database_url)
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    app = build_app(database_url, redis_url)
    round_id, _ = load_round(app, 10)
    print(f"putting {args.board} finished attempts on the board ...", flush=True)
    load_board(app, round_id, args.board)
    seconds = []
    with app.app_context():
        round_ = db.session.get(Round, round_id)
        if round_ is None:
            raise SystemExit(f"no round {round_id}")
        for _ in range(args.repeat):
            client.delete(*live_board.keys(round_id))
            started = time.perf_counter()
            entries = rebuild(db.session(), round_, client)
            seconds.append(round(time.perf_counter() - started, 2))
            print(f"rebuilt {entries} entries in {seconds[-1]} s", flush=True)
        db.engine.dispose()
    client.flushdb()
    print(json.dumps({"board": args.board, "rebuild_s": seconds}))


if __name__ == "__main__":
    main()
