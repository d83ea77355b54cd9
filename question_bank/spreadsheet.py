"""The question-bank spreadsheet layout of CONTRACT §3, read from a Table (xlsx or csv)."""

from __future__ import annotations

import html
import re

from question_bank.difficulty import parse_difficulty
from question_bank.images import DraftImage
from question_bank.messages import N_, Message
from question_bank.model import (
    FALSE_TEXT,
    LETTERS,
    TRUE_TEXT,
    DraftOption,
    DraftQuestion,
    FileProblem,
    ReadResult,
)
from question_bank.pictures import Pictures, take_picture
from question_bank.sheet_scan import MAX_MERGED_ROWS, MergedRange, column_name
from question_bank.tables import Table, TableError, TableRow, row_numbers, rows_under
from question_bank.text import comparable, header_key

# Header names as organizers write them, compared by header_key (no accents, case or spaces).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "number": ("STT", "TT", "Số thứ tự", "No"),
    "text": ("Câu hỏi", "Nội dung câu hỏi", "Nội dung", "Question"),
    **{
        f"option_{letter}": (f"Phương án {letter}", f"Đáp án {letter}", f"Lựa chọn {letter}", f"Option {letter}")
        for letter in LETTERS
    },
    "answer": ("Đáp án", "Đáp án đúng", "Answer", "Correct"),
    "topic": ("Chủ đề", "Lĩnh vực", "Topic"),
    "difficulty": ("Mức độ", "Độ khó", "Difficulty", "Level"),
    "explanation": ("Giải thích", "Explanation", "Ghi chú giải thích"),
    "kind": ("Loại câu hỏi", "Loại", "Question type", "Type"),
    "image": ("Ảnh", "Hình ảnh", "Hình", "Image", "Picture"),
    "image_alt": ("Mô tả ảnh", "Mô tả hình ảnh", "Alt text", "Image description"),
    **{f"image_{letter}": (f"Ảnh {letter}", f"Ảnh phương án {letter}", f"Image {letter}") for letter in LETTERS},
    **{
        f"image_alt_{letter}": (f"Mô tả ảnh {letter}", f"Mô tả ảnh phương án {letter}", f"Alt text {letter}")
        for letter in LETTERS
    },
}
# "Loại câu hỏi", compared without accents, case or spaces
KIND_ALIASES = {
    **dict.fromkeys(("motdapan", "single", "mot"), "single"),
    **dict.fromkeys(("nhieudapan", "multiple", "nhieu"), "multiple"),
    **dict.fromkeys(("dungsai", "dung/sai", "truefalse", "true/false", "tf"), "true_false"),
}


def parse_kind(text: str) -> str | None:
    """ "Đúng/Sai", "dung sai", "true_false", "Một đáp án", ... as a kind of question; None when it names none."""
    return KIND_ALIASES.get(header_key(text))


TRUE_ANSWERS, FALSE_ANSWERS = {"dung", "true", "t"}, {"sai", "false", "f"}
COLUMN_TITLES = {
    "text": "Câu hỏi",
    **{f"option_{letter}": f"Phương án {letter}" for letter in LETTERS},
    "answer": "Đáp án",
    "topic": "Chủ đề",
    "difficulty": "Mức độ",
    "explanation": "Giải thích",
    "kind": "Loại câu hỏi",
    "image": "Ảnh",
    "image_alt": "Mô tả ảnh",
    **{f"image_{letter}": f"Ảnh {letter}" for letter in LETTERS},
    **{f"image_alt_{letter}": f"Mô tả ảnh {letter}" for letter in LETTERS},
}
EXCEL_ERROR = "#VALUE!"  # what a picture placed *in* a cell (Excel 365's "Place in Cell") reads as
REQUIRED = ("text", "option_A", "option_B", "answer")
# The header of CONTRACT §3 with four options (E and F are added where a bank uses them).
STANDARD_HEADER = [
    "STT",
    "Câu hỏi",
    "Phương án A",
    "Phương án B",
    "Phương án C",
    "Phương án D",
    "Đáp án",
    "Chủ đề",
    "Mức độ",
    "Giải thích",
]
_ANSWER_SPLIT = re.compile(r"[\s,;/]+")
_ALIAS_LOOKUP = {header_key(alias): field for field, aliases in COLUMN_ALIASES.items() for alias in aliases}


def map_columns(headers: list[str]) -> dict[str, int]:
    """Each field's column (the first that names it)."""
    columns: dict[str, int] = {}
    for field, indexes in _columns_by_field(headers).items():
        columns[field] = indexes[0]
    return columns


def _columns_by_field(headers: list[str]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for index, header in enumerate(headers):
        field = _ALIAS_LOOKUP.get(header_key(header))
        if field:
            found.setdefault(field, []).append(index)
    return found


def header_problems(headers: list[str]) -> list[Message]:
    """A header where two columns could hold the same field ("Nội dung" and "Câu hỏi" are both the question's
    text) cannot be read one way in silence."""
    problems: list[Message] = []
    for field, indexes in _columns_by_field(headers).items():
        if len(indexes) > 1:
            problems.append(
                N_(
                    'the columns %(columns)s could each be "%(field)s": keep one of them under that name and rename '
                    'the others (for example "Phần" for a section)',
                    columns=", ".join(f'"{headers[index]}" ({column_name(index)})' for index in indexes),
                    field=COLUMN_TITLES.get(field, field),
                )
            )
    return problems


def parse_answer(text: str) -> list[str] | None:
    """Answer letters ("A", "a, c", "B;D", "A C"), or None when something else is written."""
    letters = [piece.upper() for piece in _ANSWER_SPLIT.split(text.strip()) if piece]
    if not letters or any(len(letter) != 1 or letter not in LETTERS for letter in letters):
        compact = text.strip().upper()
        # "AC" written without separators
        if compact and all(ch in LETTERS for ch in compact) and len(set(compact)) == len(compact):
            return list(compact)
        return None
    return letters


def answer_by_text(answer: str, options: list[tuple[str, str]]) -> tuple[list[str] | None, Message | None]:
    """The letters an "Đáp án" cell names: letters are letters, and an answer equal to the text of exactly one
    option (`options`: letter, text as typed) is that option. An answer that reads both ways, or as the text of
    several options, is a problem naming the readings."""
    letters = parse_answer(answer)
    wanted = comparable(answer)
    by_text = [letter for letter, text in options if text and comparable(text) == wanted]
    if letters is not None and by_text and by_text != letters:
        return None, N_(
            'column "Đáp án": "%(answer)s" could be the letter(s) %(letters)s or the text of option %(option)s; '
            "write the letter(s) alone",
            answer=answer,
            letters=", ".join(letters),
            option=", ".join(by_text),
        )
    if letters is not None:
        return letters, None
    if len(by_text) > 1:
        return None, N_(
            'column "Đáp án": "%(answer)s" is the text of options %(options)s: write the letter(s)',
            answer=answer,
            options=", ".join(by_text),
        )
    if by_text:
        return by_text, None
    return None, N_('column "Đáp án": "%(answer)s" is not a letter A-F nor the text of an option', answer=answer)


def _find_header(table: Table, search_rows: int = 20) -> Table:
    """Offices often put a title above the header: take the first row that names the required columns."""
    if all(field in map_columns(table.headers) for field in REQUIRED):
        return table
    for index, record in enumerate(table.rows[:search_rows]):
        if all(field in map_columns(record.cells) for field in REQUIRED):
            return Table(
                record.cells,
                record.number,
                table.rows[index + 1 :],
                table.kind,
                table.encoding,
                table.sheet,
                table.part,
                table.merged,
            )
    return table


def has_question_header(table: Table) -> bool:
    """Whether the table (a sheet) names the question columns in its first rows."""
    return all(field in map_columns(_find_header(table).headers) for field in REQUIRED)


def read_spreadsheet(table: Table, pictures: Pictures | None = None) -> ReadResult:
    table = _find_header(table)
    columns = map_columns(table.headers)
    missing = [COLUMN_TITLES[field] for field in REQUIRED if field not in columns]
    sheet = table.sheet
    merged_header = _merged_header(table)
    if merged_header:
        return ReadResult([], [FileProblem(table.header_row, message, sheet) for message in merged_header])
    if missing:
        message = N_("missing column(s) %(columns)s", columns=", ".join(f'"{name}"' for name in missing))
        return ReadResult([], [FileProblem(table.header_row, message, sheet)])
    header = header_problems(table.headers)
    if header:
        return ReadResult([], [FileProblem(table.header_row, message, sheet) for message in header])
    read_columns = {index for field, index in columns.items() if field != "number"}
    try:
        across = _merged_across_by_row(table, read_columns)
    except TableError as error:
        return ReadResult([], [FileProblem(None, error.message, sheet)])
    questions: list[DraftQuestion] = []
    problems: list[FileProblem] = []
    for record in table.rows:
        row_problems: list[Message] = _row_as_written(record, table, read_columns, across.get(record.number, []))

        def cell(field: str) -> str:
            return record.get(columns.get(field))  # noqa: B023 - used within this iteration only

        def text_cell(field: str) -> str:
            """A cell of text a participant reads: what the organizer typed, as text (a "<" stays a "<"),
            or its formatted runs (bold, italic, ...) as the few tags a question may carry."""
            column = columns.get(field)
            if column is not None and column in record.rich:  # noqa: B023
                return record.rich[column]  # noqa: B023
            return html.escape(cell(field), quote=False)

        def picture(image_field: str, alt_field: str) -> tuple[DraftImage | None, list[Message]]:
            name, column = cell(image_field), columns.get(image_field)
            if name == EXCEL_ERROR:
                column_title = COLUMN_TITLES[image_field]
                return None, [
                    N_(
                        'column "%(column)s": a picture placed in the cell cannot be read; choose Place over Cells, '
                        "or write the file's name and upload a .zip with the pictures",
                        column=column_title,
                    )
                ]
            embedded = pictures.embedded.get((record.number, column)) if pictures and column is not None else None  # noqa: B023
            return take_picture(pictures, name, cell(alt_field), embedded)

        def has_picture(image_field: str) -> bool:
            column = columns.get(image_field)
            return bool(cell(image_field)) or bool(
                pictures and column is not None and (record.number, column) in pictures.embedded  # noqa: B023
            )

        text = text_cell("text")
        if not text:
            row_problems.append(N_('column "Câu hỏi": the question text is missing'))
        kind_text = cell("kind")
        kind = KIND_ALIASES.get(header_key(kind_text)) if kind_text else None
        if kind_text and kind is None:
            row_problems.append(
                N_('column "Loại câu hỏi": "%(value)s" is not Một đáp án / Nhiều đáp án / Đúng/Sai', value=kind_text)
            )
        question_image, image_problems = picture("image", "image_alt")
        row_problems += image_problems
        options = []
        for position, letter in enumerate(LETTERS):
            if cell(f"option_{letter}") or has_picture(f"image_{letter}"):
                option_image, image_problems = picture(f"image_{letter}", f"image_alt_{letter}")
                row_problems += [N_("option %(letter)s: %(problem)s", letter=letter, problem=p) for p in image_problems]
                options.append(DraftOption(position, text_cell(f"option_{letter}"), image=option_image))
        if kind == "true_false" and not options:  # the two options go without saying
            options = [DraftOption(0, TRUE_TEXT), DraftOption(1, FALSE_TEXT)]
        if kind == "true_false" and [option.text for option in options] != [TRUE_TEXT, FALSE_TEXT]:
            row_problems.append(
                N_('column "Loại câu hỏi": a Đúng/Sai question has the options "Đúng" and "Sai" (or none written)')
            )
        if len(options) < 2:
            row_problems.append(N_("at least 2 options are needed, there are %(count)d", count=len(options)))
        last_filled = max((option.position for option in options), default=-1)
        gaps = [
            letter
            for letter in LETTERS[:last_filled]
            if not cell(f"option_{letter}") and not has_picture(f"image_{letter}")
        ]
        if gaps and kind != "true_false":  # re-lettering would turn the file's "C" into "B"
            row_problems.append(
                N_(
                    'option %(empty)s is empty but a later option is filled: fill the options from "Phương án A" '
                    "without gaps",
                    empty=", ".join(gaps),
                )
            )
        answer_text = cell("answer")
        spoken = header_key(answer_text)
        answer_problem: Message | None = None
        if kind == "true_false" and spoken in TRUE_ANSWERS | FALSE_ANSWERS:
            letters: list[str] | None = ["A" if spoken in TRUE_ANSWERS else "B"]
        else:
            typed = [(option.letter, cell(f"option_{option.letter}")) for option in options]
            letters, answer_problem = answer_by_text(answer_text, typed)
        if not answer_text:
            row_problems.append(N_('column "Đáp án": the answer is missing'))
        elif letters is None:
            row_problems.append(
                answer_problem or N_('column "Đáp án": "%(answer)s" is not a letter A-F', answer=answer_text)
            )
        else:
            filled = {option.letter for option in options}
            empty = [letter for letter in letters if letter not in filled]
            if empty:
                row_problems.append(
                    N_('column "Đáp án": answer %(letters)s points to an empty option', letters=", ".join(empty))
                )
            elif kind in ("single", "true_false") and len(letters) > 1:
                row_problems.append(
                    N_(
                        'column "Đáp án": a %(kind)s question has one answer, not %(count)d',
                        kind=kind_text,
                        count=len(letters),
                    )
                )
            for option in options:
                option.correct = option.letter in letters
        difficulty = "medium"
        if "difficulty" in columns:
            difficulty_text = cell("difficulty")
            parsed = parse_difficulty(difficulty_text)
            if not difficulty_text:
                row_problems.append(N_('column "Mức độ": the difficulty is missing (Dễ / Trung bình / Khó)'))
            elif parsed is None:
                row_problems.append(
                    N_('column "Mức độ": "%(value)s" is not Dễ / Trung bình / Khó', value=difficulty_text)
                )
            else:
                difficulty = parsed
        if row_problems:
            problems.extend(FileProblem(record.number, message, sheet) for message in row_problems)
            continue
        questions.append(
            DraftQuestion(
                line=record.number,
                text=text,
                options=options,
                topic=cell("topic"),
                difficulty=difficulty,
                explanation=text_cell("explanation"),
                image=question_image,
                sheet=sheet,
            )
        )
    return ReadResult(questions, problems)


def _merged_header(table: Table) -> list[Message]:
    """A header cell merged over several columns ("Phương án" over C:F) names none of them."""
    return [
        N_(
            'the header "%(name)s" is merged over the cells %(cells)s: give each column its own header '
            '("Phương án A", "Phương án B", ...)',
            name=next((cell for cell in table.headers[merged.min_col : merged.max_col + 1] if cell), ""),
            cells=str(merged),
        )
        for merged in table.merged
        if merged.across and merged.min_row <= table.header_row <= merged.max_row
    ]


def _merged_across_by_row(table: Table, read_columns: set[int]) -> dict[int, list[MergedRange]]:
    """Row number -> the ranges merged across columns over the question fields that cover it (below the header)."""
    by_row: dict[int, list[MergedRange]] = {}
    budget, numbers = [MAX_MERGED_ROWS], row_numbers(table)
    for merged in table.merged:
        if not merged.across or merged.min_row <= table.header_row:
            continue
        if not any(merged.min_col <= column <= merged.max_col for column in read_columns):
            continue
        for row in rows_under(table, merged, budget, numbers):
            by_row.setdefault(row.number, []).append(merged)
    return by_row


def _row_as_written(
    record: TableRow, table: Table, read_columns: set[int], merged_across: list[MergedRange]
) -> list[Message]:
    """What keeps a row from being read as the organizer sees it: hidden (withdrawn, or only collapsed?), cells
    merged across columns, a number whose format cannot be shown with certainty."""
    problems: list[Message] = []
    if record.hidden:
        problems.append(
            N_(
                "the row is hidden in Excel: unhide it to import it, or delete it if the question was withdrawn "
                "(a hidden row is never imported in silence)"
            )
        )
    for merged in merged_across:
        problems.append(
            N_(
                "the cells %(cells)s are merged across columns: unmerge them and put each value in its column",
                cells=str(merged),
            )
        )
    for column, number_format in sorted(record.unclear.items()):
        if column in read_columns:
            problems.append(
                N_(
                    'column "%(column)s": a number in the format "%(format)s", which may not read as you see it; '
                    "type the value as text (format the cell as Text)",
                    column=table.headers[column] if column < len(table.headers) else column_name(column),
                    format=number_format,
                )
            )
    return problems
