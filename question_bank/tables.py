"""Reading spreadsheets (.xlsx) and CSV files into rows of text, with the row numbers users see."""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from question_bank.messages import N_, Message
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


def _xlsx_text(value: object, number_format: str | None) -> str:
    """A cell as the text the organizer typed, not as Excel stored it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float):
        if number_format and "%" in number_format:
            percent = value * 100
            return f"{int(percent) if percent.is_integer() else round(percent, 10)}%"
        if value.is_integer():
            return str(int(value))
        return repr(round(value, 10))
    return clean(str(value))


BROKEN_XLSX_MESSAGE = N_("The Excel file (.xlsx) cannot be opened: it is broken or not in the .xlsx format.")


def _check_archive(raw: bytes) -> None:
    """An .xlsx is a zip: refuse one that unpacks to far more than any real table before anything reads it
    (a few KB can declare gigabytes). Python's zipfile never unpacks a part beyond its declared size."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
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


def read_xlsx(raw: bytes) -> Table:
    _check_archive(raw)
    try:
        from openpyxl import load_workbook  # parses with defusedxml, which is installed

        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a broken or foreign file
        raise TableError(BROKEN_XLSX_MESSAGE) from error
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the size a sheet declares (up to 16,384 x 1,048,576) is not trusted
        # Rows are read as far as the 51st column: a value there stops the reading with a message; anything
        # further right is not read at all (each row would otherwise be as wide as its last cell).
        records: list[TableRow] = []
        for index, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS + 1), start=1):
            if index > MAX_ROWS:
                raise TableError(TOO_MANY_ROWS_MESSAGE)
            if len(row) > MAX_COLUMNS and row[MAX_COLUMNS].value not in (None, ""):
                raise TableError(TOO_MANY_COLUMNS_MESSAGE)
            cells = [_xlsx_text(cell.value, getattr(cell, "number_format", None)) for cell in row[:MAX_COLUMNS]]
            number = next((cell.row for cell in row if getattr(cell, "row", None)), None)
            if number is None:
                continue
            records.append(TableRow(number, cells))
    finally:
        workbook.close()
    return _with_header(records, "xlsx", "xlsx")


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
