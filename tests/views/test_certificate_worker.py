"""The certificates' worker: publishing queues the drawing and returns at once; a worker draws each certificate
once and stores it; downloads and zips come from the stored files; a failure is retried, then reported on the
round's page; a worker killed midway loses nothing and draws nothing twice."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import unicodedata
import zipfile
from datetime import timedelta
from pathlib import Path

from PIL import Image
from sqlalchemy import create_engine, func, insert, select, text

from contest.models import (
    Attempt,
    Certificate,
    CertificateDrawing,
    CertificateFile,
    RankingEntry,
    User,
)
from contest.services.results import drawing, pdf, settings
from contest.services.shared.audit import Actor
from tests.helpers import csrf_token
from tests.views.test_certificates import _of, _published
from tests.views.test_results_publication import pdf_text

ROOT = Path(__file__).resolve().parent.parent.parent


def _work(runner) -> str:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["work", "--until-done", "--poll", "0.1"])
    assert result.exit_code == 0, result.output
    return result.output


def _said(output: str, english: str, vietnamese: str) -> bool:
    """The command speaks the language the app's CLI_LANGUAGE sets (the tests' app may be either)."""
    return english in output or vietnamese in output


def _files(session) -> int:  # type: ignore[no-untyped-def]
    session.expire_all()
    return session.scalar(select(func.count()).select_from(CertificateFile)) or 0


def test_the_worker_draws_each_certificate_once_and_pages_serve_the_stored_copy(
    app, session, clock, contest_day, runner
) -> None:
    organizer = _published(app, session, clock, contest_day)
    progress = organizer.get(f"/admin/rounds/{contest_day.round.id}/certificates/progress").get_json()
    assert progress == {"total": 8, "drawn": 0, "waiting": 8, "failed": 0, "error": None, "done": False}
    page = organizer.get(f"/admin/rounds/{contest_day.round.id}").get_data(as_text=True)
    assert "Đã tạo 0 / 8 giấy chứng nhận" in page and "certificate-progress.js" in page
    assert 'class="actions certificate-zip" hidden' in page  # no zip before every certificate is drawn

    _work(runner)
    assert _files(session) == 8 and session.scalar(select(func.count()).select_from(CertificateDrawing)) == 0
    progress = organizer.get(f"/admin/rounds/{contest_day.round.id}/certificates/progress").get_json()
    assert progress["drawn"] == progress["total"] == 8 and progress["done"]
    page = organizer.get(f"/admin/rounds/{contest_day.round.id}").get_data(as_text=True)
    assert "Đã tạo 8 / 8 giấy chứng nhận" in page and 'class="actions certificate-zip" hidden' not in page

    prize = _of(session, "Nguyễn Văn An", "prize")
    stored = session.scalar(select(CertificateFile.pdf).where(CertificateFile.certificate_id == prize.id))
    assert contest_day.client.get(f"/certificates/{prize.code}.pdf").data == stored  # served, not drawn again
    assert "Nguyễn Văn An" in pdf_text(stored)
    drawn_at = session.scalar(select(CertificateFile.drawn_at).where(CertificateFile.certificate_id == prize.id))
    assert _said(_work(runner), "drew 0 certificates", "đã tạo 0 giấy chứng nhận")  # nothing left: nothing twice
    assert session.scalar(select(CertificateFile.drawn_at).where(CertificateFile.certificate_id == prize.id)) == (
        drawn_at
    )


def test_the_organizers_zip_holds_every_certificate_named_by_person_in_the_ranking_order(
    app, session, clock, contest_day, runner
) -> None:
    organizer = _published(app, session, clock, contest_day)
    url = f"/admin/rounds/{contest_day.round.id}/certificates.zip"
    early = organizer.get(url)
    assert early.status_code == 302
    assert "Giấy chứng nhận đang được tạo (0 / 8)" in organizer.get(early.headers["Location"]).get_data(as_text=True)
    _work(runner)
    response = organizer.get(url)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "filename=giay-chung-nhan-dot-" in response.headers["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert len(names) == 8 and names[0].startswith("001 - Nguyen Van An - Giai Nhat - ")
    people = [name.split(" - ")[1] for name in names]
    ranked = session.scalars(
        select(User.name).join(RankingEntry, RankingEntry.user_id == User.id).order_by(RankingEntry.rank)
    ).all()
    assert list(dict.fromkeys(people)) == list(map(_plain, ranked))
    assert contest_day.client.get(url).status_code in (302, 403, 404)  # a participant gets no zip of the round
    assert contest_day.client.get(url.replace("certificates.zip", "certificates/progress")).status_code != 200


def _plain(name: str) -> str:
    """The name as the zip's files spell it: without its marks."""
    letters = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return "".join(letter for letter in letters if not unicodedata.combining(letter))


def test_a_reissued_certificate_is_drawn_again_and_a_withdrawn_one_leaves_the_store(
    app, session, clock, contest_day, runner
) -> None:
    organizer = _published(app, session, clock, contest_day)
    _work(runner)
    winner = _of(session, "Nguyễn Văn An", "prize")
    attempt = session.scalar(
        select(Attempt).where(Attempt.user_id == winner.user_id, Attempt.round_id == contest_day.round.id)
    )
    organizer.post(
        f"/admin/rounds/{contest_day.round.id}/disqualify",
        data={
            "attempt": str(attempt.id),
            "reason": "Nhờ người khác làm bài",
            "csrf_token": csrf_token(organizer),
            "confirmed": "1",
        },
    )
    session.expire_all()
    withdrawn = session.scalars(select(Certificate.id).where(Certificate.revoked_at.is_not(None))).all()
    assert (
        withdrawn
        and not session.scalars(
            select(CertificateFile.certificate_id).where(CertificateFile.certificate_id.in_(withdrawn))
        ).all()
    )
    requeued = session.scalars(select(CertificateDrawing.certificate_id)).all()
    assert requeued  # the prizes handed on say another thing now: drawn again
    assert contest_day.client.get(f"/certificates/{winner.code}.pdf").status_code == 404
    _work(runner)
    in_force = session.scalar(select(func.count(Certificate.id)).where(Certificate.revoked_at.is_(None)))
    assert _files(session) == in_force


def test_a_drawing_that_fails_is_tried_three_times_then_shown_with_a_way_to_try_again(
    app, session, clock, contest_day, runner
) -> None:
    organizer = _published(app, session, clock, contest_day)
    contest = contest_day.round.contest
    session.execute(text("UPDATE contests SET certificate_seal = :seal"), {"seal": b"not a picture"})
    session.commit()
    assert session.scalar(select(func.count()).select_from(CertificateDrawing)) == 8
    output = _work(runner)
    assert _said(output, "not drawn (try 3 of 3)", "chưa tạo được (lần 3 / 3)")
    assert "0x" not in output  # the reason as a person can read it, without object addresses
    assert _said(
        _work(runner),
        "drew 0 certificates, computed 0 reports, 0 failures",
        "đã tạo 0 giấy chứng nhận, tính 0 báo cáo, 0 lần lỗi",
    )  # let be
    session.expire_all()
    assert _files(session) == 0
    assert set(session.scalars(select(CertificateDrawing.failures))) == {drawing.MAX_FAILURES}
    page = organizer.get(f"/admin/rounds/{contest_day.round.id}").get_data(as_text=True)
    assert "8 giấy chứng nhận không tạo được sau 3 lần thử." in page and "Thử lại" in page
    assert "UnidentifiedImageError" in page  # the reason, for whoever looks into it

    settings.set_documents(
        session,
        contest,
        settings.document_settings(contest),
        remove=("seal",),
        actor=Actor(cli_user="test"),
        now=clock(),
    )
    session.commit()
    retried = organizer.post(
        f"/admin/rounds/{contest_day.round.id}/certificates/retry", data={"csrf_token": csrf_token(organizer)}
    )
    assert retried.status_code == 302
    assert organizer.post(f"/admin/rounds/{contest_day.round.id}/certificates/retry").status_code == 400  # CSRF
    _work(runner)
    assert _files(session) == 8


def test_a_new_seal_has_every_stored_certificate_drawn_again(app, session, clock, contest_day, runner) -> None:
    _published(app, session, clock, contest_day)
    _work(runner)
    seal = io.BytesIO()
    Image.new("RGBA", (64, 64), (200, 0, 0, 255)).save(seal, format="PNG")
    contest = contest_day.round.contest
    settings.set_documents(
        session,
        contest,
        settings.document_settings(contest),
        seal=seal.getvalue(),
        actor=Actor(cli_user="t"),
        now=clock(),
    )
    session.commit()
    assert _files(session) == 0 and session.scalar(select(func.count()).select_from(CertificateDrawing)) == 8
    _work(runner)
    assert _files(session) == 8


def test_the_cut_fonts_hold_every_common_character_and_other_scripts_keep_the_whole_font() -> None:
    from fontTools.ttLib import TTFont

    for file in pdf.STYLES.values():
        whole = set(TTFont(pdf.FONTS / file).getBestCmap())
        cut = set(TTFont(pdf.common_fonts() / file).getBestCmap())
        wanted = {ord(character) for character in pdf.COMMON_CHARACTERS if character != "\n"}
        assert wanted & whole <= cut  # every common character the font has, the cut font has
        assert len(cut) < len(whole) / 4
    vietnamese = pdf.new_pdf(text="Nguyễn Thị Ánh Tuyết – “Giải Nhất”")
    greek = pdf.new_pdf(text="Αλέξανδρος")
    assert all(font.ttffile.parent == pdf.common_fonts() for font in vietnamese.fonts.values())
    assert all(font.ttffile.parent == pdf.FONTS for font in greek.fonts.values())
    for document in (vietnamese, greek):  # never written out: fpdf2 closes a font's file when it writes it
        pdf.close_fonts(document)


def _more_people(session, contest_day, count: int) -> None:  # type: ignore[no-untyped-def]
    round_ = contest_day.round
    last = session.scalar(select(func.max(RankingEntry.rank)).where(RankingEntry.round_id == round_.id)) or 0
    start = round_.opens_at
    session.execute(
        insert(User),
        [
            {"name": f"Thí sinh {n}", "phone": f"07{n:08d}", "password_hash": "!", "role": "participant"}
            | {"created_at": start, "active": True, "session_token": f"k{n}", "category": "citizen"}
            for n in range(count)
        ],
    )
    users = session.scalars(select(User.id).where(User.phone.like("07%")).order_by(User.id)).all()
    session.execute(
        insert(Attempt),
        [
            {"user_id": user, "round_id": round_.id, "number": 1, "started_at": start, "status": "submitted"}
            | {"deadline": start + timedelta(minutes=15), "submitted_at": start + timedelta(minutes=9)}
            | {"total": 20, "score": 1, "duration_ms": 540_000 + n, "seed": n}
            for n, user in enumerate(users)
        ],
    )
    attempts = session.execute(select(Attempt.id, Attempt.user_id).where(Attempt.user_id.in_(users))).all()
    session.execute(
        insert(RankingEntry),
        [
            {"round_id": round_.id, "rank": last + n, "user_id": user, "attempt_id": attempt, "score": 1}
            | {"total": 20, "duration_ms": 540_000 + n, "started_at": start, "submitted_at": start}
            for n, (attempt, user) in enumerate(attempts, start=1)
        ],
    )
    session.commit()


def _worker(database_uri: str, *extra: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_uri,
        "CONTEST_ENV": "development",
        "CONTEST_CLI_LANG": "en",
        "SECRET_KEY": "test-secret-key",
        "PYTHONUNBUFFERED": "1",  # what it printed before it was killed is read
    }
    env.pop("REDIS_URL", None)
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "work", "-v", "--poll", "0.2", *extra]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _stored_by(output: str) -> list[int]:
    return [int(line.rsplit(" ", 1)[1]) for line in output.splitlines() if line.startswith("stored certificate ")]


def test_a_worker_killed_midway_loses_nothing_and_a_new_one_draws_each_remaining_once(
    app, session, clock, contest_day, database_uri
) -> None:
    _more_people(session, contest_day, 30)
    _published(app, session, clock, contest_day)
    total = session.scalar(select(func.count()).select_from(CertificateDrawing))
    assert total == 38
    engine = create_engine(database_uri)
    first = _worker(database_uri)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with engine.connect() as connection:
                stored = connection.execute(select(func.count()).select_from(CertificateFile)).scalar()
            if stored and stored >= 5:
                break
            time.sleep(0.1)
        first.send_signal(signal.SIGKILL)  # mid-round, most likely mid-drawing
        first_output = first.communicate(timeout=10)[0]
    finally:
        if first.poll() is None:
            first.kill()
    with engine.connect() as connection:  # what the killed worker stored (it may die before printing the last)
        by_first = dict(connection.execute(select(CertificateFile.certificate_id, CertificateFile.drawn_at)).all())
    engine.dispose()
    assert 5 <= len(by_first) < total
    assert set(_stored_by(first_output)) <= set(by_first)
    second = _worker(database_uri, "--until-done")
    second_output = second.communicate(timeout=120)[0]
    assert second.returncode == 0, second_output
    by_second = _stored_by(second_output)
    assert not set(by_first) & set(by_second)  # nothing drawn and stored twice
    session.expire_all()
    every = set(session.scalars(select(Certificate.id).where(Certificate.revoked_at.is_(None))))
    assert set(by_first) | set(by_second) == every == set(session.scalars(select(CertificateFile.certificate_id)))
    kept = dict(session.execute(select(CertificateFile.certificate_id, CertificateFile.drawn_at)).all())
    assert all(kept[certificate] == drawn_at for certificate, drawn_at in by_first.items())  # not drawn again
    assert session.scalar(select(func.count()).select_from(CertificateDrawing)) == 0


def test_a_stored_drawing_of_an_older_code_is_neither_served_nor_counted_and_is_drawn_again(
    app, session, clock, contest_day, runner
) -> None:
    """A certificate re-issued while a worker was drawing it could be stored with the drawing of its old statement:
    a file whose code is not the certificate's counts as not drawn, is never served, and is drawn again."""
    organizer = _published(app, session, clock, contest_day)
    _work(runner)
    prize = _of(session, "Nguyễn Văn An", "prize")
    old = session.scalar(select(CertificateFile).where(CertificateFile.certificate_id == prize.id))
    old.code, stale = "CUXX-XXXX-XXXX", b"%PDF-1.4 the old statement"
    session.execute(
        text("UPDATE certificate_files SET pdf = :pdf, code = :code WHERE certificate_id = :id"),
        {"pdf": stale, "code": old.code, "id": prize.id},
    )
    session.commit()
    progress = organizer.get(f"/admin/rounds/{contest_day.round.id}/certificates/progress").get_json()
    assert progress["drawn"] == 7 and not progress["done"]
    served = contest_day.client.get(f"/certificates/{prize.code}.pdf").data
    assert served != stale and "Nguyễn Văn An" in pdf_text(served)  # drawn on the spot, not the stale file
    assert organizer.get(f"/admin/rounds/{contest_day.round.id}/certificates.zip").status_code == 302
    organizer.post(
        f"/admin/rounds/{contest_day.round.id}/results/publish",
        data={"csrf_token": csrf_token(organizer), "confirmed": "1"},
    )  # publishing again queues what has no drawing of its own
    _work(runner)
    session.expire_all()
    assert session.scalar(select(CertificateFile.code).where(CertificateFile.certificate_id == prize.id)) == prize.code


def test_a_zip_named_with_vietnamese_letters_keeps_a_header_every_server_can_send(app) -> None:
    from contest.downloads import zip_download

    with app.test_request_context():
        response = zip_download(iter([b"PK"]), "giay-chung-nhan-ĐN-Sở-dot-1.zip")
    header = response.headers["Content-Disposition"]
    header.encode("latin-1")  # gunicorn sends headers as latin-1
    assert "filename=giay-chung-nhan-DN-So-dot-1.zip" in header and "filename*=UTF-8''giay-chung-nhan-%C4%90N" in header
