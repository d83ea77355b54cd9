"""Uploading a question file: staged, previewed as a dry run, confirmed (all questions or none) or discarded."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete
from sqlalchemy.orm import Session

from contest.models import BankUpload, User
from contest.services.banks.importing import BankImportSummary, import_questions
from contest.services.banks.pictures import store_pictures
from contest.services.banks.readings import dump_reading, load_reading
from contest.services.bodies.memberships import body_for_new
from contest.services.shared.audit import Actor, record
from contest.services.shared.errors import InvalidInput, NotFound
from contest.services.shared.problems import FileProblems, Problem
from question_bank.model import DraftQuestion, ReadResult
from question_bank.readers import read_questions

UPLOAD_LIFETIME = timedelta(days=1)


def stage_upload(
    session: Session,
    *,
    user: User,
    body_id: int,
    bank_name: str,
    filename: str,
    data: bytes,
    file_format: str,
    skip_unsupported: bool,
    now: datetime,
) -> BankUpload:
    """Keep the file until the organizer confirms; uploads older than a day are dropped. `body_id`: the body the
    questions are for (0: the platform's first, made now)."""
    if not bank_name.strip():
        raise InvalidInput(_("Enter the name of the bank."), {"bank_name": _("Enter the name of the bank.")})
    if not data:
        raise InvalidInput(_("The file is empty."), {"file": _("The file is empty.")})
    session.execute(delete(BankUpload).where(BankUpload.created_at < now - UPLOAD_LIFETIME))
    # read once, here: the preview and the import use this reading, and its pictures are stored already
    result = read_questions(filename, data, file_format)
    if not result.problems:  # a file with problems is not imported: its pictures are not kept
        images = [image for q in result.questions for image in (q.image, *(o.image for o in q.options))]
        store_pictures(session, images, now)
    upload = BankUpload(
        user_id=user.id,
        body_id=body_for_new(session, body_id or None, now).id,
        bank_name=bank_name.strip(),
        filename=filename[-255:],
        data=data,
        file_format=file_format,
        skip_unsupported=skip_unsupported,
        created_at=now,
        reading=dump_reading(result),
    )
    session.add(upload)
    session.flush()
    return upload


def get_upload(session: Session, user: User, upload_id: int) -> BankUpload:
    upload = session.get(BankUpload, upload_id)
    if upload is None or (upload.user_id != user.id and user.role != "admin"):
        raise NotFound(_("This upload no longer exists. Please upload the file again."))
    return upload


@dataclass
class UploadPreview:
    upload: BankUpload
    problems: list[Problem] = field(default_factory=list)
    summary: BankImportSummary | None = None
    questions: list[DraftQuestion] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.summary is not None

    def counts(self) -> tuple[list[str], dict[tuple[str, str], int]]:
        counts: Counter[tuple[str, str]] = self.summary.by_topic_difficulty if self.summary else Counter()
        return sorted({topic for topic, _ in counts}), dict(counts)


def preview_upload(session: Session, upload: BankUpload, now: datetime) -> UploadPreview:
    """Everything import would do, without writing: the problems, or what would be imported."""
    result = upload_reading(upload)
    preview = UploadPreview(upload, questions=result.questions)
    try:
        preview.summary = import_questions(
            session,
            bank_name=upload.bank_name,
            result=result,
            now=now,
            dry_run=True,
            skip_unsupported=upload.skip_unsupported,
            body_id=upload.body_id,
        )
    except FileProblems as error:
        preview.problems = error.problems
    return preview


def confirm_upload(session: Session, upload: BankUpload, *, actor: Actor, now: datetime) -> BankImportSummary:
    """Import the staged file (validated again: the bank may have changed since the preview)."""
    result = upload_reading(upload)
    summary = import_questions(
        session,
        bank_name=upload.bank_name,
        result=result,
        now=now,
        actor=actor,
        source=upload.filename,
        skip_unsupported=upload.skip_unsupported,
        body_id=upload.body_id,
    )
    session.delete(upload)
    return summary


def upload_reading(upload: BankUpload) -> ReadResult:
    """What the file was read as when it was uploaded (an upload kept from before readings were kept is read now)."""
    if upload.reading is not None:
        return load_reading(upload.reading)
    return read_questions(upload.filename, upload.data, upload.file_format)


def discard_upload(session: Session, upload: BankUpload, *, actor: Actor, now: datetime) -> None:
    record(session, actor, "bank.upload_discarded", f"upload:{upload.id}", now=now, body_id=upload.body_id)
    session.delete(upload)
