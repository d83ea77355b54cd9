"""Moodle's Aiken format: the question, options "A." or "A)", then "ANSWER: B" (here also "A, C").
Questions are separated by blank lines."""

from __future__ import annotations

import re

from question_bank.messages import N_, Message
from question_bank.model import LETTERS, DraftOption, DraftQuestion, FileProblem, ReadResult
from question_bank.spreadsheet import parse_answer
from question_bank.text import clean

_OPTION = re.compile(r"^([A-Fa-f])[.)]\s+(.*)$")
_ANSWER = re.compile(r"^ANSWER\s*:\s*(.*)$", re.IGNORECASE)


def read_aiken(source: str) -> ReadResult:
    questions: list[DraftQuestion] = []
    problems: list[FileProblem] = []
    lines = source.replace("\r\n", "\n").lstrip("\ufeff").split("\n")
    index = 0
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        start = index
        text_lines: list[str] = []
        options: list[DraftOption] = []
        answer: str | None = None
        answer_line = start
        while index < len(lines) and lines[index].strip():
            line = lines[index].strip()
            option, found_answer = _OPTION.match(line), _ANSWER.match(line)
            if found_answer:
                answer, answer_line = found_answer.group(1), index + 1
            elif option and answer is None:
                options.append(DraftOption(LETTERS.index(option.group(1).upper()), clean(option.group(2))))
            elif not options and answer is None:
                text_lines.append(line)
            else:
                problems.append(FileProblem(index + 1, N_('line not in the Aiken format: "%(text)s"', text=line[:60])))
            index += 1
        number = start + 1
        text = clean(" ".join(text_lines))
        errors: list[tuple[int, Message]] = []
        if not text:
            errors.append((number, N_("the question text is missing")))
        if len(options) < 2:
            errors.append((number, N_("at least 2 options are needed, there are %(count)d", count=len(options))))
        expected = list(range(len(options)))
        if [drafted.position for drafted in options] != expected:
            errors.append((number, N_("the options must come in the order A, B, C, ...")))
        letters = parse_answer(answer) if answer is not None else None
        if answer is None:
            errors.append((number, N_('the line "ANSWER: ..." is missing')))
        elif letters is None:
            errors.append((answer_line, N_('"ANSWER: %(answer)s" is not a letter A-F', answer=answer)))
        else:
            missing = [letter for letter in letters if letter not in {drafted.letter for drafted in options}]
            if missing:
                errors.append(
                    (
                        answer_line,
                        N_("answer %(letters)s points to an option that does not exist", letters=", ".join(missing)),
                    )
                )
            for drafted in options:
                drafted.correct = drafted.letter in letters
        if errors:
            problems.extend(FileProblem(line, message) for line, message in errors)
            continue
        questions.append(DraftQuestion(line=number, text=text, options=options))
    return ReadResult(questions, problems, line_label="line")
