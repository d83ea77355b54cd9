"""`demo`, `work`, `attempts finalize`, `leaderboard rebuild`: the demo, the worker for long jobs, the timers' jobs."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

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
from contest.services.results import drawing, reports


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
    logins = (
        (_("organizer login: phone %(phone)s, password %(password)s"), demo_service.ORGANIZER_PHONE),
        (_("participant login: phone %(phone)s, password %(password)s"), demo_service.PARTICIPANT_PHONE),
        (_("unit administrator login: phone %(phone)s, password %(password)s"), demo_service.UNIT_ADMIN_PHONE),
        (
            _("key reviewer (thẩm định) of the department: phone %(phone)s, password %(password)s"),
            demo_service.REVIEWER_PHONE,
        ),
        (
            _("organizer of the youth union (sees only its contest): phone %(phone)s, password %(password)s"),
            demo_service.YOUTH_ORGANIZER_PHONE,
        ),
    )
    for line, phone in logins:
        click.echo(line % {"phone": phone, "password": demo_service.ORGANIZER_PASSWORD})


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


@click.command("work")
@click.option("--until-done", is_flag=True, help="Stop when no work waits (else wait for more).")
@click.option("--poll", type=click.FloatRange(min=0.1), default=2.0, show_default=True, help="Seconds between looks.")
@click.option("--verbose", "-v", is_flag=True, help="Print every certificate stored and report computed.")
def work_command(until_done: bool, poll: float, verbose: bool) -> None:
    """The worker for the long jobs, run beside the web server (on PostgreSQL several share the work): it draws
    the certificates that publishing queued, one at a time, storing each PDF, and computes the reviews of large
    rounds (integrity flags, question analysis) asked for on their pages."""
    drawn = computed = failed = 0
    started = time.monotonic()
    while True:
        try:
            certificate_id = drawing.draw_next(db.session(), now=clock.now())
            claim = None if certificate_id is not None else reports.claim_next(db.session(), now=clock.now())
            db.session.commit()  # a report's claim is committed before it is computed: nobody waits on its row
            if claim is not None:
                reports.compute_claimed(db.session(), claim)
                db.session.commit()
        except drawing.DrawingFailed as failure:
            db.session.rollback()
            failures = drawing.record_failure(db.session(), failure.certificate_id, failure.reason)
            db.session.commit()
            failed += 1
            click.echo(
                _(
                    "certificate %(id)d not drawn (try %(tries)d of %(max)d): %(why)s",
                    id=failure.certificate_id,
                    tries=failures,
                    max=drawing.MAX_FAILURES,
                    why=failure.reason,
                ),
                err=True,
            )
            continue
        except reports.ReportFailed as failure:
            db.session.rollback()
            reports.record_failure(db.session(), failure.round_id, failure.kind, failure.reason)
            db.session.commit()
            failed += 1
            click.echo(
                _(
                    "report %(kind)s of round %(id)d not computed: %(why)s",
                    kind=failure.kind,
                    id=failure.round_id,
                    why=failure.reason,
                ),
                err=True,
            )
            continue
        except SQLAlchemyError as error:  # the database restarting: wait and go on, nothing was stored
            db.session.rollback()
            click.echo(_("database unavailable (%(why)s): trying again", why=type(error).__name__), err=True)
            time.sleep(poll)
            continue
        if certificate_id is None and claim is None:
            if until_done:
                break
            time.sleep(poll)
            continue
        if claim is not None:
            computed += 1
            if verbose:
                click.echo(_("computed report %(kind)s of round %(id)d", kind=claim.kind, id=claim.round_id))
            continue
        drawn += 1
        if verbose:
            click.echo(_("stored certificate %(id)d", id=certificate_id))
        if drawn % 100 == 0:
            rate = drawn / max(time.monotonic() - started, 1e-9)
            click.echo(_("%(count)d certificates drawn (%(rate).1f a second)", count=drawn, rate=rate))
    click.echo(
        _(
            "drew %(count)d certificates, computed %(reports)d reports, %(failed)d failures",
            count=drawn,
            reports=computed,
            failed=failed,
        )
    )
