"""Template filters and globals: times in Vietnam time, the current language."""

from __future__ import annotations

import functools
import hashlib
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask, request, url_for
from flask_babel import format_datetime, format_decimal, get_locale, get_translations
from jinja2 import pass_context
from jinja2.runtime import Context
from werkzeug.routing import BuildError

from contest import clock
from contest.auth.scope import can
from contest.labels import (
    AUDIT_ACTION_LABELS,
    BODY_ROLE_LABELS,
    CERTIFICATE_KIND_LABELS,
    CONTEST_STATUS_LABELS,
    PRIZE_LABELS,
    REVIEW_STATE_LABELS,
    ROLE_LABELS,
    UNIT_KIND_LABELS,
)
from contest.numbers import percent_value
from contest.services.people.privacy import mask_name
from contest.services.people.registration import CATEGORY_LABELS
from contest.services.shared import audit


def vn_datetime(moment: datetime | str | None) -> str:
    """10/10/2026 08:00, in Asia/Ho_Chi_Minh whatever the language (from a datetime or the ISO text the API sends)."""
    if not moment:
        return ""
    if isinstance(moment, str):
        moment = clock.parse_iso(moment.replace("Z", "+00:00"))
    return format_datetime(moment, "dd/MM/yyyy HH:mm")


def vn_clock(moment: datetime | str | None) -> str:
    """08:00:05 in Vietnam time, from a datetime or the ISO text the API sends."""
    if not moment:
        return ""
    if isinstance(moment, str):
        moment = clock.parse_iso(moment.replace("Z", "+00:00"))
    return format_datetime(moment, "HH:mm:ss")


def number(value: float | int | None) -> str:
    """1.234 in Vietnamese, 1,234 in English."""
    return "" if value is None else format_decimal(value)


def _digits_pattern(digits: int) -> str:
    """A CLDR number pattern with grouping and exactly `digits` decimals."""
    return "#,##0." + "0" * digits if digits else "#,##0"


def decimal(value: float | None, digits: int = 2) -> str:
    """14,08 in Vietnamese, 14.08 in English: always `digits` decimals."""
    return "" if value is None else format_decimal(value, _digits_pattern(digits))


def minutes_seconds(ms: int | None) -> str:
    """432123 ms -> 7:12,123 in Vietnamese (7:12.123 in English): a duration to the millisecond a tie-break uses."""
    if ms is None:
        return ""
    minutes, rest = divmod(int(ms), 60_000)
    seconds = decimal(rest / 1000, 3)
    return f"{minutes}:{'0' if rest < 10_000 else ''}{seconds}"


def spoken_duration(ms: int | None, precise: bool = False) -> str:
    """432123 ms as people say it: "7 phút 12 giây" ("7 min 12 s"); with `precise`, where the milliseconds decide a
    place, "7 phút 12,123 giây"."""
    if ms is None:
        return ""
    minutes, rest = divmod(int(ms), 60_000)
    seconds = decimal(rest / 1000, 3) if precise else str(rest // 1000)
    english = str(get_locale()) == "en"
    if english:
        return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"
    return f"{minutes} phút {seconds} giây" if minutes else f"{seconds} giây"


def percent(share: float | None, digits: int = 1) -> str:
    """A share (0..1) as 12,5% in Vietnamese, 12.5% in English, rounded half up from its decimal value (as
    numbers.rate_permille rounds rates: 0.0435 is 4,4%, never 4,3% on one page and 4,4% on another)."""
    if share is None:
        return ""
    return format_decimal(percent_value(share, digits), _digits_pattern(digits)) + "%"


def other_language_url(language: str) -> str:
    """This page in the other language. Built from the route, never from the raw path: a path such as
    //evil.example would otherwise become a link to another site."""
    # The page's own filters; url_for's own keywords ("endpoint", "_external", "_method", ...) are not theirs.
    args = {key: value for key, value in request.args.items() if key != "endpoint" and not key.startswith("_")}
    args["lang"] = language
    if request.endpoint and request.endpoint != "static" and request.url_rule is not None:
        try:
            return url_for(request.endpoint, **{**args, **(request.view_args or {})})
        except (BuildError, TypeError, ValueError):
            pass  # an address this rule cannot build again: the home page in the other language
    return url_for("public.index", lang=language)


def static_version(folder: str, filename: str) -> str | None:
    """A short hash of a static file's content, for its URL (?v=...): a browser or nginx may then keep the file a
    year, and a changed file gets a new URL. Read once per file and process (static files change only with a
    release, which restarts the workers)."""
    return _static_version(folder, filename)


@functools.lru_cache(maxsize=256)
def _static_version(folder: str, filename: str) -> str | None:
    path = (Path(folder) / filename).resolve()
    if not path.is_relative_to(Path(folder).resolve()) or not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


PAGE_TRANSLATIONS = "page_translations"


def _translations(context: Context) -> Any:
    """The translations the page was rendered with: looked up once per render (by `inject_globals`), where
    Flask-Babel's own template callables look them up again at every string (about 60 times for a quiz page). A
    template rendered without them (a macro imported without its context) looks them up itself."""
    found = context.get(PAGE_TRANSLATIONS)
    return found if found is not None else get_translations()


@pass_context
def _gettext(context: Context, string: str) -> str:
    return str(_translations(context).ugettext(string))


@pass_context
def _ngettext(context: Context, singular: str, plural: str, count: int) -> str:
    return str(_translations(context).ungettext(singular, plural, count))


@pass_context
def _pgettext(context: Context, message_context: str, string: str) -> str:
    return str(_translations(context).upgettext(message_context, string))


@pass_context
def _npgettext(context: Context, message_context: str, singular: str, plural: str, count: int) -> str:
    return str(_translations(context).unpgettext(message_context, singular, plural, count))


def init_app(app: Flask) -> None:
    # after babel.init_app, whose callables these replace (the same newstyle gettext: escaping and formatting)
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_gettext, ngettext=_ngettext, newstyle=True, pgettext=_pgettext, npgettext=_npgettext
    )

    @app.url_defaults
    def version_static_urls(endpoint: str, values: dict[str, object]) -> None:
        if endpoint == "static" and "v" not in values and app.static_folder:
            version = static_version(app.static_folder, str(values.get("filename", "")))
            if version:
                values["v"] = version

    app.add_template_filter(vn_datetime, "vn_datetime")
    app.add_template_filter(clock.iso_utc, "iso_utc")
    app.add_template_filter(mask_name, "mask_name")
    app.add_template_filter(number, "number")
    app.add_template_filter(decimal, "decimal")
    app.add_template_filter(vn_clock, "vn_clock")
    app.add_template_filter(percent, "percent")
    app.add_template_filter(minutes_seconds, "minutes_seconds")
    app.add_template_filter(spoken_duration, "spoken_duration")
    app.add_template_filter(audit.display_value, "audit_value")

    @app.context_processor
    def inject_globals() -> dict[str, object]:
        locale = get_locale()
        return {
            "role_labels": ROLE_LABELS,
            "body_role_labels": BODY_ROLE_LABELS,
            "review_state_labels": REVIEW_STATE_LABELS,
            "staff_can": can,  # the organizer area's links; the routes check again
            "unit_kind_labels": UNIT_KIND_LABELS,
            "audit_action_labels": AUDIT_ACTION_LABELS,
            "contest_status_labels": CONTEST_STATUS_LABELS,
            "prize_labels": PRIZE_LABELS,
            "certificate_kind_labels": CERTIFICATE_KIND_LABELS,
            "category_labels": CATEGORY_LABELS,
            "current_language": str(locale) if locale else app.config["BABEL_DEFAULT_LOCALE"],
            "now_utc": clock.now(),
            "other_language_url": other_language_url,
            PAGE_TRANSLATIONS: get_translations(),
        }
