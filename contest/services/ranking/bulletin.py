"""The daily participation bulletin as an .xlsx file, as provinces publish it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, time, timedelta
from typing import BinaryIO

from openpyxl.styles import Font
from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from contest import clock
from contest.models import Attempt, Contest, Round, Unit, User
from contest.numbers import percent_value
from contest.services.ranking.rules import counted, public_as_of
from contest.services.shared.cache import cached
from question_bank.workbooks import StreamedSheet, streamed_workbook


def write_bulletin(contest: Contest, at: datetime, rows: list[tuple[BulletinRow, int]], target: BinaryIO) -> None:
    with streamed_workbook(target) as workbook:
        sheet = StreamedSheet(workbook, "Bản tin tham gia", [6, 14, 40, 16, 18, 10, 20, 12], freeze="A5")
        sheet.row([contest.title], font=Font(bold=True, size=13))
        sheet.row([f"Số liệu tính đến {clock.to_vietnam(at):%H:%M ngày %d/%m/%Y} (giờ Việt Nam)"])
        sheet.row([])
        sheet.header(
            [
                "STT",
                "Mã đơn vị",
                "Đơn vị",
                "Chỉ tiêu (người)",
                "Số người tham gia",
                "Tỷ lệ (%)",
                "Tăng so với hôm trước",
                "Số lượt thi",
            ]
        )
        for number, (row, increase) in enumerate(rows, start=1):
            sheet.row(
                [
                    number,
                    row.code,
                    row.name,
                    row.headcount,
                    row.participants,
                    percent_value(row.rate, 2),
                    increase,
                    row.attempts,
                ]
            )


@dataclass(frozen=True)
class BulletinRow:
    code: str
    name: str
    headcount: int
    participants: int
    attempts: int

    @property
    def rate(self) -> float:
        return self.participants / self.headcount if self.headcount else 0.0


BULLETIN_YEARS = (2000, 2100)  # a day outside is a mistyped address (and year 1 cannot go a day back)


def bulletin_moment(day: str | None, hour: int | None) -> datetime:
    """The moment of a bulletin: that day at that hour in Vietnam (default: today, 17:00, or now)."""
    now = clock.now()
    local_day = clock.to_vietnam(now).date()
    if day:
        local_day = datetime.strptime(day, "%Y-%m-%d").date()
        if not BULLETIN_YEARS[0] <= local_day.year <= BULLETIN_YEARS[1]:
            raise ValueError(f"no bulletin in {local_day.year}")
    if hour is not None and not 0 <= hour <= 23:
        raise ValueError(f"no hour {hour}")
    moment = datetime.combine(local_day, time(hour if hour is not None else 17), tzinfo=clock.VIETNAM)
    # to the minute: a bulletin "until now" is the same page for everyone within that minute (and one cache entry)
    return min(moment, now.replace(second=0, microsecond=0)) if not day else moment


def bulletin(session: Session, contest: Contest, at: datetime) -> list[BulletinRow]:
    """Participation by unit until `at`: distinct participants with a finished attempt in any round."""
    parent = contest.scope_unit or session.scalar(select(Unit).where(Unit.parent_id.is_(None)).limit(1))
    if parent is None:
        return []
    units = session.scalars(select(Unit).where(Unit.parent_id == parent.id).order_by(Unit.code)).all()
    rows = session.execute(
        select(Unit.path, func.count(distinct(Attempt.user_id)), func.count(Attempt.id))
        .select_from(Attempt)
        .join(Round, Round.id == Attempt.round_id)
        .join(User, User.id == Attempt.user_id)
        .join(Unit, Unit.id == User.unit_id)
        .where(
            Round.contest_id == contest.id,
            counted(),  # the same attempts as the unit ranking: a disqualified one counts nowhere
            public_as_of(Attempt.submitted_at),  # and nothing a hidden or frozen board keeps back
            Attempt.submitted_at <= at,
        )
        .group_by(Unit.path)
    ).all()
    # users belong to one unit, so summing per-unit distinct counts over a subtree stays distinct
    counts: dict[int, list[int]] = {unit.id: [0, 0] for unit in units}
    for path, people, attempts in rows:
        for part in path.strip("/").split("/"):
            if part and int(part) in counts:
                counts[int(part)][0] += people
                counts[int(part)][1] += attempts
    result = [BulletinRow(u.code, u.name, u.headcount, *counts[u.id]) for u in units]
    return sorted(result, key=lambda row: (-row.rate, -row.participants, row.code))


BULLETIN_TTL_S = 30.0


def cached_bulletin(session: Session, contest: Contest, at: datetime) -> list[tuple[BulletinRow, int]]:
    """bulletin_with_increase computed by one reader at a time, shared for half a minute (page and xlsx alike)."""
    rows = cached(
        f"contest:{contest.slug}:bulletin:{at.isoformat()}",
        BULLETIN_TTL_S,
        lambda: [[asdict(row), increase] for row, increase in bulletin_with_increase(session, contest, at)],
    )
    return [(BulletinRow(**row), increase) for row, increase in rows]


def bulletin_with_increase(session: Session, contest: Contest, at: datetime) -> list[tuple[BulletinRow, int]]:
    """Each unit's row at `at` with how many more people took part than a day before."""
    before = {row.code: row.participants for row in bulletin(session, contest, at - timedelta(days=1))}
    return [(row, row.participants - before.get(row.code, 0)) for row in bulletin(session, contest, at)]
