"""The daily participation bulletin as an .xlsx file, as provinces publish it."""

from __future__ import annotations

from datetime import datetime
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from contest import clock
from contest.models import Contest
from contest.services.contest_ranking import BulletinRow


def write_bulletin(contest: Contest, at: datetime, rows: list[tuple[BulletinRow, int]], target: BinaryIO) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Bản tin tham gia"
    sheet.append([contest.title])
    sheet.append([f"Số liệu tính đến {clock.to_vietnam(at):%H:%M ngày %d/%m/%Y} (giờ Việt Nam)"])
    sheet.append([])
    headers = [
        "STT",
        "Mã đơn vị",
        "Đơn vị",
        "Chỉ tiêu (người)",
        "Số người tham gia",
        "Tỷ lệ (%)",
        "Tăng so với hôm trước",
        "Số lượt thi",
    ]
    sheet.append(headers)
    for column, width in enumerate([6, 14, 40, 16, 18, 10, 20, 12], start=1):
        cell = sheet.cell(row=4, column=column)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        sheet.column_dimensions[cell.column_letter].width = width
    sheet["A1"].font = Font(bold=True, size=13)
    for number, (row, increase) in enumerate(rows, start=1):
        sheet.append(
            [
                number,
                row.code,
                row.name,
                row.headcount,
                row.participants,
                round(row.rate * 100, 2),
                increase,
                row.attempts,
            ]
        )
    sheet.freeze_panes = "A5"
    workbook.save(target)
