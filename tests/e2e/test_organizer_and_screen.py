"""An organizer uploads a bank in the browser, fixes a broken file after reading the report, and
creates a round; the big screen updates when an attempt is submitted elsewhere."""

from __future__ import annotations

import csv
import io

from tests.e2e.conftest import ARTIFACTS, ROOT, login, start_quiz


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["STT", "Câu hỏi", "Phương án A", "Phương án B", "Đáp án", "Chủ đề", "Mức độ"])
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def test_organizer_uploads_fixes_and_creates_a_round(server, phone, tmp_path) -> None:
    page = phone
    login(page, server, "0900000001")
    page.goto(server + "/admin/banks")
    broken = tmp_path / "hoi-dap.csv"
    broken.write_bytes(
        _csv(
            [
                ["1", "Câu một?", "Có", "Không", "A", "Tự luyện", "Dễ"],
                ["2", "", "Có", "Không", "A", "Tự luyện", "Dễ"],
                ["3", "Câu ba?", "Có", "Không", "C", "Tự luyện", "Dễ"],
            ]
        )
    )
    page.set_input_files("#file", str(broken))
    page.fill("#bank_name", "Tự luyện")
    page.click("text=Kiểm tra tệp")
    report = page.content()
    page.screenshot(path=ARTIFACTS / "10-report.png", full_page=True)
    assert "Có 2 lỗi" in report and "thiếu nội dung câu hỏi" in report and "đáp án C chỉ vào phương án trống" in report

    fixed = tmp_path / "hoi-dap-da-sua.csv"
    fixed.write_bytes(
        _csv(
            [
                ["1", "Câu một?", "Có", "Không", "A", "Tự luyện", "Dễ"],
                ["2", "Câu hai?", "Có", "Không", "A", "Tự luyện", "Dễ"],
                ["3", "Câu ba?", "Có", "Không", "B", "Tự luyện", "Dễ"],
            ]
        )
    )
    page.goto(server + "/admin/banks")
    page.set_input_files("#file", str(fixed))
    page.fill("#bank_name", "Tự luyện")
    page.click("text=Kiểm tra tệp")
    assert "3 câu hỏi sẵn sàng để nhập." in page.content()
    page.click("text=Nhập 3 câu hỏi")
    assert "Đã nhập 3 câu hỏi vào ngân hàng Tự luyện." in page.content()

    sample = ROOT / "contest" / "demo_data" / "sample_bank.xlsx"
    page.goto(server + "/admin/banks")
    page.set_input_files("#file", str(sample))
    page.fill("#bank_name", "Mẫu 2")
    page.click("text=Kiểm tra tệp")
    page.click("text=Nhập 120 câu hỏi")
    assert "Đã nhập 120 câu hỏi" in page.content()

    # the province's contest draws only questions a second person checked: the new bank has none yet
    page.goto(server + "/admin/contests/cds-2026/rounds/new")
    assert "chỉ rút câu hỏi đã được người thứ hai thẩm định" in page.inner_text("main")
    page.select_option("#bank", "Tự luyện")
    assert page.locator(".draw-bank:visible .have").first.inner_text() == "/ 0"
    # the department's staff contest does not require it: the round is made there
    page.goto(server + "/admin/contests/cds-can-bo-skhcn-2026/rounds/new")
    page.fill("#name", "Tuần luyện tập")
    page.fill("#opens", "2026-01-01T08:00")
    page.fill("#closes", "2030-01-01T08:00")
    page.fill("#questions", "3")
    page.fill("#minutes", "5")
    page.select_option("#bank", "Tự luyện")
    # the draw is picked in the bank's table: 3 easy questions of the topic "Tự luyện", of the 3 it has
    page.get_by_label("Tự luyện, Tự luyện, Dễ: tối đa 3").fill("3")
    # only the chosen bank's table shows, with the running total against the number of questions
    assert page.locator(".draw-bank:visible").count() == 1
    assert "3 / 3 câu hỏi" in page.inner_text("#draw-total")
    page.locator(".draw-picker").screenshot(path=ARTIFACTS / "11-new-round-draw.png")
    page.click("button[type=submit]:has-text('Tạo đợt thi')")
    assert "Đã tạo đợt thi Tuần luyện tập." in page.content(), page.inner_text("main")[:1500]
    page.screenshot(path=ARTIFACTS / "11-round.png", full_page=True)


def test_big_screen_updates_when_an_attempt_is_submitted_elsewhere(server, browser) -> None:
    screen_context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 720})
    screen = screen_context.new_page()
    screen.goto(server + "/contests/cds-2026/screen")
    before = int(screen.inner_text("#stat-attempts").replace(".", "").replace(",", ""))

    context = browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844})
    participant = context.new_page()
    login(participant, server, "0900000011")
    start_quiz(participant, server)
    participant.click("#review")
    participant.once("dialog", lambda dialog: dialog.accept())
    participant.click("#submit-button")
    participant.wait_for_url("**/result")

    screen.wait_for_function(
        f"parseInt(document.getElementById('stat-attempts').textContent.replace(/[.,]/g, '')) > {before}",
        timeout=20_000,
    )
    screen.screenshot(path=ARTIFACTS / "12-screen.png")
    context.close()
    screen_context.close()


def test_monitoring_charts_draw_the_numbers_of_their_tables(server, browser) -> None:
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    login(page, server, "0900000001")
    page.goto(server + "/admin/rounds/1/monitor")
    page.wait_for_function("window.Chart && Chart.getChart(document.getElementById('chart-scores'))")
    drawn = page.evaluate(
        """() => ['chart-timeline', 'chart-units', 'chart-scores'].map(
             id => Chart.getChart(document.getElementById(id)).data.datasets[0].data.reduce((a, b) => a + b, 0))"""
    )
    cell = "#table-scores tbody td:nth-child(2)"
    finished = sum(int(text.replace(".", "")) for text in page.locator(cell).all_text_contents())
    assert drawn[2] == finished > 0  # the histogram counts the finished attempts its table lists
    assert drawn[0] > 0 and drawn[1] > 0
    page.screenshot(path=ARTIFACTS / "13-monitoring.png", full_page=True)
    assert errors == []
    context.close()


def test_the_quiz_page_reports_time_spent_away(server, browser) -> None:
    context = browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844})
    page = context.new_page()
    login(page, server, "0900000012")
    start_quiz(page, server)
    page.evaluate(
        """() => { Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
                   document.dispatchEvent(new Event('visibilitychange')); }"""
    )
    page.wait_for_timeout(2_100)
    with page.expect_response("**/presence") as answer:
        page.evaluate(
            """() => { Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
                       document.dispatchEvent(new Event('visibilitychange')); }"""
        )
    assert answer.value.status == 200 and answer.value.json()["away_ms"] >= 2_000
    context.close()
