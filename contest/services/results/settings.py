"""What the organizer sets for the results' documents and the certificates: the organizing body, the place, the
signer, the wording, and optional background and seal pictures (checked and re-encoded with Pillow)."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session

from contest.models import Contest
from contest.services.results import certificates
from contest.services.shared.audit import Actor, record
from contest.services.shared.errors import InvalidInput

LIMITS = {
    "issuer": 255,
    "parent_body": 255,
    "place": 120,
    "signer_title": 255,
    "signer_name": 120,
    "text": 600,
    "help_contact": 255,  # whom participants ask for help: shown on the contest's page and "Quên mật khẩu?"
}
MAX_PICTURE_BYTES = 4 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a "decompression bomb" of a small file is refused before it is decoded
PICTURE_SIZES = {"background": (2480, 1754), "seal": (600, 600)}  # A4 landscape at 210 dpi; the seal's box


def document_settings(contest: Contest) -> dict[str, Any]:
    return {
        "issuer": contest.issuer,
        "parent_body": contest.parent_body,
        "place": contest.place,
        "signer_title": contest.signer_title,
        "signer_name": contest.signer_name,
        "text": contest.certificate_text,
        "help_contact": contest.help_contact,
    }


def picture(kind: str, data: bytes) -> bytes:
    """An uploaded PNG or JPEG, checked and re-encoded (a seal as PNG, a background as JPEG) at most the size it is
    drawn at; InvalidInput otherwise (nothing of the upload is kept)."""
    if len(data) > MAX_PICTURE_BYTES:
        raise InvalidInput(_("The picture is larger than 4 MB."), {kind: "size"})
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in ("PNG", "JPEG"):
                raise InvalidInput(_("Use a PNG or JPEG picture."), {kind: "type"})
            if image.width * image.height > MAX_PIXELS:
                raise InvalidInput(_("The picture has too many pixels."), {kind: "pixels"})
            image.load()
            converted = image.convert("RGBA" if kind == "seal" else "RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise InvalidInput(_("The file is not a picture that can be read (PNG or JPEG)."), {kind: "type"}) from error
    converted.thumbnail(PICTURE_SIZES[kind])
    buffer = io.BytesIO()
    if kind == "seal":  # a seal keeps its transparency
        converted.save(buffer, format="PNG", optimize=True)
    else:  # a photograph-like background: JPEG keeps every certificate small
        converted.save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def set_documents(
    session: Session,
    contest: Contest,
    values: dict[str, str],
    *,
    background: bytes | None = None,
    seal: bytes | None = None,
    remove: tuple[str, ...] = (),
    actor: Actor,
    now: datetime,
) -> None:
    """Check everything, then keep it; InvalidInput names the field and changes nothing."""
    cleaned = {name: " ".join(str(values.get(name) or "").split()) for name in LIMITS}
    for name, limit in LIMITS.items():
        if len(cleaned[name]) > limit:
            raise InvalidInput(_("At most %(max)d characters.", max=limit), {name: cleaned[name]})
    pictures = {
        "background": picture("background", background) if background else None,
        "seal": picture("seal", seal) if seal else None,
    }
    before = document_settings(contest)
    contest.issuer, contest.parent_body, contest.place = cleaned["issuer"], cleaned["parent_body"], cleaned["place"]
    contest.signer_title, contest.signer_name = cleaned["signer_title"], cleaned["signer_name"]
    contest.certificate_text = cleaned["text"]
    contest.help_contact = cleaned["help_contact"]
    changed_pictures = []
    for kind, data in pictures.items():
        attribute = f"certificate_{kind}"
        if data is not None:
            setattr(contest, attribute, data)
            changed_pictures.append(f"{kind}: new")
        elif kind in remove:
            setattr(contest, attribute, None)
            changed_pictures.append(f"{kind}: removed")
    if changed_pictures:  # the stored certificates show the old design: the worker draws them again
        certificates.redraw_contest(session, contest, now)
    after = {**document_settings(contest), "pictures": changed_pictures}
    record(session, actor, "contest.documents", f"contest:{contest.slug}", before=before, after=after, now=now)


def has_pictures(session: Session, contest: Contest) -> tuple[bool, bool]:
    row = session.execute(
        select(Contest.certificate_background.is_not(None), Contest.certificate_seal.is_not(None)).where(
            Contest.id == contest.id
        )
    ).one()
    return bool(row[0]), bool(row[1])
