"""Reading a question file of any supported format into draft questions and problems.

Every format goes through the same steps: parse; convert text typed in a legacy Vietnamese encoding
(or report it); sanitise the HTML; report questions repeated within the file.
"""

from __future__ import annotations

from pathlib import Path

from question_bank.aiken import read_aiken
from question_bank.gift import read_gift
from question_bank.legacy import detect_legacy
from question_bank.messages import N_
from question_bank.model import DraftQuestion, FileProblem, ReadResult
from question_bank.pictures import Pictures, check_total_pixels, embedded_pictures, open_bank_zip
from question_bank.sanitize import clean_question_html
from question_bank.spreadsheet import has_question_header, read_spreadsheet
from question_bank.tables import TableError, decode_csv, read_csv, read_workbook
from question_bank.validate import find_duplicates

FORMATS = ("auto", "xlsx", "csv", "gift", "aiken", "zip")
MAX_TOPIC_LENGTH = 200  # what a bank stores of a topic
_EXTENSIONS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".csv": "csv", ".gift": "gift", ".aiken": "aiken", ".zip": "zip"}


def guess_format(name: str, data: bytes) -> str | None:
    suffix = Path(name).suffix.lower()
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    if suffix == ".txt":
        try:
            text, _ = decode_csv(data)
        except TableError:
            return None
        if any(line.strip().upper().startswith("ANSWER:") for line in text.splitlines()):
            return "aiken"
        if "{" in text:
            return "gift"
    return None


def read_questions(
    name: str | Path, data: bytes, file_format: str = "auto", pictures: Pictures | None = None
) -> ReadResult:
    """Parse `data` (the bytes of a file called `name`); problems carry the row or line users see. A zip holds
    one question file and the pictures its rows (or GIFT's <img>) name."""
    chosen = guess_format(str(name), data) if file_format == "auto" else file_format
    try:
        if chosen == "zip" and pictures is None:
            inner_name, inner, found = open_bank_zip(data)
            return read_questions(inner_name, inner, "auto", found)
        if chosen == "xlsx":
            result = read_sheets(data, pictures or Pictures())
        elif chosen == "csv":
            result = read_spreadsheet(read_csv(data), pictures)
        elif chosen in ("gift", "aiken"):
            text, _ = decode_csv(data)
            result = read_gift(text, pictures) if chosen == "gift" else read_aiken(text)
        else:
            suffix = Path(str(name)).suffix or str(name)
            message = N_(
                "The format of '%(suffix)s' files is not recognised: use .xlsx, .csv, .gift, .txt (Aiken) or a .zip "
                "holding one of them and its pictures.",
                suffix=suffix,
            )
            return ReadResult([], [FileProblem(None, message)])
    except TableError as error:
        return ReadResult([], [FileProblem(None, error.message)])
    return finish(result)


def read_sheets(data: bytes, pictures: Pictures) -> ReadResult:
    """Every visible sheet that carries the question header (one sheet per topic is common); hidden sheets (by
    convention an old version) and visible sheets without the header are named in the report, never read in
    silence. With several sheets read, each problem names its sheet."""
    book = read_workbook(data)  # checks the archive's unpacked size and counts the cells before anything is built
    notices = [
        FileProblem(None, N_('sheet "%(sheet)s" is hidden: not read (unhide it to import it)', sheet=name))
        for name in book.hidden
    ]
    with_header = [table for table in book.sheets if has_question_header(table)]
    if not with_header:
        if len(book.sheets) == 1:
            book.sheets[0].sheet = ""
        result = read_spreadsheet(book.sheets[0], pictures)  # says which columns are missing
        result.notices = notices
        return result
    notices += [
        FileProblem(None, N_('sheet "%(sheet)s" has no question header: not read', sheet=table.sheet))
        for table in book.sheets
        if all(table is not read for read in with_header)
    ]
    several = len(with_header) > 1
    combined = ReadResult([], [], notices=notices)
    placed = {table.sheet: embedded_pictures(data, table.part) for table in with_header}
    check_total_pixels(picture.data for found in placed.values() for picture in found.values() if picture.data)
    for table in with_header:
        pictures.embedded = placed[table.sheet]
        if not several:
            table.sheet = ""
        result = read_spreadsheet(table, pictures)
        combined.questions += result.questions
        combined.problems += result.problems
    return combined


_FIELDS = {"text": "Câu hỏi", "topic": "Chủ đề", "explanation": "Giải thích"}


def _convert_legacy(question: DraftQuestion, notices: list[FileProblem], problems: list[FileProblem]) -> None:
    def convert(value: str, column: str) -> str:
        legacy = detect_legacy(value)
        if legacy is None:
            return value
        if legacy.converted is None:
            problems.append(
                FileProblem(
                    question.line,
                    N_(
                        'column "%(column)s": text typed in an old encoding (%(encoding)s) that cannot be '
                        "converted to Unicode with certainty; convert it and upload again",
                        column=column,
                        encoding=legacy.encoding,
                    ),
                )
            )
            return value
        notices.append(
            FileProblem(
                question.line,
                N_(
                    'column "%(column)s": converted from %(encoding)s to Unicode ("%(text)s")',
                    column=column,
                    encoding=legacy.encoding,
                    text=legacy.converted[:40],
                ),
            )
        )
        return legacy.converted

    for field, column in _FIELDS.items():
        setattr(question, field, convert(getattr(question, field), column))
    for option in question.options:
        option.text = convert(option.text, f"Phương án {option.letter}")


def finish(result: ReadResult) -> ReadResult:
    notices: list[FileProblem] = []
    problems = list(result.problems)
    kept: list[DraftQuestion] = []
    for question in result.questions:
        count = len(problems)
        _convert_legacy(question, notices, problems)
        question.text = clean_question_html(question.text)
        question.explanation = clean_question_html(question.explanation)
        for option in question.options:
            option.text = clean_question_html(option.text)
        if not question.text:
            problems.append(
                FileProblem(question.line, N_('column "Câu hỏi": empty once unsafe HTML is removed'), question.sheet)
            )
        if len(question.topic) > MAX_TOPIC_LENGTH:
            problems.append(
                FileProblem(
                    question.line,
                    N_('column "Chủ đề": longer than %(max)d characters', max=MAX_TOPIC_LENGTH),
                    question.sheet,
                )
            )
        empty = [option.letter for option in question.options if not option.text and option.image is None]
        if empty:
            problems.append(
                FileProblem(
                    question.line,
                    N_("option %(letters)s empty once unsafe HTML is removed", letters=", ".join(empty)),
                    question.sheet,
                )
            )
        if len(problems) == count:
            kept.append(question)
    problems += find_duplicates(kept)
    order = {sheet: index for index, sheet in enumerate(dict.fromkeys(q.sheet for q in result.questions))}
    for problem in result.problems:
        order.setdefault(problem.sheet, len(order))
    problems.sort(key=lambda problem: (order.get(problem.sheet, 0), problem.line or 0))
    return ReadResult(kept, problems, result.skipped, result.line_label, [*result.notices, *notices])
