"""Putting a service's refusal (InvalidInput) back on a WTForms form, and listing a refused form's problems."""

from __future__ import annotations

from flask_wtf import FlaskForm

from contest.services.shared.errors import InvalidInput


def show_problems(
    form: FlaskForm,
    error: InvalidInput,
    default: str,
    aliases: dict[str, str] | None = None,
    *,
    per_field: bool = False,
) -> None:
    """Put a service's refusal on the form: on each field it names (through `aliases` where the service's
    name differs), or on `default` when it names none of the form's fields. With `per_field`, the error's
    fields map to their own messages; otherwise each named field shows the whole message."""
    aliases = aliases or {}
    placed = False
    for name, detail in error.fields.items():
        target = aliases.get(name, name)
        if target in form:
            form[target].errors = [*form[target].errors, str(detail) if per_field else str(error.message)]
            placed = True
    if not placed:
        form[default].errors = [*form[default].errors, str(error.message)]


def problems(form: FlaskForm) -> dict[str, str]:
    """Every problem of a refused form by field id, for the summary above it."""
    return {field.id: " ".join(str(message) for message in field.errors) for field in form if field.errors}
