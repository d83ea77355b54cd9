"""Files as organizers really send them (tests/question_bank/organizer_files.py): each read exactly as its author
meant it, or refused by row or line, never read wrong in silence; small hostile files refused quickly, never a 500."""

from __future__ import annotations

import time

import pytest

from question_bank.readers import read_questions
from tests.question_bank.organizer_files import CASES, HOSTILE, Case


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_file_reads_as_its_author_meant_it_or_is_refused_by_row(case: Case) -> None:
    result = read_questions(case.name, case.build())
    problems = [(problem.line, str(problem.message)) for problem in result.problems]
    if case.problems:
        assert len(problems) == len(case.problems), problems
        for (line, message), (expected_line, words) in zip(problems, case.problems, strict=True):
            assert line == expected_line and words in message, (line, message)
        return
    assert problems == []
    read = [(q.text, [(o.text, o.correct) for o in q.options], q.topic) for q in result.questions]
    assert read == case.questions
    notices = [str(notice.message) for notice in result.notices]
    for words in case.notices:
        assert any(words in notice for notice in notices), notices


@pytest.mark.parametrize(("name", "build", "words"), HOSTILE, ids=[name for name, _, _ in HOSTILE])
def test_a_small_hostile_file_is_refused_quickly_with_a_message(name, build, words) -> None:  # type: ignore[no-untyped-def]
    data = build()
    started = time.perf_counter()
    result = read_questions(name, data)
    spent = time.perf_counter() - started
    assert result.questions == [] and len(result.problems) == 1
    assert result.problems[0].line is None and words in str(result.problems[0].message)
    assert spent < 3, f"{name}: {spent:.1f} s"  # under a second here; room for a busy machine


@pytest.mark.parametrize(
    "name",
    [
        "broken-sheet-xml.xlsx",
        "corrupt-zip-stream.xlsx",
        "cells-without-coordinates.xlsx",
        "merged-to-the-last-row.xlsx",
    ],
)
def test_the_unit_and_staff_list_readers_refuse_the_same_files_with_a_message(name: str) -> None:
    from question_bank.tables import TableError, read_table

    build = next(build for hostile, build, _ in HOSTILE if hostile == name)
    with pytest.raises(TableError) as refused:
        read_table(name, build())
    assert str(refused.value.message)


def test_trailing_line_breaks_in_gift_html_take_linear_time() -> None:
    from tests.question_bank.organizer_files import gift_of_trailing_breaks

    started = time.perf_counter()
    result = read_questions("hostile.gift", gift_of_trailing_breaks())
    assert time.perf_counter() - started < 1 and result.problems == []
    assert result.questions[0].text.startswith("Câu hỏi<br>") and result.questions[0].text.endswith("x")
