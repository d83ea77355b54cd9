"""`users create-admin`, `units import`: accounts and the unit tree."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask_babel import gettext as _

from contest import clock
from contest.cli.common import (
    in_transaction,
    me,
    units_cli,
    users_cli,
)
from contest.extensions import db
from contest.services.people.accounts import create_admin as create_admin_account
from contest.services.people.units import import_units
from question_bank.tables import read_table


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
    user = create_admin_account(db.session(), name=name, phone=phone, password=password, actor=me(), now=clock.now())
    click.echo(_("created admin %(name)s (%(phone)s)", name=user.name, phone=user.phone))


@units_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@in_transaction
def units_import(file: Path) -> None:
    """Upsert units by code from a .csv or .xlsx file (code,parent_code,name,kind,headcount)."""
    summary = import_units(db.session(), read_table(file), source=file.name, actor=me(), now=clock.now())
    click.echo(
        _("imported units: %(created)d created, %(updated)d updated", created=summary.created, updated=summary.updated)
    )
