"""What the API's tests share."""

from __future__ import annotations

import pytest
from flask import Flask


@pytest.fixture
def hooks(app: Flask) -> list[str]:
    """The paths of the requests that reached the app's hooks (the fast paths in front of Flask answer others)."""
    seen: list[str] = []

    def note() -> None:
        from flask import request

        seen.append(request.path)

    app.before_request_funcs.setdefault(None, []).insert(0, note)  # first: a hook that refuses stops the others
    return seen
