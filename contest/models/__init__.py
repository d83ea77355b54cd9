"""The data model, one module per domain; importing this package registers every table."""

from contest.models.attempts import Attempt, AttemptItem
from contest.models.audit import AuditEntry
from contest.models.base import Base
from contest.models.bodies import Body, Membership
from contest.models.certificates import Certificate, CertificateDrawing, CertificateFile
from contest.models.contests import Contest, Round, RoundPoolQuestion, RoundReport
from contest.models.eligibility import JoinRequest, StaffListEntry
from contest.models.practice import PracticeAnswer
from contest.models.questions import BankUpload, Option, Picture, Question, QuestionBank
from contest.models.rankings import RankingEntry
from contest.models.units import Unit
from contest.models.users import User

__all__ = [
    "Attempt",
    "AttemptItem",
    "AuditEntry",
    "BankUpload",
    "Base",
    "Body",
    "Certificate",
    "CertificateDrawing",
    "CertificateFile",
    "Contest",
    "JoinRequest",
    "Membership",
    "Option",
    "Picture",
    "PracticeAnswer",
    "Question",
    "QuestionBank",
    "RankingEntry",
    "Round",
    "RoundPoolQuestion",
    "RoundReport",
    "StaffListEntry",
    "Unit",
    "User",
]
