"""Pictures of questions and options: stored once by their digest, served from a bounded copy in each process."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from cachetools import LRUCache
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from contest.models import Picture
from question_bank.images import DraftImage, PreparedImage

CACHE_BYTES = 32_000_000  # per process: the pictures of the questions being drawn, a few KB to 100 KB each

_cache: LRUCache[str, bytes] = LRUCache(maxsize=CACHE_BYTES, getsizeof=len)
_lock = threading.Lock()


def picture_path(digest: str) -> str:
    return f"/pictures/{digest}.webp"


def shown(ref: dict[str, Any] | None) -> dict[str, Any] | None:
    """A picture as a page or the API shows it: its address, size and description."""
    if ref is None:
        return None
    return {"url": picture_path(ref["digest"]), "width": ref["width"], "height": ref["height"], "alt": ref["alt"]}


def store_pictures(session: Session, images: Iterable[DraftImage | None], now: datetime) -> dict[str, int]:
    """Each distinct picture stored once (one already stored is reused); digest -> its row's id."""
    by_digest: dict[str, PreparedImage] = {}
    for image in images:
        if image is not None:
            by_digest.setdefault(image.image.digest, image.image)
    if not by_digest:
        return {}
    found = session.execute(select(Picture.digest, Picture.id).where(Picture.digest.in_(by_digest)))
    ids: dict[str, int] = {row.digest: row.id for row in found}
    for digest in (digest for digest in by_digest if digest not in ids):
        picture = by_digest[digest]
        row = Picture(digest=digest, data=picture.data, width=picture.width, height=picture.height, created_at=now)
        try:
            with session.begin_nested():  # another import storing the same picture at this moment wins
                session.add(row)
        except IntegrityError:
            ids[digest] = session.scalars(select(Picture.id).where(Picture.digest == digest)).one()
        else:
            ids[digest] = row.id
    return ids


def picture_data(session: Session, digest: str) -> bytes | None:
    with _lock:
        cached = _cache.get(digest)
    if cached is not None:
        return cached
    data = session.scalar(select(Picture.data).where(Picture.digest == digest))
    if data is not None:
        with _lock:
            _cache[digest] = data
    return data
