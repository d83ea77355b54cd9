"""Looking up rounds for participants."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from contest.models import Contest, Round
from contest.services.catalogue import VISIBLE_STATUSES
from contest.services.errors import NotFound


def visible_round(session: Session, round_id: int) -> Round:
    round_ = session.scalar(
        select(Round)
        .join(Round.contest)
        .where(Round.id == round_id, Contest.status.in_(VISIBLE_STATUSES))
        .options(joinedload(Round.contest).joinedload(Contest.scope_unit), joinedload(Round.bank))
    )
    if round_ is None:
        raise NotFound(_("This round does not exist."))
    return round_
