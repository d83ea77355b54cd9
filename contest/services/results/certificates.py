"""Certificates: one of participation for everyone ranked in a published round (a finished attempt that was not
disqualified), and one for each prize. Issued when the results are published, kept in step when the round is
closed again, drawn as PDF on demand and cached by content.

Each certificate's code is a keyed hash (HMAC-SHA256, the receipts' keys) of what it states: `/verify/<code>`
finds it and recomputes the hash, so a statement changed in the database without the server's key is shown as
not matching, and a made-up code finds nothing."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import segno
from cachetools import LRUCache
from flask import current_app
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from sqlalchemy import ColumnElement, delete, func, insert, literal, select, update
from sqlalchemy.orm import Session

from contest.extensions import redis_client
from contest.models import Certificate, CertificateDrawing, CertificateFile, Contest, RankingEntry, Round, Unit, User
from contest.models.base import UTCDateTime
from contest.public_address import absolute
from contest.services.bodies.access import Right, access_of
from contest.services.quiz.receipts import keyed_code, normalise_code, receipt_keys
from contest.services.ranking.prizes import PRIZE_NAMES_VI
from contest.services.ranking.tables import table_names
from contest.services.results import pdf as paper
from contest.services.shared.paging import batches, closing_when_left

PDF_CACHE_TTL_S = 24 * 3600
TEMPLATE_VERSION = "1"  # change it when the drawing changes: cached copies are then drawn again
PROCESS_CACHE_BYTES = 32 * 1024 * 1024  # each worker keeps at most this much of drawn certificates
_process_copies: LRUCache[str, bytes] = LRUCache(maxsize=PROCESS_CACHE_BYTES, getsizeof=len)


class Placed(Protocol):
    """What a certificate states of a place in the ranking (a RankingEntry, or a row of its columns)."""

    prize: str | None
    table_key: str | None
    score: int
    total: int


def statement_of(
    contest: Contest, round_: Round, name: str, unit: str, entry: Placed, kind: str, issued: datetime
) -> dict[str, Any]:
    return {
        "kind": kind,
        "contest": contest.title,
        "round": round_.name,
        "name": name,
        "unit": unit,
        "prize": entry.prize if kind == "prize" else None,
        "table": table_names(contest).get(entry.table_key or "") if entry.table_key else None,
        "score": entry.score,
        "total": entry.total,
        "issuer": contest.issuer,
        "parent_body": contest.parent_body,
        "place": contest.place,
        "date": paper.date_line(contest.place, issued),
        "signer_title": contest.signer_title,
        "signer_name": contest.signer_name,
        "text": contest.certificate_text,
    }


def _document(round_id: int, user_id: int, statement: dict[str, Any]) -> str:
    body = {"round": round_id, "user": user_id, "statement": statement}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _keys() -> list[bytes]:
    return [hmac.new(key, b"certificates", hashlib.sha256).digest() for key in receipt_keys()]


def code_for(round_id: int, user_id: int, statement: dict[str, Any], key: bytes | None = None) -> str:
    """The certificate's code under the newest key (pass `key`, `_keys()[0]`, when issuing many)."""
    return keyed_code(key or _keys()[0], _document(round_id, user_id, statement))


def matches(certificate: Certificate) -> bool:
    """Does the certificate as stored still give its code?"""
    document = _document(certificate.round_id, certificate.user_id, certificate.statement)
    return any(hmac.compare_digest(certificate.code, keyed_code(key, document)) for key in _keys())


@dataclass(frozen=True)
class IssueReport:
    issued: int  # new or changed
    revoked: int
    valid: int  # in force after this run


def issue_for_round(session: Session, round_: Round, now: datetime) -> IssueReport:
    """Bring the round's certificates in line with its final ranking: new ones for new entries and prizes, a
    changed statement re-issued under a new code, and those the ranking no longer gives revoked. The new and
    re-issued join the drawing queue (a re-issued one's old PDF is dropped; a revoked one's too).

    Written in bulk (columns read, rows inserted and updated in batches): a round of 100,000 is issued in seconds
    inside the publication's request, and the drawing is left to the worker."""
    contest = round_.contest
    issued_on = round_.results_published_at or now
    rows = session.execute(
        select(
            RankingEntry.user_id,
            RankingEntry.prize,
            RankingEntry.table_key,
            RankingEntry.score,
            RankingEntry.total,
            User.name,
            Unit.name.label("unit"),
        )
        .join(User, User.id == RankingEntry.user_id)
        .outerjoin(Unit, Unit.id == User.unit_id)
        .where(RankingEntry.round_id == round_.id, User.anonymised_at.is_(None))  # none for a deleted account
        .order_by(RankingEntry.rank)
    ).all()
    existing = {
        (row.user_id, row.kind): row
        for row in session.execute(
            select(
                Certificate.id, Certificate.user_id, Certificate.kind, Certificate.statement, Certificate.revoked_at
            ).where(Certificate.round_id == round_.id)
        )
    }
    key = _keys()[0]
    wanted: set[tuple[int, str]] = set()
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for row in rows:
        for kind in ("participation", "prize") if row.prize else ("participation",):
            wanted.add((row.user_id, kind))
            statement = statement_of(contest, round_, row.name, row.unit or "", row, kind, issued_on)
            found = existing.get((row.user_id, kind))
            if found is not None and found.statement == statement and found.revoked_at is None:
                continue
            code = code_for(round_.id, row.user_id, statement, key)
            if found is None:
                new.append(
                    {"round_id": round_.id, "user_id": row.user_id, "kind": kind, "issued_at": now}
                    | {"statement": statement, "code": code}
                )
            else:
                changed.append({"id": found.id, "statement": statement, "code": code, "revoked_at": None})
    revoked = [found.id for key, found in existing.items() if key not in wanted and found.revoked_at is None]
    for batch in batches(new, 1000):  # executemany: psycopg pipelines the rows (multi-row VALUES measured slower)
        session.execute(insert(Certificate), batch)
    if changed:
        session.execute(update(Certificate), changed)  # by primary key, in batches
    for ids in batches(revoked, 1000):
        session.execute(update(Certificate).where(Certificate.id.in_(ids)).values(revoked_at=now))
    # their drawings no longer say what they state; the queue rows first: one a worker is drawing waits for its
    # commit, so that the file it stores is seen, and dropped, by the next statement
    for ids in batches([row["id"] for row in changed] + revoked, 1000):
        session.execute(delete(CertificateDrawing).where(CertificateDrawing.certificate_id.in_(ids)))
        session.execute(delete(CertificateFile).where(CertificateFile.certificate_id.in_(ids)))
    queue_undrawn(session, round_.id, now)
    for held in [obj for obj in session.identity_map.values() if isinstance(obj, Certificate)]:
        session.expire(held)  # written past the ORM: loaded copies read the rows again
    return IssueReport(len(new) + len(changed), len(revoked), len(wanted))


def queue_undrawn(session: Session, round_id: int, now: datetime) -> None:
    """Every certificate in force of the round that has no PDF and is not queued joins the drawing queue (one
    statement)."""
    undrawn = (
        select(Certificate.id, Certificate.round_id, literal(now, UTCDateTime()), literal(0))
        .outerjoin(CertificateFile, _drawing_of_it())
        .outerjoin(CertificateDrawing, CertificateDrawing.certificate_id == Certificate.id)
        .where(
            Certificate.round_id == round_id,
            Certificate.revoked_at.is_(None),
            CertificateFile.certificate_id.is_(None),
            CertificateDrawing.certificate_id.is_(None),
        )
    )
    columns = ["certificate_id", "round_id", "queued_at", "failures"]
    session.execute(insert(CertificateDrawing).from_select(columns, undrawn))


def _drawing_of_it() -> ColumnElement[bool]:
    """The join of a certificate to its stored drawing: the file of its id showing its code."""
    return (CertificateFile.certificate_id == Certificate.id) & (CertificateFile.code == Certificate.code)


def redraw_contest(session: Session, contest: Contest, now: datetime) -> None:
    """The contest's certificate design changed (background, seal): its stored PDFs are dropped and every
    certificate in force of its published rounds is queued to be drawn again (the queue rows first, as in
    issue_for_round: a drawing in progress is waited for, then dropped)."""
    rounds = select(Round.id).where(Round.contest_id == contest.id)
    certificates_of = select(Certificate.id).where(Certificate.round_id.in_(rounds))
    session.execute(delete(CertificateDrawing).where(CertificateDrawing.certificate_id.in_(certificates_of)))
    session.execute(delete(CertificateFile).where(CertificateFile.certificate_id.in_(certificates_of)))
    published = session.scalars(
        select(Round.id).where(Round.contest_id == contest.id, Round.results_published_at.is_not(None))
    ).all()
    for round_id in published:
        queue_undrawn(session, round_id, now)


def find(session: Session, code: str) -> Certificate | None:
    return session.scalar(select(Certificate).where(Certificate.code == normalise_code(code)))


def of_user(session: Session, user_id: int) -> list[Certificate]:
    """A person's certificates in force, of published rounds, newest first."""
    return list(
        session.scalars(
            select(Certificate)
            .join(Round, Round.id == Certificate.round_id)
            .where(
                Certificate.user_id == user_id,
                Certificate.revoked_at.is_(None),
                Round.results_published_at.is_not(None),
            )
            .order_by(Round.closes_at.desc(), Certificate.kind.desc())
        )
    )


def _in_force_where(round_: Round, under_unit: Unit | None) -> list[ColumnElement[bool]]:
    """Certificates in force of the round, of the people of `under_unit`'s subtree when given (the query joins User
    and Unit for that)."""
    where = [Certificate.round_id == round_.id, Certificate.revoked_at.is_(None)]
    if under_unit is not None:
        where.append(Unit.path.startswith(under_unit.path, autoescape=True))
    return where


def in_force(session: Session, round_: Round, *, under_unit: Unit | None = None) -> list[Certificate]:
    """A round's certificates in force, prizes first, optionally of the people of one unit's subtree."""
    query = select(Certificate).join(
        RankingEntry, (RankingEntry.round_id == Certificate.round_id) & (RankingEntry.user_id == Certificate.user_id)
    )
    if under_unit is not None:
        query = query.join(User, User.id == Certificate.user_id).join(Unit, Unit.id == User.unit_id)
    query = query.where(*_in_force_where(round_, under_unit)).order_by(Certificate.kind.desc(), RankingEntry.rank)
    return list(session.scalars(query))


def may_download(session: Session, viewer: User, certificate: Certificate) -> bool:
    """The owner, the staff of the contest's body, and the administrator of a unit the owner belongs to (its whole
    subtree)."""
    if viewer.id == certificate.user_id:
        return True
    if viewer.is_organizer:
        return access_of(session, viewer).can(Right.CONTESTS, certificate.round.contest.body_id)
    managed, unit = viewer.managed_unit if viewer.role == "unit_admin" else None, certificate.user.unit
    return managed is not None and unit is not None and unit.path.startswith(managed.path)


def count_in_force(session: Session, round_: Round, *, under_unit: Unit | None = None) -> int:
    query = select(func.count(Certificate.id))
    if under_unit is not None:
        query = query.join(User, User.id == Certificate.user_id).join(Unit, Unit.id == User.unit_id)
    return session.scalar(query.where(*_in_force_where(round_, under_unit))) or 0


def file_name(certificate: Certificate) -> str:
    kind = "giai" if certificate.kind == "prize" else "tham-gia"
    return f"giay-chung-nhan-{kind}-{certificate.code}.pdf"


# Drawing


def verify_url(code: str) -> str:
    """The verification page's full address, for the QR code: PUBLIC_URL when set, else the request's host."""
    return absolute(f"/verify/{code}")


def contest_pictures(session: Session, contest: Contest) -> tuple[bytes | None, bytes | None]:
    """The contest's certificate background and seal (loaded only when a certificate is drawn)."""
    row = session.execute(
        select(Contest.certificate_background, Contest.certificate_seal).where(Contest.id == contest.id)
    ).one()
    return row[0], row[1]


def count_drawn(session: Session, round_: Round, *, under_unit: Unit | None = None) -> int:
    """How many of the round's certificates in force (of one unit's subtree when given) have their PDF stored."""
    query = select(func.count(Certificate.id)).join(CertificateFile, _drawing_of_it())
    if under_unit is not None:
        query = query.join(User, User.id == Certificate.user_id).join(Unit, Unit.id == User.unit_id)
    return session.scalar(query.where(*_in_force_where(round_, under_unit))) or 0


def stored_pdf(session: Session, certificate: Certificate) -> bytes | None:
    """The PDF the worker drew and stored for the certificate as it stands (its code), if it has."""
    return session.scalar(
        select(CertificateFile.pdf).where(
            CertificateFile.certificate_id == certificate.id, CertificateFile.code == certificate.code
        )
    )


def pdf_bytes(session: Session, certificate: Certificate) -> bytes:
    """The certificate as PDF: the stored copy; before the worker has drawn it, drawn now (not stored: the worker
    stores it) and cached by content (statement, code, link, pictures)."""
    stored = stored_pdf(session, certificate)
    if stored is not None:
        return stored
    return _drawn_now(session, certificate)


def _drawn_now(session: Session, certificate: Certificate) -> bytes:
    contest = certificate.round.contest
    background, seal = contest_pictures(session, contest)
    link = verify_url(certificate.code)
    digest = hashlib.sha256()
    for part in (TEMPLATE_VERSION, certificate.code, link, json.dumps(certificate.statement, sort_keys=True)):
        digest.update(part.encode("utf-8") + b"\0")
    for picture in (background, seal):
        digest.update(hashlib.sha256(picture or b"").digest())
    key = f"certificate:{digest.hexdigest()}"
    copy = _process_copies.get(key)
    if copy is not None:
        return copy
    client = redis_client()
    if client is not None:
        try:
            shared = client.get(key)
        except Exception:
            shared = None
        if isinstance(shared, bytes):
            _process_copies[key] = shared
            return shared
    drawn = draw(certificate.statement, certificate.code, link, background=background, seal=seal)
    _process_copies[key] = drawn
    if client is not None:
        try:
            client.set(key, drawn, ex=PDF_CACHE_TTL_S)
        except Exception:
            current_app.logger.warning("certificate cache unavailable")
    return drawn


def _qr_png(link: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=6, border=2)
    buffer.seek(0)
    return buffer


# Words every certificate prints besides its statement (the font is chosen for all of them).
FIXED_WORDS = "GIẤY CHỨNG NHẬN Chứng nhận Ông/Bà: đã đạt đã tham gia với số điểm Mã giấy chứng nhận: Tra cứu tại: –"


def draw(
    statement: dict[str, Any], code: str, link: str, *, background: bytes | None = None, seal: bytes | None = None
) -> bytes:
    """A landscape A4 certificate: heading, title, the person, what they achieved, date, signer, code and QR."""
    shown = "".join(str(value) for value in statement.values() if value) + code + link
    pdf = paper.new_pdf(
        landscape=True, title=f"Giấy chứng nhận {code}", text=shown + FIXED_WORDS + "".join(PRIZE_NAMES_VI.values())
    )
    try:
        _draw_on(pdf, statement, code, link, background, seal)
    except BaseException:
        paper.close_fonts(pdf)  # never written out: its font files are still open
        raise
    return paper.output(pdf)


def _draw_on(
    pdf: FPDF, statement: dict[str, Any], code: str, link: str, background: bytes | None, seal: bytes | None
) -> None:
    pdf.set_auto_page_break(False)
    pdf.add_page()
    if background:
        pdf.image(io.BytesIO(background), x=0, y=0, w=pdf.w, h=pdf.h)
    else:
        _frame(pdf)
    pdf.set_y(18)
    paper.bodies_and_nation(pdf, statement["parent_body"], statement["issuer"])
    pdf.set_y(52)
    prize = statement.get("prize")
    paper.line(pdf, "GIẤY CHỨNG NHẬN", size=30, style="B", height=14)
    pdf.ln(2)
    paper.line(pdf, "Chứng nhận Ông/Bà:", size=13, style="I")
    paper.line(pdf, statement["name"], size=24, style="B", height=12)
    if statement["unit"]:
        paper.line(pdf, statement["unit"], size=13)
    pdf.ln(2)
    if prize:
        won = PRIZE_NAMES_VI.get(prize, prize).upper()
        paper.line(
            pdf,
            f"đã đạt {won}" + (f" – {statement['table']}" if statement.get("table") else ""),
            size=17,
            style="B",
            height=9,
        )
    else:
        paper.line(pdf, "đã tham gia", size=14, height=7)
    paper.line(pdf, f"{statement['round']} – {statement['contest']}", size=14, style="B", height=7)
    paper.line(pdf, f"với số điểm {statement['score']}/{statement['total']}", size=12)
    if statement["text"]:
        pdf.ln(1)
        paper.line(pdf, statement["text"], size=12, style="I")
    _sign(pdf, statement, seal)
    qr_size = 30
    pdf.image(_qr_png(link), x=pdf.l_margin + 4, y=pdf.h - 18 - qr_size - 8, w=qr_size, h=qr_size)
    pdf.set_xy(pdf.l_margin, pdf.h - 24)
    pdf.set_font(paper.FAMILY, "", 9)
    pdf.multi_cell(
        pdf.epw * 0.55, 4.5, f"Mã giấy chứng nhận: {code}\nTra cứu tại: {link}", align="L", new_x=XPos.LMARGIN
    )


def _frame(pdf: FPDF) -> None:
    pdf.set_draw_color(150, 20, 20)
    pdf.set_line_width(1.2)
    pdf.rect(8, 8, pdf.w - 16, pdf.h - 16)
    pdf.set_line_width(0.4)
    pdf.rect(11, 11, pdf.w - 22, pdf.h - 22)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)


def _sign(pdf: FPDF, statement: dict[str, Any], seal: bytes | None) -> None:
    width = pdf.epw * 0.42
    x = pdf.l_margin + pdf.epw - width
    y = max(pdf.get_y() + 4, 138)
    pdf.set_xy(x, y)
    pdf.set_font(paper.FAMILY, "I", 11)
    pdf.multi_cell(width, 6, statement["date"], align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(paper.FAMILY, "B", 11)
    pdf.multi_cell(width, 5.5, "\n".join(paper.signer_lines(statement["signer_title"])), align="C")
    if seal:
        pdf.image(io.BytesIO(seal), x=x + width / 2 - 16, y=pdf.get_y() + 1, w=32, h=32, keep_aspect_ratio=True)
    pdf.set_xy(x, pdf.get_y() + 26)
    pdf.multi_cell(width, 5.5, statement["signer_name"], align="C")


def person_file_name(number: int, width: int, statement: dict[str, Any], code: str) -> str:
    """ "012 - Nguyen Van An - 6TZH-JQU7-SPNP.pdf": the place in the zip (the ranking's order), the name without
    its marks (every archive tool and file system reads it), the prize for a prize certificate, the code."""
    parts = [f"{number:0{width}d}", _file_safe(statement["name"])]
    if statement.get("prize"):
        parts.append(_file_safe(PRIZE_NAMES_VI.get(statement["prize"], statement["prize"])))
    return " - ".join([*parts, code]) + ".pdf"


def _file_safe(text: str) -> str:
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    plain = "".join(ch if ch.isalnum() or ch in " .,'()" else " " for ch in plain)
    return " ".join(plain.split())[:80] or "khong-ten"


class _Chunks:
    """Where the zip is written: it hands on what was written since the last call (a response streams it)."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        data, self._parts = b"".join(self._parts), []
        return data


def stream_zip(session: Session, round_: Round, *, under_unit: Unit | None = None) -> Iterator[bytes]:
    """The round's certificates in force (of one unit's subtree when given), stored PDFs only, as a zip streamed
    file by file in the ranking's order: no drawing and no whole archive in memory, whatever its size."""
    query = (
        select(Certificate.user_id, Certificate.code, Certificate.statement, CertificateFile.pdf)
        .join(CertificateFile, _drawing_of_it())
        .join(
            RankingEntry,
            (RankingEntry.round_id == Certificate.round_id) & (RankingEntry.user_id == Certificate.user_id),
        )
    )
    if under_unit is not None:
        query = query.join(User, User.id == Certificate.user_id).join(Unit, Unit.id == User.unit_id)
    query = query.where(*_in_force_where(round_, under_unit)).order_by(RankingEntry.rank, Certificate.kind.desc())
    width = max(3, len(str(count_in_force(session, round_, under_unit=under_unit))))
    sink = _Chunks()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_STORED) as archive:  # the PDFs are compressed already
        number, last_person = 0, None
        for person, code, statement, pdf in closing_when_left(session.execute(query.execution_options(yield_per=50))):
            if person != last_person:  # a winner's two certificates share their number
                number, last_person = number + 1, person
            archive.writestr(person_file_name(number, width, statement, code), pdf)
            yield sink.take()
    yield sink.take()


def export(session: Session, round_: Round, directory: Path) -> Iterator[Path]:
    """Write the round's certificates in force into `directory`, one PDF each; yields each path written."""
    directory.mkdir(parents=True, exist_ok=True)
    for certificate in in_force(session, round_):
        path = directory / file_name(certificate)
        path.write_bytes(pdf_bytes(session, certificate))
        yield path
