"""Numbers from addresses and forms that the database compares with its integer columns.

PostgreSQL refuses a number beyond its integer range with an error (a 500) where SQLite would just find
nothing; these keep every such number in range, so an out-of-range id is a plain 404 or a clear message."""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from werkzeug.datastructures import MultiDict
from werkzeug.routing import IntegerConverter

from contest.numbers import whole_number

MAX_ID = 2**31 - 1  # PostgreSQL's integer


class IdConverter(IntegerConverter):
    """`<int:...>` in a route: a number from 0 to MAX_ID, or the route does not match (404)."""

    def __init__(self, url_map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def bounded_int(args: MultiDict[str, str], name: str, default: int, *, low: int = 0, high: int = MAX_ID) -> int:
    """An integer argument of `args` (a query string's) held within [low, high]; the default when absent or
    unreadable."""
    value = args.get(name, default, type=int)
    return min(max(value, low), high)


def int_arg(name: str, default: int, *, low: int = 0, high: int = MAX_ID) -> int:
    """An integer query argument of this request, as `bounded_int` reads it."""
    return bounded_int(request.args, name, default, low=low, high=high)


def as_id(text: str) -> int | None:
    """A form field holding an id: the number, or None when it is not one the database can hold."""
    number = whole_number(text)
    return number if number is not None and number <= MAX_ID else None


def init_app(app: Flask) -> None:
    """Before any blueprint is registered: their `<int:...>` rules use the bounded converter."""
    app.url_map.converters["int"] = IdConverter
