"""The audit log: who did what and when, filtered and paged, and its Excel download."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from contest import clock
from contest.auth.permissions import current_actor
from contest.auth.scope import current_access, staff_required
from contest.downloads import xlsx_download
from contest.extensions import db
from contest.ids import int_arg
from contest.labels import AUDIT_ACTION_LABELS
from contest.organizer import audit_words, bp
from contest.services.bodies.access import Right
from contest.services.shared import audit


def _audit_filter() -> audit.AuditFilter:
    """The filter asked for, within the person's bodies (a body's managers read its entries; the platform
    administrator every entry)."""
    bodies = current_access().bodies(Right.AUDIT)
    return audit.AuditFilter(
        action=request.args.get("action", "")[:60],
        text=request.args.get("q", "")[:120],
        bodies=None if bodies is None else frozenset(bodies),
        viewer_id=current_user.id,
    )


@bp.get("/audit")
@staff_required(Right.AUDIT)
def audit_log() -> ResponseReturnValue:
    where = _audit_filter()
    page = audit.page(db.session(), where, page=int_arg("page", 1, low=1))
    return render_template(
        "organizer/audit.html",
        page=page,
        where=where,
        actions=sorted(set(AUDIT_ACTION_LABELS) | set(audit.recorded_actions(db.session()))),
        changes=audit.changes,
        audit_field_label=audit_words.field_label,
        audit_in_words=audit_words.in_words,
        who=audit.who,
    )


@bp.get("/audit.xlsx")
@staff_required(Right.AUDIT)
def audit_xlsx() -> ResponseReturnValue:
    where = _audit_filter()
    response = xlsx_download(
        lambda target: audit.write_xlsx(db.session(), target, where, actor=current_actor(), now=clock.now()),
        "nhat-ky-thao-tac.xlsx",
    )
    db.session.commit()  # the download is in the log too
    return response
