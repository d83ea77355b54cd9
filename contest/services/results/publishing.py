"""Publishing a closed round's results: the public page, and the certificates issued with it."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from contest.models import Round
from contest.services.cache import forget
from contest.services.console.audit import Actor, record
from contest.services.errors import DomainError
from contest.services.results.certificates import IssueReport, issue_for_round


class NotRanked(DomainError):
    code = "not_ranked"


def publish_results(session: Session, round_: Round, *, actor: Actor, now: datetime) -> IssueReport:
    """Make the round's results public and issue its certificates. Publishing again (after the round was closed
    again) keeps the first publication's date and brings the certificates in line."""
    if round_.finalized_at is None:
        raise NotRanked(_("Close the round first: its results are published from its final ranking."))
    first = round_.results_published_at is None
    if first:
        round_.results_published_at = now
    report = issue_for_round(session, round_, now)
    action = "round.results_publish" if first else "round.results_republish"
    after = {"certificates": report.valid, "issued": report.issued, "revoked": report.revoked}
    record(session, actor, action, f"round:{round_.id}", after=after, now=now)
    forget(f"contest:{round_.contest.slug}:")
    return report
