"""Public results (#16 item 1): a closed round's results page, PDF and workbook once published, a draft only the
organizers see before; the official list of winners with the national heading and the signer."""

from __future__ import annotations

import html
import io
import re

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from contest.models import AuditEntry, Certificate
from tests.helpers import csrf_token, organizer_client

PRIZES = {"first": "1", "second": "1", "third": "1", "consolation": "0", "max_share": ""}


def _close(organizer, round_id: int) -> None:  # type: ignore[no-untyped-def]
    token = csrf_token(organizer)
    assert organizer.post(f"/admin/rounds/{round_id}/prizes", data={**PRIZES, "csrf_token": token}).status_code == 302
    closed = organizer.post(f"/admin/rounds/{round_id}/close", data={"csrf_token": token, "confirmed": "1"})
    assert closed.status_code == 302


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_results_are_a_draft_for_organizers_until_published_then_public(app, session, clock, contest_day) -> None:
    round_ = contest_day.round
    organizer = organizer_client(app, session, clock)
    visitor = app.test_client()
    slug = round_.contest.slug
    assert visitor.get(f"/contests/{slug}/results").status_code == 404  # nothing ranked, nothing published
    _close(organizer, round_.id)
    assert visitor.get(f"/contests/{slug}/results?round={round_.id}").status_code == 404  # ranked, not published
    assert visitor.get(f"/contests/{slug}/results.pdf?round={round_.id}").status_code == 404
    draft = organizer.get(f"/contests/{slug}/results?round={round_.id}").get_data(as_text=True)
    assert "Bản nháp" in draft and "Giải Nhất" in draft
    refused = visitor.post(f"/admin/rounds/{round_.id}/results/publish", data={"csrf_token": csrf_token(visitor)})
    assert refused.status_code in (302, 401, 403) and round_.results_published_at is None
    assert organizer.post(f"/admin/rounds/{round_.id}/results/publish").status_code == 400  # no CSRF token
    asked = organizer.post(f"/admin/rounds/{round_.id}/results/publish", data={"csrf_token": csrf_token(organizer)})
    assert asked.status_code == 200 and "Công bố kết quả" in asked.get_data(as_text=True)  # asked first
    session.refresh(round_)
    assert round_.results_published_at is None
    published = organizer.post(
        f"/admin/rounds/{round_.id}/results/publish", data={"csrf_token": csrf_token(organizer), "confirmed": "1"}
    )
    assert published.status_code == 302
    session.refresh(round_)
    assert round_.results_published_at is not None
    page = visitor.get(f"/contests/{slug}/results").get_data(as_text=True)
    # Three winners by tier (names masked as the contest shows them), the unit ranking and the figures
    assert "Bản nháp" not in page
    for tier in ("Giải Nhất", "Giải Nhì", "Giải Ba"):
        assert tier in page
    assert "Nguyễn V. A." in page and "Nguyễn Văn An" not in page
    assert "Số người tham gia</dt><dd>5<" in page  # five ranked participants
    # times as people say them; to the millisecond (a Vietnamese comma) only where time decided a place
    times = re.findall(r'<td class="numeric time">((?:\d+ phút )?\d+(?:,\d{3})? giây)', page)
    assert len(times) == 3 and not re.search(r"\d:\d\d,\d{3}", page), times
    assert "người liền trên xếp trước nhờ" in page  # the reason, inline where the column does not fit a phone
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "round.results_publish"))
    assert entry is not None and entry.target == f"round:{round_.id}"


def test_results_pdf_and_workbook_say_what_the_page_says(app, session, clock, contest_day) -> None:
    round_ = contest_day.round
    organizer = organizer_client(app, session, clock)
    _close(organizer, round_.id)
    organizer.post(
        f"/admin/rounds/{round_.id}/results/publish", data={"csrf_token": csrf_token(organizer), "confirmed": "1"}
    )
    visitor = app.test_client()
    slug = round_.contest.slug
    response = visitor.get(f"/contests/{slug}/results.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "KẾT QUẢ" in text and "Giải Nhất" in text and "Nguyễn V. A." in text and "Xếp hạng đơn vị" in text
    workbook = load_workbook(io.BytesIO(visitor.get(f"/contests/{slug}/results.xlsx").data))
    winners = list(workbook["Người đạt giải"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in winners] == ["Giải Nhất", "Giải Nhì", "Giải Ba"]
    assert all("Văn" not in str(row[2]) for row in winners)  # public: names masked, no phone column
    assert "Số điện thoại" not in [cell.value for cell in workbook["Người đạt giải"][1]]


def test_winners_document_has_the_national_heading_the_body_and_the_signer(app, session, clock, contest_day) -> None:
    round_ = contest_day.round
    organizer = organizer_client(app, session, clock)
    form = {
        "parent_body": "UBND tỉnh Hòa Bình Xanh",
        "issuer": "Ban Tổ chức Cuộc thi",
        "place": "Hòa Bình Xanh",
        "signer_title": "Trưởng Ban",
        "signer_name": "Trần Quốc Việt",
        "text": "",
        "csrf_token": csrf_token(organizer),
    }
    assert organizer.post(f"/admin/contests/{round_.contest.slug}/documents", data=form).status_code == 302
    _close(organizer, round_.id)
    assert app.test_client().get(f"/admin/rounds/{round_.id}/winners.pdf").status_code in (302, 401, 403)
    text = pdf_text(organizer.get(f"/admin/rounds/{round_.id}/winners.pdf").data)
    for said in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND TỈNH HÒA BÌNH XANH",
        "BAN TỔ CHỨC CUỘC THI",
        "Hòa Bình Xanh, ngày",
        "DANH SÁCH NGƯỜI ĐẠT GIẢI",
        "TRƯỞNG BAN",
        "Trần Quốc Việt",
        "Nguyễn Văn An",  # the official list gives full names
    ):
        assert said in text, said
    sheet = load_workbook(io.BytesIO(organizer.get(f"/admin/rounds/{round_.id}/winners.xlsx").data)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in values and "Trần Quốc Việt" in values
    header = values.index("STT")
    assert values[header : header + 6] == ["STT", "Họ và tên", "Đơn vị", "Giải", "Điểm", "Thời gian (phút:giây)"]
    assert values[header + 6] == 1  # numbered


def test_publishing_an_open_round_is_refused_and_changes_nothing(app, session, clock, contest_day, runner) -> None:
    round_ = contest_day.round
    result = runner.invoke(args=["results", "publish", str(round_.id)])
    assert result.exit_code == 1 and "Close the round first" in result.output
    assert round_.results_published_at is None
    assert session.scalar(select(Certificate.id)) is None
    assert runner.invoke(args=["results", "publish", "999999"]).exit_code != 0


def test_document_settings_refuse_a_file_that_is_not_a_picture(app, session, clock, contest_day) -> None:
    organizer = organizer_client(app, session, clock)
    slug = contest_day.round.contest.slug
    form = {
        "issuer": "Ban Tổ chức",
        "csrf_token": csrf_token(organizer),
        "seal": (io.BytesIO(b"%PDF-1.4 no"), "dau.png"),
    }
    response = organizer.post(f"/admin/contests/{slug}/documents", data=form, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "PNG" in response.get_data(as_text=True)
    session.refresh(contest_day.round.contest)
    assert contest_day.round.contest.issuer == "Ban Tổ chức Cuộc thi"  # as it was: nothing of the refused form kept


def test_publishing_without_the_heading_and_signer_is_refused_naming_what_is_missing(
    app, session, clock, contest_day, runner
) -> None:
    round_ = contest_day.round
    contest = round_.contest
    contest.signer_name, contest.place = "", " "
    session.commit()
    organizer = organizer_client(app, session, clock)
    _close(organizer, round_.id)
    asked = organizer.post(f"/admin/rounds/{round_.id}/results/publish", data={"csrf_token": csrf_token(organizer)})
    page = asked.get_data(as_text=True)
    assert "Chưa thể công bố" in page and "tên người ký" in page and "địa danh" in page
    assert f'/admin/contests/{contest.slug}/documents"' in page and 'name="confirmed"' not in page  # no way on
    forced = organizer.post(
        f"/admin/rounds/{round_.id}/results/publish", data={"csrf_token": csrf_token(organizer), "confirmed": "1"}
    )
    assert forced.status_code == 302
    session.refresh(round_)
    assert round_.results_published_at is None and session.scalar(select(func.count(Certificate.id))) == 0
    refused = runner.invoke(args=["results", "publish", str(round_.id)])
    assert refused.exit_code != 0 and "tên người ký" in refused.output  # (the app answers in Vietnamese by now)

    contest.signer_name, contest.place = "Nguyễn Văn Ký", "Thử"
    session.commit()
    asked = organizer.post(f"/admin/rounds/{round_.id}/results/publish", data={"csrf_token": csrf_token(organizer)})
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html.unescape(asked.get_data(as_text=True))))
    # how many certificates, the winners by name, and one certificate to look at before anything is public
    assert "Sẽ cấp 8 giấy chứng nhận: 5 tham gia, 3 đạt giải." in page
    assert "Nguyễn Văn An" in page and "Giải Nhất" in page
    preview = organizer.get(f"/admin/rounds/{round_.id}/results/preview.pdf")
    assert preview.status_code == 200 and preview.mimetype == "application/pdf"
    text = pdf_text(preview.data)
    assert "XEM-TRUOC" in text and "Nguyễn Văn Ký" in text and "GIẢI NHẤT" in text
    assert app.test_client().get(f"/admin/rounds/{round_.id}/results/preview.pdf").status_code in (302, 401, 403)


def test_milliseconds_show_only_where_the_time_decided_a_place(runner, client) -> None:
    runner.invoke(args=["demo"])  # last week's round, published, with real durations
    page = client.get("/contests/cds-2026/results").get_data(as_text=True)
    checked = 0
    for table in page.split("<table")[1:]:  # each prize tier's list: neighbours within it
        rows = re.findall(r"<tr><td class=\"numeric\">\d+</td>.*?</tr>", table, re.S)
        for row, below in zip(rows, [*rows[1:], ""], strict=True):
            found = re.search(r'<td class="numeric time">((?:\d+ phút )?\d+(?:,\d{3})? giây)', row)
            if found is None:
                continue  # the unit ranking's rows
            # time decided the place against a neighbour of the same whole seconds (or in another tier's list)
            by_time = "thời gian làm bài ngắn hơn</td>" in row or "thời gian làm bài ngắn hơn</td>" in below
            assert ("," in found.group(1)) <= by_time, (found.group(1), row)
            checked += 1
    assert checked >= 5
