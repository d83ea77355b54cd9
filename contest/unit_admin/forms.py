"""Forms of the unit administrators' area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField

from question_bank.tables import TABLE_SUFFIXES


class RosterForm(FlaskForm):
    """The unit's staff list, to check who has registered and taken part."""

    file = FileField(
        _l("Staff list"),
        validators=[
            FileRequired(message=_l("Choose a file.")),
            FileAllowed(list(TABLE_SUFFIXES), _l("Use a .csv or .xlsx file.")),
        ],
        id="roster-file",
    )
    keep = BooleanField(
        _l("Keep it as the unit's staff list: contests for listed staff accept only these phone numbers"),
        false_values=("", "false", "0", "off", "no"),
    )


class DecisionForm(FlaskForm):
    """Approve or refuse a request to take part (the button pressed says which)."""
