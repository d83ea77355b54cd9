"""`bank import`, `bank export`: question banks."""

from __future__ import annotations

from pathlib import Path

import click
from flask_babel import gettext as _
from sqlalchemy import select

from contest import clock
from contest.cli.common import (
    bank_cli,
    in_transaction,
    me,
)
from contest.extensions import db
from contest.models import QuestionBank
from contest.services.banks.importing import bank_questions, import_questions
from contest.services.shared.problems import translated
from question_bank.export import has_pictures, write_bank_xlsx, write_bank_zip
from question_bank.gift_export import GiftExportError, write_gift
from question_bank.readers import FORMATS, read_questions


@bank_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--bank", "bank_name", required=True, help="Name of the bank (created if new).")
@click.option("--format", "file_format", type=click.Choice(FORMATS), default="auto", show_default=True)
@click.option("--dry-run", is_flag=True, help="Check the file, import nothing.")
@click.option("--skip-unsupported", is_flag=True, help="Leave out GIFT questions that are not multiple choice.")
@click.option(
    "--body", "body_id", type=int, help="The organizing body of a new bank (`body list`); required with several."
)
@in_transaction
def bank_import(
    file: Path, bank_name: str, file_format: str, dry_run: bool, skip_unsupported: bool, body_id: int | None
) -> None:
    """Import questions, all or nothing; every problem is listed with its row (GIFT/Aiken: line)."""
    result = read_questions(file.name, file.read_bytes(), file_format)
    summary = import_questions(
        db.session(),
        bank_name=bank_name,
        result=result,
        now=clock.now(),
        actor=me(),
        source=file.name,
        dry_run=dry_run,
        skip_unsupported=skip_unsupported,
        body_id=body_id,
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
