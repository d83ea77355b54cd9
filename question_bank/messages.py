"""Messages about a file, translatable without tying this package to a framework.

A message is an English template with %(name)s placeholders (the gettext msgid) and its values, made
with `N_(template, **values)` so that `pybabel extract -k N_` finds the template. The application renders
it in the reader's language by passing its own `gettext`; a value that is itself a Message is rendered in
the same language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Translate = Callable[[str], str]


@dataclass(frozen=True)
class Message:
    template: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, translate: Translate | None = None) -> str:
        text = translate(self.template) if translate else self.template
        if not self.params:
            return text
        values = {
            name: value.render(translate) if isinstance(value, Message) else value
            for name, value in self.params.items()
        }
        return text % values

    def __str__(self) -> str:
        return self.render()


def N_(template: str, **params: Any) -> Message:
    """A message to translate when it is shown, not now."""
    return Message(template, params)
