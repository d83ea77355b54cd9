"""Routes of the public pages."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from flask import Response, abort, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_login import current_user

from contest import clock
from contest.auth.scope import can
from contest.downloads import pdf_download, xlsx_download
from contest.extensions import db, limiter, redis_client
from contest.ids import int_arg
from contest.models import Attempt, Contest
from contest.public import bp
from contest.public.contest_part import contest_part
from contest.public_address import absolute
from contest.security_headers import CONTENT_SECURITY_POLICY, talisman
from contest.services.banks import pictures
from contest.services.bodies.access import Right
from contest.services.console.contests import find_contest, public_contest, public_contests
from contest.services.people import eligibility
from contest.services.people.units import find_unit
from contest.services.quiz import attempts
from contest.services.ranking import bulletin, contest_ranking, leaderboard, live_counts, tables
from contest.services.ranking.bulletin import write_bulletin
from contest.services.ranking.result_rank import board_place
from contest.services.ranking.rules import LINK_LABELS
from contest.services.results import announcement, documents, sharing
from contest.services.shared import health
from contest.services.shared.errors import NotFound
from question_bank.text import without_accents

DIGEST = re.compile(r"[0-9a-f]{64}")
PAGE_SIZE = 50
MAX_PAGE_NUMBER = leaderboard.MAX_OFFSET // PAGE_SIZE


@bp.get("/")
def index() -> ResponseReturnValue:
    contests = public_contests(db.session())
    now = clock.now()
    return render_template("public/index.html", contests=contests, now=now, running=_running(now))


def _running(now: datetime, contest: Contest | None = None) -> list[Attempt]:
    """The signed-in person's attempts still running (of this contest), shown first."""
    if not current_user.is_authenticated:
        return []
    found = attempts.running_attempts(db.session(), current_user, now)
    return [attempt for attempt in found if contest is None or attempt.round.contest_id == contest.id]


@bp.get("/contests/<slug>")
def contest_page(slug: str) -> ResponseReturnValue:
    try:
        contest = public_contest(db.session(), slug)
    except NotFound:
        contest = find_contest(db.session(), slug)  # the staff of its body preview a draft, marked as such
        if not can(Right.CONTESTS, contest.body_id):
            raise
    standing = eligibility.standing(db.session(), current_user, contest) if current_user.is_authenticated else None
    now = clock.now()
    return render_template(
        "public/contest.html",
        contest=contest,
        standing=standing,
        now=now,
        running=_running(now, contest),
        public_part=contest_part(contest, now),
        share_address=sharing.contest_address(contest),
        share_card=absolute(f"/contests/{contest.slug}/card.png"),
        share_description=sharing.description(contest),
    )


def _names_self(query: str) -> bool:
    """Whether a board search is the signed-in person's own full name (accents and case aside)."""
    return bool(query.strip()) and without_accents(query) == without_accents(current_user.name)


@bp.get("/contests/<slug>/leaderboard")
def leaderboard_page(slug: str) -> ResponseReturnValue:
    contest = public_contest(db.session(), slug)
    rounds = [round_ for round_ in contest.rounds if round_.opens_at <= clock.now()]
    chosen = request.args.get("round", type=int)
    round_ = next((r for r in rounds if r.id == chosen), None) or live_counts.featured_round(contest)
    context: dict[str, Any] = {
        "contest": contest,
        "rounds": rounds,
        "round": round_,
        "hidden": False,
        "page": None,
        "units": [],
        "found": None,
        "query": request.args.get("q", ""),
        "parent": request.args.get("parent", ""),
        "whole": None,
        "my_row": None,  # the signed-in person's row on this page, marked
        "my_page": None,  # the page their row is on
        "tables": tables.tables_of(contest),
        "table": leaderboard.table_arg(contest, request.args.get("table")),
    }
    if request.args.get("round") == "all":
        offset = (int_arg("page", 1, low=1, high=MAX_PAGE_NUMBER) - 1) * PAGE_SIZE
        entries, total = contest_ranking.cached_contest_individuals(
            db.session(), contest, limit=PAGE_SIZE, offset=offset
        )
        context.update(round=None, whole={"entries": entries, "total": total}, page_number=offset // PAGE_SIZE + 1)
    elif round_ is not None:
        offset = (int_arg("page", 1, low=1, high=MAX_PAGE_NUMBER) - 1) * PAGE_SIZE
        try:
            context["page"] = leaderboard.individual_page(
                db.session(), round_, limit=PAGE_SIZE, offset=offset, table=context["table"]
            )
        except leaderboard.BoardHidden:
            context["hidden"] = True
        if not context["hidden"]:
            parent = leaderboard.unit_code_arg(context["parent"])
            context["units"] = leaderboard.unit_ranking(db.session(), round_, parent)
            if context["query"]:
                context["found"] = leaderboard.cached_search(db.session(), round_, context["query"])
        context["page_number"] = offset // PAGE_SIZE + 1
    if round_ is not None and context["page"] is not None and current_user.is_authenticated:
        # "Xem vị trí của tôi": the page of the board the person's own row is on
        place = board_place(db.session(), round_, current_user.id, context["table"])
        context["my_page"] = (place - 1) // PAGE_SIZE + 1 if place is not None else None
        if place is not None and context["found"] is not None and _names_self(context["query"]):
            # one's own full name finds one's own row (others' hidden name parts stay unsearchable)
            own = leaderboard.individual_page(
                db.session(),
                round_,
                limit=PAGE_SIZE,
                offset=(place - 1) // PAGE_SIZE * PAGE_SIZE,
                table=context["table"],
            )
            mine = [entry for entry in own.entries if entry["user_id"] == current_user.id]
            context["found"] = mine + [entry for entry in context["found"] if entry["user_id"] != current_user.id]
    if context["page"] is not None and current_user.is_authenticated:
        context["my_row"] = next(
            (
                {"name": e["name"], "unit": e["unit"]}
                for e in context["page"].entries
                if e["user_id"] == current_user.id
            ),
            None,
        )
    return render_template("public/leaderboard.html", page_size=PAGE_SIZE, **context)


def _bulletin_rows(contest: Contest) -> tuple[datetime, list[tuple[bulletin.BulletinRow, int]]]:
    try:
        at = bulletin.bulletin_moment(request.args.get("date"), request.args.get("hour", type=int))
    except ValueError:
        abort(400)
    return at, bulletin.cached_bulletin(db.session(), contest, at)


@bp.get("/contests/<slug>/bulletin")
def bulletin_page(slug: str) -> ResponseReturnValue:
    contest = public_contest(db.session(), slug)
    at, rows = _bulletin_rows(contest)
    return render_template("public/bulletin.html", contest=contest, at=at, rows=rows)


@bp.get("/contests/<slug>/bulletin.xlsx")
def bulletin_xlsx(slug: str) -> ResponseReturnValue:
    contest = public_contest(db.session(), slug)
    at, rows = _bulletin_rows(contest)
    name = f"ban-tin-{contest.slug}-{clock.to_vietnam(at):%Y%m%d-%H%M}.xlsx"
    return xlsx_download(lambda target: write_bulletin(contest, at, rows, target), name)


@bp.get("/contests/<slug>/screen")
def screen_page(slug: str) -> ResponseReturnValue:
    contest = public_contest(db.session(), slug)
    return render_template("public/screen.html", contest=contest, data=live_counts.screen_data(db.session(), contest))


def _results(slug: str) -> announcement.RoundResults:
    contest = public_contest(db.session(), slug)
    staff = can(Right.CONTESTS, contest.body_id)
    round_ = announcement.chosen_round(contest, request.args.get("round", type=int), staff=staff)
    return announcement.round_results(db.session(), round_)


@bp.get("/contests/<slug>/results")
def results_page(slug: str) -> ResponseReturnValue:
    results = _results(slug)
    return render_template(
        "public/results.html",
        results=results,
        contest=results.contest,
        rounds=announcement.published_rounds(results.contest),
        link_labels=LINK_LABELS,
    )


def _results_name(results: announcement.RoundResults, suffix: str) -> str:
    return f"ket-qua-{results.contest.slug}-dot-{results.round.id}.{suffix}"


@bp.get("/contests/<slug>/results.pdf")
def results_pdf(slug: str) -> ResponseReturnValue:
    results = _results(slug)
    return pdf_download(documents.cached_results_pdf(results), _results_name(results, "pdf"), inline=True)


@bp.get("/contests/<slug>/results.xlsx")
def results_xlsx(slug: str) -> ResponseReturnValue:
    results = _results(slug)
    return xlsx_download(lambda target: documents.results_xlsx(results, target), _results_name(results, "xlsx"))


@bp.get("/huong-dan")
def guide() -> ResponseReturnValue:
    """The participants' guide: written prose in each language, so one template per language."""
    return render_template(f"public/guide_{get_locale() or 'vi'}.html")


SHARE_CACHE = "public, max-age=3600"


@bp.get("/contests/<slug>/qr.<any(svg, png):kind>")
def contest_qr(slug: str, kind: str) -> ResponseReturnValue:
    """The poster QR code of the contest's address."""
    contest = public_contest(db.session(), slug)
    mimetype = "image/svg+xml" if kind == "svg" else "image/png"
    response = Response(sharing.qr(contest, kind), mimetype=mimetype)
    response.headers["Cache-Control"] = SHARE_CACHE
    response.headers["Content-Disposition"] = f'inline; filename="qr-{contest.slug}.{kind}"'
    return response


@bp.get("/contests/<slug>/card.png")
def contest_card(slug: str) -> ResponseReturnValue:
    """The image Zalo and Facebook show with a shared link (og:image)."""
    contest = public_contest(db.session(), slug)
    response = Response(sharing.card(contest), mimetype="image/png")
    response.headers["Cache-Control"] = SHARE_CACHE
    return response


@bp.get("/contests/<slug>/widget")
@talisman(frame_options=None, content_security_policy={**CONTENT_SECURITY_POLICY, "frame-ancestors": "*"})  # type: ignore[untyped-decorator]  # any portal may frame it
def contest_widget(slug: str) -> ResponseReturnValue:
    """The live counter a unit's portal embeds in an iframe (static/js/embed.js writes the iframe):
    the contest's participants and, with ?unit=CODE, that unit's participation rate."""
    contest = public_contest(db.session(), slug)
    code = leaderboard.unit_code_arg(request.args.get("unit"))
    unit = find_unit(db.session(), code) if code else None
    if code and unit is None:
        abort(404)
    data = sharing.widget_data(db.session(), contest, unit)
    response = Response(render_template("public/widget.html", contest=contest, data=data, unit=unit))
    response.headers["Cache-Control"] = "public, max-age=10"
    return response


@bp.get("/pictures/<digest>.webp")
def picture(digest: str) -> ResponseReturnValue:
    """A question's or an option's picture; its address is its content's digest, so it never changes."""
    if not DIGEST.fullmatch(digest):
        abort(404)
    data = pictures.picture_data(db.session(), digest)
    if data is None:
        abort(404)
    response = Response(data, mimetype="image/webp")
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.headers["ETag"] = f'"{digest}"'
    return response


@bp.get("/healthz")
@limiter.exempt
def healthz() -> ResponseReturnValue:
    """200 when the database answers; Redis is reported, never fatal."""
    database, cache = health.database_state(db.session()), health.redis_state(redis_client())
    status = 200 if database == "up" else 503
    return jsonify({"status": "ok" if status == 200 else "error", "database": database, "redis": cache}), status
