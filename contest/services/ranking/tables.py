"""Tables (bảng) by participant category: a contest may rank, for example, civil servants (Bảng A), union and
association members (Bảng B) and citizens (Bảng C) apart, each table with its own places and prizes.

A contest without tables behaves as one table. A participant belongs to the table of their category at the
close; a participant whose category is in no table is ranked in none and wins no prize (the organizer sees how
many)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from contest.models import Contest
from contest.models.users import CATEGORIES
from contest.services.shared.errors import InvalidInput

TABLE_KEYS = ("A", "B", "C", "D")
MAX_TABLE_NAME = 120


@dataclass(frozen=True)
class Table:
    key: str
    name: str
    categories: tuple[str, ...]


def tables_of(contest: Contest) -> list[Table]:
    return [Table(str(table["key"]), str(table["name"]), tuple(table["categories"])) for table in contest.tables or []]


def table_of_category(contest: Contest) -> dict[str, str]:
    """category -> table key."""
    return {category: table.key for table in tables_of(contest) for category in table.categories}


def table_names(contest: Contest) -> dict[str, str]:
    return {table.key: table.name for table in tables_of(contest)}


def validate_tables(names: dict[str, str], assignment: dict[str, str]) -> list[dict[str, Any]] | None:
    """The tables an organizer set: `names` by key (may be empty), `assignment` category -> key ("" for none).
    A table takes part when a category is assigned to it; a name without a category is refused, as is an unknown
    key or category. None: no tables (every category in one ranking)."""
    unknown = sorted(set(assignment) - set(CATEGORIES))
    if unknown:
        raise InvalidInput(_("Unknown participant category."), {"tables": ", ".join(unknown)})
    used: dict[str, list[str]] = {}
    for category in CATEGORIES:
        key = (assignment.get(category) or "").strip().upper()
        if not key:
            continue
        if key not in TABLE_KEYS:
            raise InvalidInput(_("Tables are A, B, C or D."), {f"table_{category}": key})
        used.setdefault(key, []).append(category)
    for key in TABLE_KEYS:
        name = " ".join((names.get(key) or "").split())
        if len(name) > MAX_TABLE_NAME:
            raise InvalidInput(
                _("The name of a table is at most %(max)d characters.", max=MAX_TABLE_NAME), {f"table_name_{key}": name}
            )
        if name and key not in used:
            raise InvalidInput(
                _("Table %(key)s has a name but no participant category: choose its categories.", key=key),
                {f"table_name_{key}": name},
            )
    if len(used) < 2:
        if used:
            raise InvalidInput(
                _("Separate tables need at least two tables; with one, leave every category without a table."),
                {"tables": "one"},
            )
        return None
    return [
        {
            "key": key,
            "name": " ".join((names.get(key) or "").split()) or _("Table %(key)s", key=key),
            "categories": used[key],
        }
        for key in TABLE_KEYS
        if key in used
    ]


def category_needed(contest: Contest, category: str | None) -> bool:
    """Whether a participant of this category would be ranked in none of the contest's tables (no category at all,
    or one no table takes): they choose before their first attempt there."""
    return bool(contest.tables) and (category or "") not in table_of_category(contest)


def table_categories(contest: Contest) -> list[str]:
    """The categories the contest's tables take, in the order of the tables."""
    return [category for table in tables_of(contest) for category in table.categories]


def categories_of(contest: Contest, key: str) -> tuple[str, ...]:
    """The categories table `key` of the contest takes (none for a key it does not have)."""
    return next((table.categories for table in tables_of(contest) if table.key == key), ())
