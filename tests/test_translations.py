"""Every translatable string has its Vietnamese translation, and the compiled catalogue is current."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "contest" / "translations" / "vi" / "LC_MESSAGES"
# As babel.cfg and `make translations` extract them: the app, the bank logic's problem messages, the pages.
METHODS = [("contest/**.py", "python"), ("question_bank/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None, "N_": None}


def _source_messages() -> set[str]:
    keywords = KEYWORDS
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(ROOT, METHODS, keywords=keywords):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _key(value: str | tuple | list) -> str:
    """A message id or translation; plural forms are named by their first form."""
    return value if isinstance(value, str) else value[0]


def test_every_string_in_the_code_is_translated_to_vietnamese() -> None:
    with open(CATALOGUE / "messages.po", "rb") as handle:
        catalogue = read_po(handle, locale="vi")
    translated = {
        _key(message.id) for message in catalogue if message.id and _key(message.string) and not message.fuzzy
    }
    missing = sorted(_source_messages() - translated)
    assert missing == [], "run `make translations` and translate these in messages.po"


def test_compiled_catalogue_matches_the_po_file() -> None:
    with open(CATALOGUE / "messages.po", "rb") as handle:
        source = {
            _key(m.id): tuple(m.string) if not isinstance(m.string, str) else m.string
            for m in read_po(handle, locale="vi")
            if m.id
        }
    compiled = {
        _key(m.id): tuple(m.string) if not isinstance(m.string, str) else m.string
        for m in read_mo(io.BytesIO((CATALOGUE / "messages.mo").read_bytes()))
        if m.id
    }
    assert compiled == source, "run `make translations` to compile messages.mo"


def test_the_extraction_sees_messages_of_every_kind() -> None:
    """The check above would pass on nothing found: it must see a deferred file problem (N_) of question_bank,
    one of contest's services, a lazy label and a template's string."""
    found = _source_messages()
    assert "the file holds no question" in found  # N_ in contest/services/banks/importing.py
    assert any(message.startswith("row ") or "option" in message for message in found)  # question_bank's N_
    assert "Unit administrator" in found  # _l in contest/labels.py
    assert "Skip to content" in found  # templates/base.html
