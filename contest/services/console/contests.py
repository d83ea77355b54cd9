"""Contests: setting them up (title, scope, rules, ranking, names, status), and what the public sees of them."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from contest.models import Contest, QuestionBank
from contest.models.contests import (
    CONTEST_STATUSES,
    ELIGIBILITY,
    NAME_DISPLAYS,
    RANKING_LINKS,
    UNIT_RANKING_MODES,
    ContestStatus,
)
from contest.services.bodies.access import within
from contest.services.bodies.memberships import body_for_new
from contest.services.people.units import find_unit
from contest.services.quiz.practice import check_practice_bank, mark_practice
from contest.services.ranking.rules import LINK_LABELS
from contest.services.ranking.tables import validate_tables
from contest.services.shared.audit import Actor, record
from contest.services.shared.errors import InvalidInput, NotFound, Refusals
from contest.services.shared.rich_text import clean_html
from contest.services.shared.settings_cache import cached_graph

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{1,63}")
MAX_TITLE = 255  # the columns' lengths: longer text is refused with a message, not by the database


def create_contest(
    session: Session,
    *,
    slug: str,
    title: str,
    now: datetime,
    actor: Actor,
    scope_code: str | None = None,
    rules: str = "",
    status: str = ContestStatus.PUBLISHED,
    names: str | None = None,
    chain: str | None = None,
    unit_ranking: str | None = None,
    eligibility: str | None = None,
    tables: tuple[dict[str, str], dict[str, str]] | None = None,
    practice_bank: str | None = None,
    body_id: int | None = None,
    require_review: bool = False,
) -> Contest:
    """A new contest of an organizing body (the only one when None); everything is checked before anything is
    stored, and every refusal is reported at once (InvalidInput names each field with its message). A body with a
    heading gives the documents' heading lines."""
    slug = slug.strip()
    refusals = Refusals()
    with refusals.check():
        if not SLUG.fullmatch(slug):
            raise InvalidInput(_("The slug must be 2-64 lower-case letters, digits or hyphens."), {"slug": slug})
        if session.scalar(select(Contest.id).where(Contest.slug == slug)) is not None:
            raise InvalidInput(_("A contest with the slug %(slug)s already exists.", slug=slug), {"slug": slug})
    with refusals.check():
        if status not in CONTEST_STATUSES:
            raise InvalidInput(_("Unknown contest status."), {"status": status})
    body = body_for_new(session, body_id, now)
    contest = Contest(
        slug=slug, status=status, created_at=now, eligibility="anyone", body_id=body.id, require_review=require_review
    )
    if body.heading:
        contest.parent_body, contest.issuer = body.heading, body.name
    _set_every_field(
        session,
        contest,
        refusals,
        title=title,
        scope_code=scope_code,
        rules=rules,
        eligibility=eligibility,
        chain=chain,
        unit_ranking=unit_ranking,
        names=names,
        tables=tables,
        practice_bank=practice_bank,
        now=now,
    )
    refusals.raise_any()
    session.add(contest)
    session.flush()
    record(session, actor, "contest.create", f"contest:{contest.slug}", after=contest_settings(contest), now=now)
    return contest


def _set_every_field(
    session: Session,
    contest: Contest,
    refusals: Refusals,
    *,
    title: str,
    scope_code: str | None,
    rules: str,
    eligibility: str | None,
    chain: str | None,
    unit_ranking: str | None,
    names: str | None,
    tables: tuple[dict[str, str], dict[str, str]] | None,
    practice_bank: str | None,
    now: datetime,
) -> None:
    """The contest form's fields, each checked whatever the others' problems: `refusals` collects them all."""
    with refusals.check():
        _set_title(contest, title)
    with refusals.check():
        _set_scope(session, contest, scope_code)
    contest.rules = clean_html(rules)
    with refusals.check():
        _set_eligibility(contest, eligibility)
    with refusals.check():
        _set_ranking_and_names(contest, chain=chain, unit_ranking=unit_ranking, names=names)
    with refusals.check():
        if tables is not None:
            contest.tables = validate_tables(*tables)
    with refusals.check():
        _set_practice_bank(session, contest, practice_bank, now)


def _set_title(contest: Contest, title: str) -> None:
    if not title.strip():
        raise InvalidInput(_("The contest needs a title."), {"title": title})
    if len(title.strip()) > MAX_TITLE:
        raise InvalidInput(_("The title is at most %(max)d characters.", max=MAX_TITLE), {"title": title})
    contest.title = title.strip()


def _set_scope(session: Session, contest: Contest, scope_code: str | None) -> None:
    scope = None
    if scope_code:
        scope = find_unit(session, scope_code)
        if scope is None:
            raise InvalidInput(_("No unit has the code %(code)s.", code=scope_code), {"scope": scope_code})
    contest.scope_unit = scope


def _set_eligibility(contest: Contest, eligibility: str | None) -> None:
    if eligibility is None:
        return
    if eligibility not in ELIGIBILITY:
        raise InvalidInput(_("Choose who may take part."), {"eligibility": eligibility})
    contest.eligibility = eligibility


def _set_practice_bank(session: Session, contest: Contest, name: str | None, now: datetime) -> None:
    """By the bank's name; "" offers no practice, None leaves it as it is."""
    if name is None:
        return
    if not name.strip():
        contest.practice_bank = None
        return
    bank = session.scalar(
        select(QuestionBank).where(QuestionBank.name == name.strip(), QuestionBank.body_id == contest.body_id)
    )
    if bank is None:  # another body's bank is not named: it does not exist here
        message = _("No question bank is called “%(name)s”.", name=name.strip())
        raise InvalidInput(message, {"practice_bank": message})
    check_practice_bank(session, bank)
    mark_practice(bank, now)
    contest.practice_bank = bank


def contest_settings(contest: Contest) -> dict[str, Any]:
    """What an organizer can change, as the audit log records it before and after."""
    return {
        "title": contest.title,
        "scope": contest.scope_unit.code if contest.scope_unit else None,
        "rules": contest.rules,
        "names": contest.name_display,
        "chain": list(contest.ranking_chain),
        "unit_ranking": contest.unit_ranking,
        "eligibility": contest.eligibility,
        "tables": contest.tables,
        "practice_bank": contest.practice_bank.name if contest.practice_bank else None,
        "require_review": contest.require_review,
    }


def update_contest(
    session: Session,
    contest: Contest,
    *,
    title: str,
    scope_code: str | None,
    rules: str,
    names: str,
    chain: str | None = None,
    unit_ranking: str | None = None,
    eligibility: str | None = None,
    tables: tuple[dict[str, str], dict[str, str]] | None = None,
    practice_bank: str | None = None,
    require_review: bool | None = None,
    actor: Actor,
    now: datetime,
) -> None:
    """Change the title, scope, rules, name display, ranking and who may take part (the slug stays: it is in
    every link)."""
    before = contest_settings(contest)
    refusals = Refusals()
    _set_every_field(
        session,
        contest,
        refusals,
        title=title,
        scope_code=scope_code,
        rules=rules,
        eligibility=eligibility,
        chain=chain,
        unit_ranking=unit_ranking,
        names=names,
        tables=tables,
        practice_bank=practice_bank,
        now=now,
    )
    refusals.raise_any()
    if require_review is not None:
        contest.require_review = require_review
    session.flush()
    after = contest_settings(contest)
    record(session, actor, "contest.edit", f"contest:{contest.slug}", before=before, after=after, now=now)


def configure_contest(
    session: Session,
    contest: Contest,
    *,
    actor: Actor,
    now: datetime,
    chain: str | None = None,
    unit_ranking: str | None = None,
    names: str | None = None,
    eligibility: str | None = None,
    practice_bank: str | None = None,
    require_review: bool | None = None,
) -> Contest:
    """Only the ranking, the names, who may take part, the practice bank and whether rounds draw only checked
    questions (`contest configure`); what is not given stays as it is."""
    before = contest_settings(contest)
    if require_review is not None:
        contest.require_review = require_review
    _set_ranking_and_names(contest, chain=chain, unit_ranking=unit_ranking, names=names)
    _set_eligibility(contest, eligibility)
    _set_practice_bank(session, contest, practice_bank, now)
    after = contest_settings(contest)
    record(session, actor, "contest.configure", f"contest:{contest.slug}", before=before, after=after, now=now)
    return contest


def _set_ranking_and_names(
    contest: Contest, *, chain: str | None = None, unit_ranking: str | None = None, names: str | None = None
) -> None:
    """The organizer's choices: the ranking chain's links and order, the unit ranking, how names show."""
    if chain is not None:
        links = [link.strip() for link in chain.split(",") if link.strip()]
        unknown = [link for link in links if link not in RANKING_LINKS]
        if not links:
            raise InvalidInput(_("The ranking needs at least one criterion."), {"chain": chain})
        if unknown:
            raise InvalidInput(
                _("The ranking chain takes each of %(links)s at most once.", links=", ".join(RANKING_LINKS)),
                {"chain": chain},
            )
        repeated = next((link for index, link in enumerate(links) if link in links[:index]), None)
        if repeated:
            raise InvalidInput(
                _("Each criterion is used once at most: “%(link)s” is chosen twice.", link=LINK_LABELS[repeated]),
                {"chain": chain},
            )
        contest.ranking_chain = links
    if unit_ranking is not None:
        if unit_ranking not in UNIT_RANKING_MODES:
            raise InvalidInput(_("The unit ranking is rate or points."), {"unit_ranking": unit_ranking})
        contest.unit_ranking = unit_ranking
    if names is not None:
        if names not in NAME_DISPLAYS:
            raise InvalidInput(_("Names are shown full or masked."), {"names": names})
        contest.name_display = names


def set_status(session: Session, contest: Contest, status: str, *, actor: Actor, now: datetime) -> None:
    """Draft (hidden), published (visible, rounds can be taken), archived (visible, over)."""
    if status not in CONTEST_STATUSES:
        raise InvalidInput(_("Unknown contest status."), {"status": status})
    before = {"status": contest.status}
    contest.status = status
    record(
        session, actor, "contest.status", f"contest:{contest.slug}", before=before, after={"status": status}, now=now
    )


def find_contest(session: Session, slug: str) -> Contest:
    """Any contest, drafts included, for the organizer area."""
    contest = session.scalar(select(Contest).where(Contest.slug == slug))
    if contest is None:
        raise NotFound(_("This contest does not exist."))
    return contest


def contests_with_rounds(session: Session, bodies: Collection[int] | None = None) -> list[Contest]:
    """The contests of these organizing bodies (all for None), newest first."""
    return list(
        session.scalars(
            select(Contest)
            .where(within(Contest.body_id, bodies))
            .options(selectinload(Contest.rounds))
            .order_by(Contest.created_at.desc())
        )
    )


VISIBLE_STATUSES = (ContestStatus.PUBLISHED, ContestStatus.ARCHIVED)


def public_contests(session: Session) -> list[Contest]:
    query = (
        select(Contest)
        .where(Contest.status.in_(VISIBLE_STATUSES))
        .options(selectinload(Contest.rounds), selectinload(Contest.scope_unit))
        .order_by(Contest.status.desc(), Contest.created_at.desc())
    )
    return list(session.scalars(query))


def public_contest(session: Session, slug: str) -> Contest:
    """A published (or closed) contest with its rounds and scope: from this process's copy of the settings while
    they are unchanged (the contest page reads it)."""
    contest = cached_graph(session, ("public_contest", slug), lambda reader: _public_contest(reader, slug))
    if contest is None:
        raise NotFound(_("This contest does not exist."))
    return contest


def _public_contest(session: Session, slug: str) -> Contest | None:
    return session.scalar(
        select(Contest)
        .where(Contest.slug == slug, Contest.status.in_(VISIBLE_STATUSES))
        .options(selectinload(Contest.rounds), selectinload(Contest.scope_unit))
    )


def help_contacts(session: Session) -> list[tuple[str, str]]:
    """(contest title, whom to ask) of the public contests whose organizers give a contact for help."""
    rows = session.execute(
        select(Contest.title, Contest.help_contact)
        .where(Contest.status.in_(VISIBLE_STATUSES), Contest.help_contact != "")
        .order_by(Contest.title)
    ).all()
    return [(title, contact) for title, contact in rows]
