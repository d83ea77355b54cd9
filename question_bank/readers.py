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
from question_bank.pictures import Pictures, embedded_pictures, open_bank_zip
from question_bank.sanitize import clean_question_html
from question_bank.spreadsheet import read_spreadsheet
from question_bank.tables import TableError, decode_csv, read_csv, read_xlsx
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
            table = read_xlsx(data)  # checks the archive's unpacked size before anything else reads it
            pictures = pictures or Pictures()
            pictures.embedded = embedded_pictures(data)
            result = read_spreadsheet(table, pictures)
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
            problems.append(FileProblem(question.line, N_('column "Câu hỏi": empty once unsafe HTML is removed')))
        if len(question.topic) > MAX_TOPIC_LENGTH:
            problems.append(
                FileProblem(
                    question.line,
                    N_('column "Chủ đề": longer than %(max)d characters', max=MAX_TOPIC_LENGTH),
                )
            )
        empty = [option.letter for option in question.options if not option.text and option.image is None]
        if empty:
            problems.append(
                FileProblem(
                    question.line, N_("option %(letters)s empty once unsafe HTML is removed", letters=", ".join(empty))
                )
            )
        if len(problems) == count:
            kept.append(question)
    problems += find_duplicates(kept)
    problems.sort(key=lambda problem: problem.line or 0)
    return ReadResult(kept, problems, result.skipped, result.line_label, notices)
