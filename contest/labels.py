"""Words shown to people for the codes the data model stores (roles, unit kinds, audit actions)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ROLE_LABELS = {
    "participant": _l("Participant"),
    "unit_admin": _l("Unit administrator"),
    "organizer": _l("Organizer"),
    "admin": _l("Administrator"),
}
UNIT_KIND_LABELS = {
    "province": _l("Province"),
    "ministry": _l("Ministry"),
    "department": _l("Department"),
    "agency": _l("Agency"),
    "district": _l("District (before July 2025)"),
    "commune": _l("Commune"),
    "ward": _l("Ward"),
    "special_zone": _l("Special zone"),
    "union": _l("Union"),
    "association": _l("Association"),
    "school": _l("School"),
    "enterprise": _l("Enterprise"),
    "other": _l("Other"),
}
CONTEST_STATUS_LABELS = {
    "draft": _l("Draft"),
    "published": _l("Published"),
    "archived": _l("Archived"),
}
# quản lý, soạn đề, điều hành, thẩm định, theo dõi
BODY_ROLE_LABELS = {
    "manager": _l("Manager"),
    "author": _l("Question author"),
    "operator": _l("Contest operator"),
    "reviewer": _l("Key reviewer"),
    "viewer": _l("Observer"),
}
BODY_ROLE_HINTS = {
    "manager": _l("Everything for the body, and its members"),
    "author": _l("Question banks and questions"),
    "operator": _l("Contests and rounds, monitoring, integrity, results"),
    "reviewer": _l("Reads banks with their keys and marks questions checked or disputed; edits nothing"),
    "viewer": _l("Monitoring and results, read only"),
}
REVIEW_STATE_LABELS = {
    "unchecked": _l("Not checked"),
    "checked": _l("Checked"),
    "disputed": _l("Disputed"),
}

AUDIT_ACTION_LABELS = {
    "body.create": _l("Created an organizing body"),
    "body.member": _l("Gave a role in a body"),
    "body.member_removed": _l("Removed a member of a body"),
    "question.review": _l("Checked the key of a question"),
    "question.dispute_resolved": _l("Resolved a dispute about a question"),
    "bank.import": _l("Imported questions"),
    "bank.upload_discarded": _l("Discarded an upload"),
    "question.edit": _l("Edited a question"),
    "question.active": _l("Deactivated or reused a question"),
    "board.freeze": _l("Froze the public board"),
    "board.unfreeze": _l("Unfroze the public board"),
    "board.hide": _l("Hid the public board"),
    "board.show": _l("Showed the public board"),
    "round.prizes": _l("Set the prizes"),
    "round.close": _l("Closed the round"),
    "round.create": _l("Created a round"),
    "round.edit": _l("Edited a round"),
    "contest.create": _l("Created a contest"),
    "contest.edit": _l("Edited a contest"),
    "attempt.disqualify": _l("Disqualified an attempt"),
    "attempt.reinstate": _l("Reinstated an attempt"),
    "contest.status": _l("Changed a contest's status"),
    "user.password_reset": _l("Reset a password"),
    "user.role": _l("Changed a role"),
    "units.import": _l("Imported units"),
    "unit.edit": _l("Edited a unit"),
    "user.create_admin": _l("Created an administrator"),
    "contest.configure": _l("Configured a contest's ranking"),
    "results.export": _l("Downloaded the results"),
    "members.export": _l("Downloaded a unit's member list"),
    "audit.export": _l("Downloaded the audit log"),
    "demo.load": _l("Loaded the demo data"),
    "round.results_publish": _l("Published the results"),
    "round.results_republish": _l("Published the results again"),
    "contest.documents": _l("Set the results' documents and certificates"),
    "certificates.export": _l("Exported certificates"),
    "certificates.retry": _l("Queued failed certificates to be drawn again"),
    "user.profile": _l("Changed a person's name, unit or category"),
}
PRIZE_LABELS = {
    "first": _l("First prize"),
    "second": _l("Second prize"),
    "third": _l("Third prize"),
    "consolation": _l("Consolation prize"),
}
CERTIFICATE_KIND_LABELS = {"participation": _l("Certificate of participation"), "prize": _l("Prize certificate")}
INTEGRITY_FLAG_LABELS = {
    "too_fast": _l("finished impossibly fast"),
    "same_answers": _l("the same answers as other participants"),
    "same_device": _l("several accounts from one device within an hour"),
    "same_address": _l("many accounts from one network address within an hour"),
    "registered_together": _l("registered from one device with other accounts within an hour"),
    "long_absences": _l("answered after leaving the quiz page for long periods"),
}
