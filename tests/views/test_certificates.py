"""Certificates (#16 item 2): issued at publication to every ranked participant and every winner, drawn as PDF
with the person, the round, the prize, the issuer and a QR code to /verify/<code>; downloaded by their owner, their
unit's administrator and the organizers; a forged or altered code is refused; a later close revokes what the ranking
no longer gives."""

from __future__ import annotations

import io
import zipfile

from pypdf import PdfReader
from sqlalchemy import func, select

from contest.models import Attempt, Certificate, CertificateFile, RankingEntry, User
from contest.services.results.disqualification import disqualify
from tests.factories import make_user
from tests.helpers import csrf_token, organizer_client
from tests.views.test_results_publication import _close, pdf_text


def _published(app, session, clock, contest_day):  # type: ignore[no-untyped-def]
    organizer = organizer_client(app, session, clock)
    _close(organizer, contest_day.round.id)
    response = organizer.post(
        f"/admin/rounds/{contest_day.round.id}/results/publish",
        data={"csrf_token": csrf_token(organizer), "confirmed": "1"},
    )
    assert response.status_code == 302
    return organizer


def _of(session, name: str, kind: str) -> Certificate:  # type: ignore[no-untyped-def]
    return session.scalar(
        select(Certificate)
        .join(User, User.id == Certificate.user_id)
        .where(User.name == name, Certificate.kind == kind)
    )


def test_publishing_issues_one_of_participation_each_and_one_per_prize(app, session, clock, contest_day) -> None:
    _published(app, session, clock, contest_day)
    issued = session.scalars(select(Certificate).where(Certificate.revoked_at.is_(None))).all()
    assert sorted(c.kind for c in issued) == ["participation"] * 5 + ["prize"] * 3
    codes = {c.code for c in issued}
    assert len(codes) == 8 and all(len(code) == 14 for code in codes)  # XXXX-XXXX-XXXX


def test_the_owner_downloads_a_pdf_that_states_who_what_and_how_to_verify(app, session, clock, contest_day) -> None:
    _published(app, session, clock, contest_day)
    prize = _of(session, "Nguyễn Văn An", "prize")
    assert prize is not None and prize.statement["prize"] in ("first", "second", "third")
    response = contest_day.client.get(f"/certificates/{prize.code}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = reader.pages[0].extract_text()
    for said in ("GIẤY CHỨNG NHẬN", "Nguyễn Văn An", contest_day.unit.name, "Tuần 1", "Thi CĐS", prize.code):
        assert said in text, said
    assert "đã đạt GIẢI" in text and f"/verify/{prize.code}" in text
    fonts = {str(font.get("/BaseFont")) for font in _fonts(reader)}
    assert any("DejaVuSerif" in name for name in fonts)  # the shipped font, embedded
    assert len(reader.pages[0].images) == 1  # the QR code
    # the result page and the account page link to it
    assert prize.code in contest_day.client.get("/account").get_data(as_text=True)


def _fonts(reader: PdfReader) -> list:  # type: ignore[type-arg]
    resources = reader.pages[0]["/Resources"]["/Font"]
    return [resources[name].get_object() for name in resources]


def test_only_the_owner_their_unit_admin_and_organizers_download_it(app, session, clock, contest_day, runner) -> None:
    organizer = _published(app, session, clock, contest_day)
    runner.invoke(args=["work", "--until-done"])
    assert session.scalar(select(func.count()).select_from(CertificateFile)) == 8
    code = _of(session, "Nguyễn Văn An", "participation").code
    assert organizer.get(f"/certificates/{code}.pdf").status_code == 200
    assert app.test_client().get(f"/certificates/{code}.pdf").status_code == 302  # to the login page
    other = app.test_client()
    other.post(
        "/api/session",
        json={"phone": "0911000002", "password": "mat-khau-123"},
        headers={"X-CSRFToken": csrf_token(other)},
    )
    assert other.get(f"/certificates/{code}.pdf").status_code == 404  # someone else's: not even said to exist
    admin = make_user(session, clock(), phone="0900000009")
    admin.role, admin.managed_unit = "unit_admin", contest_day.unit
    session.commit()
    unit_admin = app.test_client()
    unit_admin.post(
        "/login", data={"phone": "0900000009", "password": "mat-khau-123", "csrf_token": csrf_token(unit_admin)}
    )
    assert unit_admin.get(f"/certificates/{code}.pdf").status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(unit_admin.get(f"/unit/certificates.zip?round={contest_day.round.id}").data))
    people = session.scalars(select(User.id).where(User.unit_id == contest_day.unit.id)).all()
    expected = session.scalars(
        select(Certificate.code).where(Certificate.user_id.in_(people), Certificate.revoked_at.is_(None))
    ).all()
    names = archive.namelist()
    assert sorted(name.rsplit(" - ", 1)[1].removesuffix(".pdf") for name in names) == sorted(expected)
    assert all(archive.read(name).startswith(b"%PDF") for name in names)


def _by_codes(session, codes):  # type: ignore[no-untyped-def]
    return session.scalars(select(Certificate).where(Certificate.code.in_(codes))).all()


def test_verify_shows_what_it_states_and_refuses_a_forged_or_altered_one(app, session, clock, contest_day) -> None:
    _published(app, session, clock, contest_day)
    certificate = _of(session, "Nguyễn Văn An", "prize")
    visitor = app.test_client()
    page = visitor.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "Hợp lệ" in page and "Nguyễn Văn An" in page and "Giấy chứng nhận đạt giải" in page
    forged = "ABCD-EFGH-JKLM" if certificate.code != "ABCD-EFGH-JKLM" else "MLKJ-HGFE-DCBA"
    refused = visitor.get(f"/verify/{forged}")
    assert refused.status_code == 404 and "Không có bài thi hay giấy chứng nhận nào mang mã này" in refused.get_data(
        as_text=True
    )
    # someone with the database but not the server's key raises the prize: the code no longer matches
    certificate.statement = {**certificate.statement, "prize": "first", "name": "Kẻ Mạo Danh"}
    session.commit()
    altered = visitor.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "không còn khớp" in altered and "Hợp lệ" not in altered


def test_a_disqualified_winner_loses_the_certificates_and_the_next_one_gets_the_prize(
    app, session, clock, contest_day
) -> None:
    organizer = _published(app, session, clock, contest_day)
    winners = {
        c.user_id: c.statement["prize"] for c in session.scalars(select(Certificate).where(Certificate.kind == "prize"))
    }
    top = next(user_id for user_id, prize in winners.items() if prize == "first")
    attempt = session.scalar(select(Attempt).where(Attempt.user_id == top, Attempt.round_id == contest_day.round.id))
    judge = session.scalar(select(User).where(User.phone == "0900000001"))
    disqualify(session, attempt, by=judge, reason="Thi hộ, đã xác minh với đơn vị", now=clock())
    session.commit()
    closed = organizer.post(
        f"/admin/rounds/{contest_day.round.id}/close", data={"csrf_token": csrf_token(organizer), "confirmed": "1"}
    )
    assert closed.status_code == 302
    session.expire_all()
    lost = session.scalars(select(Certificate).where(Certificate.user_id == top)).all()
    assert lost and all(c.revoked_at is not None for c in lost)
    assert "đã bị thu hồi" in app.test_client().get(f"/verify/{lost[0].code}").get_data(as_text=True)
    in_force = session.scalars(
        select(Certificate).where(Certificate.kind == "prize", Certificate.revoked_at.is_(None))
    ).all()
    assert len(in_force) == 3 and top not in {c.user_id for c in in_force}


def test_certificates_export_writes_one_pdf_each_and_refuses_an_unpublished_round(
    app, session, clock, contest_day, runner, tmp_path
) -> None:
    refused = runner.invoke(args=["certificates", "export", str(contest_day.round.id), str(tmp_path / "x")])
    assert refused.exit_code == 1 and "results publish" in refused.output and not (tmp_path / "x").exists()
    _published(app, session, clock, contest_day)
    result = runner.invoke(args=["certificates", "export", str(contest_day.round.id), str(tmp_path / "gcn")])
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "gcn").iterdir())
    assert len(files) == 8 and " 8 " in result.output  # "wrote 8 certificates of round 1 to DIR"
    texts = [pdf_text(path.read_bytes()) for path in files]
    assert all("GIẤY CHỨNG NHẬN" in text for text in texts)
    assert sum("đã đạt GIẢI" in text for text in texts) == 3  # the prize certificates say so


def test_a_winner_disqualified_after_publication_loses_the_certificates_at_once(
    app, session, clock, contest_day
) -> None:
    organizer = _published(app, session, clock, contest_day)
    winner = session.scalar(
        select(Certificate).where(Certificate.kind == "prize", Certificate.statement["prize"].as_string() == "first")
    )
    attempt = session.scalar(
        select(Attempt).where(Attempt.user_id == winner.user_id, Attempt.round_id == contest_day.round.id)
    )
    response = organizer.post(
        f"/admin/rounds/{contest_day.round.id}/disqualify",
        data={
            "attempt": str(attempt.id),
            "reason": "Thi hộ, đã xác minh với đơn vị",
            "csrf_token": csrf_token(organizer),
            "confirmed": "1",
        },
    )
    assert response.status_code == 302
    session.expire_all()
    assert all(
        c.revoked_at is not None
        for c in session.scalars(select(Certificate).where(Certificate.user_id == winner.user_id))
    )
    firsts = session.scalars(
        select(Certificate).where(Certificate.kind == "prize", Certificate.revoked_at.is_(None))
    ).all()
    assert winner.user_id not in {c.user_id for c in firsts} and len(firsts) == 3  # the prize went on, certified


def test_deleting_an_account_withdraws_its_certificates(app, session, clock, contest_day) -> None:
    _published(app, session, clock, contest_day)
    mine = session.scalars(select(Certificate).where(Certificate.user_id == contest_day.user.id)).all()
    assert mine
    deleted = contest_day.client.post(
        "/account", data={"action": "delete", "confirm": "y", "csrf_token": csrf_token(contest_day.client)}
    )
    assert deleted.status_code == 302
    session.expire_all()
    assert all(c.revoked_at is not None for c in mine)
    page = app.test_client().get(f"/verify/{mine[0].code}").get_data(as_text=True)
    assert "đã bị thu hồi" in page and "Nguyễn Văn An" not in page


def test_a_unit_zip_waits_for_the_worker_then_holds_everyone_named_by_person(
    app, session, clock, contest_day, runner
) -> None:
    organizer = _published(app, session, clock, contest_day)
    url = f"/unit/certificates.zip?round={contest_day.round.id}&unit={contest_day.unit.code}"
    waiting = organizer.get(url)
    assert waiting.status_code == 302  # nothing is drawn in the request: the worker has not drawn them yet
    page = organizer.get(waiting.headers["Location"]).get_data(as_text=True)
    assert "Giấy chứng nhận đang được tạo (0 / 5)" in page
    runner.invoke(args=["work", "--until-done"])
    response = organizer.get(url)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    ranked = session.execute(
        select(User.name, Certificate.code, Certificate.kind)
        .join(User, User.id == Certificate.user_id)
        .join(RankingEntry, (RankingEntry.user_id == User.id) & (RankingEntry.round_id == Certificate.round_id))
        .where(Certificate.revoked_at.is_(None), User.unit_id == contest_day.unit.id)
        .order_by(RankingEntry.rank, Certificate.kind.desc())
    ).all()
    assert len(names) == len(ranked) == 5
    assert names[0] == f"001 - Nguyen Van An - Giai Nhat - {ranked[0].code}.pdf"  # the winner's prize first
    assert names[1] == f"001 - Nguyen Van An - {ranked[1].code}.pdf"  # and their participation, same number
    assert [name.rsplit(" - ", 1)[1] for name in names] == [f"{row.code}.pdf" for row in ranked]
    assert [int(name[:3]) for name in names] == sorted(int(name[:3]) for name in names)
    assert all(name.isascii() for name in names)
