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
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import segno
from cachetools import LRUCache
from flask import current_app
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from contest.deadline import check_deadline
from contest.extensions import redis_client
from contest.models import Certificate, Contest, RankingEntry, Round, Unit, User
from contest.public_address import absolute
from contest.services.quiz.receipts import keyed_code, normalise_code, receipt_keys
from contest.services.ranking.leaderboard import ranked_people
from contest.services.ranking.prizes import PRIZE_NAMES_VI
from contest.services.ranking.tables import table_names
from contest.services.results import pdf as paper

PDF_CACHE_TTL_S = 24 * 3600
TEMPLATE_VERSION = "1"  # change it when the drawing changes: cached copies are then drawn again
PROCESS_CACHE_BYTES = 32 * 1024 * 1024  # each worker keeps at most this much of drawn certificates
_process_copies: LRUCache[str, bytes] = LRUCache(maxsize=PROCESS_CACHE_BYTES, getsizeof=len)


def statement_of(
    contest: Contest, round_: Round, name: str, unit: str, entry: RankingEntry, kind: str, issued: datetime
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


def code_for(round_id: int, user_id: int, statement: dict[str, Any]) -> str:
    return keyed_code(_keys()[0], _document(round_id, user_id, statement))


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
    changed statement re-issued under a new code, and those the ranking no longer gives revoked."""
    contest = round_.contest
    issued_on = round_.results_published_at or now
    rows = session.execute(
        ranked_people(round_.id).where(User.anonymised_at.is_(None)).order_by(RankingEntry.rank)  # none when deleted
    ).all()
    existing = {
        (certificate.user_id, certificate.kind): certificate
        for certificate in session.scalars(select(Certificate).where(Certificate.round_id == round_.id))
    }
    wanted: set[tuple[int, str]] = set()
    issued = 0
    for entry, name, unit in rows:
        for kind in ("participation", "prize") if entry.prize else ("participation",):
            wanted.add((entry.user_id, kind))
            statement = statement_of(contest, round_, name, unit or "", entry, kind, issued_on)
            certificate = existing.get((entry.user_id, kind))
            if certificate is None:
                certificate = Certificate(round_id=round_.id, user_id=entry.user_id, kind=kind, issued_at=now)
                session.add(certificate)
            elif certificate.statement == statement and certificate.revoked_at is None:
                continue
            certificate.statement, certificate.revoked_at = statement, None
            certificate.code = code_for(round_.id, entry.user_id, statement)
            issued += 1
    revoked = 0
    for key, certificate in existing.items():
        if key not in wanted and certificate.revoked_at is None:
            certificate.revoked_at = now
            revoked += 1
    session.flush()
    return IssueReport(issued, revoked, len(wanted))


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


def may_download(viewer: User, certificate: Certificate) -> bool:
    """The owner, the organizers, and the administrator of a unit the owner belongs to (its whole subtree)."""
    if viewer.id == certificate.user_id or viewer.is_organizer:
        return True
    managed, unit = viewer.managed_unit if viewer.role == "unit_admin" else None, certificate.user.unit
    return managed is not None and unit is not None and unit.path.startswith(managed.path)


MAX_ZIP = 2_000  # a larger unit's certificates come from `certificates export` on the server, not one request


def count_in_force(session: Session, round_: Round, *, under_unit: Unit) -> int:
    query = (
        select(func.count(Certificate.id))
        .join(User, User.id == Certificate.user_id)
        .join(Unit, Unit.id == User.unit_id)
        .where(*_in_force_where(round_, under_unit))
    )
    return session.scalar(query) or 0


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


def pdf_bytes(session: Session, certificate: Certificate) -> bytes:
    """The certificate as PDF, drawn once per content (statement, code, link, pictures) and cached."""
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


def draw(
    statement: dict[str, Any], code: str, link: str, *, background: bytes | None = None, seal: bytes | None = None
) -> bytes:
    """A landscape A4 certificate: heading, title, the person, what they achieved, date, signer, code and QR."""
    pdf = paper.new_pdf(landscape=True, title=f"Giấy chứng nhận {code}")
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
    return paper.output(pdf)


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


def zip_of(session: Session, certificates: list[Certificate]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            check_deadline()  # drawing certificates is the slowest work a page asks for
            archive.writestr(file_name(certificate), pdf_bytes(session, certificate))
    return buffer.getvalue()


def export(session: Session, round_: Round, directory: Path) -> Iterator[Path]:
    """Write the round's certificates in force into `directory`, one PDF each; yields each path written."""
    directory.mkdir(parents=True, exist_ok=True)
    for certificate in in_force(session, round_):
        path = directory / file_name(certificate)
        path.write_bytes(pdf_bytes(session, certificate))
        yield path
