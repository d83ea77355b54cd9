"""`flask --app wsgi ...` commands of CONTRACT §2, one module per domain. Each exits non-zero with a clear message on
bad input.

What they print is translatable: English by default (CONTRACT §2's wording), Vietnamese with CONTEST_CLI_LANG=vi."""

from __future__ import annotations

from flask import Flask

from contest.cli import banks, bodies, contests, maintenance, people, results
from contest.cli.common import (
    attempts_cli,
    bank_cli,
    body_cli,
    certificates_cli,
    contest_cli,
    leaderboard_cli,
    results_cli,
    round_cli,
    units_cli,
    users_cli,
)

COMMAND_MODULES = (banks, bodies, contests, maintenance, people, results)  # importing them registers their commands


def init_app(app: Flask) -> None:
    app.cli.add_command(maintenance.demo_command)
    app.cli.add_command(maintenance.work_command)
    for group in (
        users_cli,
        units_cli,
        bank_cli,
        body_cli,
        contest_cli,
        round_cli,
        attempts_cli,
        results_cli,
        leaderboard_cli,
        certificates_cli,
    ):
        app.cli.add_command(group)
