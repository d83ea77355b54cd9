"""Practice (thi thử) in a browser: on a phone with JavaScript (the tally kept on the device, pictures loaded
with their size, no serious accessibility violation), light like the quiz, and without JavaScript to the end
of a set."""

from __future__ import annotations

import re

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_accessibility import _serious_violations
from tests.e2e.test_light_and_without_javascript import QUIZ_BUDGET_BYTES


def _tally_says(page, text: str) -> None:  # type: ignore[no-untyped-def]
    """Wait (up to 10 s) for the device's tally to say `text`; fail with what it said."""
    try:
        page.wait_for_function(
            "text => (document.querySelector('.device-tally')?.textContent || '').includes(text)",
            arg=text,
            timeout=10000,
        )
    except Exception:
        raise AssertionError(f"{text!r} not in {page.text_content('.device-tally')!r}") from None


def test_practice_on_a_phone(server, phone) -> None:
    page = phone
    page.goto(server + "/contests/cds-2026")
    page.click("text=Thi thử")
    assert page.url.endswith("/contests/cds-2026/practice")
    assert _serious_violations(page) == [], "practice start"
    page.click("text=Bắt đầu thi thử")
    assert re.search(r"/practice/[0-9a-f]{16}/1$", page.url)
    assert "Câu 1 / 10" in page.content() and "Số câu đúng" not in page.content()
    assert _serious_violations(page) == [], "practice question"
    pictured = False
    for number in range(1, 11):
        if page.locator("img.question-picture, .choice img").count():
            picture = page.locator("img.question-picture, .choice img").first
            picture.scroll_into_view_if_needed()
            page.wait_for_function("[...document.querySelectorAll('main img')].every(i => i.complete)")
            assert picture.evaluate("i => i.naturalWidth") > 0 and picture.get_attribute("alt")
            assert picture.get_attribute("loading") == "lazy" and picture.get_attribute("width")
            if not pictured:
                page.locator("form").screenshot(path=ARTIFACTS / "27-practice-picture-phone.png")
            pictured = True
        page.locator(".choice").first.click()
        page.click("text=Kiểm tra đáp án")
        assert page.locator(".practice-verdict").is_visible()
        assert "đáp án đúng" in page.content()
        # kept on this device by practice.js, which writes it once the page has loaded
        _tally_says(page, f"bạn đã luyện tập {number} câu")
        if number == 1:
            assert _serious_violations(page) == [], "practice answer"
            page.screenshot(path=ARTIFACTS / "28-practice-answer-phone.png", full_page=True)
            page.reload()  # the same answer sent again counts once on the device
            _tally_says(page, "bạn đã luyện tập 1 câu")
        if number < 10:
            page.click("text=Câu tiếp")
            assert f"Câu {number + 1} / 10" in page.content()
    assert "Đã hoàn thành bộ câu hỏi" in page.content()
    # 3 of the practice bank's 15 questions have pictures: a set of 10 nearly always shows one; else look on
    for _set in range(20):
        if pictured:
            break
        page.goto(server + "/contests/cds-2026/practice/new")
        first = page.url
        for number in range(1, 11):
            page.goto(first[:-1] + str(number))
            if page.locator("img.question-picture, .choice img").count():
                page.wait_for_function("[...document.querySelectorAll('main img')].every(i => i.complete)")
                assert page.locator("img.question-picture, .choice img").first.evaluate("i => i.naturalWidth") > 0
                page.locator("form").screenshot(path=ARTIFACTS / "27-practice-picture-phone.png")
                pictured = True
                break
    assert pictured


def test_a_practice_page_is_as_light_as_the_quiz(server, browser) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    sizes: list[int] = []
    page.on("response", lambda response: sizes.append(len(response.body())))
    page.goto(server + "/contests/cds-2026/practice/new", wait_until="networkidle")
    assert 0 < sum(sizes) < QUIZ_BUDGET_BYTES
    context.close()


def test_practice_without_javascript(server, browser) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/contests/cds-2026/practice")
    page.click("text=Bắt đầu thi thử")
    for number in range(1, 11):
        page.locator(".choice input").first.check()
        page.click("text=Kiểm tra đáp án")
        assert "Giải thích:" in page.content() or "đáp án đúng" in page.content()
        assert not page.locator(".device-tally").is_visible()  # no script, no device tally: the page still works
        if number < 10:
            page.click("text=Câu tiếp")
    content = page.content()
    assert "Đã hoàn thành bộ câu hỏi" in content and re.search(r"\d+ / 10", content)
    page.screenshot(path=ARTIFACTS / "29-practice-done-no-javascript.png", full_page=True)
    context.close()
