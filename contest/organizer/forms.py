"""Forms of the organizer area. Fields are read and shown here; the rules live in the services, whose
InvalidInput is put back on the fields by `show_problems`."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, Field, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from contest import clock
from contest.labels import BODY_ROLE_LABELS, UNIT_KIND_LABELS
from contest.models.contests import RANKING_LINKS
from contest.models.units import RETIRED_KINDS
from contest.models.users import CATEGORIES
from contest.numbers import whole_number
from contest.services.people.registration import CATEGORY_LABELS
from contest.services.ranking.prizes import PRIZE_NAMES_VI, PRIZES
from contest.services.ranking.rules import LINK_LABELS
from contest.services.ranking.tables import TABLE_KEYS
from contest.services.shared.errors import InvalidInput
from question_bank.difficulty import DIFFICULTIES
from question_bank.draw import DrawPart
from question_bank.model import LETTERS
from question_bank.tables import TABLE_SUFFIXES

PICTURE_SUFFIXES = ("png", "jpg", "jpeg", "gif", "webp")
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
TABLE_FILES = FileAllowed(list(TABLE_SUFFIXES), _l("Use a .csv or .xlsx file."))


class BodyField(SelectField):
    """The organizing body a new contest or bank belongs to, among the person's (choices set by the view); left out
    of the post, the only choice is taken."""

    def __init__(self, label: Any = None, **kwargs: Any) -> None:
        super().__init__(label or _l("Organizing body"), coerce=int, validate_choice=True, **kwargs)

    def set_bodies(self, bodies: list[tuple[int, str]]) -> None:
        self.choices = [SelectChoice(body_id, name) for body_id, name in bodies]

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist and valuelist[0] not in ("", None):
            super().process_formdata(valuelist)

    def pre_validate(self, form: Any) -> None:
        current: Any = getattr(self, "data", None)
        if current is None and self.choices and len(self.choices) == 1:
            self.data = self.choices[0].value
        super().pre_validate(form)


class UploadForm(FlaskForm):
    file = FileField(
        _l("Question file"),
        validators=[
            FileRequired(message=_l("Choose a file.")),
            FileAllowed(
                ["xlsx", "xlsm", "csv", "gift", "txt", "zip"],
                _l("Use an .xlsx, .csv, .gift or .txt file, or a .zip holding one of them and its pictures."),
            ),
        ],
    )
    bank_name = StringField(
        _l("Bank"),
        validators=[DataRequired(message=_l("Enter the name of the bank.")), Length(max=120)],
        render_kw={"list": "bank-names", "autocomplete": "off"},
    )
    file_format = SelectField(_l("Format"), choices=FILE_FORMATS, default="auto")
    # the person's bodies where they may add questions (set by the view); a bank belongs to one body
    body = BodyField()
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
    picture_alt = TextAreaField(
        _l("Description of the question's picture"),
        description=_l(
            "What the picture shows, read out to people who cannot see it (required, at most 300 characters)."
        ),
        render_kw={"rows": 2},
    )

    picture_file = FileField(
        _l("A new picture for the question (PNG, JPEG, GIF or WebP)"),
        validators=[FileAllowed(list(PICTURE_SUFFIXES), _l("Use a PNG, JPEG, GIF or WebP picture."))],
    )

    def option_fields(self) -> list[Field]:
        return [getattr(self, f"option_{letter.lower()}") for letter in LETTERS]

    def option_picture_fields(self) -> list[tuple[Field, Field]]:
        """Each option's new picture and its picture's description."""
        return [
            (getattr(self, f"picture_file_{letter.lower()}"), getattr(self, f"picture_alt_{letter.lower()}"))
            for letter in LETTERS
        ]

    def new_pictures(self) -> dict[str, bytes]:
        """The pictures chosen to replace or add: "" for the question's, the letter for an option's."""
        chosen = {"": self.picture_file.data}
        chosen |= {letter: getattr(self, f"picture_file_{letter.lower()}").data for letter in LETTERS}
        return {key: file.read() for key, file in chosen.items() if file and getattr(file, "filename", "")}

    def option_alts(self) -> dict[str, str]:
        """The options' picture descriptions posted (one not posted is kept as it is)."""
        posted = {letter: getattr(self, f"picture_alt_{letter.lower()}") for letter in LETTERS}
        return {letter: field.data or "" for letter, field in posted.items() if field.raw_data is not None}


for _letter in LETTERS:  # an option's picture: a new one, and its description
    setattr(
        QuestionForm,
        f"picture_file_{_letter.lower()}",
        FileField(
            _l("A new picture for option %(letter)s", letter=_letter),
            validators=[FileAllowed(list(PICTURE_SUFFIXES), _l("Use a PNG, JPEG, GIF or WebP picture."))],
        ),
    )
    setattr(
        QuestionForm,
        f"picture_alt_{_letter.lower()}",
        StringField(_l("Description of the picture of option %(letter)s", letter=_letter)),
    )


def _chain_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("(not used)")), *(SelectChoice(link, LINK_LABELS[link]) for link in RANKING_LINKS)]


class ContestForm(FlaskForm):
    """A contest's settings; the same form creates one (with its address and status) and edits one."""

    title = StringField(_l("Title"))
    slug = StringField(
        _l("Address (slug)"),
        description=_l("Lower-case letters, digits and hyphens: it becomes /contests/<slug>."),
    )
    scope = StringField(_l("Open to the unit (code, empty: everyone)"), render_kw={"list": "scope-units"})
    rules = TextAreaField(
        _l("Rules"),
        description=_l(
            "Plain text works: a blank line starts a new paragraph and lines starting with “- ” make a list. "
            "HTML may be used too: paragraphs, lists, bold, italics and links are kept; anything else is removed."
        ),
        render_kw={"rows": 8},
    )
    names = SelectField(
        _l("Names on public boards"),
        choices=[SelectChoice("masked", _l("Masked (Nguyễn V. A.)")), SelectChoice("full", _l("Full"))],
        default="masked",
    )
    unit_ranking = SelectField(
        _l("Ranking of units"),
        choices=[
            SelectChoice("rate", _l("By participation rate")),
            SelectChoice(
                "points",
                _l("By points: the rate plus 10/7/5/3 for each first, second, third or consolation prize of members"),
            ),
        ],
        default="rate",
    )
    eligibility = SelectField(
        _l("Who may take part"),
        choices=[
            SelectChoice("anyone", _l("Anyone registered (in the unit above, if one is set)")),
            SelectChoice(
                "staff_list", _l("Only phones on their unit's staff list (uploaded by the unit administrator)")
            ),
            SelectChoice("approval", _l("Anyone, once their unit administrator approves their request")),
        ],
        default="anyone",
        description=_l("Phone numbers are not checked by SMS: a closed contest for civil servants uses staff lists."),
    )
    practice_bank = StringField(
        _l("Practice bank (thi thử)"),
        description=_l(
            "The name of a bank anyone may practise on, with the right answers and explanations shown after each "
            "choice. No round may draw from it. Empty: no practice."
        ),
        render_kw={"list": "bank-names", "autocomplete": "off"},
    )
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice("draft", _l("Draft (not visible)")), SelectChoice("published", _l("Published"))],
        default="draft",
    )
    require_review = BooleanField(
        _l("Rounds draw only questions whose key a second person checked"),
        description=_l(
            "A round then draws only checked questions, and cannot be saved while there are too few of them for its "
            "draw. A question edited later is checked again."
        ),
    )
    # a new contest's body, among the person's (set by the view; removed when editing: a contest stays in its body)
    body = BodyField()

    def chain_fields(self) -> list[SelectField]:
        return [self[f"chain_{n}"] for n in range(1, len(RANKING_LINKS) + 1)]

    def table_name_fields(self) -> list[StringField]:
        return [self[f"table_name_{key}"] for key in TABLE_KEYS]

    def table_category_fields(self) -> list[SelectField]:
        return [self[f"table_{category}"] for category in CATEGORIES]

    def fill_tables(self, tables: list[dict[str, Any]] | None) -> None:
        for table in tables or []:
            self[f"table_name_{table['key']}"].data = table["name"]
            for category in table["categories"]:
                self[f"table_{category}"].data = table["key"]

    def tables(self) -> tuple[dict[str, str], dict[str, str]] | None:
        """The table names by key and each category's table, as validate_tables reads them; None when the form
        did not carry them (the tables stay as they are)."""
        if not any(field.raw_data is not None for field in self.table_category_fields()):
            return None
        names = {key: self[f"table_name_{key}"].data or "" for key in TABLE_KEYS}
        return names, {category: self[f"table_{category}"].data or "" for category in CATEGORIES}

    def fill(self, settings: dict[str, Any]) -> None:
        """Show a contest's settings (contest_settings) on a form that was not posted."""
        self.title.data, self.scope.data, self.rules.data = settings["title"], settings["scope"], settings["rules"]
        self.names.data, self.unit_ranking.data = settings["names"], settings["unit_ranking"]
        self.eligibility.data = settings["eligibility"]
        self.practice_bank.data = settings.get("practice_bank") or ""
        self.require_review.data = bool(settings.get("require_review"))
        self.fill_tables(settings.get("tables"))
        for field, link in zip(self.chain_fields(), [*settings["chain"], *[""] * len(RANKING_LINKS)], strict=False):
            field.data = link

    def fill_chain(self, chain: list[str]) -> None:
        for field, link in zip(self.chain_fields(), chain, strict=False):
            field.data = link

    def settings(self) -> dict[str, Any]:
        """What create_contest / update_contest take; a chain that was not posted leaves the chain as it is."""
        posted = [field.data or "" for field in self.chain_fields() if field.raw_data]
        return {
            "title": self.title.data or "",
            "scope_code": (self.scope.data or "").strip() or None,
            "rules": self.rules.data or "",
            "names": self.names.data or "masked",
            "chain": ",".join(link for link in posted if link) if posted else None,
            "unit_ranking": self.unit_ranking.data if self.unit_ranking.raw_data else None,
            "eligibility": self.eligibility.data if self.eligibility.raw_data else None,
            "tables": self.tables(),
            "practice_bank": self.practice_bank.data if self.practice_bank.raw_data is not None else None,
            "require_review": bool(self.require_review.data),
        }


def _table_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("(no separate table)")), *(SelectChoice(key, key) for key in TABLE_KEYS)]


for _key in TABLE_KEYS:
    setattr(ContestForm, f"table_name_{_key}", StringField(_l("Name of table %(key)s", key=_key)))
for _category, _label in CATEGORY_LABELS.items():
    setattr(ContestForm, f"table_{_category}", SelectField(_label, choices=_table_choices, default=""))


# One select per place of the ranking chain (chain-1, chain-2, ...; a blank one is skipped), as many as there
# are links to choose from.
for _place in range(1, len(RANKING_LINKS) + 1):
    setattr(
        ContestForm,
        f"chain_{_place}",
        SelectField(_l("Criterion %(n)d", n=_place), choices=_chain_choices, name=f"chain-{_place}", default=""),
    )


PREDICTION_CHOICES = [
    SelectChoice("full_score", _l("How many will have a full score")),
    SelectChoice("participants", _l("How many will take part")),
    SelectChoice("none", _l("None")),
]
REVIEW_CHOICES = [
    SelectChoice("after_close", _l("After the round closes")),
    SelectChoice("after_attempt", _l("Their own answers right after their attempt, the right ones after the close")),
    SelectChoice("attempt_with_key", _l("The right answers right after their attempt, while the round is open")),
    SelectChoice("never", _l("Never")),
]


def _number_input(label: Any, default: int | None = None) -> StringField:
    return StringField(label, default=default, render_kw={"type": "number", "inputmode": "numeric"})


NEW_ROUND = MappingProxyType({"questions": 20, "minutes": 15, "attempts": 1})  # a new round's form starts so


class RoundForm(FlaskForm):
    """A round's settings. The draw is either typed in the chosen bank's table (fields pick:BANK:LEVEL:TOPIC and
    pickany:BANK:LEVEL, built by the template from the bank's counts) or written as text."""

    name = StringField(_l("Round name"))
    opens = StringField(_l("Opens (Vietnam time)"), render_kw={"type": "datetime-local"})
    closes = StringField(_l("Closes (Vietnam time)"), render_kw={"type": "datetime-local"})
    questions = _number_input(_l("Questions"))
    minutes = _number_input(_l("Time limit (minutes)"))
    attempts = _number_input(_l("Attempts (empty: unlimited, the best counts)"))
    attempts_per_day = _number_input(_l("Attempts per day (empty: no daily limit)"))
    bank = SelectField(_l("Question bank"), choices=[], validate_choice=False)
    draw = StringField(
        _l("Draw (topic:difficulty:count, ...)"),
        description=_l(
            'For example ":Dễ:8,:Trung bình:8,:Khó:4" (topic:difficulty:count); used when the table above is empty. '
            'A part may also name a type of question: ":Dễ:Đúng/Sai:5" (Một đáp án, Nhiều đáp án or Đúng/Sai).'
        ),
    )
    prediction = SelectField(_l("Prediction question"), choices=PREDICTION_CHOICES, default="full_score")
    review = SelectField(
        _l("Participants see the right answers"),
        choices=REVIEW_CHOICES,
        default="after_close",
        description=_l(
            "Showing the right answers right after an attempt, in a round that can be taken more than once, lets a "
            "participant collect the whole key."
        ),
    )
    require_all = BooleanField(
        _l("An attempt counts only when every question is answered"), false_values=("", "false", "0", "off", "no")
    )
    reuse_revealed = BooleanField(
        _l("Also draw questions whose right answers earlier rounds have shown"),
        false_values=("", "false", "0", "off", "no"),
        description=_l(
            "By default a round draws only questions whose right answers no round has shown to its participants, "
            "so that nobody brings the key from an earlier round."
        ),
    )

    def process(self, formdata: Any = None, obj: Any = None, data: Any = None, **kwargs: Any) -> None:
        formdata = self.meta.wrap_formdata(self, formdata)
        posted = formdata.items() if formdata is not None else []
        self._picks = {name: value for name, value in posted if name.startswith(("pick:", "pickany:"))}
        super().process(formdata, obj, data=data, **kwargs)

    def picks(self) -> dict[str, str]:
        """The draw table's fields as posted."""
        return self._picks

    def fill_picks(self, picks: dict[str, str]) -> None:
        self._picks = picks

    def settings(self, bank_ids: dict[str, int]) -> dict[str, Any]:
        """What create_round / update_round take; fields that cannot be read get their errors here."""
        result: dict[str, Any] = {
            "name": self.name.data or "",
            "question_count": self._whole(self.questions) or 0,
            "minutes": self._whole(self.minutes) or 0,
            "max_attempts": self._whole(self.attempts) or None,
            "max_attempts_per_day": self._whole(self.attempts_per_day),
            "bank_name": self.bank.data or None,
            "draw": self._picked_draw(bank_ids.get(self.bank.data or "")) or self.draw.data or None,
            "prediction": self.prediction.data or "full_score",
            "review": self.review.data or "after_close",
            "require_all_answered": bool(self.require_all.data),
            "reuse_revealed": bool(self.reuse_revealed.data),
        }
        try:
            result["opens_at"] = clock.parse_iso(self.opens.data or "")
            result["closes_at"] = clock.parse_iso(self.closes.data or "")
        except ValueError:
            self.opens.errors = [*self.opens.errors, _("Enter the opening and closing times.")]
        return result

    def has_problems(self) -> bool:
        return any(field.errors for field in self)

    @staticmethod
    def _whole(field: Field) -> int | None:
        text = str(field.data or "").strip()
        if not text:
            return None
        number = whole_number(text)
        if number is None:
            field.errors = [*field.errors, _("Enter a whole number.")]
        return number

    def _picked_draw(self, bank_id: int | None) -> list[DrawPart] | None:
        if bank_id is None:
            return None
        parts = []
        for name, value in self.picks().items():
            kind, _sep, rest = name.partition(":")
            posted_bank, _sep, rest = rest.partition(":")
            if posted_bank != str(bank_id) or not value.strip():
                continue
            level, _sep, topic = rest.partition(":")
            count = whole_number(value)
            if level not in DIFFICULTIES or count is None:
                self.draw.errors = [*self.draw.errors, _("Enter whole numbers of questions in the table.")]
                continue
            if count:
                parts.append(DrawPart(topic if kind == "pick" else None, level, count))
        return parts or None


class UnitForm(FlaskForm):
    name = StringField(_l("Unit name"))
    staff = StringField(_l("Own staff (people of this unit itself)"), render_kw={"inputmode": "numeric"})
    headcount = StringField(
        _l("Expected participants (headcount)"),
        description=_l("For a unit with units below: leave it empty to count its own staff plus the units below."),
        render_kw={"inputmode": "numeric"},
    )
    parent_code = StringField(_l("Parent unit (code)"))
    # a district only for a unit that is one already (before 1 July 2025): the form's view adds it back for those
    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice(kind, label) for kind, label in UNIT_KIND_LABELS.items() if kind not in RETIRED_KINDS],
    )


class UnitFileForm(FlaskForm):
    file = FileField(
        _l("Unit file"), validators=[FileRequired(message=_l("Choose a file.")), TABLE_FILES], id="units-file"
    )


class PrizeForm(FlaskForm):
    first = _number_input(PRIZE_NAMES_VI["first"], 0)
    second = _number_input(PRIZE_NAMES_VI["second"], 0)
    third = _number_input(PRIZE_NAMES_VI["third"], 0)
    consolation = _number_input(PRIZE_NAMES_VI["consolation"], 0)
    max_share = StringField(
        _l("At most this percentage of entrants win a prize (%)"),
        description=_l("For example 10: at most one entrant in ten wins. Empty: no cap."),
        render_kw={"inputmode": "decimal"},
    )
    one_per_person = BooleanField(_l("One prize per person across the contest"))

    @classmethod
    def of_plan(cls, plan: dict[str, Any] | None) -> PrizeForm:
        """The form showing a round's plan: its share as a percentage."""
        data = dict(plan or {})
        if data.get("max_share"):
            data["max_share"] = f"{data['max_share'] * 100:g}"
        return cls(data=data)

    def plan(self) -> dict[str, Any]:
        """The fields as validate_plan reads them (it checks every number and says which is wrong); the percentage
        becomes a share (10 % -> 0.1)."""
        raw: dict[str, Any] = {prize: self[prize].data for prize in PRIZES}  # blank is refused, not 0
        typed = (self.max_share.data or "").strip().rstrip("%").strip().replace(",", ".")
        if typed:
            try:
                percent = float(typed)
            except ValueError:
                percent = -1.0
            if not 0 < percent <= 100:
                raise InvalidInput(
                    _("The percentage of winners is a number above 0 and at most 100 (for example 10)."),
                    {"max_share": typed},
                )
            raw["max_share"] = percent / 100
        else:
            raw["max_share"] = ""
        raw["one_per_person"] = "1" if self.one_per_person.data else ""
        return raw


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[], validate_choice=False)
    managed_unit = StringField(_l("Unit managed (code)"))


class DisqualifyForm(FlaskForm):
    attempt = StringField(
        _l("Attempt code"),
        description=_l(
            "The code in the first column (filled in by “Disqualify…”), not the participant's attempt number."
        ),
        render_kw={"type": "number", "inputmode": "numeric"},
    )
    reason = TextAreaField(_l("Reason"), render_kw={"rows": 3, "maxlength": 500})


PICTURE_FILES = FileAllowed(["png", "jpg", "jpeg"], _l("Use a PNG or JPEG picture."))


class DocumentsForm(FlaskForm):
    """Who issues the results' documents and the certificates, and how the certificates look."""

    parent_body = StringField(
        _l("Body above the organizers (first line of the heading)"),
        description=_l(
            "For example: UBND TỈNH HÒA BÌNH XANH. Results are published once the heading and signer are set."
        ),
    )
    issuer = StringField(_l("Organizing body"), description=_l("For example: BAN TỔ CHỨC CUỘC THI."))
    help_contact = StringField(
        _l("Contact for participants' help"),
        description=_l(
            "A phone number and an email participants may use (a forgotten password, a question about the rules): "
            "shown on the contest's page and on “Forgot your password?”."
        ),
    )
    place = StringField(_l("Place, for the date line"), description=_l("For example: Hòa Bình Xanh."))
    signer_title = StringField(
        _l("Signer's title"), description=_l("For example: TM. Ban Tổ chức / Trưởng ban (“ / ” starts a new line).")
    )
    signer_name = StringField(_l("Signer's name"))
    text = TextAreaField(_l("Extra wording on certificates (optional)"), render_kw={"rows": 2, "maxlength": 600})
    background = FileField(
        _l("Background picture of the certificates (optional, A4 landscape)"), validators=[PICTURE_FILES]
    )
    remove_background = BooleanField(_l("Remove the background picture"))
    seal = FileField(_l("Seal or logo (optional)"), validators=[PICTURE_FILES])
    remove_seal = BooleanField(_l("Remove the seal or logo"))


class BodyForm(FlaskForm):
    """A new organizing body and its first manager (the platform administrator)."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(message=_l("Enter the body's name.")), Length(max=255)],
        description=_l("For example: Sở Khoa học và Công nghệ tỉnh Hòa Bình Xanh."),
    )
    short_name = StringField(
        _l("Short name"),
        validators=[DataRequired(message=_l("Enter a short name.")), Length(max=60)],
        description=_l("For example: Sở KH&CN."),
    )
    heading = StringField(
        _l("Heading on documents"),
        validators=[Length(max=255)],
        description=_l("The body above it, as the documents' first line: for example UBND TỈNH HÒA BÌNH XANH."),
    )
    manager_phone = StringField(
        _l("Phone of its first manager"), validators=[DataRequired(message=_l("Enter a phone number."))]
    )


class MemberForm(FlaskForm):
    phone = StringField(
        _l("Phone number"),
        validators=[DataRequired(message=_l("Enter a phone number."))],
        description=_l("The person registers first; then add them here by the phone of their account."),
    )
    role = SelectField(_l("Role"), choices=[SelectChoice(role, label) for role, label in BODY_ROLE_LABELS.items()])


class ReviewForm(FlaskForm):
    verdict = SelectField(choices=[SelectChoice("checked", _l("Checked")), SelectChoice("disputed", _l("Disputed"))])
    comment = TextAreaField(
        _l("What is wrong (for a dispute)"),
        validators=[Length(max=1000)],
        render_kw={"rows": 3},
        description=_l("Say which option should be right, or what in the question is unclear, and why."),
    )


class ResolveForm(FlaskForm):
    note = TextAreaField(
        _l("How the dispute was resolved"),
        validators=[DataRequired(message=_l("Say how the dispute was resolved.")), Length(max=1000)],
        render_kw={"rows": 2},
    )
