"""Forms of the login and registration pages."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from contest.models import User
from contest.services.people.accounts import MAX_PASSWORD_LENGTH
from contest.services.people.profile import Details
from contest.services.people.registration import CATEGORY_LABELS


class LoginForm(FlaskForm):
    phone = StringField(
        _l("Phone number"),
        validators=[DataRequired(message=_l("Enter your phone number.")), Length(max=20)],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Enter your password.")), Length(max=MAX_PASSWORD_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Stay logged in on this device"), default=True)


class RegisterForm(FlaskForm):
    """Fields and CSRF; the rules themselves live in services.registration, shared with the API."""

    name = StringField(_l("Full name"), render_kw={"autocomplete": "name"})
    phone = StringField(_l("Phone number"), render_kw={"autocomplete": "tel", "inputmode": "tel"})
    password = PasswordField(_l("Password"), render_kw={"autocomplete": "new-password"})
    birth_date = StringField(
        _l("Date of birth (optional)"), render_kw={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
    )
    category = SelectField(
        _l("You are"),
        choices=[SelectChoice("", _l("Choose...")), *(SelectChoice(k, v) for k, v in CATEGORY_LABELS.items())],
        default="",
    )
    unit_q = StringField(_l("Your unit"), render_kw={"autocomplete": "off", "type": "search"})
    email = StringField(
        _l("Email (optional)"),
        description=_l("Only to send you a link if you forget your password."),
        render_kw={"autocomplete": "email", "inputmode": "email", "type": "email"},
    )
    consent = BooleanField(_l("I agree to the processing of my personal data as described above."))


class PasswordChangeForm(FlaskForm):
    current = PasswordField(_l("Current password"), render_kw={"autocomplete": "current-password"})
    new = PasswordField(
        _l("New password"), description=_l("At least 8 characters."), render_kw={"autocomplete": "new-password"}
    )


class DeleteAccountForm(FlaskForm):
    confirm = BooleanField(_l("I want to delete my account"))


class ProfileForm(FlaskForm):
    """The participant's own name and category (and, for organizers, the unit), until the first attempt."""

    name = StringField(_l("Full name"), render_kw={"autocomplete": "name", "maxlength": 120})
    category = SelectField(
        _l("You are"),
        choices=[SelectChoice("", _l("Choose...")), *(SelectChoice(k, v) for k, v in CATEGORY_LABELS.items())],
        default="",
    )
    unit = StringField(_l("Unit (code)"))

    @classmethod
    def of(cls, user: User, **options: Any) -> ProfileForm:
        """The form showing `user`'s details (options: WTForms', e.g. formdata=None for a form not posted here)."""
        data = {"name": user.name, "category": user.category or "", "unit": user.unit.code if user.unit else ""}
        return cls(data=data, **options)

    def details(self) -> Details:
        """The posted details as profile.update_profile takes them."""
        return {
            "name": self.name.data or "",
            "unit_code": (self.unit.data or "").strip() or None,
            "category": self.category.data or None,
        }


class ForgotPasswordForm(FlaskForm):
    email = StringField(
        _l("Your email address"), render_kw={"autocomplete": "email", "inputmode": "email", "type": "email"}
    )


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"), description=_l("At least 8 characters."), render_kw={"autocomplete": "new-password"}
    )


class EmailForm(FlaskForm):
    email = StringField(
        _l("Email for password resets"),
        description=_l("Optional: a link is sent here if you forget your password. Leave it empty to remove it."),
        render_kw={"autocomplete": "email", "inputmode": "email", "type": "email"},
    )
