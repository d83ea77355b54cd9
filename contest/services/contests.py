"""Setting up contests and rounds."""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from contest import clock
from contest.models import Attempt, Contest, QuestionBank, Round
from contest.models.contests import (
    CONTEST_STATUSES,
    NAME_DISPLAYS,
    PREDICTION_TARGETS,
    RANKING_LINKS,
    REVIEW_MODES,
    UNIT_RANKING_MODES,
)
from contest.numbers import whole_number
from contest.services.errors import DomainError, InvalidInput
from contest.services.question_pool import load_pool
from contest.services.ranking import LINK_LABELS
from contest.services.rich_text import clean_html
from contest.services.units import find_unit
from question_bank.difficulty import VIETNAMESE_NAMES, parse_difficulty
from question_bank.draw import DrawPart, NotEnoughQuestions

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{1,63}")
MAX_TITLE = 255  # the columns' lengths: longer text is refused with a message, not by the database
MAX_ROUND_NAME = 120
# Far above any real round, and within what the database and the clock can hold.
MAX_QUESTIONS, MAX_MINUTES, MAX_ATTEMPTS = 500, 24 * 60, 1000


def create_contest(
    session: Session,
    *,
    slug: str,
    title: str,
    now: datetime,
    scope_code: str | None = None,
    rules: str = "",
    status: str = "published",
) -> Contest:
    slug = slug.strip()
    if not SLUG.fullmatch(slug):
        raise InvalidInput(_("The slug must be 2-64 lower-case letters, digits or hyphens."), {"slug": slug})
    if session.scalar(select(Contest.id).where(Contest.slug == slug)) is not None:
        raise InvalidInput(_("A contest with the slug %(slug)s already exists.", slug=slug), {"slug": slug})
    contest = Contest(slug=slug, status=status, created_at=now)
    _set_contest_fields(session, contest, title=title, scope_code=scope_code, rules=rules)
    session.add(contest)
    session.flush()
    return contest


def _set_contest_fields(session: Session, contest: Contest, *, title: str, scope_code: str | None, rules: str) -> None:
    if not title.strip():
        raise InvalidInput(_("The contest needs a title."), {"title": title})
    if len(title.strip()) > MAX_TITLE:
        raise InvalidInput(_("The title is at most %(max)d characters.", max=MAX_TITLE), {"title": title})
    scope = None
    if scope_code:
        scope = find_unit(session, scope_code)
        if scope is None:
            raise InvalidInput(_("No unit has the code %(code)s.", code=scope_code), {"scope": scope_code})
    contest.title, contest.scope_unit, contest.rules = title.strip(), scope, clean_html(rules)


def contest_settings(contest: Contest) -> dict[str, Any]:
    """What an organizer can change, as the audit log records it before and after."""
    return {
        "title": contest.title,
        "scope": contest.scope_unit.code if contest.scope_unit else None,
        "rules": contest.rules,
        "names": contest.name_display,
        "chain": list(contest.ranking_chain),
        "unit_ranking": contest.unit_ranking,
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
) -> None:
    """Change the title, scope, rules, name display and ranking (the slug stays: it is in every link)."""
    _set_contest_fields(session, contest, title=title, scope_code=scope_code, rules=rules)
    configure_contest(contest, names=names, chain=chain, unit_ranking=unit_ranking)
    session.flush()


def parse_draw_spec(text: str) -> list[DrawPart]:
    """ "topic:difficulty:count,..." ; an empty topic or difficulty means any."""
    parts = []
    for chunk in (piece.strip() for piece in text.split(",")):
        if not chunk:
            continue
        fields = [field.strip() for field in chunk.split(":")]
        count = whole_number(fields[2]) if len(fields) == 3 else None
        if not count:
            raise InvalidInput(
                _("Draw part %(part)s must read topic:difficulty:count with a positive count.", part=chunk),
                {"draw": chunk},
            )
        difficulty = None
        if fields[1]:
            difficulty = parse_difficulty(fields[1])
            if difficulty is None:
                raise InvalidInput(
                    _("Unknown difficulty %(value)s (use Dễ, Trung bình or Khó).", value=fields[1]),
                    {"draw": chunk},
                )
        parts.append(DrawPart(fields[0] or None, difficulty, count))
    if not parts:
        raise InvalidInput(_("The draw specification is empty."), {"draw": text})
    return parts


def _pick_bank(session: Session, bank_name: str | None) -> QuestionBank:
    if bank_name:
        bank = session.scalar(select(QuestionBank).where(QuestionBank.name == bank_name))
        if bank is None:
            raise InvalidInput(_("No question bank is named %(name)s.", name=bank_name), {"bank": bank_name})
        return bank
    banks = list(session.scalars(select(QuestionBank).limit(2)))
    if len(banks) != 1:
        raise InvalidInput(_("Choose the question bank of the round (--bank)."), {"bank": ""})
    return banks[0]


def create_round(session: Session, *, contest: Contest, **settings: Any) -> Round:
    """A new round of `contest`; `settings` are round_fields' keyword arguments."""
    round_ = Round(contest=contest, **round_fields(session, contest=contest, **settings))
    session.add(round_)
    session.flush()
    return round_


def update_round(session: Session, round_: Round, **settings: Any) -> None:
    """Change a round's settings; refused once anyone has started an attempt (they drew its questions)."""
    if round_started(session, round_):
        raise DomainError(_("Someone has already taken this round: its settings can no longer be changed."))
    for key, value in round_fields(session, contest=round_.contest, editing=round_, **settings).items():
        setattr(round_, key, value)
    session.flush()


def round_started(session: Session, round_: Round) -> bool:
    return session.scalar(select(Attempt.id).where(Attempt.round_id == round_.id).limit(1)) is not None


def round_settings(round_: Round) -> dict[str, Any]:
    """A round's settings as the form and the audit log show them."""
    return {
        "name": round_.name,
        "opens": clock.to_vietnam(round_.opens_at).strftime("%Y-%m-%dT%H:%M"),
        "closes": clock.to_vietnam(round_.closes_at).strftime("%Y-%m-%dT%H:%M"),
        "questions": round_.question_count,
        "minutes": round_.time_limit_s // 60,
        "attempts": round_.max_attempts,
        "attempts_per_day": round_.max_attempts_per_day,
        "bank": round_.bank.name if round_.bank else None,
        "draw": format_draw_spec(round_.draw_spec),
        "prediction": round_.prediction,
        "review": round_.review,
        "require_all": round_.require_all_answered,
    }


def format_draw_spec(spec: list[dict[str, Any]] | None) -> str:
    """The text parse_draw_spec reads back ("" when a topic holds ":" or ","; the table shows those)."""
    if any(":" in (part["topic"] or "") or "," in (part["topic"] or "") for part in spec or []):
        return ""
    return ",".join(
        f"{part['topic'] or ''}:{VIETNAMESE_NAMES.get(part['difficulty'] or '', '')}:{part['count']}"
        for part in spec or []
    )


def round_fields(
    session: Session,
    *,
    contest: Contest,
    name: str,
    opens_at: datetime,
    closes_at: datetime,
    question_count: int,
    minutes: int,
    max_attempts: int | None = 1,
    bank_name: str | None = None,
    draw: str | list[DrawPart] | None = None,
    prediction: str = "full_score",
    max_attempts_per_day: int | None = None,
    review: str = "after_close",
    require_all_answered: bool = False,
    editing: Round | None = None,
) -> dict[str, Any]:
    """The checked attributes of a round, or InvalidInput naming every field at fault."""
    problems: dict[str, str] = {}
    same_name = select(Round.id).where(Round.contest_id == contest.id, Round.name == name.strip())
    if editing is not None:
        same_name = same_name.where(Round.id != editing.id)
    if not name.strip():
        problems["name"] = _("The round needs a name.")
    elif len(name.strip()) > MAX_ROUND_NAME:
        problems["name"] = _("The round's name is at most %(max)d characters.", max=MAX_ROUND_NAME)
    elif session.scalar(same_name):
        problems["name"] = _("The contest already has a round named %(name)s.", name=name)
    if closes_at <= opens_at:
        problems["closes"] = _("The round must close after it opens.")
    if question_count <= 0:
        problems["questions"] = _("The number of questions must be positive.")
    elif question_count > MAX_QUESTIONS:
        problems["questions"] = _("A round has at most %(max)d questions.", max=MAX_QUESTIONS)
    if minutes <= 0:
        problems["minutes"] = _("The time limit must be positive.")
    elif minutes > MAX_MINUTES:
        problems["minutes"] = _("The time limit is at most %(max)d minutes.", max=MAX_MINUTES)
    if max_attempts is not None and max_attempts <= 0:
        problems["attempts"] = _("The number of attempts must be positive.")
    elif max_attempts is not None and max_attempts > MAX_ATTEMPTS:
        problems["attempts"] = _("A round allows at most %(max)d attempts.", max=MAX_ATTEMPTS)
    if max_attempts_per_day is not None and max_attempts_per_day <= 0:
        problems["attempts_per_day"] = _("The number of attempts per day must be positive.")
    elif max_attempts_per_day is not None and max_attempts_per_day > MAX_ATTEMPTS:
        problems["attempts_per_day"] = _("A round allows at most %(max)d attempts.", max=MAX_ATTEMPTS)
    if review not in REVIEW_MODES:
        problems["review"] = _("Choose when participants see the right answers.")
    if prediction not in PREDICTION_TARGETS:
        problems["prediction"] = _(
            "The prediction setting must be one of %(values)s.", values=", ".join(PREDICTION_TARGETS)
        )
    if problems:
        raise InvalidInput(" ".join(problems.values()), problems)

    bank = _pick_bank(session, bank_name)
    if isinstance(draw, list):  # picked in the form's table of the bank's counts
        parts = draw
        draw = ",".join(part.label() for part in parts)
    else:
        parts = parse_draw_spec(draw) if draw else [DrawPart(None, None, question_count)]
    total = sum(part.count for part in parts)
    if total != question_count:
        raise InvalidInput(
            _("The draw asks for %(total)d questions but the round has %(count)d.", total=total, count=question_count),
            {"draw": draw or ""},
        )
    try:
        load_pool(session, bank).check(parts)
    except NotEnoughQuestions as error:
        part = error.part
        raise InvalidInput(
            _(
                "The bank %(bank)s has %(have)d active questions for %(part)s, fewer than the %(count)d asked.",
                bank=bank.name,
                have=error.available,
                count=part.count,
                part=f"{part.topic or '*'}:{part.difficulty or '*'}",
            ),
            {"draw": draw or ""},
        ) from error
    return {
        "name": name.strip(),
        "opens_at": opens_at,
        "closes_at": closes_at,
        "question_count": question_count,
        "time_limit_s": minutes * 60,
        "max_attempts": max_attempts,
        "max_attempts_per_day": max_attempts_per_day,
        "bank": bank,
        "draw_spec": [asdict(part) for part in parts] if draw else None,
        "prediction": prediction,
        "review": review,
        "require_all_answered": require_all_answered,
    }


def configure_contest(
    contest: Contest, *, chain: str | None = None, unit_ranking: str | None = None, names: str | None = None
) -> Contest:
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
    return contest


def set_status(contest: Contest, status: str) -> None:
    """Draft (hidden), published (visible, rounds can be taken), archived (visible, over)."""
    if status not in CONTEST_STATUSES:
        raise InvalidInput(_("Unknown contest status."), {"status": status})
    contest.status = status
