"""Forms of the unit administrators' area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired

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
