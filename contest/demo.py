"""The demo data of `flask demo` / `make run`: loaded once, a second run changes nothing."""

from __future__ import annotations

import io
import random
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from contest.models import Attempt, Body, Contest, Question, QuestionBank, Round, Unit, User
from contest.services.banks.importing import import_questions
from contest.services.banks.review import check_all, review_question
from contest.services.bodies.memberships import add_member, create_body
from contest.services.console.contests import create_contest
from contest.services.console.rounds import create_round
from contest.services.people import eligibility
from contest.services.people.accounts import create_user, find_by_phone
from contest.services.people.origins import ClientOrigin
from contest.services.people.passwords import hash_password
from contest.services.people.units import find_unit, import_units
from contest.services.quiz.attempts import save_answer, start_attempt, submit_attempt
from contest.services.quiz.items import item_facts
from contest.services.ranking.prizes import set_prize_plan
from contest.services.results.closing import close_round
from contest.services.results.disqualification import disqualify
from contest.services.results.publishing import publish_results
from contest.services.results.settings import set_documents
from contest.services.shared.audit import Actor, record
from question_bank.model import ReadResult
from question_bank.readers import read_questions
from question_bank.tables import read_table

DEMO_DATA = Path(__file__).resolve().parent / "demo_data"
BANK_NAME = "Ngân hàng mẫu chuyển đổi số"
# Last week's round showed its right answers after its close: its questions may not serve this week's round, so it
# drew from a bank of its own (the sample file is shared between the two, every other question to each).
PAST_BANK_NAME = "Ngân hàng mẫu chuyển đổi số – Tuần 1"
PRACTICE_BANK_NAME = "Ngân hàng thi thử chuyển đổi số"  # the contest's practice: true/false questions, pictures
CONTEST_SLUG = "cds-2026"
CONTEST_TITLE = "Cuộc thi trực tuyến tìm hiểu về chuyển đổi số tỉnh Hòa Bình Xanh năm 2026"
ROUND_NAME = "Tuần 2"  # open now (the first round made: its id is 1)
PAST_ROUND_NAME = "Tuần 1"  # last week's, closed, its results published with certificates
# Two organizing bodies on one platform: the department runs the province's contest, the youth union its own; neither
# sees the other's work.
DEPARTMENT = ("Sở Khoa học và Công nghệ tỉnh Hòa Bình Xanh", "Sở KH&CN", "UBND TỈNH HÒA BÌNH XANH")
YOUTH_UNION = ("Tỉnh đoàn Hòa Bình Xanh", "Tỉnh đoàn", "BCH ĐOÀN TNCS HỒ CHÍ MINH TỈNH HÒA BÌNH XANH")
ORGANIZER_PHONE = "0900000001"  # manages the department's body
ORGANIZER_PASSWORD = "Demo@2026"  # printed by `flask demo`; change it before any real use
PARTICIPANT_PHONE = "0900000002"
UNIT_ADMIN_PHONE = "0900000003"  # administers Sở Khoa học và Công nghệ (HBX-SKHCN)
REVIEWER_PHONE = "0900000004"  # checks the department's key (thẩm định): most of it done, one question disputed
YOUTH_ORGANIZER_PHONE = "0900000005"  # manages the youth union's body: sees only its contest
YOUTH_BANK_NAME = "Ngân hàng Tuổi trẻ với chuyển đổi số"
YOUTH_CONTEST_SLUG = "tuoi-tre-cds-2026"
YOUTH_CONTEST_TITLE = "Cuộc thi “Tuổi trẻ Hòa Bình Xanh với chuyển đổi số” năm 2026"
UNCHECKED_LEFT = 6  # questions of this week's bank the reviewer has not reached yet
DISPUTE = (
    "Phương án được đánh dấu đúng chưa khớp với văn bản mới nhất; đề nghị Tổ soạn đề kiểm tra lại căn cứ "
    "trước khi đưa câu này vào đợt thi."
)
STAFF_UNIT = "HBX-SKHCN"
# A contest closed to the staff on the department's list (the demo participant is on it).
STAFF_CONTEST_SLUG = "cds-can-bo-skhcn-2026"
NEWCOMER_PHONE = "0912000101"  # on the staff list as "Trần Thị Bích"
STAFF_CONTEST_TITLE = "Hội thi tìm hiểu chuyển đổi số dành cho cán bộ Sở Khoa học và Công nghệ năm 2026"
STAFF_LIST = [
    ("Nguyễn Văn An", PARTICIPANT_PHONE),
    ("Trần Thị Bích", "0912000101"),
    ("Lê Văn Cường", "0912000102"),
    ("Phạm Thị Dung", "0912000103"),
]
# Typed as an organizer would type it in the form: plain text, a blank line between paragraphs, "- " lists.
CONTEST_RULES = """\
Cuộc thi dành cho cán bộ, công chức, viên chức, đoàn viên, hội viên và người dân trên địa bàn tỉnh.

- Mỗi tuần một đợt thi; mỗi đợt 20 câu hỏi trắc nghiệm chọn ngẫu nhiên, làm trong 15 phút.
- Câu hỏi của mỗi đợt chưa từng được công bố đáp án ở đợt trước: đáp án một đợt được công bố sau khi đợt kết thúc.
- Mỗi người được thi tối đa 3 lượt trong một đợt; lượt có kết quả tốt nhất được tính.
- Hai bảng: Bảng A cho cán bộ, công chức, viên chức; Bảng B cho đoàn viên, hội viên, người lao động, người dân.
- Mỗi tuần, mỗi bảng có 1 giải Nhất, 1 giải Nhì, 1 giải Ba, 2 giải Khuyến khích; mỗi người chỉ nhận một giải.
"""
DEMO_PRIZES = {"first": 1, "second": 1, "third": 1, "consolation": 2, "one_per_person": True}  # in each table
DEMO_TABLES = (
    {"A": "Bảng A: Cán bộ, công chức, viên chức", "B": "Bảng B: Đoàn viên, hội viên, người lao động và người dân"},
    {"civil_servant": "A", "union_member": "B", "association_member": "B", "worker": "B", "citizen": "B"},
)
DEMO_CATEGORIES = ("civil_servant", "union_member", "citizen", "civil_servant", "association_member", "worker")
DEMO_DOCUMENTS = {
    "parent_body": "UBND tỉnh Hòa Bình Xanh",
    "issuer": "Ban Tổ chức Cuộc thi",
    "place": "Hòa Bình Xanh",
    "signer_title": "TM. Ban Tổ chức / Trưởng ban",  # " / " starts a new line, as official documents set it
    "signer_name": "Trần Quốc Việt",
    "help_contact": "Ban Tổ chức: 0208 3 123 456, thi.cds@hoabinhxanh.gov.vn (giờ hành chính)",
    "text": "",
}


@dataclass
class DemoReport:
    created: list[str]

    @property
    def changed(self) -> bool:
        return bool(self.created)


def _zipped(folder: Path) -> bytes:
    """A folder's files as one zip, as an organizer would upload them."""
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return target.getvalue()


def load_demo(session: Session, *, actor: Actor, now: datetime) -> DemoReport:
    """Each part is recorded in the audit log as the command that makes it would record it, then the load."""
    created: list[str] = []
    department = _body(session, DEPARTMENT, created, actor=actor, now=now)
    youth = _body(session, YOUTH_UNION, created, actor=actor, now=now)
    if session.scalar(select(Unit.id).where(Unit.code == "HBX")) is None:
        summary = import_units(session, read_table(DEMO_DATA / "units.csv"), source="units.csv", actor=actor, now=now)
        created.append(f"{summary.created} units")
    if session.scalar(select(QuestionBank.id).where(QuestionBank.name == BANK_NAME)) is None:
        path = DEMO_DATA / "sample_bank.xlsx"
        result = read_questions(path.name, path.read_bytes())
        # every other question to last week's bank: the two weeks share no question (the keys of last week's,
        # shown after its close, cannot help this week)
        for name, questions in ((BANK_NAME, result.questions[::2]), (PAST_BANK_NAME, result.questions[1::2])):
            half = ReadResult(questions, [], line_label=result.line_label)
            imported = import_questions(
                session, bank_name=name, result=half, now=now, actor=actor, source=path.name, body_id=department.id
            )
            created.append(f"{imported.imported} questions in {name}")
    if session.scalar(select(QuestionBank.id).where(QuestionBank.name == PRACTICE_BANK_NAME)) is None:
        path = DEMO_DATA / "practice_bank.csv"
        result = read_questions(path.name, path.read_bytes())
        imported = import_questions(
            session,
            bank_name=PRACTICE_BANK_NAME,
            result=result,
            now=now,
            actor=actor,
            source=path.name,
            body_id=department.id,
        )
        # questions with pictures, uploaded as an organizer would: the workbook and its images folder in a zip
        pictures = read_questions("cau-hoi-co-anh.zip", _zipped(DEMO_DATA / "practice"))
        with_pictures = import_questions(
            session,
            bank_name=PRACTICE_BANK_NAME,
            result=pictures,
            now=now,
            actor=actor,
            source="cau-hoi-co-anh.zip",
            body_id=department.id,
        )
        created.append(f"{imported.imported + with_pictures.imported} practice questions")
    created += _demo_staff_of_bodies(session, department, youth, now=now)
    created += _demo_review(session, department, now=now)
    contest = session.scalar(select(Contest).where(Contest.slug == CONTEST_SLUG))
    if contest is None:
        contest = create_contest(
            session,
            body_id=department.id,
            require_review=True,  # its rounds draw only questions the reviewer checked
            slug=CONTEST_SLUG,
            title=CONTEST_TITLE,
            scope_code="HBX",
            rules=CONTEST_RULES,
            tables=DEMO_TABLES,
            practice_bank=PRACTICE_BANK_NAME,
            now=now,
            actor=actor,
        )
        created.append(f"contest {CONTEST_SLUG}")
    if not contest.rounds:
        # one round a week, as the rules say: this week's open now, last week's closed yesterday
        opens = now.replace(minute=0, second=0, microsecond=0) - timedelta(days=1)
        for name, start in ((ROUND_NAME, opens), (PAST_ROUND_NAME, opens - timedelta(days=7))):
            round_ = create_round(
                session,
                contest=contest,
                actor=actor,
                now=now,
                name=name,
                opens_at=start,
                closes_at=start + timedelta(days=7),
                question_count=20,
                minutes=15,
                max_attempts=3,
                bank_name=BANK_NAME if name == ROUND_NAME else PAST_BANK_NAME,
                draw=":Dễ:8,:Trung bình:8,:Khó:4",
            )
            set_prize_plan(session, round_, DEMO_PRIZES, actor=actor, now=now)  # given at the close
            created.append(f"round {name}")
        set_documents(session, contest, DEMO_DOCUMENTS, actor=actor, now=now)
    if find_by_phone(session, PARTICIPANT_PHONE) is None:
        create_user(
            session,
            name="Nguyễn Văn An",
            phone=PARTICIPANT_PHONE,
            password=ORGANIZER_PASSWORD,
            unit=find_unit(session, "HBX-SKHCN"),
            category="civil_servant",
            consent=True,
            now=now,
        )
        created.append("participant account")
    created += _demo_staff_contest(session, department, actor=actor, now=now)
    created += _demo_youth_contest(session, youth, actor=actor, now=now)
    round_ = next(r for r in contest.rounds if r.name == ROUND_NAME)
    if session.scalar(select(Attempt.id).where(Attempt.round_id == round_.id)) is None:
        count = _demo_attempts(session, round_, now)
        created.append(f"{count} finished attempts")
    past = next((r for r in contest.rounds if r.name == PAST_ROUND_NAME), None)
    if past is not None and past.results_published_at is None:
        created.append(_demo_past_round(session, past, actor=actor, now=now))
    if created:
        record(session, actor, "demo.load", after={"created": created}, now=now)
    return DemoReport(created)


def _body(session: Session, fields: tuple[str, str, str], created: list[str], *, actor: Actor, now: datetime) -> Body:
    name, short_name, heading = fields
    body = session.scalar(select(Body).where(Body.name == name))
    if body is None:
        body = create_body(session, name=name, short_name=short_name, heading=heading, actor=actor, now=now)
        created.append(f"body {short_name}")
    return body


def _demo_staff_of_bodies(session: Session, department: Body, youth: Body, *, now: datetime) -> list[str]:
    """The department's manager (the demo's organizer) and its key reviewer; the youth union's manager."""
    created = []
    for phone, name, body, role in (
        (ORGANIZER_PHONE, "Ban Tổ chức Sở KH&CN (demo)", department, "manager"),
        (REVIEWER_PHONE, "Thẩm định viên Sở KH&CN (demo)", department, "reviewer"),
        (YOUTH_ORGANIZER_PHONE, "Ban Tổ chức Tỉnh đoàn (demo)", youth, "manager"),
    ):
        if find_by_phone(session, phone) is None:
            person = create_user(session, name=name, phone=phone, password=ORGANIZER_PASSWORD, now=now)
            add_member(session, body, person, role, actor=Actor.account(person), now=now)
            created.append(f"{role} of {body.short_name}")
    return created


def _demo_review(session: Session, department: Body, *, now: datetime) -> list[str]:
    """The reviewer has checked both weeks' banks but for the last few questions of this week's, and disputed one
    of them: the contest requires checked questions, so its rounds draw from what was checked."""
    reviewer = find_by_phone(session, REVIEWER_PHONE)
    banks = [
        session.scalar(select(QuestionBank).where(QuestionBank.name == name, QuestionBank.body_id == department.id))
        for name in (PAST_BANK_NAME, BANK_NAME)
    ]
    if reviewer is None or any(bank is None for bank in banks):
        return []
    ids = [question_id for bank in banks if bank for question_id in _question_ids(session, bank)]
    if session.scalar(select(Question.id).where(Question.id.in_(ids), Question.review_state != "unchecked")):
        return []
    this_week = _question_ids(session, banks[1]) if banks[1] else []
    disputed = this_week[len(this_week) // 2]
    left = set(this_week[-UNCHECKED_LEFT:])
    checked = 0
    for bank in banks:
        if bank is not None:
            chosen = [question_id for question_id in _question_ids(session, bank) if question_id not in left]
            checked += check_all(session, bank, [q for q in chosen if q != disputed], reviewer=reviewer, now=now)
    question = session.get(Question, disputed)
    if question is not None:
        review_question(
            session, question, verdict="disputed", comment=DISPUTE, reviewer=reviewer, allowed=True, now=now
        )
    return [f"{checked} questions checked, 1 disputed"]


def _question_ids(session: Session, bank: QuestionBank) -> list[int]:
    return list(session.scalars(select(Question.id).where(Question.bank_id == bank.id).order_by(Question.id)))


def _demo_youth_contest(session: Session, youth: Body, *, actor: Actor, now: datetime) -> list[str]:
    """The youth union's own contest, with a bank of its own: the department's organizers never see it."""
    created = []
    if session.scalar(select(QuestionBank.id).where(QuestionBank.name == YOUTH_BANK_NAME)) is None:
        path = DEMO_DATA / "sample_bank.csv"  # the same questions as the workbook, quicker to read
        result = read_questions(path.name, path.read_bytes())
        chosen = ReadResult(result.questions[:40], [], line_label=result.line_label)
        imported = import_questions(
            session,
            bank_name=YOUTH_BANK_NAME,
            result=chosen,
            now=now,
            actor=actor,
            source=path.name,
            body_id=youth.id,
        )
        created.append(f"{imported.imported} questions in {YOUTH_BANK_NAME}")
    if session.scalar(select(Contest.id).where(Contest.slug == YOUTH_CONTEST_SLUG)) is None:
        contest = create_contest(
            session,
            body_id=youth.id,
            slug=YOUTH_CONTEST_SLUG,
            title=YOUTH_CONTEST_TITLE,
            scope_code="HBX",
            rules="Dành cho đoàn viên, thanh niên trên địa bàn tỉnh.",
            status="draft",  # the youth union is still preparing it
            now=now,
            actor=actor,
        )
        opens = now.replace(minute=0, second=0, microsecond=0) + timedelta(days=7)
        create_round(
            session,
            contest=contest,
            actor=actor,
            now=now,
            name="Vòng 1",
            opens_at=opens,
            closes_at=opens + timedelta(days=7),
            question_count=10,
            minutes=10,
            max_attempts=2,
            bank_name=YOUTH_BANK_NAME,
        )
        created.append(f"contest {YOUTH_CONTEST_SLUG}")
    return created


def _demo_staff_contest(session: Session, department: Body, *, actor: Actor, now: datetime) -> list[str]:
    """The department's unit admin, its staff list, and a contest only the listed staff may take."""
    created = []
    unit = find_unit(session, STAFF_UNIT)
    if unit is not None and find_by_phone(session, UNIT_ADMIN_PHONE) is None:
        admin = create_user(
            session, name="Quản trị Sở KH&CN (demo)", phone=UNIT_ADMIN_PHONE, password=ORGANIZER_PASSWORD, now=now
        )
        admin.role, admin.managed_unit = "unit_admin", unit
        created.append("unit admin account")
    if unit is not None and find_by_phone(session, NEWCOMER_PHONE) is None:
        # registered this morning from a phone, the name typed without its marks: the unit administrator corrects
        # it before her first attempt (the names on results and certificates are the ones kept)
        create_user(
            session,
            name="tran thi bich",
            phone=NEWCOMER_PHONE,
            password=ORGANIZER_PASSWORD,
            unit=unit,
            category="civil_servant",
            consent=True,
            now=now,
        )
        created.append("a newcomer whose name the unit administrator corrects")
    if unit is not None and not eligibility.staff_list_size(session, unit):
        lines = [eligibility.StaffLine(row, name, phone) for row, (name, phone) in enumerate(STAFF_LIST, start=2)]
        eligibility.save_staff_list(session, unit, lines, source="demo", actor=actor, now=now)
        created.append(f"staff list of {STAFF_UNIT}")
    if unit is not None and session.scalar(select(Contest.id).where(Contest.slug == STAFF_CONTEST_SLUG)) is None:
        contest = create_contest(
            session,
            body_id=department.id,
            slug=STAFF_CONTEST_SLUG,
            title=STAFF_CONTEST_TITLE,
            scope_code=STAFF_UNIT,
            rules="Dành cho cán bộ, công chức, viên chức có tên trong danh sách cán bộ của Sở.",
            eligibility="staff_list",
            names="full",
            now=now,
            actor=actor,
        )
        opens = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
        create_round(
            session,
            contest=contest,
            actor=actor,
            now=now,
            name="Vòng sơ khảo",
            opens_at=opens,
            closes_at=opens + timedelta(days=14),
            question_count=10,
            minutes=10,
            max_attempts=1,
            bank_name=BANK_NAME,
            draw=":Dễ:4,:Trung bình:4,:Khó:2",
        )
        created.append(f"contest {STAFF_CONTEST_SLUG}")
    return created


DEMO_NAMES = [
    "Nguyễn Thị Hoa",
    "Trần Văn Minh",
    "Lê Thị Lan",
    "Phạm Quốc Huy",
    "Hoàng Thị Mai",
    "Vũ Đức Thắng",
    "Đặng Thu Trang",
    "Bùi Văn Long",
    "Đỗ Thị Ngọc",
    "Hồ Minh Tuấn",
    "Ngô Thị Hương",
    "Dương Văn Hải",
    "Lý Thị Thu",
    "Phan Thanh Sơn",
    "Võ Thị Yến",
    "Trịnh Văn Khoa",
    "Đinh Thị Hạnh",
    "Mai Văn Phúc",
    "Tạ Thị Loan",
    "Cao Văn Dũng",
    "Lương Thị Nga",
    "Chu Văn Tài",
    "Kiều Thị Oanh",
    "Quách Văn Bảo",
]


def _demo_attempts(session: Session, round_: Round, now: datetime) -> int:
    """Participants of several units who took the open round, so the boards have something to show."""
    rng = random.Random(2026)
    units = session.scalars(select(Unit).where(Unit.depth == 1).order_by(Unit.code)).all()
    password_hash = hash_password(ORGANIZER_PASSWORD)
    started_at = round_.opens_at
    attempts: list[Attempt] = []
    for index, name in enumerate(DEMO_NAMES):
        user = User(
            name=name,
            phone=f"09000{index + 10:05d}",
            password_hash=password_hash,
            role="participant",
            unit=rng.choice(units),
            category=DEMO_CATEGORIES[index % len(DEMO_CATEGORIES)],
            created_at=started_at - timedelta(days=10),  # registered before last week's round
            consent_at=started_at - timedelta(days=10),
            registered_address=_demo_origin(index).address,
            registered_device=_demo_origin(index).device,
        )
        session.add(user)
        session.flush()
        moment = started_at + timedelta(minutes=2 * index + 1)
        attempt = start_attempt(session, user, round_, now=moment, origin=_demo_origin(index)).attempt
        _answer(session, rng, attempt, skill=rng.uniform(0.55, 1.0), start=moment, every_s=20)
        finished = moment + timedelta(seconds=rng.randint(240, 840))
        if index == ABSENT_INDEX:  # the page reported two long absences (another app, another tab)
            attempt.away_ms, attempt.long_absences = 4 * 60_000 + 20_000, 2
        submit_attempt(session, attempt, prediction=rng.randint(2, 15), now=min(finished, now))
        attempts.append(attempt)
    organizer = find_by_phone(session, ORGANIZER_PHONE)
    if organizer is not None:
        disqualify(session, attempts[SHARED_DEVICE[-1]], by=organizer, reason=DISQUALIFY_REASON, now=now)
    return len(DEMO_NAMES)


def _answer(
    session: Session, rng: random.Random, attempt: Attempt, *, skill: float, start: datetime, every_s: int
) -> None:
    """Answer every question: right with probability `skill`, else a wrong option; one every `every_s` seconds."""
    for item in item_facts(session, attempt.id):
        right = [o["id"] for o in item.snapshot["options"] if o["correct"]]
        wrong = [o["id"] for o in item.snapshot["options"] if not o["correct"]]
        chosen = right if rng.random() < skill else [rng.choice(wrong)]
        save_answer(
            session,
            user_id=attempt.user_id,
            attempt_id=attempt.id,
            position=item.position,
            option_ids=chosen,
            now=start + timedelta(seconds=every_s * item.position),
        )


def _demo_past_round(session: Session, round_: Round, *, actor: Actor, now: datetime) -> str:
    """Last week's round: the demo participant and most demo people took it; it was closed and its results
    published, so the results page, the winners' list and the certificates have something to show."""
    rng = random.Random(2025)
    people = [find_by_phone(session, PARTICIPANT_PHONE)]
    demo_people = select(User).where(User.name.in_(DEMO_NAMES)).order_by(User.id).limit(19)
    people += session.scalars(demo_people).all()
    for index, user in enumerate(person for person in people if person is not None):
        moment = round_.opens_at + timedelta(hours=3, minutes=7 * index)
        attempt = start_attempt(session, user, round_, now=moment, origin=_demo_origin(index)).attempt
        skill = 0.95 if user.phone == PARTICIPANT_PHONE else rng.uniform(0.5, 1.0)
        _answer(session, rng, attempt, skill=skill, start=moment, every_s=25)
        submit_attempt(
            session, attempt, prediction=rng.randint(1, 8), now=moment + timedelta(seconds=rng.randint(300, 880))
        )
    close_round(session, round_, actor=actor, now=round_.closes_at + timedelta(minutes=5))
    report = publish_results(session, round_, actor=actor, now=round_.closes_at + timedelta(hours=2))
    return f"round {round_.name} closed and published, {report.valid} certificates"


# Three demo accounts take the round from one phone within minutes (an integrity flag; the last one is
# disqualified), one leaves the quiz page twice for long periods; the others each have their own device.
SHARED_DEVICE = (20, 21, 22)
ABSENT_INDEX = 5
DISQUALIFY_REASON = "Ba tài khoản thi liên tiếp từ cùng một điện thoại; người thi xác nhận thi hộ (demo)"


def _demo_origin(index: int) -> ClientOrigin:
    if index in SHARED_DEVICE:
        return ClientOrigin(address="203.0.113.50", device="5ca1ab1e0ddba11a")
    return ClientOrigin(address=f"198.51.100.{index + 1}", device=f"{index + 1:016x}")
