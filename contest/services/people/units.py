"""The unit tree: import (upsert by code), materialised paths, subtrees."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from contest.models import Unit
from contest.models.units import OFFERED_KINDS, RETIRED_KINDS, UNIT_KINDS
from contest.numbers import whole_number
from contest.services.shared import audit
from contest.services.shared.audit import Actor
from contest.services.shared.errors import InvalidInput
from contest.services.shared.problems import FileProblems, Problem
from question_bank.messages import N_, Message
from question_bank.tables import Table
from question_bank.text import header_key, without_accents

UNIT_COLUMNS = ("code", "parent_code", "name", "kind", "headcount")
# Optional: a unit's own staff, for a unit with units below it (whose headcount is then worked out).
STAFF_COLUMN = "staff"
MAX_CODE_LENGTH = 32
MAX_NAME_LENGTH = 255  # the column's length
MAX_HEADCOUNT = 200_000_000  # more people than the country has: a typo, and beyond the integer column soon


@dataclass
class UnitRow:
    row: int
    code: str
    parent_code: str
    name: str
    kind: str
    headcount: int
    staff: int | None = None  # the optional staff column, when filled


@dataclass
class UnitImportSummary:
    created: int
    updated: int


def _parse_headcount(text: str) -> int | None:
    """1.234, 1,234 or 1 234 people; None unless a whole number up to MAX_HEADCOUNT."""
    digits = text.replace(".", "").replace(",", "").replace(" ", "")
    number = whole_number(digits)
    return number if number is not None and number <= MAX_HEADCOUNT else None


def parse_unit_rows(table: Table, known_codes: Collection[str] = ()) -> tuple[list[UnitRow], list[Problem]]:
    """The rows of a units file; `known_codes`: the units that exist already (a district keeps its kind, a new unit
    may not take it)."""
    keys = [header_key(header) for header in table.headers]
    missing = [column for column in UNIT_COLUMNS if header_key(column) not in keys]
    if missing:
        message = N_(
            "missing column(s) %(columns)s (needed: %(needed)s)",
            columns=", ".join(missing),
            needed=",".join(UNIT_COLUMNS),
        )
        return [], [Problem(table.header_row, message)]
    index = {column: keys.index(header_key(column)) for column in UNIT_COLUMNS}
    staff_index = keys.index(header_key(STAFF_COLUMN)) if header_key(STAFF_COLUMN) in keys else None
    rows: list[UnitRow] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for record in table.rows:
        code = record.get(index["code"]).strip()
        name = record.get(index["name"]).strip()
        kind = record.get(index["kind"]).strip().lower() or "other"
        headcount_text = record.get(index["headcount"]).strip() or "0"
        headcount = _parse_headcount(headcount_text)
        staff_text = record.get(staff_index).strip() if staff_index is not None else ""
        staff = _parse_headcount(staff_text) if staff_text else None
        errors: list[Message] = []
        if not code:
            errors.append(N_("the unit code (code) is missing"))
        elif len(code) > MAX_CODE_LENGTH or "/" in code:
            errors.append(N_("the unit code '%(code)s' is too long or holds '/'", code=code))
        elif code in seen:
            errors.append(N_("the unit code '%(code)s' repeats row %(row)d", code=code, row=seen[code]))
        if not name:
            errors.append(N_("the unit name (name) is missing"))
        elif len(name) > MAX_NAME_LENGTH:
            errors.append(N_("the unit name is longer than %(max)d characters", max=MAX_NAME_LENGTH))
        if kind not in UNIT_KINDS:
            errors.append(
                N_("unknown unit kind '%(kind)s' (use: %(kinds)s)", kind=kind, kinds=", ".join(OFFERED_KINDS))
            )
        elif kind in RETIRED_KINDS and code not in known_codes:
            errors.append(
                N_(
                    "a new unit cannot be a district: since 1 July 2025 local government has two levels (use "
                    "province, commune, ward or special_zone)"
                )
            )
        if headcount is None:
            errors.append(
                N_(
                    "the headcount '%(value)s' must be a whole number from 0 to %(max)d",
                    value=headcount_text,
                    max=MAX_HEADCOUNT,
                )
            )
        if staff_text and staff is None:
            errors.append(
                N_(
                    "the staff '%(value)s' must be a whole number from 0 to %(max)d",
                    value=staff_text,
                    max=MAX_HEADCOUNT,
                )
            )
        problems.extend(Problem(record.number, error) for error in errors)
        if code and code not in seen:
            seen[code] = record.number
        if not errors:
            parent_code = record.get(index["parent_code"]).strip()
            rows.append(UnitRow(record.number, code, parent_code, name, kind, headcount or 0, staff))
    return rows, problems


def import_units(session: Session, table: Table, *, source: str, actor: Actor, now: datetime) -> UnitImportSummary:
    """Upsert every unit of the table by code, or none of them (raises FileProblems); `source` is the file's name."""
    existing = {unit.code: unit for unit in session.scalars(select(Unit))}
    rows, problems = parse_unit_rows(table, existing.keys())
    parent_of = {code: unit.parent.code if unit.parent else "" for code, unit in existing.items()}
    for row in rows:
        parent_of[row.code] = row.parent_code
    for row in rows:
        if row.parent_code == row.code:
            problems.append(Problem(row.row, N_("the unit '%(code)s' cannot be its own parent", code=row.code)))
        elif row.parent_code and row.parent_code not in parent_of:
            problems.append(Problem(row.row, N_("no parent unit has the code '%(code)s'", code=row.parent_code)))
        elif _in_cycle(row.code, parent_of):
            problems.append(
                Problem(row.row, N_("the unit '%(code)s' is in a loop of parents and children", code=row.code))
            )
    if problems:
        raise FileProblems(sorted(problems, key=lambda problem: problem.row or 0))

    created = updated = 0
    units = dict(existing)
    parent_codes = {parent for parent in parent_of.values() if parent}
    for row in rows:
        unit = units.get(row.code)
        if unit is None:
            unit = Unit(code=row.code)
            session.add(unit)
            units[row.code] = unit
            created += 1
        elif _changed(unit, row, parent_of, has_units_below=row.code in parent_codes):
            updated += 1
        unit.name, unit.kind = row.name, row.kind
        _set_headcount(unit, row, has_units_below=row.code in parent_codes)
        unit.search_text = unit_search_text(row.code, row.name)
    for row in rows:
        units[row.code].parent = units[row.parent_code] if row.parent_code else None
    session.flush()
    refresh_paths(session)
    refresh_headcounts(session)
    summary = UnitImportSummary(created=created, updated=updated)
    audit.record(session, actor, "units.import", source, after={"created": created, "updated": updated}, now=now)
    return summary


def _set_headcount(unit: Unit, row: UnitRow, *, has_units_below: bool) -> None:
    """The file's headcount is the unit's own staff when no unit is below it; for a unit with units below, a
    headcount set by hand (blank or 0: worked out from its staff and the units below), its staff from the staff
    column (kept when that is empty)."""
    if has_units_below:
        unit.headcount_override = row.headcount or None
        if row.staff is not None:
            unit.staff = row.staff
    else:
        unit.staff = row.staff if row.staff is not None else row.headcount
        unit.headcount_override = None


def _changed(unit: Unit, row: UnitRow, parent_of: dict[str, str], *, has_units_below: bool) -> bool:
    before = (unit.name, unit.kind, unit.staff, unit.headcount_override, unit.parent.code if unit.parent else "")
    probe = Unit(staff=unit.staff, headcount_override=unit.headcount_override)
    _set_headcount(probe, row, has_units_below=has_units_below)
    after = (row.name, row.kind, probe.staff, probe.headcount_override, parent_of[row.code])
    return before != after


def refresh_headcounts(session: Session) -> None:
    """Every unit's headcount in use: set by hand, or its own staff plus the headcounts of the units below it."""
    units = list(session.scalars(select(Unit)))
    below: dict[int | None, list[Unit]] = {}
    for unit in units:
        below.setdefault(unit.parent_id, []).append(unit)
    for unit in sorted(units, key=lambda unit: -unit.depth):  # the deepest first: children are final before parents
        worked_out = unit.staff + sum(child.headcount for child in below.get(unit.id, []))
        total = unit.headcount_override if unit.headcount_override is not None else worked_out
        if unit.headcount != total:
            unit.headcount = total


def headcount_worked_out(unit: Unit) -> int:
    """Own staff plus the units below, whatever was set by hand."""
    return unit.staff + sum(child.headcount for child in unit.children)


def unit_search_text(code: str, name: str) -> str:
    return f"{without_accents(name)} {code.casefold()}"[:300]  # the column's length (lower case may be longer)


def _in_cycle(code: str, parent_of: dict[str, str]) -> bool:
    seen = {code}
    current = parent_of.get(code, "")
    while current:
        if current in seen:
            return True
        seen.add(current)
        current = parent_of.get(current, "")
    return False


def refresh_paths(session: Session) -> None:
    """Recompute every unit's materialised path and depth from the parent links."""
    units = list(session.scalars(select(Unit)))
    by_id = {unit.id: unit for unit in units}
    done: dict[int, tuple[str, int]] = {}

    def resolve(unit: Unit) -> tuple[str, int]:
        chain = []
        current: Unit | None = unit
        while current is not None and current.id not in done:
            chain.append(current)
            current = by_id.get(current.parent_id) if current.parent_id else None
        base_path, base_depth = done[current.id] if current is not None else ("/", -1)
        for link in reversed(chain):
            base_path, base_depth = f"{base_path}{link.id}/", base_depth + 1
            done[link.id] = (base_path, base_depth)
        return done[unit.id]

    for unit in units:
        path, depth = resolve(unit)
        if (unit.path, unit.depth) != (path, depth):
            unit.path, unit.depth = path, depth


def in_subtree(root: Unit) -> ColumnElement[bool]:
    """A filter for the units of root's subtree, root included."""
    return Unit.path.startswith(root.path, autoescape=True)


def find_unit(session: Session, code: str) -> Unit | None:
    return session.scalar(select(Unit).where(Unit.code == code.strip()))


def update_unit(
    session: Session,
    unit: Unit,
    *,
    name: str,
    kind: str,
    headcount: str | int,
    parent_code: str,
    actor: Actor,
    now: datetime,
    staff: str | int | None = None,
) -> Unit:
    """Edit a unit or move it under another; its whole subtree moves with it. `staff`: its own people; `headcount`:
    for a unit with units below, set by hand (blank: its staff plus the units below); for one without, its staff
    when `staff` is not given."""
    before = unit_state(unit)
    fields: dict[str, str] = {}
    headcount_text = str(headcount).strip()
    count = _parse_headcount(headcount_text or "0")
    own = _parse_headcount(str(staff).strip() or "0") if staff is not None else None
    if not name.strip():
        fields["name"] = _("Enter the unit's name.")
    elif len(name.strip()) > MAX_NAME_LENGTH:
        fields["name"] = _("The unit's name is at most %(max)d characters.", max=MAX_NAME_LENGTH)
    if kind not in UNIT_KINDS or (kind in RETIRED_KINDS and unit.kind != kind):
        fields["kind"] = _("Choose the kind of unit.")
    if count is None:
        fields["headcount"] = _("The headcount is a whole number from 0 to %(max)d.", max=MAX_HEADCOUNT)
    if staff is not None and own is None:
        fields["staff"] = _("The staff is a whole number from 0 to %(max)d.", max=MAX_HEADCOUNT)
    parent = None
    if parent_code.strip():
        parent = find_unit(session, parent_code)
        if parent is None:
            fields["parent_code"] = _("No unit has the code %(code)s.", code=parent_code)
        elif parent.id == unit.id or parent.path.startswith(unit.path):
            fields["parent_code"] = _("A unit cannot move under itself or one of its own units.")
    if fields:
        raise InvalidInput(" ".join(fields.values()), fields)
    unit.name, unit.kind = name.strip(), kind
    if unit.children:
        unit.headcount_override = count or None  # empty or 0: worked out, as in a units file
        unit.staff = own if own is not None else unit.staff
    else:
        unit.staff = own if own is not None else count or 0
        unit.headcount_override = None
    unit.search_text = unit_search_text(unit.code, unit.name)
    unit.parent = parent
    session.flush()
    refresh_paths(session)
    refresh_headcounts(session)
    audit.record(session, actor, "unit.edit", f"unit:{unit.code}", before=before, after=unit_state(unit), now=now)
    return unit


def unit_state(unit: Unit) -> dict[str, Any]:
    """What the audit log keeps of a unit before and after an edit."""
    return {
        "name": unit.name,
        "kind": unit.kind,
        "headcount": unit.headcount,
        "staff": unit.staff,
        "headcount_set_by_hand": unit.headcount_override is not None,
        "parent": unit.parent.code if unit.parent else None,
    }


SCOPE_CHOICE_DEPTH = 2  # contests are open to a province, a ministry or a department, rarely a commune


def scope_choices(session: Session) -> list[tuple[str, str]]:
    """The units a contest is usually open to (code, name), for the contest form's suggestions."""
    rows = session.execute(
        select(Unit.code, Unit.name).where(Unit.depth <= SCOPE_CHOICE_DEPTH, Unit.active).order_by(Unit.path)
    ).all()
    return [(code, name) for code, name in rows]


def root_units(session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.code)))


@dataclass
class UnitChoice:
    code: str
    name: str
    parent: str

    def as_json(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name, "parent": self.parent}


MAX_MATCHES_RANKED = 1000  # matches read to rank them (a province has a few thousand units at most)


@dataclass(frozen=True)
class UnitMatches:
    """The best `limit` matches of a search, and how many matched in all (the picker says how many more)."""

    choices: list[UnitChoice]
    total: int

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.choices))


def _relevance(name: str, words: list[str]) -> tuple[int, int]:
    """Lower is better: the name starts with what was typed; every word typed starts a word of the name (in order);
    then matches inside words."""
    phrase = " ".join(words)
    if name.startswith(phrase):
        return (0, 0)
    name_words = name.split()
    starts = sum(1 for word in words if any(part.startswith(word) for part in name_words))
    in_order = f" {phrase}" in f" {name}"
    return (1 if in_order else 2 if starts == len(words) else 3, len(words) - starts)


def find_units(session: Session, query: str, limit: int = 20) -> UnitMatches:
    """Units whose name or code contains every word typed, accents or not, best first (a picker for phones): the name
    starting with it, then every word starting a word of the name, then the rest; and how many matched in all."""
    words = without_accents(query).split()
    if not words:
        return UnitMatches([], 0)
    statement = select(Unit).where(Unit.active.is_(True))
    for word in words[:6]:
        statement = statement.where(Unit.search_text.contains(word, autoescape=True))
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    units = list(session.scalars(statement.order_by(Unit.depth, Unit.name).limit(MAX_MATCHES_RANKED)))
    units.sort(key=lambda unit: (_relevance(without_accents(unit.name), words[:6]), unit.depth, unit.name))
    chosen = units[: max(1, min(limit, 50))]
    return UnitMatches([UnitChoice(u.code, u.name, u.parent.name if u.parent else "") for u in chosen], total)


def search_units(session: Session, query: str, limit: int = 20) -> list[UnitChoice]:
    """The best matches only (see find_units)."""
    return find_units(session, query, limit).choices


def units_to_review(session: Session) -> list[Unit]:
    """Units of a kind local government no longer has (districts, before 1 July 2025): the units page lists them for
    an organizer to review (merge them into the province's communes and wards, or give them another kind)."""
    return list(session.scalars(select(Unit).where(Unit.kind.in_(RETIRED_KINDS)).order_by(Unit.name)))
