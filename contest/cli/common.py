"""What every command module shares: the command groups, one transaction per command, who runs it."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext

from contest.extensions import db
from contest.models import Round
from contest.services.shared.audit import Actor
from contest.services.shared.errors import DomainError
from contest.services.shared.problems import FileProblems, translated
from question_bank.tables import TableError

T = TypeVar("T")


users_cli = AppGroup("users", help="Accounts.")
units_cli = AppGroup("units", help="The unit tree.")
bank_cli = AppGroup("bank", help="Question banks.")
body_cli = AppGroup("body", help="Organizing bodies and their members.")
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


def me() -> Actor:
    """Who runs this command, as the audit log records it (the services record their own entries)."""
    return Actor.command_line()


def in_transaction(function: Callable[..., T]) -> Callable[..., T]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        with transaction():
            return function(*args, **kwargs)

    return wrapper


def find_round(round_id: int) -> Round:
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        raise click.ClickException(_("no round has the id %(id)d", id=round_id))
    return round_
