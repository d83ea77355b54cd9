"""The contest page's part that is the same for everyone (its rounds, how the ranking works, the rules), rendered
once per contest, settings' version, language and rounds' states in each process, where every arriving participant
asked Jinja for it again. The person's own part (their running attempts, whether they may take part) is rendered
per request around it.

Without Redis there is no settings' version to say the copy is current, and the part is rendered every time."""

from __future__ import annotations

from datetime import datetime

from flask import render_template
from flask_babel import get_locale
from markupsafe import Markup

from contest import clock
from contest.models import Contest
from contest.models.contests import DEFAULT_RANKING_CHAIN
from contest.services.ranking.rules import LINK_LABELS
from contest.services.shared.cache import process_cache
from contest.services.shared.settings_cache import MAX_AGE_S, request_version

SERVER_NOW_MARK = "@@server-now@@"  # where the countdowns' server time goes, filled in per request
PART_TTL_S = MAX_AGE_S  # the key changes with the settings; this bounds a change whose new version was lost


def contest_part(contest: Contest, now: datetime) -> Markup:
    version = request_version()

    def render() -> str:
        return render_template(
            "public/_contest_part.html",
            contest=contest,
            now=now,
            server_now_mark=SERVER_NOW_MARK,
            ranking_chain=contest.ranking_chain or DEFAULT_RANKING_CHAIN,
            link_labels=LINK_LABELS,
        )

    if version is None:
        html = render()
    else:
        # the rounds' states are in the key: a round opening or closing renders the part again
        states = ".".join(round_.state(now) for round_ in contest.rounds)
        key = f"contest-part:{contest.id}:{version}:{get_locale()}:{states}"
        html = process_cache().get_or_compute(key, PART_TTL_S, render)
    return Markup(html.replace(SERVER_NOW_MARK, clock.iso_utc(now)))
