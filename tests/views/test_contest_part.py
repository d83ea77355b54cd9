"""The contest page's part that is the same for everyone is rendered once per settings' version, language and rounds'
states in each process: the next visitor gets the same page without rendering it, an organizer's change or a round
opening shows at once, and the countdowns carry each request's own server time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask, template_rendered

from tests.factories import make_contest, make_round


@pytest.fixture
def rendered(app: Flask) -> Iterator[list[str]]:
    names: list[str] = []

    def remember(sender, template, context, **extra) -> None:  # type: ignore[no-untyped-def]
        names.append(template.name)

    template_rendered.connect(remember, app)
    yield names
    template_rendered.disconnect(remember, app)


def _page(client, slug: str, session) -> str:  # type: ignore[no-untyped-def]
    session.expunge_all()  # what a new request's session holds: nothing
    response = client.get(f"/contests/{slug}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_public_part_is_rendered_once_and_follows_changes_and_time(
    client, session, clock, board_redis, rendered
) -> None:
    contest = make_contest(session, clock(), slug="cds")
    week1 = make_round(session, contest, clock(), name="Tuần 1", opens_in=timedelta(hours=-1))
    make_round(session, contest, clock(), name="Tuần 2", opens_in=timedelta(minutes=30))
    session.commit()
    week1_id = week1.id

    first = _page(client, "cds", session)
    assert "Tuần 1" in first and "Tuần 2" in first and rendered.count("public/_contest_part.html") == 1
    assert first.count('data-server-now="2026-10-10T01:00:00.000Z"') == 2

    clock.advance(seconds=20)
    second = _page(client, "cds", session)
    assert rendered.count("public/_contest_part.html") == 1  # not rendered again
    # the same page but for the server's time, which is this request's
    assert second.count('data-server-now="2026-10-10T01:00:20.000Z"') == 2
    assert second.replace("01:00:20.000Z", "01:00:00.000Z").split("<main")[1] == first.split("<main")[1]

    # an organizer's change
    session.get(type(week1), week1_id).name = "Tuần 1 (sửa)"
    session.commit()
    assert "Tuần 1 (sửa)" in _page(client, "cds", session)
    assert rendered.count("public/_contest_part.html") == 2

    # round 2 opens: its state and its button change with the time alone
    assert _page(client, "cds", session).count("Vào thi") == 1
    clock.advance(minutes=31)
    assert _page(client, "cds", session).count("Vào thi") == 2


def test_each_language_has_its_own_part(client, session, clock, board_redis) -> None:
    contest = make_contest(session, clock(), slug="cds")
    make_round(session, contest, clock(), name="Tuần 1")
    session.commit()
    assert "Các đợt thi" in _page(client, "cds", session)
    english = client.get("/contests/cds?lang=en").get_data(as_text=True)
    assert "Rounds" in english and "Các đợt thi" not in english
