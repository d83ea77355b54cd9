"""#16 in the browser: the big screen on a 1920 x 1080 projector, the public leaderboard refreshing itself, last
week's published results on a phone, the organizer's results section and the certificate check."""

from __future__ import annotations

import re

from tests.e2e.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, login, start_quiz


def test_big_screen_fits_a_full_hd_screen_with_ranks_podium_and_visible_bars(server, browser) -> None:
    context = browser.new_context(bypass_csp=True, viewport={"width": 1920, "height": 1080}, locale="vi-VN")
    screen = context.new_page()
    screen.goto(server + "/contests/cds-2026/screen")
    size = screen.evaluate(
        """() => ({scroll: document.documentElement.scrollHeight, footer: document.querySelector('footer')
                     .getBoundingClientRect().bottom, rows: document.querySelectorAll('.top-list li').length,
                   unitRows: document.querySelectorAll('#units li').length})"""
    )
    assert size["rows"] == 10 and size["unitRows"] >= 5
    assert size["scroll"] <= 1080 and size["footer"] <= 1080  # ten rows of each list and the update time in view
    # the demo contest ranks two tables apart: each table's five leaders, the first three of each marked
    assert screen.locator(".top-list li.podium").count() == 6
    assert screen.locator("#top-A li .rank").all_text_contents()[:3] == ["1", "2", "3"]
    widths = screen.evaluate(
        "() => [...document.querySelectorAll('#units .bar')].map(bar => bar.firstChild.getBoundingClientRect().width"
        " / bar.getBoundingClientRect().width)"
    )
    assert widths[0] > 0.99 and all(width > 0.05 for width in widths if width)  # a few percent is a visible bar
    screen.screenshot(path=ARTIFACTS / "14-screen-full-hd.png")
    context.close()


def test_public_leaderboard_refreshes_itself_without_reloading(server, browser, phone) -> None:
    phone.goto(server + "/contests/cds-2026/leaderboard")
    phone.evaluate("window.sameDocument = true")
    first = phone.inner_text("#board-updated time")
    participant_context = browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844})
    participant = participant_context.new_page()
    login(participant, server, "0900000018")  # a demo participant no other browser test uses
    start_quiz(participant, server)
    participant.click("#review")
    participant.once("dialog", lambda dialog: dialog.accept())
    participant.click("#submit-button")
    participant.wait_for_url("**/result")
    participant_context.close()
    phone.wait_for_function(f"document.querySelector('#board-updated time').textContent !== {first!r}", timeout=25_000)
    assert phone.evaluate("window.sameDocument") is True  # redrawn in place, not reloaded
    assert phone.locator("#people-rows tr").count() >= 10
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    phone.screenshot(path=ARTIFACTS / "15-leaderboard-live.png", full_page=True)


def test_published_results_on_a_phone_and_a_certificate_checked(server, phone) -> None:
    phone.goto(server + "/contests/cds-2026/results")
    text = phone.inner_text("main")
    assert "Kết quả Tuần 1" in text and "Giải Nhất" in text and "Giải Khuyến khích" in text
    assert "Bản nháp" not in text
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # nothing wider than the phone
    phone.screenshot(path=ARTIFACTS / "16-results-phone.png", full_page=True)
    phone.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi, as printed
    phone.emulate_media(media="print")
    printed = phone.evaluate(
        """() => ({header: getComputedStyle(document.querySelector('.site-header')).display,
                   buttons: getComputedStyle(document.querySelector('.actions')).display,
                   wide: document.documentElement.scrollWidth})"""
    )
    assert printed == {"header": "none", "buttons": "none", "wide": 794}  # the content only, within the page
    phone.screenshot(path=ARTIFACTS / "16-results-print.png", full_page=True)
    phone.emulate_media(media="screen")
    phone.set_viewport_size({"width": 390, "height": 844})
    login(phone, server, "0900000002")
    phone.goto(server + "/account")
    link = phone.locator(".certificate-list a[href^='/verify/']").first
    code = link.inner_text()
    assert re.fullmatch(r"[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}", code)
    phone.screenshot(path=ARTIFACTS / "17-account-certificates.png", full_page=True)
    link.click()
    assert "Hợp lệ" in phone.inner_text("main") and "Nguyễn Văn An" in phone.inner_text("main")
    phone.screenshot(path=ARTIFACTS / "18-verify-certificate.png", full_page=True)
    response = phone.request.get(f"{server}/certificates/{code}.pdf")
    assert response.status == 200 and response.body().startswith(b"%PDF")


def test_organizer_sees_the_results_section_and_the_documents_settings(server, browser) -> None:
    context = browser.new_context(bypass_csp=True, viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    login(page, server, "0900000001")
    page.goto(server + "/admin/rounds/2")
    section = page.inner_text("#results-title >> xpath=..")
    assert "Đã công bố lúc" in section and "Danh sách người đạt giải (PDF)" in section
    page.screenshot(path=ARTIFACTS / "19-round-results-section.png", full_page=True)
    page.goto(server + "/admin/contests/cds-2026/documents")
    assert page.input_value("#signer_name") == "Trần Quốc Việt"
    page.screenshot(path=ARTIFACTS / "21-documents-settings.png", full_page=True)
    context.close()


def test_leaderboard_on_a_phone_marks_my_row_fits_and_finds_without_accents(server, phone) -> None:
    login(phone, server, "0900000010")
    phone.goto(server + "/contests/cds-2026/leaderboard?round=1")
    mine = phone.locator("#people-rows tr.me")
    assert mine.count() == 1 and "Bạn" in mine.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    overflowing = phone.evaluate(
        "() => [...document.querySelectorAll('.table-wrap')].filter(wrap => wrap.scrollWidth > wrap.clientWidth + 1)"
        ".length"
    )
    assert overflowing == 0  # every table fits the phone, the unit table too (no sideways scrolling inside)
    name = mine.locator("td").nth(1).inner_text().split("\n")[0].replace("Bạn", "").strip()
    from question_bank.text import without_accents

    phone.fill("#q", without_accents(name.split()[0]))  # typed without accents, as on a phone keyboard
    phone.press("#q", "Enter")
    phone.wait_for_url("**q=*")
    assert name in phone.inner_text("#people-rows")
    phone.screenshot(path=ARTIFACTS / "22-leaderboard-phone-mine.png", full_page=True)


def test_admin_home_is_the_morning_view_and_closing_asks_first(server, browser) -> None:
    context = browser.new_context(bypass_csp=True, viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    login(page, server, "0900000001")
    page.goto(server + "/admin/")
    assert "Các đợt thi đang mở" in page.inner_text("main") and "Số người dự thi hôm nay" in page.inner_text("main")
    page.screenshot(path=ARTIFACTS / "23-admin-home.png", full_page=True)
    page.goto(server + "/admin/rounds/1")
    asked: list[str] = []

    def decline(dialog) -> None:  # type: ignore[no-untyped-def]
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", decline)
    page.click("#close-title >> xpath=.. >> button[type=submit]")
    assert asked and "kết thúc ngay" in asked[0]  # the dialog says what will happen
    assert "Đang mở" in page.goto(server + "/contests/cds-2026").text()  # declined: still open
    context.close()
    # without JavaScript: a confirmation page, and going back changes nothing
    plain = browser.new_context(java_script_enabled=False, viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = plain.new_page()
    login(page, server, "0900000001")
    page.goto(server + "/admin/rounds/1")
    page.click("#close-title >> xpath=.. >> button[type=submit]")
    assert "Đóng đợt thi Tuần 2 ngay bây giờ?" in page.inner_text("main")
    page.screenshot(path=ARTIFACTS / "24-close-confirmation.png", full_page=True)
    page.click("text=Không, quay lại")
    assert "/admin/rounds/1" in page.url
    plain.close()


def test_a_units_portal_embeds_the_live_counter_with_the_script(server, browser) -> None:
    # The portal is another origin; Chromium would refuse a page outside loopback reaching loopback (this test's
    # server) at all, a check that a real portal and a real server on the internet never meet.
    other = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, "--disable-features=LocalNetworkAccessChecks,PrivateNetworkAccessChecks"],
    )
    context = other.new_context(viewport={"width": 420, "height": 400}, locale="vi-VN")
    portal = context.new_page()
    portal.route(
        "http://localhost:9/cong-thong-tin",
        lambda route: route.fulfill(
            content_type="text/html; charset=utf-8",
            body=f'<h1>Cổng thông tin Sở</h1><script src="{server}/static/js/embed.js" data-contest="cds-2026" '
            'data-unit="HBX-SKHCN" async></script>',
        ),
    )
    messages: list[str] = []
    portal.on("console", lambda message: messages.append(message.text))
    portal.on("pageerror", lambda error: messages.append(str(error)))
    portal.goto("http://localhost:9/cong-thong-tin")  # another site (origin), under its own address
    portal.wait_for_timeout(2000)
    assert portal.locator("iframe").count() == 1, (messages, portal.content())
    frame = portal.frame_locator("iframe")
    assert "người tham gia" in frame.locator("body").inner_text(timeout=15_000)
    assert "Sở Khoa học và Công nghệ" in frame.locator("body").inner_text()
    portal.screenshot(path=ARTIFACTS / "25-portal-widget.png")
    context.close()
    other.close()


def test_quiz_details_a_participant_stumbled_on(server, phone) -> None:
    """#17: the option letter never breaks from its dot, a disabled "previous" looks disabled, and the unanswered
    questions are named as question numbers."""
    login(phone, server, "0900000019")
    start_quiz(phone, server)
    letters = phone.evaluate(
        """() => [...document.querySelectorAll('.choice-letter')].filter(e => e.offsetParent)
                  .map(e => e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight))"""
    )
    assert letters and max(letters) < 1.5  # "A." on one line, however long the option
    previous = phone.locator("#previous")
    assert previous.is_disabled() and float(previous.evaluate("b => getComputedStyle(b).opacity")) < 0.6
    phone.click("#review")
    assert "Bạn chưa trả lời các câu số:" in phone.inner_text("#unanswered-note")
    phone.screenshot(path=ARTIFACTS / "26-quiz-review-unanswered.png", full_page=True)


def test_the_contest_form_finds_its_unit_by_name_typed_without_accents(server, browser) -> None:
    context = browser.new_context(bypass_csp=True, viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    login(page, server, "0900000001")
    page.goto(server + "/admin/contests/new")
    page.fill("#scope-search", "so khoa hoc")
    page.click("#scope-results button >> nth=0")
    assert page.input_value("#scope") == "HBX-SKHCN"
    context.close()
