"""Reading spreadsheets (.xlsx) and CSV files into rows of text, with the row numbers users see."""

from __future__ import annotations

import bisect
import csv
import io
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defusedxml.ElementTree import ParseError
from openpyxl.cell.rich_text import CellRichText

from question_bank.cell_text import UnclearNumber, rich_html, shown_text
from question_bank.messages import N_, Message
from question_bank.sheet_scan import (
    MAX_MERGED_ROWS,
    TOO_MANY_MERGED_ROWS_MESSAGE,
    CellBudget,
    MergedRange,
    ScanError,
    SheetFacts,
    count_shared_strings,
    scan_sheet,
)
from question_bank.text import clean

CSV_ENCODINGS_REFUSED_MESSAGE = N_(
    "The CSV file cannot be read as UTF-8 or Windows-1258. "
    "Open it in Excel and save it again as 'CSV UTF-8 (Comma delimited)'."
)
EMPTY_FILE_MESSAGE = N_("The file is empty: it has no header row.")


class TableError(ValueError):
    """The file as a whole cannot be read (wrong type, broken, empty)."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass
class TableRow:
    number: int  # the row number Excel shows, or the CSV line where the record starts
    cells: list[str]
    hidden: bool = False  # a row hidden in Excel (withdrawn, or only collapsed)
    rich: dict[int, str] = field(default_factory=dict)  # column -> the cell's text as HTML, where runs are formatted
    unclear: dict[int, str] = field(default_factory=dict)  # column -> the number format that cannot be shown

    def get(self, index: int | None) -> str:
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index]

    def is_blank(self) -> bool:
        return not any(cell.strip() for cell in self.cells)


@dataclass
class Table:
    headers: list[str]
    header_row: int
    rows: list[TableRow] = field(default_factory=list)
    kind: str = "csv"  # "csv" or "xlsx": problems say "row" for both, as CONTRACT §3 does
    encoding: str = "utf-8"
    sheet: str = ""  # the sheet's name (xlsx)
    part: str = ""  # the sheet's path inside the workbook (xlsx), where its pictures are found
    merged: list[MergedRange] = field(default_factory=list)


# Far beyond any real bank, unit tree or staff list, and within what one request should read.
MAX_ROWS, MAX_COLUMNS = 100_000, 50
MAX_XLSX_UNPACKED, MAX_XLSX_PARTS = 100_000_000, 1_000
TOO_MANY_ROWS_MESSAGE = N_("The file has more than %(max)d rows: split it into several files.", max=MAX_ROWS)
TOO_MANY_COLUMNS_MESSAGE = N_("The file has more than %(max)d columns: keep only the table's columns.", max=MAX_COLUMNS)

# The files read_table reads, by suffix; forms that take a table accept these.
XLSX_SUFFIXES, CSV_SUFFIXES = ("xlsx", "xlsm"), ("csv", "txt")
TABLE_SUFFIXES = XLSX_SUFFIXES + CSV_SUFFIXES


def read_table(path: Path | str, data: bytes | None = None) -> Table:
    """Read a .csv or .xlsx file; `data` may hold the bytes of an upload named `path`."""
    path = Path(path)
    raw = data if data is not None else path.read_bytes()
    suffix = path.suffix.lower()
    if suffix.lstrip(".") in XLSX_SUFFIXES:
        return read_xlsx(raw)
    if suffix.lstrip(".") in CSV_SUFFIXES:
        return read_csv(raw)
    raise TableError(N_("Files of type '%(suffix)s' are not supported: use .xlsx or .csv.", suffix=suffix or path.name))


def decode_csv(raw: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in: UTF-8 (with or without BOM),
    UTF-16 with BOM, or Windows-1258 (Excel's "CSV" on Vietnamese Windows)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:  # a UTF-16 mark, then an odd number of bytes or a broken pair
            raise TableError(CSV_ENCODINGS_REFUSED_MESSAGE) from error
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1258")
    except UnicodeDecodeError as error:
        raise TableError(CSV_ENCODINGS_REFUSED_MESSAGE) from error
    return unicodedata.normalize("NFC", text), "cp1258"


def read_csv(raw: bytes) -> Table:
    text, encoding = decode_csv(raw)
    if not text.strip():
        raise TableError(EMPTY_FILE_MESSAGE)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[TableRow] = []
    line = 1
    try:
        for cells in reader:
            if len(records) >= MAX_ROWS:
                raise TableError(TOO_MANY_ROWS_MESSAGE)
            if len(cells) > MAX_COLUMNS and any(cell.strip() for cell in cells[MAX_COLUMNS:]):
                raise TableError(TOO_MANY_COLUMNS_MESSAGE)
            records.append(TableRow(line, [clean(cell) for cell in cells[:MAX_COLUMNS]]))
            line = reader.line_num + 1
    except csv.Error as error:
        raise TableError(
            N_("line %(line)d: the CSV file is broken (%(error)s).", line=reader.line_num, error=str(error))
        ) from error
    return _with_header(records, "csv", encoding)


BROKEN_XLSX_MESSAGE = N_("The Excel file (.xlsx) cannot be opened: it is broken or not in the .xlsx format.")
NO_VISIBLE_SHEET_MESSAGE = N_("The workbook has no visible sheet: unhide the sheet that holds the table.")
_READ_ERRORS = (ParseError, zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, ValueError, TypeError)


def _check_archive(raw: bytes) -> zipfile.ZipFile:
    """An .xlsx is a zip: refuse one that unpacks to far more than any real table before anything reads it
    (a few KB can declare gigabytes). Python's zipfile never unpacks a part beyond its declared size."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise TableError(BROKEN_XLSX_MESSAGE) from error
    if len(parts) > MAX_XLSX_PARTS or sum(part.file_size for part in parts) > MAX_XLSX_UNPACKED:
        raise TableError(
            N_(
                "The Excel file unpacks to more than %(megabytes)d MB: save only the table in a new workbook.",
                megabytes=MAX_XLSX_UNPACKED // 1_000_000,
            )
        )
    return archive


@dataclass
class Workbook:
    """The visible sheets of a workbook, read, and the names of those left unread because they are hidden."""

    sheets: list[Table]
    hidden: list[str] = field(default_factory=list)


def read_xlsx(raw: bytes, *, as_shown: bool = False) -> Table:
    """The first visible sheet of a workbook (units, staff lists): numbers as numbers."""
    book = read_workbook(raw, as_shown=as_shown, first_only=True)
    return book.sheets[0]


def read_workbook(raw: bytes, *, as_shown: bool = True, first_only: bool = False) -> Workbook:
    """Every visible sheet of a workbook as a table (or the first with `first_only`). Each sheet's XML is scanned
    as a stream first: its cells are counted against one cap for the workbook, its hidden rows and merged ranges
    noted (a merged range gives its value to every row it covers). With `as_shown`, cells read as Excel shows them
    (question banks), else numbers as plain numbers (units, staff lists)."""
    archive = _check_archive(raw)
    try:
        from openpyxl import load_workbook  # parses with defusedxml, which is installed

        names = set(archive.namelist())
        strings = "xl/sharedStrings.xml"
        if strings in names:
            count_shared_strings(archive, strings, CellBudget())
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True, rich_text=as_shown)
    except ScanError as error:
        raise TableError(error.message) from error
    except Exception as error:  # openpyxl raises many types for a broken or foreign file
        raise TableError(BROKEN_XLSX_MESSAGE) from error
    try:
        book = Workbook([])
        budget = CellBudget()
        for sheet in workbook.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                book.hidden.append(sheet.title)
                continue
            if first_only and book.sheets:
                continue
            part = str(getattr(sheet, "_worksheet_path", ""))
            facts = scan_sheet(archive, part, sheet.title, budget) if part in names else SheetFacts()
            table = _read_sheet(sheet, facts, as_shown)
            table.sheet, table.part = sheet.title, part
            book.sheets.append(table)
    except ScanError as error:
        raise TableError(error.message) from error
    except TableError:
        raise
    except _READ_ERRORS as error:  # broken XML after the part openpyxl checked, a corrupt deflate stream
        raise TableError(BROKEN_XLSX_MESSAGE) from error
    finally:
        workbook.close()
        archive.close()
    if not book.sheets:
        raise TableError(NO_VISIBLE_SHEET_MESSAGE)
    return book


def _read_sheet(sheet: Any, facts: SheetFacts, as_shown: bool) -> Table:
    sheet.reset_dimensions()  # the size a sheet declares (up to 16,384 x 1,048,576) is not trusted
    # Rows are read as far as the 51st column: a value there stops the reading with a message; anything
    # further right is not read at all (each row would otherwise be as wide as its last cell).
    records: list[TableRow] = []
    for index, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS + 1), start=1):
        if index > MAX_ROWS:
            raise TableError(TOO_MANY_ROWS_MESSAGE)
        if len(row) > MAX_COLUMNS and row[MAX_COLUMNS].value not in (None, ""):
            raise TableError(TOO_MANY_COLUMNS_MESSAGE)
        number = next((cell.row for cell in row if getattr(cell, "row", None)), None)
        if number is None:
            continue
        record = TableRow(number, [], hidden=number in facts.hidden_rows)
        for column, cell in enumerate(row[:MAX_COLUMNS]):
            record.cells.append(_cell_text(cell, column, record, as_shown))
            if as_shown and (number, column) in facts.rich:
                record.rich[column] = facts.rich[(number, column)]
        records.append(record)
    table = _with_header(records, "xlsx", "xlsx")
    table.merged = facts.merged
    _fill_merged(table, facts.merged)
    return table


def _cell_text(cell: Any, column: int, record: TableRow, as_shown: bool) -> str:
    value, number_format = cell.value, getattr(cell, "number_format", None)
    if not as_shown:
        return _plain_text(value)
    if isinstance(value, CellRichText):
        formatted = rich_html(value)
        if formatted is not None:
            record.rich[column] = formatted
    try:
        return shown_text(value, number_format)
    except UnclearNumber as unclear:
        record.unclear[column] = unclear.number_format
        return _plain_text(value)


def _plain_text(value: object) -> str:
    """A cell as the text the organizer typed, numbers written plainly (units, staff lists)."""
    if isinstance(value, float) and not value.is_integer():
        return repr(round(value, 10))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(int(value))
    return shown_text(value, None)


def row_numbers(table: Table) -> list[int]:
    """The table's row numbers, ascending (worked out once per sheet, not once per merged range)."""
    return [row.number for row in table.rows]


def rows_under(table: Table, merged: MergedRange, budget: list[int], numbers: list[int]) -> list[TableRow]:
    """The table's rows a merged range covers (only rows that exist: a range may reach row 1,048,576); each one
    counts against `budget` (one list shared by the sheet's ranges), past which the sheet is refused. `numbers`:
    row_numbers(table)."""
    start = bisect.bisect_left(numbers, merged.min_row)
    end = bisect.bisect_right(numbers, merged.max_row)
    budget[0] -= end - start
    if budget[0] < 0:
        raise TableError(TOO_MANY_MERGED_ROWS_MESSAGE)
    return table.rows[start:end]


def _fill_merged(table: Table, ranges: list[MergedRange]) -> None:
    """Down a column, a merged range's value (its top-left cell) belongs to every row below it that the range covers
    and that has content of its own (a topic merged over its questions); ranges across columns are left to the
    reader, which refuses them where they hold its fields."""
    budget, numbers = [MAX_MERGED_ROWS], row_numbers(table)
    for merged in ranges:
        if merged.across or merged.max_row == merged.min_row or merged.min_row < table.header_row:
            continue
        covered = rows_under(table, merged, budget, numbers)
        if not covered or covered[0].number != merged.min_row:
            continue
        top = covered[0]
        value, rich = top.get(merged.min_col), top.rich.get(merged.min_col)
        for row in covered[1:]:
            while len(row.cells) <= merged.min_col:
                row.cells.append("")
            if not row.cells[merged.min_col]:
                row.cells[merged.min_col] = value
                if rich is not None:
                    row.rich[merged.min_col] = rich


def _with_header(records: list[TableRow], kind: str, encoding: str) -> Table:
    """The first non-blank row is the header; blank rows after it are dropped."""
    body = iter(records)
    for record in body:
        if not record.is_blank():
            headers = list(record.cells)
            while headers and not headers[-1]:
                headers.pop()
            rows = [row for row in body if not row.is_blank()]
            return Table(headers=headers, header_row=record.number, rows=rows, kind=kind, encoding=encoding)
    raise TableError(EMPTY_FILE_MESSAGE)
