"""The results workbook organizers file: final ranking, unit ranking, and the rules applied."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from contest import clock
from contest.deadline import check_deadline
from contest.models import RankingEntry, Round, Unit, User
from contest.numbers import percent_value
from contest.services.people.registration import CATEGORY_LABELS
from contest.services.ranking.leaderboard import unit_ranking
from contest.services.ranking.prizes import PRIZE_NAMES_VI
from contest.services.ranking.rules import LINK_LABELS, chain_of
from contest.services.ranking.tables import table_names, tables_of
from contest.services.shared.audit import Actor, record
from contest.services.shared.paging import closing_when_left
from question_bank.workbooks import BOLD, StreamedSheet, streamed_workbook

PREDICTION_TARGETS = {
    "full_score": "số người đạt điểm tuyệt đối",
    "participants": "số người tham gia đợt thi",
    "none": "không dùng câu hỏi dự đoán",
}
LINK_NAMES_VI = {
    "score": "điểm cao hơn",
    "prediction": "dự đoán gần đúng hơn",
    "duration": "thời gian làm bài ngắn hơn",
    "submitted_at": "nộp bài sớm hơn",
    "started_at": "bắt đầu làm bài sớm hơn",
    "top_score_attempts": "số lượt đạt điểm cao nhất nhiều hơn",
    "record_order": "bài thi được ghi nhận sớm hơn",
}
assert set(LINK_NAMES_VI) == set(LINK_LABELS)


def _category_names() -> dict[str, str]:
    """The participant categories as the registration form says them in Vietnamese (the workbook is Vietnamese)."""
    with force_locale("vi"):
        return {key: str(label) for key, label in CATEGORY_LABELS.items()}


def write_results(
    session: Session, round_: Round, target: Path | str | BinaryIO, *, actor: Actor, now: datetime
) -> int:
    """Write the workbook; the round must have been closed (`round close`). The export is recorded: the
    workbook holds phone numbers."""
    with streamed_workbook(target) as workbook:
        names = table_names(round_.contest)  # with tables: each table's place first, rows by table
        table_columns = ["Bảng", "Hạng trong bảng"] if names else []
        people = StreamedSheet(
            workbook,
            "Xếp hạng cá nhân",
            [*([24, 9] if names else []), 7, 28, 14, 36, 24, 7, 8, 10, 12, 14, 24, 12, 30],
            freeze="A2",
        )
        people.header(
            [
                *table_columns,
                "Hạng",
                "Họ và tên",
                "Số điện thoại",
                "Đơn vị",
                "Đối tượng",
                "Điểm",
                "Số câu",
                "Dự đoán",
                "Chênh lệch dự đoán",
                "Thời gian làm bài (giây)",
                "Nộp bài lúc (giờ Việt Nam)",
                "Giải",
                "Lý do người liền trên trong bảng xếp trước" if names else "Lý do người liền trên xếp trước",
            ]
        )
        entry = RankingEntry
        # columns, not entities, read in batches: memory stays bounded however large the round
        rows = session.execute(
            select(
                *(entry.table_key, entry.table_rank, entry.rank, entry.score, entry.total, entry.prediction),
                *(entry.prediction_distance, entry.duration_ms, entry.submitted_at, entry.prize, entry.decided_by),
                *(User.name, User.phone, User.anonymised_at, User.category, Unit.name),
            )
            .join(User, User.id == entry.user_id)
            .outerjoin(Unit, Unit.id == User.unit_id)
            .where(entry.round_id == round_.id)
            .order_by(entry.table_key.is_(None), entry.table_key, entry.table_rank, entry.rank)
            .execution_options(yield_per=1000)
        )
        categories = _category_names()
        shift = len(table_columns)
        # every duration in seconds, to the millisecond; the submission a real date and time
        formats = {9 + shift: "0.000", 10 + shift: "dd/mm/yyyy hh:mm:ss.000"}
        ranked = 0
        for ranked, row in enumerate(closing_when_left(rows), start=1):
            if ranked % 500 == 1:
                check_deadline()
            values: tuple[Any, ...] = tuple(row)
            table_key, table_rank, rank, score, total, prediction, distance, duration_ms, submitted_at = values[:9]
            prize, decided, name, phone, anonymised_at, category, unit = values[9:]
            table = [names.get(table_key or "", "ngoài các bảng"), table_rank] if names else []
            people.row(
                [
                    *table,
                    rank,
                    name,
                    "" if anonymised_at is not None else phone,  # a deleted account keeps no phone number
                    unit or "",
                    categories.get(category or "", ""),
                    score,
                    total,
                    prediction,
                    distance,
                    duration_ms / 1000,
                    # a real date and time (Excel has no time zones: Vietnam time, as the heading says)
                    clock.to_vietnam(submitted_at).replace(tzinfo=None),
                    PRIZE_NAMES_VI.get(prize or "", ""),
                    LINK_NAMES_VI.get(decided or "", ""),
                ],
                formats=formats,
            )

        units = StreamedSheet(workbook, "Xếp hạng đơn vị", [7, 14, 40, 16, 16, 16, 14, 18], freeze="A2")
        units.header(
            [
                "Hạng",
                "Mã đơn vị",
                "Đơn vị",
                "Số người tham gia",
                "Chỉ tiêu (người)",
                "Tỷ lệ tham gia (%)",
                "Điểm trung bình",
                "Số người đạt điểm tuyệt đối",
            ]
        )
        for unit_row in unit_ranking(session, round_, public=False):
            units.row(
                [
                    unit_row.rank,
                    unit_row.code,
                    unit_row.name,
                    unit_row.participants,
                    unit_row.headcount,
                    percent_value(unit_row.rate, 2),
                    round(unit_row.avg_score, 2),
                    unit_row.full_scores,
                ]
            )

        rules = StreamedSheet(workbook, "Quy tắc xếp hạng", [40, 70])
        chain = chain_of(round_)
        lines = [
            ("Cuộc thi", round_.contest.title),
            ("Đợt thi", round_.name),
            (
                "Thời gian",
                f"{clock.to_vietnam(round_.opens_at):%d/%m/%Y %H:%M} – "
                f"{clock.to_vietnam(round_.closes_at):%d/%m/%Y %H:%M}",
            ),
            ("Mỗi người", "một kết quả: lượt thi tốt nhất"),
            ("Thứ tự xét", "; ".join(f"{index}. {LINK_NAMES_VI[link]}" for index, link in enumerate(chain, start=1))),
            ("Khi vẫn bằng nhau", LINK_NAMES_VI["record_order"]),
            ("Câu hỏi dự đoán", PREDICTION_TARGETS[round_.prediction]),
            ("Giá trị thực tế", "" if round_.actual_value is None else str(round_.actual_value)),
            ("Số người xếp hạng", str(ranked)),
            *(
                (table.name, "đối tượng: " + ", ".join(_category_names()[category] for category in table.categories))
                for table in tables_of(round_.contest)
            ),
            (
                "Tính lúc (giờ Việt Nam)",
                f"{clock.to_vietnam(round_.finalized_at):%d/%m/%Y %H:%M:%S}" if round_.finalized_at else "",
            ),
        ]
        for label, value in lines:
            rules.row([rules.styled(label, font=BOLD), value])
    after: dict[str, Any] = {"ranked": ranked}
    if isinstance(target, Path | str):  # a file on the server (`results export`), not a browser download
        after["file"] = str(target)
    record(session, actor, "results.export", f"round:{round_.id}", after=after, now=now)
    return ranked
