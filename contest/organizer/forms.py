"""Forms of the organizer area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from question_bank.model import LETTERS

FILE_FORMATS = [
    SelectChoice("auto", _l("Recognise from the file name")),
    SelectChoice("xlsx", "Excel (.xlsx)"),
    SelectChoice("csv", "CSV"),
    SelectChoice("gift", "GIFT (Moodle)"),
    SelectChoice("aiken", "Aiken (Moodle)"),
]
DIFFICULTY_CHOICES = [
    SelectChoice("easy", _l("Easy")),
    SelectChoice("medium", _l("Medium")),
    SelectChoice("hard", _l("Hard")),
]


class UploadForm(FlaskForm):
    file = FileField(
        _l("Question file"),
        validators=[
            FileRequired(message=_l("Choose a file.")),
            FileAllowed(["xlsx", "xlsm", "csv", "gift", "txt"], _l("Use an .xlsx, .csv, .gift or .txt file.")),
        ],
    )
    bank_name = StringField(
        _l("Bank"),
        validators=[DataRequired(message=_l("Enter the name of the bank.")), Length(max=120)],
        render_kw={"list": "bank-names", "autocomplete": "off"},
    )
    file_format = SelectField(_l("Format"), choices=FILE_FORMATS, default="auto")
    skip_unsupported = BooleanField(_l("Leave out GIFT questions that are not multiple choice"))


class QuestionForm(FlaskForm):
    text = TextAreaField(_l("Question"), validators=[DataRequired(message=_l("Enter the question."))])
    option_a = TextAreaField(_l("Option %(letter)s", letter="A"), render_kw={"rows": 2})
    option_b = TextAreaField(_l("Option %(letter)s", letter="B"), render_kw={"rows": 2})
    option_c = TextAreaField(_l("Option %(letter)s", letter="C"), render_kw={"rows": 2})
    option_d = TextAreaField(_l("Option %(letter)s", letter="D"), render_kw={"rows": 2})
    option_e = TextAreaField(_l("Option %(letter)s", letter="E"), render_kw={"rows": 2})
    option_f = TextAreaField(_l("Option %(letter)s", letter="F"), render_kw={"rows": 2})
    answer = StringField(
        _l("Correct options"),
        validators=[DataRequired(message=_l("Write the letters of the correct options, for example A or A,C."))],
    )
    topic = StringField(_l("Topic"), validators=[Length(max=200)])
    difficulty = SelectField(_l("Difficulty"), choices=DIFFICULTY_CHOICES)
    explanation = TextAreaField(_l("Explanation"), render_kw={"rows": 3})

    def option_fields(self) -> list:  # type: ignore[type-arg]
        return [getattr(self, f"option_{letter.lower()}") for letter in LETTERS]
