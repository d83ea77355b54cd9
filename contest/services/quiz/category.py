"""The category a participant chooses on a contest's start page, when the contest ranks tables and none takes the
category they have (or they have none): part of starting, so it sits with the quiz, which reads the tables."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from contest.models import Contest, User
from contest.services.people.profile import has_taken_part, profile_of
from contest.services.ranking.tables import category_needed, table_categories
from contest.services.shared.audit import Actor, record
from contest.services.shared.errors import Forbidden, InvalidInput


def choose_category(
    session: Session, user: User, contest: Contest, category: str, *, actor: Actor, now: datetime
) -> None:
    """The participant's category, chosen on a contest's start page because the tables take none of theirs: one of
    the categories those tables take; it is then fixed like the rest of the profile once they take part."""
    if not category_needed(contest, user.category):
        raise Forbidden(_("Your category is set already: it can be changed on your account page until you take part."))
    if has_taken_part(session, user):  # the category placed them in another contest's table: it stays
        raise Forbidden(
            _("You have taken part already: your name, unit and category can now be changed only by the organizers.")
        )
    if category not in table_categories(contest):
        raise InvalidInput(_("Choose who you are from the list."), {"category": category})
    before = profile_of(user)
    user.category = category
    record(session, actor, "user.profile", f"user:{user.id}", before=before, after=profile_of(user), now=now)
