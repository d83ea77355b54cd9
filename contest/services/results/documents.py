"""The results as documents: the public announcement as PDF and xlsx, and the organizers' official list of
winners (national heading, organizing body, place and date, a numbered table, the signer) as xlsx and PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

from cachetools import LRUCache
from fpdf import FPDF
from fpdf.fonts import FontFace
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from contest import clock
from contest.numbers import percent_value, rate_permille
from contest.services.ranking.results_export import LINK_NAMES_VI
from contest.services.results import pdf as paper
from contest.services.results.announcement import RoundResults, Winner
from question_bank.workbooks import BOLD, StreamedSheet, new_workbook, save_workbook, streamed_workbook


def duration_text(ms: int) -> str:
    """432123 -> "7:12,123" (minutes:seconds, to the millisecond a tie-break compares)."""
    minutes, rest = divmod(ms, 60_000)
    return f"{minutes}:{rest / 1000:06.3f}".replace(".", ",")


DURATION_HEADING = "Thời gian (phút:giây)"


def rate_text(rate: float | None) -> str:
    return "" if rate is None else f"{percent_value(rate, 1):.1f}".replace(".", ",") + "%"


def decided_text(winner: Winner) -> str:
    return LINK_NAMES_VI.get(winner.decided_by or "", "") if winner.rank > 1 else "xếp đầu"


def _when(results: RoundResults) -> str:
    moment = results.published_at or results.round.finalized_at or results.round.closes_at
    return f"{clock.to_vietnam(moment):%d/%m/%Y}"


def _heading_rows(results: RoundResults) -> list[tuple[str, str]]:
    figures = results.figures
    rows = [
        ("Số người tham gia", f"{figures.participants:,}".replace(",", ".")),
        ("Bài thi được tính", f"{figures.attempts:,}".replace(",", ".")),
        ("Số người đạt điểm tuyệt đối", f"{figures.full_scores:,}".replace(",", ".")),
        ("Đơn vị có người tham gia", f"{figures.units_taking_part}/{figures.units}"),
    ]
    if figures.rate is not None:
        rows.append(("Tỷ lệ tham gia", rate_text(figures.rate)))
    return rows


# PDF


def _table(
    pdf: FPDF, widths: tuple[float, ...], header: list[str], rows: list[list[str]], align: tuple[str, ...]
) -> None:
    pdf.set_font(paper.FAMILY, "", 10)
    with pdf.table(
        col_widths=widths,
        text_align=align,
        line_height=5.5,
        headings_style=FontFace(emphasis="BOLD", fill_color=(221, 235, 247)),
        width=pdf.epw,
    ) as table:
        table.row(header)
        for values in rows:
            table.row(values)


def results_pdf(results: RoundResults) -> bytes:
    """The public announcement, A4: names as the contest shows them in public."""
    title = f"Kết quả {results.round.name} – {results.contest.title}"
    pdf = paper.new_pdf(title=title)
    pdf.add_page()
    paper.line(pdf, "KẾT QUẢ", size=16, style="B", height=8)
    paper.line(pdf, f"{results.round.name} – {results.contest.title}", size=12, style="B")
    paper.line(pdf, f"Công bố ngày {_when(results)}", size=10, style="I")
    pdf.ln(3)
    for label, value in _heading_rows(results):
        paper.line(pdf, f"{label}: {value}", size=10, align="L", height=5)
    shown_table: str | None = None
    for tier in results.tiers:
        pdf.ln(3)
        if tier.table and tier.table != shown_table:
            paper.line(pdf, tier.table_name, size=13, style="B", align="L")
            shown_table = tier.table
        paper.line(pdf, f"{tier.label} ({len(tier.winners)})", size=12, style="B", align="L")
        _table(
            pdf,
            (12, 48, 58, 17, 35),
            ["Hạng", "Họ và tên", "Đơn vị", "Điểm", DURATION_HEADING],
            [[str(w.rank), w.name, w.unit, f"{w.score}/{w.total}", duration_text(w.duration_ms)] for w in tier.winners],
            ("CENTER", "LEFT", "LEFT", "CENTER", "RIGHT"),
        )
    if results.units:
        pdf.ln(3)
        paper.line(pdf, "Xếp hạng đơn vị", size=12, style="B", align="L")
        _table(
            pdf,
            (12, 80, 28, 25, 25),
            ["Hạng", "Đơn vị", "Số người tham gia", "Chỉ tiêu (người)", "Tỷ lệ tham gia"],
            [
                [str(u.rank), u.name, str(u.participants), str(u.headcount or ""), rate_text(u.rate)]
                for u in results.units
            ],
            ("CENTER", "LEFT", "RIGHT", "RIGHT", "RIGHT"),
        )
    return paper.output(pdf)


_drawn: LRUCache[tuple[Any, ...], bytes] = LRUCache(maxsize=16 * 1024 * 1024, getsizeof=len)


def cached_results_pdf(results: RoundResults) -> bytes:
    """The public announcement drawn once per state of the round (ranked, published, names shown so) per process."""
    round_ = results.round
    key = (round_.id, round_.finalized_at, round_.results_published_at, results.contest.name_display)
    if key not in _drawn:
        _drawn[key] = results_pdf(results)
    return _drawn[key]


def winners_pdf(results: RoundResults) -> bytes:
    """The official list: national heading, title, numbered table with full names, signature block."""
    contest = results.contest
    pdf = paper.new_pdf(title=f"Danh sách người đạt giải {results.round.name}")
    pdf.add_page()
    paper.national_heading(pdf, contest, results.published_at or clock.now())
    paper.line(pdf, "DANH SÁCH NGƯỜI ĐẠT GIẢI", size=14, style="B", height=7)
    paper.line(pdf, f"{results.round.name} – {contest.title}", size=12, style="B")
    pdf.ln(3)
    _table(
        pdf,
        (11, 40, 48, 35, 14, 27),
        ["STT", "Họ và tên", "Đơn vị", "Giải", "Điểm", DURATION_HEADING],
        [
            [
                str(number),
                w.full_name,
                w.unit,
                _prize_label(results, w),
                f"{w.score}/{w.total}",
                duration_text(w.duration_ms),
            ]
            for number, w in enumerate(results.winners, start=1)
        ],
        ("CENTER", "LEFT", "LEFT", "LEFT", "CENTER", "RIGHT"),
    )
    pdf.ln(2)
    paper.line(pdf, f"(Danh sách có {len(results.winners)} người.)", size=10, style="I", align="L")
    paper.signature_block(pdf, contest)
    return paper.output(pdf)


def _prize_label(results: RoundResults, winner: Winner) -> str:
    """ "Giải Nhất", or "Giải Nhất – Bảng A" in a contest with tables."""
    tier = next(tier for tier in results.tiers if winner in tier.winners)
    return f"{tier.label} – Bảng {tier.table}" if tier.table else tier.label


# Workbooks


def _columns(sheet: Worksheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _bold_row(sheet: Worksheet) -> None:
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def results_xlsx(results: RoundResults, target: Path | str | BinaryIO) -> None:
    """The public announcement as a workbook: winners, unit ranking, figures (no phone numbers)."""
    with streamed_workbook(target) as workbook:
        with_tables = any(tier.table for tier in results.tiers)
        winners = StreamedSheet(
            workbook, "Người đạt giải", [*([30] if with_tables else []), 18, 7, 28, 40, 7, 7, 14, 30]
        )
        winners.row(
            [
                *(["Bảng"] if with_tables else []),
                "Giải",
                "Hạng",
                "Họ và tên",
                "Đơn vị",
                "Điểm",
                "Số câu",
                "Thời gian làm bài (giây)",
                "Lý do người liền trên xếp trước",
            ],
            font=BOLD,
        )
        for tier in results.tiers:
            for w in tier.winners:
                table = [tier.table_name] if with_tables else []
                winners.row(
                    [
                        *table,
                        tier.label,
                        w.rank,
                        w.name,
                        w.unit,
                        w.score,
                        w.total,
                        w.duration_ms / 1000,
                        decided_text(w),
                    ],
                    formats={6 + len(table): "0.000"},
                )
        units = StreamedSheet(workbook, "Xếp hạng đơn vị", [7, 16, 40, 14, 10, 14, 14])
        units.row(
            [
                "Hạng",
                "Mã đơn vị",
                "Đơn vị",
                "Số người tham gia",
                "Chỉ tiêu (người)",
                "Tỷ lệ tham gia",
                "Điểm trung bình",
            ],
            font=BOLD,
        )
        for row in results.units:
            shown = rate_permille(row.participants, row.headcount) / 1000  # rounded as every page rounds it
            units.row(
                [row.rank, row.code, row.name, row.participants, row.headcount, shown, round(row.avg_score, 2)],
                formats={5: "0.0%"},
            )
        figures = StreamedSheet(workbook, "Số liệu", [28, 70])
        figures.row(["Cuộc thi", results.contest.title])
        figures.row(["Đợt thi", results.round.name])
        figures.row(["Công bố ngày", _when(results)])
        for label, value in _heading_rows(results):
            figures.row([label, value])


def winners_xlsx(results: RoundResults, target: Path | str | BinaryIO) -> None:
    """The official list as a workbook, laid out like the PDF (heading, title, table, signer)."""
    contest = results.contest
    workbook, sheet = new_workbook("Danh sách đạt giải")
    widths = [6, 28, 40, 18, 8, 20]
    _columns(sheet, widths)
    moment = results.published_at or clock.now()
    heading = [
        ((contest.parent_body or "").upper(), paper.NATION, False),
        ((contest.issuer or "BAN TỔ CHỨC").upper(), paper.MOTTO, True),
        ("", paper.date_line(contest.place, moment), False),
    ]
    for left, right, bold in heading:
        sheet.append([left, None, None, right])
        row = sheet.max_row
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        sheet.merge_cells(start_row=row, start_column=4, end_row=row, end_column=6)
        for column in (1, 4):
            cell = sheet.cell(row=row, column=column)
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
            cell.font = Font(bold=bold or (column == 4 and row < 3), italic=row == 3)
    sheet.append([])
    for text, size in (("DANH SÁCH NGƯỜI ĐẠT GIẢI", 14), (f"{results.round.name} – {contest.title}", 12)):
        sheet.append([text])
        row = sheet.max_row
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
        sheet.cell(row=row, column=1).font = Font(bold=True, size=size)
        sheet.cell(row=row, column=1).alignment = Alignment(horizontal="center", wrap_text=True)
    sheet.append([])
    sheet.append(["STT", "Họ và tên", "Đơn vị", "Giải", "Điểm", DURATION_HEADING])
    _bold_row(sheet)
    for number, w in enumerate(results.winners, start=1):
        sheet.append(
            [
                number,
                w.full_name,
                w.unit,
                _prize_label(results, w),
                f"{w.score}/{w.total}",
                duration_text(w.duration_ms),
            ]
        )
    sheet.append([])
    sheet.append([None, None, None, "\n".join(paper.signer_lines(contest.signer_title))])
    signer_row = sheet.max_row
    for _ in range(4):
        sheet.append([])
    sheet.append([None, None, None, contest.signer_name])
    for row in (signer_row, sheet.max_row):
        sheet.merge_cells(start_row=row, start_column=4, end_row=row, end_column=6)
        sheet.cell(row=row, column=4).font = Font(bold=True)
        sheet.cell(row=row, column=4).alignment = Alignment(horizontal="center", wrap_text=True)
    save_workbook(workbook, target)
