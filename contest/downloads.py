"""Excel files sent to the browser as downloads."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any, BinaryIO

from flask import Response, send_file

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_download(write: Callable[[BinaryIO], Any], name: str) -> Response:
    """Let `write` fill a workbook in memory, then send it as the attachment `name`."""
    buffer = io.BytesIO()
    write(buffer)
    buffer.seek(0)
    return send_file(buffer, mimetype=XLSX, as_attachment=True, download_name=name)
