"""`contest create`, `contest configure`, `round create`: contests and their rounds."""

from __future__ import annotations

from typing import Any

import click
from flask_babel import gettext as _
from sqlalchemy import select

from contest import clock
from contest.cli.common import (
    contest_cli,
    in_transaction,
    me,
    round_cli,
)
from contest.extensions import db
from contest.models import Contest
from contest.models.contests import ELIGIBILITY
from contest.services.banks.review import checked_counts
from contest.services.console.contests import configure_contest, create_contest
from contest.services.console.rounds import create_round, draw_warnings
from contest.services.quiz import practice


@contest_cli.command("create")
@click.option("--slug", required=True)
@click.option("--title", required=True)
@click.option("--scope", "scope_code", help="Code of the unit whose subtree may take part (default: all).")
@click.option("--body", "body_id", type=int, help="The organizing body's id (`body list`); required with several.")
@in_transaction
def contest_create(slug: str, title: str, scope_code: str | None, body_id: int | None) -> None:
    """Create a published contest of an organizing body."""
    contest = create_contest(
        db.session(), slug=slug, title=title, scope_code=scope_code, body_id=body_id, actor=me(), now=clock.now()
    )
    click.echo(_("created contest %(slug)s", slug=contest.slug))


def parse_time(value: str, option: str) -> Any:
    try:
        return clock.parse_iso(value)
    except ValueError as error:
        raise click.BadParameter(
            _("'%(value)s' is not an ISO 8601 time (2026-10-10T08:00)", value=value), param_hint=option
        ) from error


@contest_cli.command("configure")
@click.option("--slug", required=True)
@click.option("--chain", help="Ranking links in order, e.g. score,prediction,duration,submitted_at")
@click.option("--unit-ranking", type=click.Choice(["rate", "points"]))
@click.option("--names", type=click.Choice(["full", "masked"]), help="How public boards show names.")
@click.option(
    "--eligibility",
    type=click.Choice(list(ELIGIBILITY)),
    help="Who may take part: anyone, staff_list (phones on their unit's staff list) or approval (by the unit admin).",
)
@click.option(
    "--practice-bank",
    help='The bank practice (/contests/<slug>/practice) draws from; "" for no practice. No round may use it.',
)
@click.option(
    "--require-review",
    type=click.Choice(["on", "off"]),
    help="on: rounds draw only questions whose key a second person checked (off unless set).",
)
@in_transaction
def contest_configure(
    slug: str,
    chain: str | None,
    unit_ranking: str | None,
    names: str | None,
    eligibility: str | None,
    practice_bank: str | None,
    require_review: str | None,
) -> None:
    """Choose the ranking chain, the unit ranking (rate or points), how names are shown, who may take part, the
    practice bank and whether rounds draw only checked questions."""
    contest = db.session.scalar(select(Contest).where(Contest.slug == slug))
    if contest is None:
        raise click.ClickException(_("no contest has the slug '%(slug)s'", slug=slug))
    configure_contest(
        db.session(),
        contest,
        chain=chain,
        unit_ranking=unit_ranking,
        names=names,
        eligibility=eligibility,
        practice_bank=practice_bank,
        require_review=None if require_review is None else require_review == "on",
        actor=me(),
        now=clock.now(),
    )
    click.echo(
        _(
            "contest %(slug)s: chain %(chain)s; units by %(units)s; names %(names)s; who may take part: %(who)s",
            slug=slug,
            chain=",".join(contest.ranking_chain),
            units=contest.unit_ranking,
            names=contest.name_display,
            who=contest.eligibility,
        )
    )
    if contest.require_review:
        click.echo(_("rounds draw only questions whose key a second person checked"))
    if contest.practice_bank is not None:
        click.echo(_('practice from bank "%(bank)s"', bank=contest.practice_bank.name))
        for warning in practice.practice_sharing_warnings(db.session(), contest.practice_bank):
            click.echo(warning, err=True)


@round_cli.command("create")
@click.option("--contest", "slug", required=True)
@click.option("--name", required=True)
@click.option("--opens", required=True, help="ISO 8601; without an offset, Vietnam time.")
@click.option("--closes", required=True, help="ISO 8601; without an offset, Vietnam time.")
@click.option("--questions", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--minutes", type=click.IntRange(min=1), default=15, show_default=True)
@click.option("--attempts", type=click.IntRange(min=0), default=1, show_default=True, help="0: unlimited.")
@click.option("--bank", "bank_name")
@click.option("--draw", help='"topic:difficulty:count,..." (empty topic or difficulty: any)')
@click.option(
    "--prediction", type=click.Choice(["full_score", "participants", "none"]), default="full_score", show_default=True
)
@click.option(
    "--reuse-revealed",
    is_flag=True,
    help="Also draw questions whose right answers earlier rounds have shown (by default they are left out).",
)
@in_transaction
def round_create(
    slug: str,
    name: str,
    opens: str,
    closes: str,
    questions: int,
    minutes: int,
    attempts: int,
    bank_name: str | None,
    draw: str | None,
    prediction: str,
    reuse_revealed: bool,
) -> None:
    """Create a round; its id is printed alone on the last line."""
    contest = db.session.scalar(select(Contest).where(Contest.slug == slug))
    if contest is None:
        raise click.ClickException(_("no contest has the slug '%(slug)s'", slug=slug))
    round_ = create_round(
        db.session(),
        contest=contest,
        actor=me(),
        now=clock.now(),
        name=name,
        opens_at=parse_time(opens, "--opens"),
        closes_at=parse_time(closes, "--closes"),
        question_count=questions,
        minutes=minutes,
        max_attempts=attempts or None,
        bank_name=bank_name,
        draw=draw,
        prediction=prediction,
        reuse_revealed=reuse_revealed,
    )
    click.echo(_("created round %(name)s of contest %(slug)s", name=round_.name, slug=contest.slug))
    if contest.require_review and round_.bank is not None:
        click.echo(_("checked questions by topic and difficulty (what the round draws from):"))
        for (topic, difficulty), count in sorted(checked_counts(db.session(), round_.bank).items()):
            click.echo(f"  {topic or '*'}:{difficulty}: {count}")
    for warning in practice.round_sharing_warnings(db.session(), round_.bank) if round_.bank else []:
        click.echo(warning, err=True)
    for warning in draw_warnings(db.session(), round_, clock.now()):
        click.echo(warning, err=True)
    click.echo(str(round_.id))
