"""`body create`, `body add-member`, `body list`: organizing bodies and their members, for the whole platform (the
command line runs on the server)."""

from __future__ import annotations

import click
from flask_babel import gettext as _

from contest import clock
from contest.cli.common import body_cli, in_transaction, me
from contest.extensions import db
from contest.models.bodies import BODY_ROLES
from contest.services.bodies import memberships
from contest.services.people.accounts import find_by_phone


@body_cli.command("create")
@click.option("--name", required=True)
@click.option("--short", "short_name", required=True, help="A short name, for example Sở KH&CN.")
@click.option("--heading", default="", help="The body above it, as its documents' first line.")
@in_transaction
def body_create(name: str, short_name: str, heading: str) -> None:
    """Create an organizing body; its id is printed alone on the last line."""
    body = memberships.create_body(
        db.session(), name=name, short_name=short_name, heading=heading, actor=me(), now=clock.now()
    )
    click.echo(_("created body %(name)s (%(short)s)", name=body.name, short=body.short_name))
    click.echo(str(body.id))


@body_cli.command("add-member")
@click.option("--body", "body_id", type=int, required=True)
@click.option("--phone", required=True, help="The phone of an existing account.")
@click.option("--role", type=click.Choice(list(BODY_ROLES)), required=True)
@in_transaction
def body_add_member(body_id: int, phone: str, role: str) -> None:
    """Give an existing account a role in a body (a second call changes it)."""
    body = memberships.find_body(db.session(), body_id)
    user = find_by_phone(db.session(), phone)
    if user is None:
        raise click.ClickException(_("no account has the phone %(phone)s", phone=phone))
    memberships.add_member(db.session(), body, user, role, actor=me(), now=clock.now())
    click.echo(
        _(
            "%(name)s (%(phone)s) is %(role)s of %(body)s",
            name=user.name,
            phone=user.phone,
            role=role,
            body=body.short_name,
        )
    )


@body_cli.command("list")
def body_list() -> None:
    """Every body: its id, short name, name, and members by role."""
    for summary in memberships.list_bodies(db.session()):
        body = summary.body
        click.echo(f"{body.id}\t{body.short_name}\t{body.name}")
        for membership in summary.members:
            click.echo(f"\t{membership.role}\t{membership.user.phone}\t{membership.user.name}")
