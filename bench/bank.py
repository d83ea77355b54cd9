"""Question-bank speed: importing a 10,000-question .xlsx and drawing 30 questions from 10,000.

    python -m bench.bank [--questions 10000] [--draws 20000]

Prints a line per measurement and, last, one JSON object. The import is timed in its two halves
(reading + validating the file; writing to the database, SQLite in a temporary file or DATABASE_URL).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from question_bank.draw import DrawPart, QuestionPool, draw_questions, shuffle_options
from question_bank.readers import read_questions
from question_bank.spreadsheet import STANDARD_HEADER

TOPICS = [
    "Nhận thức chung về CĐS",
    "Chính quyền số",
    "Kinh tế số",
    "Xã hội số và kỹ năng số",
    "An toàn thông tin và dữ liệu cá nhân",
    "Văn bản chỉ đạo",
]
LEVELS = ["Dễ", "Trung bình", "Khó"]


def make_bank_xlsx(count: int, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Ngân hàng câu hỏi")
    sheet.append(STANDARD_HEADER)
    for number in range(1, count + 1):
        topic = TOPICS[number % len(TOPICS)]
        sheet.append(
            [
                number,
                f"Câu hỏi số {number} về {topic.lower()}: theo Quyết định 749/QĐ-TTg, nội dung nào đúng?",
                *(f"Phương án {letter} của câu {number}, nêu một ý về chuyển đổi số" for letter in "ABCD"),
                rng.choice(["A", "B", "C", "D", "A,C"]),
                topic,
                LEVELS[number % 3],
                f"Giải thích cho câu {number}: căn cứ Quyết định 749/QĐ-TTg ngày 3/6/2020.",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def time_import(data: bytes) -> dict[str, float]:
    from datetime import UTC, datetime

    from flask_migrate import upgrade

    from contest import create_app
    from contest.extensions import db
    from contest.services.banks.importing import import_questions
    from contest.services.shared.audit import Actor

    started = time.perf_counter()
    result = read_questions("bank.xlsx", data)
    read_s = time.perf_counter() - started
    assert not result.problems, result.problems[:3]

    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(folder) / 'bench.db'}"
        app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": None})
        with app.app_context():
            upgrade()
            name = f"bench-{time.time_ns()}"
            started = time.perf_counter()
            import_questions(
                db.session(), bank_name=name, result=result, now=datetime.now(UTC), actor=Actor(cli_user="bench")
            )
            db.session.commit()
            write_s = time.perf_counter() - started
            db.engine.dispose()
    return {"read_validate_s": read_s, "database_write_s": write_s, "total_s": read_s + write_s}


def time_draws(count: int, draws: int) -> dict[str, float]:
    rows = [
        (question_id, TOPICS[question_id % 6], ("easy", "medium", "hard")[question_id % 3])
        for question_id in range(1, count + 1)
    ]
    pool = QuestionPool.build(rows)
    parts = [DrawPart(None, "easy", 12), DrawPart(None, "medium", 12), DrawPart("Kinh tế số", "hard", 6)]
    rng = random.Random(2026)
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(draws // 5):
            drawn = draw_questions(pool, parts, rng)
            for _question in drawn:
                shuffle_options([1, 2, 3, 4], rng)
        samples.append((time.perf_counter() - started) / (draws // 5))
    return {"draw_30_ms": statistics.median(samples) * 1000, "draw_30_ms_worst_batch": max(samples) * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--draws", type=int, default=20_000)
    args = parser.parse_args()
    data = make_bank_xlsx(args.questions)
    print(f"xlsx of {args.questions} questions: {len(data) / 1e6:.1f} MB")
    imported = time_import(data)
    print(f"import: read+validate {imported['read_validate_s']:.2f} s, database {imported['database_write_s']:.2f} s")
    drawn = time_draws(args.questions, args.draws)
    print(f"draw of 30 from {args.questions} with option shuffles: {drawn['draw_30_ms'] * 1000:.0f} µs")
    print(json.dumps({"questions": args.questions, **{k: round(v, 4) for k, v in {**imported, **drawn}.items()}}))


if __name__ == "__main__":
    main()
