"""`round close`, `round prizes`, `results export`, `results publish`, `certificates export`: a round's outcome."""

from __future__ import annotations

from pathlib import Path

import click
from flask_babel import gettext as _
from sqlalchemy import select

from contest import clock
from contest.cli.common import (
    certificates_cli,
    find_round,
    in_transaction,
    me,
    results_cli,
    round_cli,
)
from contest.extensions import db
from contest.models import User
from contest.services.ranking.prizes import set_prize_plan
from contest.services.ranking.results_export import write_results
from contest.services.results import certificates
from contest.services.results.closing import close_round
from contest.services.results.publishing import publish_results
from contest.services.shared.audit import record


@round_cli.command("close")
@click.argument("round_id", type=int)
@click.option(
    "--outside-tables",
    "outside_tables_ok",
    is_flag=True,
    help="Rank people who belong to no table of the contest outside every table, without a prize (otherwise the "
    "close stops and names them).",
)
@in_transaction
def round_close(round_id: int, outside_tables_ok: bool) -> None:
    """End the round, compute the final ranking (with the prediction tie-break), print the top 10."""
    round_ = find_round(round_id)
    ranked = close_round(db.session(), round_, actor=me(), now=clock.now(), outside_tables_ok=outside_tables_ok)
    names = dict(
        db.session.execute(
            select(User.id, User.name).where(User.id.in_([r.candidate.user_id for r in ranked[:10]]))
        ).all()
    )
    actual = "-" if round_.actual_value is None else round_.actual_value
    click.echo(
        _(
            "round %(id)d closed: %(count)d participants ranked; prediction actual value: %(actual)s",
            id=round_.id,
            count=len(ranked),
            actual=actual,
        )
    )
    for entry in ranked[:10]:
        c = entry.candidate
        click.echo(
            _(
                "%(rank)3d. %(name)s  %(score)s/%(total)s  %(seconds).3fs  prediction %(prediction)s "
                "(off by %(distance)s)  decided by: %(decided_by)s",
                rank=entry.rank,
                name=names.get(c.user_id, "?"),
                score=c.score,
                total=c.total,
                seconds=c.duration_ms / 1000,
                prediction=c.prediction if c.prediction is not None else "-",
                distance=entry.prediction_distance if entry.prediction_distance is not None else "-",
                decided_by=entry.decided_by or "-",
            )
        )


@round_cli.command("prizes")
@click.argument("round_id", type=int)
@click.option("--first", type=click.IntRange(min=0), default=0)
@click.option("--second", type=click.IntRange(min=0), default=0)
@click.option("--third", type=click.IntRange(min=0), default=0)
@click.option("--consolation", type=click.IntRange(min=0), default=0)
@click.option("--max-share", type=float, help="At most this share of the entrants win a prize (0.1 = 10 %).")
@click.option("--one-per-person", is_flag=True, help="One prize per person across the contest, the higher kept.")
@in_transaction
def round_prizes(
    round_id: int, first: int, second: int, third: int, consolation: int, max_share: float | None, one_per_person: bool
) -> None:
    """Set the prizes of a round; they are given at `round close`."""
    round_ = find_round(round_id)
    plan = set_prize_plan(
        db.session(),
        round_,
        {
            "first": first,
            "second": second,
            "third": third,
            "consolation": consolation,
            "max_share": max_share,
            "one_per_person": one_per_person,
        },
        actor=me(),
        now=clock.now(),
    )
    click.echo(_("prizes of round %(id)d: %(plan)s", id=round_id, plan=plan))


@results_cli.command("export")
@click.argument("round_id", type=int)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@in_transaction
def results_export(round_id: int, file: Path) -> None:
    """Write the final ranking, the unit ranking and the rules applied to an .xlsx file."""
    round_ = find_round(round_id)
    if round_.finalized_at is None:
        raise click.ClickException(
            _("round %(id)d has no final ranking yet: run `round close %(id)d` first", id=round_id)
        )
    if file.suffix.lower() != ".xlsx":
        raise click.ClickException(_("the results file must end in .xlsx"))
    count = write_results(db.session(), round_, file, actor=me(), now=clock.now())
    click.echo(
        _("wrote %(count)d ranked participants of round %(id)d to %(file)s", count=count, id=round_id, file=file)
    )


@results_cli.command("publish")
@click.argument("round_id", type=int)
@in_transaction
def results_publish(round_id: int) -> None:
    """Make the closed round's results public at /contests/<slug>/results and issue its certificates."""
    round_ = find_round(round_id)
    report = publish_results(db.session(), round_, actor=me(), now=clock.now())
    click.echo(
        _(
            "results of round %(id)d published: /contests/%(slug)s/results?round=%(id)d; certificates in force: "
            "%(valid)d (new or changed %(issued)d, withdrawn %(revoked)d)",
            id=round_id,
            slug=round_.contest.slug,
            valid=report.valid,
            issued=report.issued,
            revoked=report.revoked,
        )
    )


@certificates_cli.command("export")
@click.argument("round_id", type=int)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def certificates_export(round_id: int, directory: Path) -> None:
    """Write one PDF per certificate in force of the round (participation and prize) into DIRECTORY."""
    round_ = find_round(round_id)
    if round_.results_published_at is None:
        raise click.ClickException(
            _("the results of round %(id)d are not published: run `results publish %(id)d` first", id=round_id)
        )
    try:
        count = sum(1 for _path in certificates.export(db.session(), round_, directory))
    except OSError as error:
        raise click.ClickException(_("cannot write to %(dir)s: %(why)s", dir=directory, why=error.strerror)) from error
    record(db.session(), me(), "certificates.export", f"round:{round_id}", after={"files": count}, now=clock.now())
    db.session.commit()
    click.echo(_("wrote %(count)d certificates of round %(id)d to %(dir)s", count=count, id=round_id, dir=directory))
