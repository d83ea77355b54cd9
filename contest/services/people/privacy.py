"""Personal data in public views: names as the contest chooses, never phones or birth dates."""

from __future__ import annotations

# The name a deleted account keeps: shown as it is, in words, never masked into "Người d. đ. x.".
DELETED_ACCOUNT_NAME = "Người dùng đã xóa"


def mask_name(full_name: str) -> str:
    """ "Nguyễn Văn An" -> "Nguyễn V. A.": the family name, then initials."""
    if full_name == DELETED_ACCOUNT_NAME:
        return full_name
    parts = full_name.split()
    if len(parts) <= 1:
        return (parts[0][0] + ".") if parts else ""
    return " ".join([parts[0], *(part[0] + "." for part in parts[1:])])


def public_name(full_name: str, display: str) -> str:
    return full_name if display == "full" else mask_name(full_name)
