"""Problem messages as a Vietnamese reader sees them: rendered with the application's catalogue."""

from __future__ import annotations

from pathlib import Path

from babel.support import Translations

from question_bank.messages import Message

CATALOGUE = Translations.load(Path(__file__).resolve().parents[2] / "contest" / "translations", ["vi"])


def vi(message: Message) -> str:
    return message.render(CATALOGUE.gettext)
