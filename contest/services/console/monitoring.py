"""Live monitoring of a round for organizers: participation over time, by unit, the score distribution,
durations and attempts in progress. The same numbers feed the charts, their tables and the xlsx export."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import IO, Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from contest import clock
from contest.models import Attempt, Round
from contest.models.attempts import FINISHED
from contest.numbers import percent_value
from contest.services.ranking.leaderboard import unit_ranking
from contest.services.shared.cache import cached
from question_bank.workbooks import StreamedSheet, streamed_workbook

MONITOR_TTL_S = 5.0
MAX_BUCKETS = 48
BUCKET_MINUTES = (5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080)


def bucket_minutes(span: timedelta) -> int:
    """The smallest bucket that cuts `span` into at most MAX_BUCKETS pieces."""
    minutes = span.total_seconds() / 60
    return next((size for size in BUCKET_MINUTES if minutes / size <= MAX_BUCKETS), BUCKET_MINUTES[-1])


def _timeline(session: Session, round_: Round, now: datetime) -> dict[str, Any]:
    start, end = round_.opens_at, min(now, round_.closed_at or round_.closes_at)
    if end <= start:
        return {"bucket_minutes": 0, "rows": []}
    size = bucket_minutes(end - start)
    step = timedelta(minutes=size)
    count = int((end - start) / step) + 1

    def index(moment: datetime) -> int:
        return min(max(int((moment - start) / step), 0), count - 1)

    starts = Counter(
        index(moment) for moment in session.scalars(select(Attempt.started_at).where(Attempt.round_id == round_.id))
    )
    firsts = Counter(
        index(moment)
        for moment in session.scalars(
            select(func.min(Attempt.started_at)).where(Attempt.round_id == round_.id).group_by(Attempt.user_id)
        )
    )
    rows, total = [], 0
    for position in range(count):
        total += firsts[position]
        at = start + position * step
        rows.append(
            {
                "start": clock.iso_utc(at),
                "label": clock.to_vietnam(at).strftime("%d/%m %H:%M"),
                "attempts": starts[position],
                "new_participants": firsts[position],
                "participants": total,
            }
        )
    return {"bucket_minutes": size, "rows": rows}


def _scores(session: Session, round_: Round) -> list[dict[str, int]]:
    counts = dict(
        session.execute(
            select(Attempt.score, func.count(Attempt.id))
            .where(Attempt.round_id == round_.id, Attempt.status.in_(FINISHED))
            .group_by(Attempt.score)
        ).all()
    )
    top = max([round_.question_count, *(score for score in counts if score is not None)])
    return [{"score": score, "attempts": counts.get(score, 0)} for score in range(top + 1)]


def _summary(session: Session, round_: Round, now: datetime) -> dict[str, Any]:
    participants, attempts, finished, in_progress, duration, score = session.execute(
        select(
            func.count(func.distinct(Attempt.user_id)),
            func.count(Attempt.id),
            func.count(Attempt.id).filter(Attempt.status.in_(FINISHED)),
            func.count(Attempt.id).filter(Attempt.status == "in_progress", Attempt.deadline > now),
            func.avg(Attempt.duration_ms).filter(Attempt.status.in_(FINISHED)),
            func.avg(Attempt.score).filter(Attempt.status.in_(FINISHED)),
        ).where(Attempt.round_id == round_.id)
    ).one()
    return {
        "participants": participants,
        "attempts": attempts,
        "finished": finished,
        "in_progress": in_progress,
        "average_duration_s": round(float(duration) / 1000, 1) if duration is not None else None,
        "average_score": round(float(score), 2) if score is not None else None,
        "question_count": round_.question_count,
    }


def monitor_payload(session: Session, round_: Round, now: datetime) -> dict[str, Any]:
    units = [
        {
            "code": row.code,
            "name": row.name,
            "participants": row.participants,
            "headcount": row.headcount,
            "rate": percent_value(row.rate, 1),
        }
        for row in sorted(unit_ranking(session, round_, public=False), key=lambda row: (-row.participants, row.code))
    ]
    return {
        "generated_at": clock.iso_utc(now),
        "summary": _summary(session, round_, now),
        "timeline": _timeline(session, round_, now),
        "units": units,
        "scores": _scores(session, round_),
    }


def monitor_data(session: Session, round_: Round) -> dict[str, Any]:
    """At most MONITOR_TTL_S old: many organizers watching one round cost one computation."""
    data: dict[str, Any] = cached(
        f"round:{round_.id}:monitor", MONITOR_TTL_S, lambda: monitor_payload(session, round_, clock.now())
    )
    return data


def write_xlsx(data: dict[str, Any], target: IO[bytes]) -> None:
    """One sheet per chart, with the numbers it draws; headers in the reader's language."""
    with streamed_workbook(target) as workbook:
        labels = {
            "participants": _("Participants"),
            "attempts": _("Attempts"),
            "finished": _("Finished attempts"),
            "in_progress": _("In progress now"),
            "average_duration_s": _("Average duration (seconds)"),
            "average_score": _("Average score"),
            "question_count": _("Questions"),
        }
        summary = StreamedSheet(workbook, _("Summary"), [32, 24])
        summary.header([_("Figure"), _("Value")])
        for key, label in labels.items():
            summary.row([label, data["summary"][key]])
        summary.row([_("Computed at (UTC)"), data["generated_at"]])
        timeline = StreamedSheet(workbook, _("Over time"), [22, 16, 16, 18], freeze="A2")
        timeline.header(
            [_("From (Vietnam time)"), _("Attempts started"), _("New participants"), _("Participants so far")]
        )
        for row in data["timeline"]["rows"]:
            timeline.row([row["label"], row["attempts"], row["new_participants"], row["participants"]])
        units = StreamedSheet(workbook, _("By unit"), [14, 40, 14, 14, 18], freeze="A2")
        units.header([_("Unit code"), _("Unit"), _("Participants"), _("Headcount"), _("Participation rate (percent)")])
        for row in data["units"]:
            units.row([row["code"], row["name"], row["participants"], row["headcount"], row["rate"]])
        scores = StreamedSheet(workbook, _("Scores"), [10, 18], freeze="A2")
        scores.header([_("Score"), _("Finished attempts")])
        for row in data["scores"]:
            scores.row([row["score"], row["attempts"]])
