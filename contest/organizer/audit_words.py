"""The audit log in words: a field's label ("Lượt thi mỗi ngày", not `attempts_per_day`) and its value as a person
reads it ("Sau khi đợt thi kết thúc", not `after_close`; the ranking chain as its criteria in order, not JSON)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from contest.labels import CONTEST_STATUS_LABELS, PRIZE_LABELS, ROLE_LABELS, UNIT_KIND_LABELS
from contest.organizer.forms import PREDICTION_CHOICES, REVIEW_CHOICES
from contest.services.people.registration import CATEGORY_LABELS
from contest.services.ranking.rules import LINK_LABELS
from contest.services.shared.audit import display_value

FIELD_LABELS = {
    "name": _l("Name"),
    "title": _l("Title"),
    "opens": _l("Opens"),
    "closes": _l("Closes"),
    "questions": _l("Questions"),
    "minutes": _l("Minutes"),
    "attempts": _l("Attempts allowed"),
    "attempts_per_day": _l("Attempts a day"),
    "bank": _l("Question bank"),
    "draw": _l("Draw"),
    "prediction": _l("Prediction question"),
    "review": _l("Answers shown to participants"),
    "require_all": _l("Every question must be answered"),
    "scope": _l("Open to the unit"),
    "rules": _l("Rules"),
    "names": _l("Names on public boards"),
    "chain": _l("Ranking of participants"),
    "unit_ranking": _l("Ranking of units"),
    "eligibility": _l("Who may take part"),
    "tables": _l("Tables"),
    "status": _l("Status"),
    "reason": _l("Reason"),
    "score": _l("Score"),
    "role": _l("Role"),
    "managed_unit": _l("Unit managed"),
    "category": _l("You are"),
    "unit": _l("Unit"),
    "headcount": _l("Headcount"),
    "kind": _l("Kind"),
    "max_share": _l("At most this percentage of entrants win a prize (%)"),
    "one_per_person": _l("One prize per person across the contest"),
    "ranked": _l("Participants ranked"),
    "actual_value": _l("Actual value of the prediction"),
    "certificates": _l("Certificates in force"),
    "issued": _l("Certificates new or changed"),
    "revoked": _l("Certificates withdrawn"),
    "issuer": _l("Organizing body"),
    "parent_body": _l("Body above the organizers (first line of the heading)"),
    "place": _l("Place, for the date line"),
    "signer_title": _l("Signer's title"),
    "signer_name": _l("Signer's name"),
    "file": _l("File"),
    **PRIZE_LABELS,
}


def _choices(choices: list[Any]) -> dict[str, Any]:
    return {choice.value: choice.label for choice in choices}


def field_label(field: str) -> str:
    label = FIELD_LABELS.get(field)
    return str(label) if label is not None else field


def in_words(field: str, value: Any) -> str:
    """The recorded value as a person reads it; what has no words of its own is shown as recorded."""
    coded: dict[str, Any] = {
        "review": _choices(REVIEW_CHOICES),
        "prediction": _choices(PREDICTION_CHOICES),
        "status": CONTEST_STATUS_LABELS,
        "role": ROLE_LABELS,
        "category": CATEGORY_LABELS,
        "kind": UNIT_KIND_LABELS,
        "names": {"masked": _l("Masked (Nguyễn V. A.)"), "full": _l("Full")},
        "unit_ranking": {"rate": _l("By participation rate"), "points": _l("By points")},
    }
    if field in coded and isinstance(value, str) and value in coded[field]:
        return str(coded[field][value])
    if field == "chain" and isinstance(value, list):
        return " → ".join(str(LINK_LABELS.get(link, link)) for link in value)
    if field == "tables" and isinstance(value, list):
        return "; ".join(
            f"{table.get('name')} ({', '.join(str(CATEGORY_LABELS.get(c, c)) for c in table.get('categories', []))})"
            for table in value
        )
    if field == "max_share" and isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value * 100:g} %"
    if value is None:
        return _("(none)")
    return display_value(value)
