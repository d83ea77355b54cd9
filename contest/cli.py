"""`flask --app wsgi ...` commands of CONTRACT §2. Each exits non-zero with a clear message on bad input.

What they print is translatable: English by default (CONTRACT §2's wording), Vietnamese with CONTEST_CLI_LANG=vi."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from contest import clock
from contest.extensions import db, redis_client
from contest.models import Contest, QuestionBank, Round, User
from contest.models.contests import ELIGIBILITY
from contest.services import demo as demo_service
from contest.services import practice
from contest.services.banks.importing import bank_questions, import_questions
from contest.services.console.audit import Actor, record
from contest.services.console.contests import configure_contest, create_contest
from contest.services.console.rounds import create_round, draw_warnings
from contest.services.errors import DomainError
from contest.services.people.accounts import create_admin as create_admin_account
from contest.services.people.units import import_units
from contest.services.problems import FileProblems, translated
from contest.services.quiz.attempts import finalize_expired
from contest.services.ranking.closing import close_round
from contest.services.ranking.leaderboard import rebuild
from contest.services.ranking.prizes import set_prize_plan
from contest.services.ranking.results_export import write_results
from contest.services.results import certificates
from contest.services.results.publishing import publish_results
from question_bank.export import has_pictures, write_bank_xlsx, write_bank_zip
from question_bank.gift_export import GiftExportError, write_gift
from question_bank.readers import FORMATS, read_questions
from question_bank.tables import TableError, read_table

T = TypeVar("T")

users_cli = AppGroup("users", help="Accounts.")
units_cli = AppGroup("units", help="The unit tree.")
bank_cli = AppGroup("bank", help="Question banks.")
contest_cli = AppGroup("contest", help="Contests.")
round_cli = AppGroup("round", help="Rounds of a contest.")
attempts_cli = AppGroup("attempts", help="Attempts of participants.")
results_cli = AppGroup("results", help="Results of rounds.")
leaderboard_cli = AppGroup("leaderboard", help="Live boards.")
certificates_cli = AppGroup("certificates", help="Certificates of published rounds.")


@contextmanager
def transaction() -> Iterator[None]:
    """Commit on success; on a domain error roll back, print why, and exit 1."""
    try:
        yield
        db.session.commit()
    except FileProblems as error:
        db.session.rollback()
        for problem in error.problems:
            click.echo(str(problem), err=True)
        count = len(error.problems)
        click.echo(
            ngettext("%(num)d problem: nothing was imported", "%(num)d problems: nothing was imported", count), err=True
        )
        sys.exit(1)
    except (DomainError, TableError) as error:
        db.session.rollback()
        raise click.ClickException(translated(error.message)) from error


def _me() -> Actor:
    """Who runs this command, as the audit log records it (the services record their own entries)."""
    return Actor.command_line()


def in_transaction(function: Callable[..., T]) -> Callable[..., T]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        with transaction():
            return function(*args, **kwargs)

    return wrapper


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
    report = demo_service.load_demo(db.session(), actor=_me(), now=clock.now())
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


@users_cli.command("create-admin")
@click.option("--phone", required=True)
@click.option("--name", required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@in_transaction
def create_admin(phone: str, name: str, password_stdin: bool) -> None:
    """Create an administrator account (organizer rights, accounts and roles)."""
    if not password_stdin:
        raise click.UsageError(_("give the password on standard input with --password-stdin"))
    password = sys.stdin.readline().rstrip("\r\n")
    user = create_admin_account(db.session(), name=name, phone=phone, password=password, actor=_me(), now=clock.now())
    click.echo(_("created admin %(name)s (%(phone)s)", name=user.name, phone=user.phone))


@units_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@in_transaction
def units_import(file: Path) -> None:
    """Upsert units by code from a .csv or .xlsx file (code,parent_code,name,kind,headcount)."""
    summary = import_units(db.session(), read_table(file), source=file.name, actor=_me(), now=clock.now())
    click.echo(
        _("imported units: %(created)d created, %(updated)d updated", created=summary.created, updated=summary.updated)
    )


@bank_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--bank", "bank_name", required=True, help="Name of the bank (created if new).")
@click.option("--format", "file_format", type=click.Choice(FORMATS), default="auto", show_default=True)
@click.option("--dry-run", is_flag=True, help="Check the file, import nothing.")
@click.option("--skip-unsupported", is_flag=True, help="Leave out GIFT questions that are not multiple choice.")
@in_transaction
def bank_import(file: Path, bank_name: str, file_format: str, dry_run: bool, skip_unsupported: bool) -> None:
    """Import questions, all or nothing; every problem is listed with its row (GIFT/Aiken: line)."""
    result = read_questions(file.name, file.read_bytes(), file_format)
    summary = import_questions(
        db.session(),
        bank_name=bank_name,
        result=result,
        now=clock.now(),
        actor=_me(),
        source=file.name,
        dry_run=dry_run,
        skip_unsupported=skip_unsupported,
    )
    for notice in summary.notices:
        click.echo(_("note: %(notice)s", notice=notice))
    for skipped in summary.skipped:
        click.echo(_("skipped %(problem)s", problem=skipped))
    count, bank = summary.imported, summary.bank
    if dry_run:
        click.echo(_('dry run: %(count)d questions would be imported into bank "%(bank)s"', count=count, bank=bank))
    else:
        click.echo(_('imported %(count)d questions into bank "%(bank)s"', count=count, bank=bank))


@bank_cli.command("export")
@click.argument("bank_name")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def bank_export(bank_name: str, file: Path) -> None:
    """Write a bank to an .xlsx file in the import layout (a .zip with its pictures beside it when it has any), or
    to a Moodle .gift file (each imports back unchanged; GIFT has no difficulty and no pictures)."""
    bank = db.session.scalar(select(QuestionBank).where(QuestionBank.name == bank_name))
    if bank is None:
        raise click.ClickException(_("no question bank is named '%(name)s'", name=bank_name))
    suffix = file.suffix.lower()
    if suffix not in (".xlsx", ".gift", ".zip"):
        raise click.ClickException(_("the export file must end in .xlsx, .zip (with the pictures) or .gift"))
    rows = bank_questions(db.session(), bank)
    if suffix == ".xlsx" and has_pictures(rows):
        raise click.ClickException(_("the bank has pictures: export it to a .zip file, which holds them"))
    if suffix == ".gift":
        try:
            file.write_text(write_gift(rows), encoding="utf-8")
        except GiftExportError as error:
            raise click.ClickException(translated(error.message)) from error
        count = len(rows)
        if has_pictures(rows):
            click.echo(_("warning: GIFT leaves the pictures out; export to a .zip file to keep them"), err=True)
    elif suffix == ".zip":
        count = write_bank_zip(rows, file)
    else:
        count = write_bank_xlsx(rows, file)
    click.echo(_('exported %(count)d questions of bank "%(bank)s" to %(file)s', count=count, bank=bank.name, file=file))


@contest_cli.command("create")
@click.option("--slug", required=True)
@click.option("--title", required=True)
@click.option("--scope", "scope_code", help="Code of the unit whose subtree may take part (default: all).")
@in_transaction
def contest_create(slug: str, title: str, scope_code: str | None) -> None:
    """Create a published contest."""
    contest = create_contest(db.session(), slug=slug, title=title, scope_code=scope_code, actor=_me(), now=clock.now())
    click.echo(_("created contest %(slug)s", slug=contest.slug))


def _parse_time(value: str, option: str) -> Any:
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
@in_transaction
def contest_configure(
    slug: str,
    chain: str | None,
    unit_ranking: str | None,
    names: str | None,
    eligibility: str | None,
    practice_bank: str | None,
) -> None:
    """Choose the ranking chain, the unit ranking (rate or points), how names are shown, who may take part and the
    practice bank."""
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
        actor=_me(),
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
        actor=_me(),
        now=clock.now(),
        name=name,
        opens_at=_parse_time(opens, "--opens"),
        closes_at=_parse_time(closes, "--closes"),
        question_count=questions,
        minutes=minutes,
        max_attempts=attempts or None,
        bank_name=bank_name,
        draw=draw,
        prediction=prediction,
        reuse_revealed=reuse_revealed,
    )
    click.echo(_("created round %(name)s of contest %(slug)s", name=round_.name, slug=contest.slug))
    for warning in practice.round_sharing_warnings(db.session(), round_.bank) if round_.bank else []:
        click.echo(warning, err=True)
    for warning in draw_warnings(db.session(), round_, clock.now()):
        click.echo(warning, err=True)
    click.echo(str(round_.id))


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


def _round(round_id: int) -> Round:
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        raise click.ClickException(_("no round has the id %(id)d", id=round_id))
    return round_


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
    round_ = _round(round_id)
    ranked = close_round(db.session(), round_, actor=_me(), now=clock.now(), outside_tables_ok=outside_tables_ok)
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
    round_ = _round(round_id)
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
        actor=_me(),
        now=clock.now(),
    )
    click.echo(_("prizes of round %(id)d: %(plan)s", id=round_id, plan=plan))


@results_cli.command("export")
@click.argument("round_id", type=int)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@in_transaction
def results_export(round_id: int, file: Path) -> None:
    """Write the final ranking, the unit ranking and the rules applied to an .xlsx file."""
    round_ = _round(round_id)
    if round_.finalized_at is None:
        raise click.ClickException(
            _("round %(id)d has no final ranking yet: run `round close %(id)d` first", id=round_id)
        )
    if file.suffix.lower() != ".xlsx":
        raise click.ClickException(_("the results file must end in .xlsx"))
    count = write_results(db.session(), round_, file, actor=_me(), now=clock.now())
    click.echo(
        _("wrote %(count)d ranked participants of round %(id)d to %(file)s", count=count, id=round_id, file=file)
    )


@results_cli.command("publish")
@click.argument("round_id", type=int)
@in_transaction
def results_publish(round_id: int) -> None:
    """Make the closed round's results public at /contests/<slug>/results and issue its certificates."""
    round_ = _round(round_id)
    report = publish_results(db.session(), round_, actor=_me(), now=clock.now())
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
    round_ = _round(round_id)
    if round_.results_published_at is None:
        raise click.ClickException(
            _("the results of round %(id)d are not published: run `results publish %(id)d` first", id=round_id)
        )
    try:
        count = sum(1 for _path in certificates.export(db.session(), round_, directory))
    except OSError as error:
        raise click.ClickException(_("cannot write to %(dir)s: %(why)s", dir=directory, why=error.strerror)) from error
    record(db.session(), _me(), "certificates.export", f"round:{round_id}", after={"files": count}, now=clock.now())
    db.session.commit()
    click.echo(_("wrote %(count)d certificates of round %(id)d to %(dir)s", count=count, id=round_id, dir=directory))


@leaderboard_cli.command("rebuild")
@click.option("--round", "round_id", type=int, help="One round (default: every round not yet closed).")
def leaderboard_rebuild(round_id: int | None) -> None:
    """Rebuild the Redis boards from the database (after Redis lost its data, for example)."""
    if redis_client() is None:
        raise click.ClickException(_("REDIS_URL is not set: the boards are read from the database"))
    rounds = (
        [_round(round_id)] if round_id else db.session.scalars(select(Round).where(Round.finalized_at.is_(None))).all()
    )
    for round_ in rounds:
        count = rebuild(db.session(), round_)
        click.echo(_("round %(id)d: %(count)d participants on the board", id=round_.id, count=count))


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_command)
    for group in (
        users_cli,
        units_cli,
        bank_cli,
        contest_cli,
        round_cli,
        attempts_cli,
        results_cli,
        leaderboard_cli,
        certificates_cli,
    ):
        app.cli.add_command(group)
