"""The results workbook organizers file: final ranking, unit ranking, and the rules applied."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from flask_babel import force_locale
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
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
from question_bank.workbooks import new_workbook, save_workbook

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


def _header(sheet: Worksheet, titles: list[str], widths: list[int]) -> None:
    sheet.append(titles)
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def write_results(
    session: Session, round_: Round, target: Path | str | BinaryIO, *, actor: Actor, now: datetime
) -> int:
    """Write the workbook; the round must have been closed (`round close`). The export is recorded: the
    workbook holds phone numbers."""
    workbook, people = new_workbook("Xếp hạng cá nhân")
    names = table_names(round_.contest)  # with tables: each table's place first, rows by table
    table_columns = ["Bảng", "Hạng trong bảng"] if names else []
    _header(
        people,
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
        ],
        [*([24, 9] if names else []), 7, 28, 14, 36, 24, 7, 8, 10, 12, 14, 24, 12, 30],
    )
    rows = session.execute(
        select(RankingEntry, User.name, User.phone, User.anonymised_at, User.category, Unit.name)
        .join(User, User.id == RankingEntry.user_id)
        .outerjoin(Unit, Unit.id == User.unit_id)
        .where(RankingEntry.round_id == round_.id)
        .order_by(RankingEntry.table_key.is_(None), RankingEntry.table_key, RankingEntry.table_rank, RankingEntry.rank)
    ).all()
    categories = _category_names()
    shift = len(table_columns)
    for index, (entry, name, phone, anonymised_at, category, unit) in enumerate(rows):
        if index % 500 == 0:
            check_deadline()
        table = [names.get(entry.table_key or "", "ngoài các bảng"), entry.table_rank] if names else []
        people.append(
            [
                *table,
                entry.rank,
                name,
                "" if anonymised_at is not None else phone,  # a deleted account keeps no phone number
                unit or "",
                categories.get(category or "", ""),
                entry.score,
                entry.total,
                entry.prediction,
                entry.prediction_distance,
                entry.duration_ms / 1000,
                # a real date and time (Excel has no time zones: Vietnam time, as the heading says)
                clock.to_vietnam(entry.submitted_at).replace(tzinfo=None),
                PRIZE_NAMES_VI.get(entry.prize or "", ""),
                LINK_NAMES_VI.get(entry.decided_by or "", ""),
            ]
        )
        last = people.max_row
        people.cell(row=last, column=10 + shift).number_format = "0.000"  # every duration in seconds, to the ms
        people.cell(row=last, column=11 + shift).number_format = "dd/mm/yyyy hh:mm:ss.000"

    units = workbook.create_sheet("Xếp hạng đơn vị")
    _header(
        units,
        [
            "Hạng",
            "Mã đơn vị",
            "Đơn vị",
            "Số người tham gia",
            "Chỉ tiêu (người)",
            "Tỷ lệ tham gia (%)",
            "Điểm trung bình",
            "Số người đạt điểm tuyệt đối",
        ],
        [7, 14, 40, 16, 16, 16, 14, 18],
    )
    for row in unit_ranking(session, round_, public=False):
        units.append(
            [
                row.rank,
                row.code,
                row.name,
                row.participants,
                row.headcount,
                percent_value(row.rate, 2),
                round(row.avg_score, 2),
                row.full_scores,
            ]
        )

    rules = workbook.create_sheet("Quy tắc xếp hạng")
    rules.column_dimensions["A"].width = 40
    rules.column_dimensions["B"].width = 70
    chain = chain_of(round_)
    lines = [
        ("Cuộc thi", round_.contest.title),
        ("Đợt thi", round_.name),
        (
            "Thời gian",
            f"{clock.to_vietnam(round_.opens_at):%d/%m/%Y %H:%M} – {clock.to_vietnam(round_.closes_at):%d/%m/%Y %H:%M}",
        ),
        ("Mỗi người", "một kết quả: lượt thi tốt nhất"),
        ("Thứ tự xét", "; ".join(f"{index}. {LINK_NAMES_VI[link]}" for index, link in enumerate(chain, start=1))),
        ("Khi vẫn bằng nhau", LINK_NAMES_VI["record_order"]),
        ("Câu hỏi dự đoán", PREDICTION_TARGETS[round_.prediction]),
        ("Giá trị thực tế", "" if round_.actual_value is None else str(round_.actual_value)),
        ("Số người xếp hạng", str(len(rows))),
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
        rules.append([label, value])
        rules.cell(row=rules.max_row, column=1).font = Font(bold=True)
    save_workbook(workbook, target)
    after: dict[str, Any] = {"ranked": len(rows)}
    if isinstance(target, Path | str):  # a file on the server (`results export`), not a browser download
        after["file"] = str(target)
    record(session, actor, "results.export", f"round:{round_.id}", after=after, now=now)
    return len(rows)
