"""`demo`, `attempts finalize`, `leaderboard rebuild`: loading the demo and the timers' jobs."""

from __future__ import annotations

import click
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from contest import clock
from contest import demo as demo_service
from contest.cli.common import (
    attempts_cli,
    find_round,
    in_transaction,
    leaderboard_cli,
    me,
)
from contest.extensions import db, redis_client
from contest.models import Round
from contest.services.quiz.attempts import finalize_expired
from contest.services.ranking.leaderboard import rebuild


@click.command("demo")
@click.option(
    "--in-production",
    is_flag=True,
    help="Load it even with production settings (it creates an organizer whose password is published).",
)
@in_transaction
def demo_command(in_production: bool) -> None:
    """Load the demo data (units, question bank, a contest with an open round, accounts)."""
    if current_app.config.get("ENV_NAME") == "production" and not current_app.testing and not in_production:
        raise click.ClickException(
            _(
                "the demo creates an organizer account whose password is published: it is not loaded with "
                "production settings (CONTEST_ENV=production) unless you add --in-production"
            )
        )
    report = demo_service.load_demo(db.session(), actor=me(), now=clock.now())
    if report.changed:
        click.echo(_("demo data: %(created)s", created=", ".join(report.created)))
    else:
        click.echo(_("demo data: already loaded, nothing changed"))
    password = demo_service.ORGANIZER_PASSWORD
    click.echo(
        _(
            "organizer login: phone %(phone)s, password %(password)s",
            phone=demo_service.ORGANIZER_PHONE,
            password=password,
        )
    )
    click.echo(
        _(
            "participant login: phone %(phone)s, password %(password)s",
            phone=demo_service.PARTICIPANT_PHONE,
            password=password,
        )
    )
    click.echo(
        _(
            "unit administrator login: phone %(phone)s, password %(password)s",
            phone=demo_service.UNIT_ADMIN_PHONE,
            password=password,
        )
    )


@attempts_cli.command("finalize")
@in_transaction
def attempts_finalize() -> None:
    """Finish attempts left open past their deadline (run it every minute from cron or a timer)."""
    count = finalize_expired(db.session(), now=clock.now())
    click.echo(
        ngettext(
            "finished %(num)d attempt left open past its deadline",
            "finished %(num)d attempts left open past their deadline",
            count,
        )
    )


@leaderboard_cli.command("rebuild")
@click.option("--round", "round_id", type=int, help="One round (default: every round not yet closed).")
def leaderboard_rebuild(round_id: int | None) -> None:
    """Rebuild the Redis boards from the database (after Redis lost its data, for example)."""
    if redis_client() is None:
        raise click.ClickException(_("REDIS_URL is not set: the boards are read from the database"))
    rounds = (
        [find_round(round_id)]
        if round_id
        else db.session.scalars(select(Round).where(Round.finalized_at.is_(None))).all()
    )
    for round_ in rounds:
        count = rebuild(db.session(), round_)
        click.echo(_("round %(id)d: %(count)d participants on the board", id=round_.id, count=count))
