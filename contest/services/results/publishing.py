"""Publishing a closed round's results: the public page, and the certificates issued with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from contest.models import Contest, RankingEntry, Round, User
from contest.services.ranking.leaderboard import ranked_people
from contest.services.results.certificates import IssueReport, issue_for_round, statement_of
from contest.services.shared.audit import Actor, record
from contest.services.shared.cache import forget_at_commit
from contest.services.shared.errors import DomainError

# What every official document and certificate states of who issues it; publishing waits until each is set.
DOCUMENT_FIELDS = {
    "parent_body": _l("the body above the organizers"),
    "issuer": _l("the organizing body"),
    "place": _l("the place of the date line"),
    "signer_title": _l("the signer's title"),
    "signer_name": _l("the signer's name"),
}


class DocumentsIncomplete(DomainError):
    code = "documents_incomplete"


def missing_document_fields(contest: Contest) -> list[str]:
    """The heading and signature fields still empty (the settings page sets them)."""
    return [str(label) for name, label in DOCUMENT_FIELDS.items() if not str(getattr(contest, name) or "").strip()]


@dataclass(frozen=True)
class PublishPlan:
    """What publishing would do now: the certificates it would issue, and what keeps it from being done."""

    participation: int
    prizes: int
    missing: list[str]
    sample: dict[str, Any] | None  # the statement of one certificate (the first winner's, else the first ranked)

    @property
    def certificates(self) -> int:
        return self.participation + self.prizes


def publish_plan(session: Session, round_: Round, now: datetime) -> PublishPlan:
    alive = [RankingEntry.round_id == round_.id, User.anonymised_at.is_(None)]
    participation, prizes = session.execute(
        select(func.count(RankingEntry.id), func.count(RankingEntry.prize))
        .join(User, User.id == RankingEntry.user_id)
        .where(*alive)
    ).one()
    first = session.execute(
        ranked_people(round_.id)
        .where(User.anonymised_at.is_(None))
        .order_by(RankingEntry.prize.is_(None), RankingEntry.rank)
        .limit(1)
    ).first()
    sample = None
    if first is not None:
        entry, name, unit = first
        kind = "prize" if entry.prize else "participation"
        sample = statement_of(round_.contest, round_, name, unit or "", entry, kind, round_.results_published_at or now)
    return PublishPlan(participation, prizes, missing_document_fields(round_.contest), sample)


class NotRanked(DomainError):
    code = "not_ranked"


def publish_results(session: Session, round_: Round, *, actor: Actor, now: datetime) -> IssueReport:
    """Make the round's results public and issue its certificates. Publishing again (after the round was closed
    again) keeps the first publication's date and brings the certificates in line."""
    if round_.finalized_at is None:
        raise NotRanked(_("Close the round first: its results are published from its final ranking."))
    missing = missing_document_fields(round_.contest)
    if missing:
        raise DocumentsIncomplete(
            _(
                "The results cannot be published yet: the certificates and documents would be issued without %(what)s. "
                "Set them on the page “Heading, signer and certificate design”.",
                what=", ".join(missing),
            )
        )
    first = round_.results_published_at is None
    if first:
        round_.results_published_at = now
    report = issue_for_round(session, round_, now)
    action = "round.results_publish" if first else "round.results_republish"
    after = {"certificates": report.valid, "issued": report.issued, "revoked": report.revoked}
    record(session, actor, action, f"round:{round_.id}", after=after, now=now)
    forget_at_commit(session, f"contest:{round_.contest.slug}:")
    return report
