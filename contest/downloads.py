"""Excel and PDF files sent to the browser as downloads."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO
from urllib.parse import quote

from flask import Response, flash, send_file, stream_with_context
from flask_babel import gettext as _

from contest.templating import number

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_download(write: Callable[[BinaryIO], Any], name: str) -> Response:
    """Let `write` fill a workbook in memory, then send it as the attachment `name`."""
    buffer = io.BytesIO()
    write(buffer)
    buffer.seek(0)
    return send_file(buffer, mimetype=XLSX, as_attachment=True, download_name=name)


def pdf_download(content: bytes, name: str, *, inline: bool = False) -> Response:
    """A PDF: shown in the browser (inline) or saved (attachment) under `name`."""
    response = send_file(io.BytesIO(content), mimetype="application/pdf", as_attachment=not inline, download_name=name)
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


def zip_download(chunks: Iterator[bytes], name: str) -> Response:
    """A zip streamed as it is written (the request's context kept open for the generator's queries)."""
    response = Response(stream_with_context(chunks), mimetype="application/zip")
    plain = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D")).encode("ascii", "ignore").decode()
    if plain == name:
        response.headers.set("Content-Disposition", "attachment", filename=name)
    else:  # a unit code with Vietnamese letters: the name as it is for browsers that read it, and without marks
        response.headers.set(
            "Content-Disposition", "attachment", filename=plain, **{"filename*": f"UTF-8''{quote(name)}"}
        )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def still_drawing(drawn: int, total: int) -> bool:
    """Before every certificate of a zip is drawn (zips hold stored files only): say so, with how far the worker
    has come, and answer True (the caller sends the person back to the page)."""
    if drawn >= total:
        return False
    flash(
        _(
            "The certificates are still being made (%(drawn)s of %(total)s): try again in a few minutes.",
            drawn=number(drawn),
            total=number(total),
        ),
        "warning",
    )
    return True
