"""Rounds: their settings (checked as a whole), the draw they make, their state, looking them up."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import distinct, func, or_, select
from sqlalchemy.orm import Session, joinedload

from contest import clock
from contest.models import Attempt, Contest, QuestionBank, RankingEntry, Round
from contest.models.attempts import AttemptStatus
from contest.models.contests import (
    PREDICTION_TARGETS,
    REVIEW_MODES,
)
from contest.numbers import whole_number
from contest.services.console.contests import VISIBLE_STATUSES
from contest.services.quiz.pool import load_pool
from contest.services.quiz.practice import check_round_bank
from contest.services.quiz.round_pool import checked_pool, rounds_revealing_before, unrevealed_pool
from contest.services.shared.audit import Actor, record
from contest.services.shared.errors import DomainError, InvalidInput, NotFound
from contest.services.shared.settings_cache import cached_graph
from question_bank.difficulty import VIETNAMESE_NAMES, parse_difficulty
from question_bank.draw import DrawPart, NotEnoughQuestions
from question_bank.model import KIND_NAMES
from question_bank.spreadsheet import parse_kind


def visible_round(session: Session, round_id: int) -> Round:
    """A round of a published (or closed) contest, with its contest, the contest's scope and the bank: from this
    process's copy of the settings while they are unchanged (the start and the quiz page read it)."""
    round_ = cached_graph(session, ("visible_round", round_id), lambda reader: _visible_round(reader, round_id))
    if round_ is None:
        raise NotFound(_("This round does not exist."))
    return round_


def _visible_round(session: Session, round_id: int) -> Round | None:
    return session.scalar(
        select(Round)
        .join(Round.contest)
        .where(Round.id == round_id, Contest.status.in_(VISIBLE_STATUSES))
        .options(joinedload(Round.contest).joinedload(Contest.scope_unit), joinedload(Round.bank))
    )


MAX_ROUND_NAME = 120


# Far above any real round, and within what the database and the clock can hold.
MAX_QUESTIONS, MAX_MINUTES, MAX_ATTEMPTS = 500, 24 * 60, 1000


def parse_draw_spec(text: str) -> list[DrawPart]:
    """ "topic:difficulty:count,..." or "topic:difficulty:kind:count,..." ; an empty topic, difficulty or kind
    means any (kinds: Một đáp án, Nhiều đáp án, Đúng/Sai)."""
    parts = []
    for chunk in (piece.strip() for piece in text.split(",")):
        if not chunk:
            continue
        fields = [field.strip() for field in chunk.split(":")]
        count = whole_number(fields[-1]) if len(fields) in (3, 4) else None
        if not count:
            message = _(
                "Draw part %(part)s must read topic:difficulty:count (or topic:difficulty:type:count) with a "
                "positive count.",
                part=chunk,
            )
            raise InvalidInput(message, {"draw": message})
        kind = None
        if len(fields) == 4 and fields[2]:
            kind = parse_kind(fields[2])
            if kind is None:
                message = _(
                    "Unknown question type %(value)s (use Một đáp án, Nhiều đáp án or Đúng/Sai).", value=fields[2]
                )
                raise InvalidInput(message, {"draw": message})
        difficulty = None
        if fields[1]:
            difficulty = parse_difficulty(fields[1])
            if difficulty is None:
                message = _("Unknown difficulty %(value)s (use Dễ, Trung bình or Khó).", value=fields[1])
                raise InvalidInput(message, {"draw": message})
        parts.append(DrawPart(fields[0] or None, difficulty, count, kind))
    if not parts:
        message = _("The draw specification is empty.")
        raise InvalidInput(message, {"draw": message})
    return parts


def _pick_bank(session: Session, bank_name: str | None, body_id: int) -> QuestionBank:
    """A bank of the contest's organizing body (another body's bank is not named: it does not exist here)."""
    if bank_name:
        bank = session.scalar(
            select(QuestionBank).where(QuestionBank.name == bank_name, QuestionBank.body_id == body_id)
        )
        if bank is None:
            message = _("No question bank is named %(name)s.", name=bank_name)
            raise InvalidInput(message, {"bank": message})
        return bank
    banks = list(session.scalars(select(QuestionBank).where(QuestionBank.body_id == body_id).limit(2)))
    if len(banks) != 1:
        message = _("Choose the question bank of the round (--bank).")
        raise InvalidInput(message, {"bank": message})
    return banks[0]


def create_round(session: Session, *, contest: Contest, actor: Actor, now: datetime, **settings: Any) -> Round:
    """A new round of `contest`; `settings` are round_fields' keyword arguments."""
    round_ = Round(contest=contest, **round_fields(session, contest=contest, now=now, **settings))
    session.add(round_)
    session.flush()
    record(
        session,
        actor,
        "round.create",
        f"round:{round_.id}",
        after=round_settings(round_),
        now=now,
        body_id=contest.body_id,
    )
    return round_


def update_round(session: Session, round_: Round, *, actor: Actor, now: datetime, **settings: Any) -> None:
    """Change a round's settings; refused once anyone has started an attempt (they drew its questions)."""
    if round_started(session, round_):
        raise DomainError(_("Someone has already taken this round: its settings can no longer be changed."))
    before = round_settings(round_)
    for key, value in round_fields(session, contest=round_.contest, editing=round_, now=now, **settings).items():
        setattr(round_, key, value)
    session.flush()
    after = round_settings(round_)
    record(
        session,
        actor,
        "round.edit",
        f"round:{round_.id}",
        before=before,
        after=after,
        now=now,
        body_id=round_.contest.body_id,
    )


def find_round(session: Session, round_id: int) -> Round:
    """Any round, for the organizer area (visible_round is the participants' lookup)."""
    round_ = session.get(Round, round_id)
    if round_ is None:
        raise NotFound(_("This round does not exist."))
    return round_


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
        "reuse_revealed": round_.reuse_revealed,
    }


def _stored(part: DrawPart) -> dict[str, Any]:
    """A draw part as the round keeps it; "kind" only when the part names one (as rounds stored it before)."""
    stored = asdict(part)
    if stored["kind"] is None:
        del stored["kind"]
    return stored


def format_draw_spec(spec: list[dict[str, Any]] | None) -> str:
    """The text parse_draw_spec reads back ("" when a topic holds ":" or ","; the table shows those)."""
    if any(":" in (part["topic"] or "") or "," in (part["topic"] or "") for part in spec or []):
        return ""
    return ",".join(
        f"{part['topic'] or ''}:{VIETNAMESE_NAMES.get(part['difficulty'] or '', '')}:"
        + (f"{KIND_NAMES[part['kind']]}:" if part.get("kind") else "")
        + str(part["count"])
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
    reuse_revealed: bool = False,
    editing: Round | None = None,
    now: datetime | None = None,
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

    bank = _pick_bank(session, bank_name, contest.body_id)
    check_round_bank(session, bank)
    if isinstance(draw, list):  # picked in the form's table of the bank's counts
        parts = draw
        draw = ",".join(part.label() for part in parts)
    else:
        parts = parse_draw_spec(draw) if draw else [DrawPart(None, None, question_count)]
    total = sum(part.count for part in parts)
    if total != question_count:
        message = _(
            "The draw asks for %(total)d questions but the round has %(count)d.", total=total, count=question_count
        )
        raise InvalidInput(message, {"draw": message})
    moment = now or clock.now()
    try:
        load_pool(session, bank).check(parts)
        if not reuse_revealed:  # the questions whose key no round has shown: what the round will draw from
            unrevealed_pool(session, bank, moment, excluding=editing.id if editing else None).check(parts)
    except NotEnoughQuestions as error:
        part = error.part
        label = f"{part.topic or '*'}:{part.difficulty or '*'}" + (f":{KIND_NAMES[part.kind]}" if part.kind else "")
        active = len(load_pool(session, bank).matching(part.topic, part.difficulty, part.kind))
        if active < part.count:
            message = _(
                "The bank %(bank)s has %(have)d active questions for %(part)s, fewer than the %(count)d asked.",
                bank=bank.name,
                have=active,
                count=part.count,
                part=label,
            )
        else:
            message = _(
                "The bank %(bank)s has %(have)d questions for %(part)s whose right answers no round has shown yet "
                "(%(active)d active), fewer than the %(count)d asked: draw fewer, add questions to the bank, or "
                "choose to reuse questions whose answers earlier rounds have shown.",
                bank=bank.name,
                have=error.available,
                active=active,
                count=part.count,
                part=label,
            )
        raise InvalidInput(message, {"draw": message}) from error
    if contest.require_review:
        _check_reviewed(session, bank, parts, moment, editing, reuse_revealed)
    return {
        "name": name.strip(),
        "opens_at": opens_at,
        "closes_at": closes_at,
        "question_count": question_count,
        "time_limit_s": minutes * 60,
        "max_attempts": max_attempts,
        "max_attempts_per_day": max_attempts_per_day,
        "bank": bank,
        "draw_spec": [_stored(part) for part in parts] if draw else None,
        "prediction": prediction,
        "review": review,
        "require_all_answered": require_all_answered,
        "reuse_revealed": reuse_revealed,
    }


def _check_reviewed(
    session: Session,
    bank: QuestionBank,
    parts: list[DrawPart],
    moment: datetime,
    editing: Round | None,
    reuse_revealed: bool,
) -> None:
    """A contest that requires review draws only checked questions: refuse a draw they cannot meet, saying how
    many checked questions there are for the part that falls short."""
    pool = checked_pool(session, bank, moment, excluding=editing.id if editing else None, reuse_revealed=reuse_revealed)
    try:
        pool.check(parts)
    except NotEnoughQuestions as error:
        part = error.part
        label = f"{part.topic or '*'}:{part.difficulty or '*'}" + (f":{KIND_NAMES[part.kind]}" if part.kind else "")
        message = _(
            "The contest draws only questions checked by a second person: the bank %(bank)s has %(have)d checked "
            "questions for %(part)s, fewer than the %(count)d asked. Have more questions checked, or draw fewer.",
            bank=bank.name,
            have=error.available,
            count=part.count,
            part=label,
        )
        raise InvalidInput(message, {"draw": message}) from error


def draw_warnings(session: Session, round_: Round, now: datetime) -> list[str]:
    """What the organizer should know of the questions the round will draw: rounds on the same bank that will show
    their right answers before this round opens (its pool, fixed at its first draw, will leave those out), or that
    this round reuses questions whose answers were shown."""
    if round_.bank is None:
        return []
    if round_.reuse_revealed:
        return [
            _(
                "This round may draw questions whose right answers earlier rounds have shown (you chose so): a "
                "participant of those rounds may know them."
            )
        ]
    before = [r for r in rounds_revealing_before(session, round_.bank, round_.opens_at, now) if r.id != round_.id]
    during = [
        r
        for r in rounds_revealing_before(session, round_.bank, round_.closes_at, now)
        if r.id != round_.id and r not in before
    ]
    warnings = []
    if before:
        warnings.append(
            _(
                "Rounds on the same bank will show their right answers before this round opens: %(rounds)s. The "
                "questions they draw will not be drawn by this round, which may then have too few.",
                rounds=", ".join(f"{other.contest.title} – {other.name}" for other in before),
            )
        )
    if during:
        # the pool is fixed at the first draw: a key shown while this round is open is a key to some of its questions
        warnings.append(
            _(
                "Rounds on the same bank will show their right answers while this round is open: %(rounds)s. Their "
                "participants may then know the answers to questions this round draws: show those answers after "
                "this round closes, or draw this round from another bank.",
                rounds=", ".join(f"{other.contest.title} – {other.name}" for other in during),
            )
        )
    return warnings


@dataclass(frozen=True)
class RoundCounts:
    participants: int
    attempts: int
    in_progress: int


def round_counts(session: Session, round_: Round) -> RoundCounts:
    """How many people took part, how many attempts, how many are running now (the round's page)."""
    participants, attempts, in_progress = session.execute(
        select(
            func.count(distinct(Attempt.user_id)),
            func.count(Attempt.id),
            func.count(Attempt.id).filter(Attempt.status == AttemptStatus.IN_PROGRESS),
        ).where(Attempt.round_id == round_.id)
    ).one()
    return RoundCounts(participants, attempts, in_progress)


def draw_picks(round_: Round) -> dict[str, str]:
    """The round's draw as the form's table fields (pick:BANK:LEVEL:TOPIC, pickany:BANK:LEVEL), when the text
    field cannot show it (a part by difficulty only, or a topic holding ':' or ',')."""
    picks: dict[str, str] = {}
    if round_.bank_id is None or format_draw_spec(round_.draw_spec):
        return picks
    for part in round_.draw_spec or []:
        if part["difficulty"]:
            prefix = f"pick:{round_.bank_id}" if part["topic"] else f"pickany:{round_.bank_id}"
            picks[f"{prefix}:{part['difficulty']}" + (f":{part['topic']}" if part["topic"] else "")] = str(
                part["count"]
            )
    return picks


def rounds_newest_first(
    session: Session, *, draft_bodies: Collection[int] | None = (), bodies: Collection[int] | None = None
) -> list[Round]:
    """Rounds newest first, of the contests of `bodies` (None: every body); a draft contest's only for the members
    of its body (`draft_bodies`, None: every body): a unit administrator's pickers never name a contest that is not
    public yet, and a body's staff see their own body's rounds."""
    statement = select(Round).join(Round.contest).order_by(Round.opens_at.desc())
    if bodies is not None:
        statement = statement.where(Contest.body_id.in_(sorted(bodies)))
    if draft_bodies is not None:
        statement = statement.where(
            or_(Contest.status.in_(VISIBLE_STATUSES), Contest.body_id.in_(sorted(draft_bodies)))
        )
    return list(session.scalars(statement))


def table_places(session: Session, round_: Round, user_ids: list[int]) -> dict[int, tuple[str, int]]:
    """user id -> (table, place in it) of a ranked round with tables, for the organizers' top list."""
    if round_.finalized_at is None or not user_ids:
        return {}
    rows = session.execute(
        select(RankingEntry.user_id, RankingEntry.table_key, RankingEntry.table_rank).where(
            RankingEntry.round_id == round_.id,
            RankingEntry.user_id.in_(user_ids),
            RankingEntry.table_key.is_not(None),
        )
    ).all()
    return {user_id: (key, rank) for user_id, key, rank in rows if key is not None and rank is not None}
