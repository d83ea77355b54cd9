"""`flask bank import` and `flask bank export` (CONTRACT §2)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from contest.models import Option, Question, QuestionBank
from tests.helpers import DEMO_DATA
from tests.question_bank.conftest import row, xlsx_bytes
from tests.question_bank.test_gift_aiken import AIKEN, GIFT


def _count(session) -> int:
    return session.scalar(select(func.count(Question.id)))


def _file(tmp_path: Path, name: str, data: bytes | str) -> str:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return str(path)


def test_import_sample_bank(runner, session) -> None:
    result = runner.invoke(args=["bank", "import", str(DEMO_DATA / "sample_bank.xlsx"), "--bank", "CĐS 2026"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == 'imported 120 questions into bank "CĐS 2026"'
    assert _count(session) == 120
    assert session.scalar(select(func.count(Option.id))) == 480
    assert session.scalar(select(func.count(Question.id)).where(Question.multiple.is_(True))) == 10
    by_difficulty = dict(session.execute(select(Question.difficulty, func.count()).group_by(Question.difficulty)).all())
    assert by_difficulty == {"easy": 40, "medium": 50, "hard": 30}


def test_csv_import_gives_the_same_bank(runner, session) -> None:
    result = runner.invoke(args=["bank", "import", str(DEMO_DATA / "sample_bank.csv"), "--bank", "CSV"])
    assert result.exit_code == 0, result.output
    assert _count(session) == 120


def test_bad_file_imports_nothing_and_lists_every_problem(runner, session, tmp_path) -> None:
    data = xlsx_bytes([row(1, "Câu tốt?"), row(2, "", answer="A"), row(3, "Câu ba?", answer="E")])
    result = runner.invoke(args=["bank", "import", _file(tmp_path, "bad.xlsx", data), "--bank", "B"])
    assert result.exit_code == 1
    assert 'row 3: column "Câu hỏi": the question text is missing' in result.output
    assert 'row 4: column "Đáp án": answer E points to an empty option' in result.output
    assert "imported" not in result.output.replace("nothing was imported", "")
    assert _count(session) == 0 and session.scalar(select(QuestionBank.id)) is None


def test_duplicates_of_questions_already_in_the_bank_are_refused(runner, session) -> None:
    runner.invoke(args=["bank", "import", str(DEMO_DATA / "sample_bank.xlsx"), "--bank", "CĐS"])
    again = runner.invoke(args=["bank", "import", str(DEMO_DATA / "sample_bank.csv"), "--bank", "CĐS"])
    assert again.exit_code == 1
    assert "row 2: the same question is already in the bank (question 1)" in again.output
    assert _count(session) == 120
    other = runner.invoke(args=["bank", "import", str(DEMO_DATA / "sample_bank.csv"), "--bank", "Khác"])
    assert other.exit_code == 0 and _count(session) == 240


def test_dry_run_checks_and_imports_nothing(runner, session) -> None:
    result = runner.invoke(args=["bank", "import", str(DEMO_DATA / "sample_bank.xlsx"), "--bank", "X", "--dry-run"])
    assert result.exit_code == 0
    assert 'dry run: 120 questions would be imported into bank "X"' in result.output
    assert _count(session) == 0 and session.scalar(select(QuestionBank.id)) is None


def test_gift_other_types_are_problems_unless_skipped(runner, session, tmp_path) -> None:
    path = _file(tmp_path, "bank.gift", GIFT)
    refused = runner.invoke(args=["bank", "import", path, "--bank", "G"])
    assert refused.exit_code == 1
    assert "line 23: Short answer questions are not supported yet" in refused.output
    assert "line 21:" not in refused.output  # true/false is read now
    assert _count(session) == 0
    skipped = runner.invoke(args=["bank", "import", path, "--bank", "G", "--skip-unsupported"])
    assert skipped.exit_code == 0, skipped.output
    assert "skipped line 25: Matching questions are not supported yet" in skipped.output
    assert 'imported 4 questions into bank "G"' in skipped.output  # three multiple choice, one true/false
    assert _count(session) == 4


def test_aiken_with_forced_format(runner, session, tmp_path) -> None:
    result = runner.invoke(args=["bank", "import", _file(tmp_path, "q.dat", AIKEN), "--bank", "A", "--format", "aiken"])
    assert result.exit_code == 0, result.output
    assert _count(session) == 2


def test_legacy_encoding_is_converted_with_a_note(runner, session, tmp_path) -> None:
    data = xlsx_bytes([row(1, "Céng hoµ x· héi chñ nghÜa ViÖt Nam?")])
    result = runner.invoke(args=["bank", "import", _file(tmp_path, "old.xlsx", data), "--bank", "Cũ"])
    assert result.exit_code == 0, result.output
    assert 'note: row 2: column "Câu hỏi": converted from TCVN3 to Unicode' in result.output
    assert session.scalar(select(Question.text)) == "Cộng hoà xã hội chủ nghĩa Việt Nam?"


def test_export_round_trips_through_the_cli(runner, session, tmp_path) -> None:
    runner.invoke(args=["bank", "import", str(DEMO_DATA / "sample_bank.xlsx"), "--bank", "Gốc"])
    target = tmp_path / "export.xlsx"
    result = runner.invoke(args=["bank", "export", "Gốc", str(target)])
    assert result.exit_code == 0, result.output
    assert 'exported 120 questions of bank "Gốc"' in result.output
    again = runner.invoke(args=["bank", "import", str(target), "--bank", "Bản sao"])
    assert again.exit_code == 0, again.output
    original = session.scalars(select(Question.fingerprint).join(QuestionBank).where(QuestionBank.name == "Gốc"))
    copy = session.scalars(select(Question.fingerprint).join(QuestionBank).where(QuestionBank.name == "Bản sao"))
    assert sorted(original) == sorted(copy)


def test_export_refuses_unknown_bank_and_wrong_extension(runner, tmp_path) -> None:
    assert runner.invoke(args=["bank", "export", "Không có", str(tmp_path / "x.xlsx")]).exit_code == 1
    runner.invoke(args=["bank", "import", str(DEMO_DATA / "sample_bank.xlsx"), "--bank", "B"])
    wrong = runner.invoke(args=["bank", "export", "B", str(tmp_path / "x.csv")])
    assert wrong.exit_code == 1 and ".xlsx" in wrong.output


def test_problems_and_lines_are_printed_in_vietnamese_when_asked(app, runner, session, tmp_path) -> None:
    app.config["CLI_LANGUAGE"] = "vi"  # what CONTEST_CLI_LANG=vi sets
    data = xlsx_bytes([row(1, "Câu tốt?"), row(2, "Câu hai?", answer="Z")])
    refused = runner.invoke(args=["bank", "import", _file(tmp_path, "bad.xlsx", data), "--bank", "B"])
    assert refused.exit_code == 1
    assert 'dòng 3: cột "Đáp án": "Z" không phải chữ cái A-F, cũng không trùng nội dung phương án nào' in refused.output
    assert "1 lỗi: chưa nhập gì" in refused.output
    imported = runner.invoke(args=["bank", "import", str(DEMO_DATA / "sample_bank.csv"), "--bank", "CĐS"])
    assert 'đã nhập 120 câu hỏi vào ngân hàng "CĐS"' in imported.output
    assert _count(session) == 120


def test_text_longer_than_the_bank_keeps_is_refused_with_its_row(runner, session, tmp_path) -> None:
    header = "STT,Câu hỏi,Phương án A,Phương án B,Phương án C,Phương án D,Đáp án,Chủ đề,Mức độ,Giải thích\n"
    topic = "Chủ đề " + "x" * 200
    path = _file(tmp_path, "bank.csv", header + f"1,Câu hỏi thử?,A1,B1,C1,D1,A,{topic},Dễ,\n")
    long_topic = runner.invoke(args=["bank", "import", path, "--bank", "B"])
    assert long_topic.exit_code == 1 and 'row 2: column "Chủ đề": longer than 200 characters' in long_topic.output
    long_name = runner.invoke(args=["bank", "import", str(DEMO_DATA / "sample_bank.csv"), "--bank", "B" * 121])
    assert long_name.exit_code == 1 and "the bank's name is longer than 120 characters" in long_name.output
    assert _count(session) == 0 and session.scalar(select(func.count(QuestionBank.id))) == 0


def test_export_to_gift_reads_back_through_the_import(runner, session, tmp_path) -> None:
    runner.invoke(args=["bank", "import", str(DEMO_DATA / "practice_bank.csv"), "--bank", "Thi thử"])
    target = tmp_path / "bank.gift"
    result = runner.invoke(args=["bank", "export", "Thi thử", str(target)])
    assert result.exit_code == 0 and 'exported 12 questions of bank "Thi thử"' in result.output
    assert "{T ####" in target.read_text(encoding="utf-8")
    again = runner.invoke(args=["bank", "import", str(target), "--bank", "Bản sao GIFT"])
    assert again.exit_code == 0 and "imported 12 questions" in again.output
    original = session.scalars(select(Question.fingerprint).join(QuestionBank).where(QuestionBank.name == "Thi thử"))
    copy = session.scalars(select(Question.fingerprint).join(QuestionBank).where(QuestionBank.name == "Bản sao GIFT"))
    assert sorted(original) == sorted(copy)
