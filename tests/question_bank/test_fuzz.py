"""No input crashes the importer: it either reads questions or reports problems."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from question_bank.readers import read_questions
from tests.question_bank.conftest import HEADER, csv_text, xlsx_bytes

FORMATS = ["bank.csv", "bank.gift", "bank.txt", "bank.xlsx"]
cell = st.one_of(st.text(max_size=40), st.sampled_from(["A", "a,c", "Dễ", "Khó", "{", "}", "~", "=", "->", "ANSWER:"]))


def _holds(result) -> None:
    assert isinstance(result.questions, list) and isinstance(result.problems, list)
    for question in result.questions:
        assert question.text and len(question.options) >= 2
        assert any(option.correct for option in question.options)
    for problem in result.problems:
        assert problem.message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(FORMATS), data=st.binary(max_size=400))
def test_any_bytes(name: str, data: bytes) -> None:
    _holds(read_questions(name, data))


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.lists(cell, min_size=0, max_size=12), max_size=6))
def test_any_csv_rows(rows: list[list[str]]) -> None:
    _holds(read_questions("bank.csv", csv_text(rows).encode()))


xlsx_cell = cell.filter(lambda value: ILLEGAL_CHARACTERS_RE.search(value) is None)  # what Excel can hold


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.lists(xlsx_cell, min_size=len(HEADER), max_size=len(HEADER)), max_size=5))
def test_any_xlsx_rows(rows: list[list[str]]) -> None:
    _holds(read_questions("bank.xlsx", xlsx_bytes(rows)))


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab{}=~#%:->\n\\ 1$CATEGORY/")), max_size=200))
def test_any_gift_like_text(text: str) -> None:
    _holds(read_questions("bank.gift", text.encode()))
    _holds(read_questions("bank.aiken", text.encode()))
