"""Moodle's Aiken format, read as Moodle reads it (question/format/aiken/format.php): the question, options
"A." or "A)" (the space after them optional), then "ANSWER: B" (here also "A, C", and "B." with its period). A
question runs to its ANSWER line: blank lines before the options are allowed; line ends may be CR LF, LF or CR.
Text is plain text: a "<" stays a "<"."""

from __future__ import annotations

import html
import re

from question_bank.messages import N_, Message
from question_bank.model import LETTERS, DraftOption, DraftQuestion, FileProblem, ReadResult
from question_bank.spreadsheet import parse_answer
from question_bank.text import clean

# Upper-case letters as Moodle takes them, the space optional ("A.Có"); a lower-case letter needs its space.
_OPTION = re.compile(r"^(?:([A-F])[.)]\s*|([a-f])[.)]\s+)(.*)$")
_ANSWER = re.compile(r"^ANSWER\s*:\s*(.*?)\s*\.?\s*$", re.IGNORECASE)


class _Draft:
    def __init__(self, line: int) -> None:
        self.line = line
        self.text_lines: list[str] = []
        self.options: list[DraftOption] = []
        self.answer: str | None = None
        self.answer_line = line


def read_aiken(source: str) -> ReadResult:
    questions: list[DraftQuestion] = []
    problems: list[FileProblem] = []
    lines = re.split(r"\r\n|\r|\n", source.lstrip("\ufeff"))
    current: _Draft | None = None
    blank_before = False
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            blank_before = True
            continue
        option, found_answer = _OPTION.match(line), _ANSWER.match(line)
        if current is not None and current.options and blank_before and not option and not found_answer:
            _finish(current, questions, problems)  # its ANSWER line is missing: this line starts the next question
            current = None
        blank_before = False
        if current is None:
            current = _Draft(number)
            current.text_lines.append(line)
            continue
        if found_answer:
            current.answer, current.answer_line = found_answer.group(1), number
            _finish(current, questions, problems)
            current = None
        elif option:
            letter = (option.group(1) or option.group(2)).upper()
            current.options.append(DraftOption(LETTERS.index(letter), html.escape(clean(option.group(3)), quote=False)))
        elif not current.options:
            current.text_lines.append(line)
        else:
            problems.append(FileProblem(number, N_('line not in the Aiken format: "%(text)s"', text=line[:60])))
    if current is not None:
        _finish(current, questions, problems)
    return ReadResult(questions, problems, line_label="line")


def _finish(draft: _Draft, questions: list[DraftQuestion], problems: list[FileProblem]) -> None:
    number = draft.line
    text = html.escape(clean(" ".join(draft.text_lines)), quote=False)
    options = draft.options
    errors: list[tuple[int, Message]] = []
    if not text:
        errors.append((number, N_("the question text is missing")))
    if len(options) < 2:
        errors.append((number, N_("at least 2 options are needed, there are %(count)d", count=len(options))))
    if [drafted.position for drafted in options] != list(range(len(options))):
        errors.append((number, N_("the options must come in the order A, B, C, ...")))
    answer = draft.answer
    letters = parse_answer(answer) if answer is not None else None
    if answer is None:
        errors.append((number, N_('the line "ANSWER: ..." is missing')))
    elif letters is None:
        errors.append((draft.answer_line, N_('"ANSWER: %(answer)s" is not a letter A-F', answer=answer)))
    else:
        missing = [letter for letter in letters if letter not in {drafted.letter for drafted in options}]
        if missing:
            errors.append(
                (
                    draft.answer_line,
                    N_("answer %(letters)s points to an option that does not exist", letters=", ".join(missing)),
                )
            )
        for drafted in options:
            drafted.correct = drafted.letter in letters
    if errors:
        problems.extend(FileProblem(line, message) for line, message in errors)
        return
    questions.append(DraftQuestion(line=number, text=text, options=options))
