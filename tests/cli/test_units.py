"""`flask units import FILE`: upsert by code, all or nothing, problems by row."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import func, select

from contest.models import Unit
from contest.services.people.units import in_subtree
from tests.helpers import DEMO_DATA

HEADER = "code,parent_code,name,kind,headcount\n"


def _write(tmp_path: Path, text: str, name: str = "units.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _count(session) -> int:
    return session.scalar(select(func.count(Unit.id)))


def test_import_sample_units(runner, session) -> None:
    result = runner.invoke(args=["units", "import", str(DEMO_DATA / "units.csv")])
    assert result.exit_code == 0, result.output
    assert "50 created, 0 updated" in result.output
    root = session.scalar(select(Unit).where(Unit.code == "HBX"))
    assert root.parent is None and root.depth == 0 and root.headcount == 59333
    assert len(root.children) == 46
    commune = session.scalar(select(Unit).where(Unit.code == "HBX-X01"))
    assert commune.parent == root and commune.depth == 1 and commune.path == f"{root.path}{commune.id}/"
    assert session.scalar(select(func.count(Unit.id)).where(in_subtree(root))) == 50
    # Sở Nội vụ's headcount is left empty in the file: its own 30 plus its three offices (40, 28, 30)
    home_affairs = session.scalar(select(Unit).where(Unit.code == "HBX-SNV"))
    assert (home_affairs.staff, home_affairs.headcount_override, home_affairs.headcount) == (30, None, 128)
    assert root.headcount_override == 59333  # typed for the province: kept as set by hand
    assert session.scalar(select(func.count(Unit.id)).where(in_subtree(commune))) == 1


def test_import_again_updates_by_code(runner, session, tmp_path) -> None:
    runner.invoke(args=["units", "import", str(DEMO_DATA / "units.csv")])
    changed = _write(
        tmp_path, HEADER + "HBX-STP,HBX,Sở Tư pháp tỉnh,department,50\nHBX-NEW,HBX-STP,Phòng mới,other,5\n"
    )
    result = runner.invoke(args=["units", "import", changed])
    assert result.exit_code == 0, result.output
    assert "1 created, 1 updated" in result.output
    unit = session.scalar(select(Unit).where(Unit.code == "HBX-STP"))
    assert (unit.name, unit.headcount) == ("Sở Tư pháp tỉnh", 50)
    new = session.scalar(select(Unit).where(Unit.code == "HBX-NEW"))
    assert new.parent == unit and new.depth == 2 and new.path.startswith(unit.path)
    assert _count(session) == 51


def test_children_may_come_before_their_parent(runner, session, tmp_path) -> None:
    path = _write(tmp_path, HEADER + "B,A,Con,commune,3\nA,,Gốc,province,3\n")
    assert runner.invoke(args=["units", "import", path]).exit_code == 0
    child = session.scalar(select(Unit).where(Unit.code == "B"))
    assert child.parent.code == "A" and child.depth == 1


def test_moving_a_unit_moves_its_subtree(runner, session, tmp_path) -> None:
    runner.invoke(
        args=[
            "units",
            "import",
            _write(tmp_path, HEADER + "A,,A,province,1\nB,A,B,department,1\nC,B,C,other,1\nD,A,D,department,1\n"),
        ]
    )
    result = runner.invoke(args=["units", "import", _write(tmp_path, HEADER + "B,D,B,department,1\n", "move.csv")])
    assert result.exit_code == 0, result.output
    units = {unit.code: unit for unit in session.scalars(select(Unit))}
    assert units["C"].path == f"/{units['A'].id}/{units['D'].id}/{units['B'].id}/{units['C'].id}/"
    assert units["C"].depth == 3


def test_bad_rows_are_all_reported_and_nothing_changes(runner, session, tmp_path) -> None:
    runner.invoke(args=["units", "import", str(DEMO_DATA / "units.csv")])
    before = _count(session)
    bad = _write(
        tmp_path,
        HEADER
        + "NEW1,HBX,Đơn vị tốt,department,10\n"  # line 2: fine on its own
        + "NEW2,NOPE,Mồ côi,department,10\n"  # line 3: unknown parent
        + ",HBX,Không mã,department,10\n"  # line 4: no code
        + "NEW3,HBX,,department,10\n"  # line 5: no name
        + "NEW4,HBX,Âm,department,-5\n"  # line 6: bad headcount
        + "NEW1,HBX,Trùng,department,1\n"  # line 7: duplicate code
        + "NEW5,HBX,Loại lạ,planet,1\n",  # line 8: unknown kind
    )
    result = runner.invoke(args=["units", "import", bad])
    assert result.exit_code == 1
    output = result.output
    assert "row 3: no parent unit has the code 'NOPE'" in output
    assert "row 4: the unit code (code) is missing" in output
    assert "row 5: the unit name (name) is missing" in output
    assert "row 6: the headcount '-5' must be a whole number" in output
    assert "row 7: the unit code 'NEW1' repeats row 2" in output
    assert "row 8: unknown unit kind 'planet'" in output
    assert "nothing was imported" in output
    assert _count(session) == before
    assert session.scalar(select(Unit).where(Unit.code == "NEW1")) is None


def test_cycles_are_refused(runner, session, tmp_path) -> None:
    runner.invoke(args=["units", "import", _write(tmp_path, HEADER + "A,,A,province,1\nB,A,B,department,1\n")])
    result = runner.invoke(args=["units", "import", _write(tmp_path, HEADER + "A,B,A,province,1\n", "cycle.csv")])
    assert result.exit_code == 1
    assert "row 2: the unit 'A' is in a loop of parents and children" in result.output
    assert session.scalar(select(Unit).where(Unit.code == "A")).parent is None


def test_missing_columns_are_named(runner, tmp_path) -> None:
    result = runner.invoke(args=["units", "import", _write(tmp_path, "code,name\nA,A\n")])
    assert result.exit_code == 1
    assert "row 1: missing column(s) parent_code, kind, headcount" in result.output


def test_xlsx_file_with_vietnamese_headers_in_any_case(runner, session, tmp_path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Code", "Parent_Code", "NAME", "Kind", "Headcount"])
    sheet.append(["ROOT", None, "Tỉnh", "province", 1200])
    sheet.append(["ROOT-1", "ROOT", "Xã Một", "commune", 34])
    path = tmp_path / "units.xlsx"
    workbook.save(path)
    result = runner.invoke(args=["units", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert session.scalar(select(Unit).where(Unit.code == "ROOT-1")).headcount == 34


def test_unsupported_file_type_is_a_clear_error(runner, tmp_path) -> None:
    path = tmp_path / "units.pdf"
    path.write_bytes(b"%PDF-1.4")
    result = runner.invoke(args=["units", "import", str(path)])
    assert result.exit_code == 1
    assert "Files of type '.pdf' are not supported: use .xlsx or .csv." in result.output
