"""English, chosen once in the header, stays chosen from page to page and through the quiz; switching
back to Vietnamese mid-quiz keeps the answers."""

from __future__ import annotations

from tests.e2e.conftest import ARTIFACTS, register


def _language(page) -> str:  # type: ignore[no-untyped-def]
    return page.get_attribute("html", "lang")


def test_english_is_remembered_through_registration_and_the_quiz(server, phone) -> None:
    page = phone
    page.goto(server + "/")
    assert _language(page) == "vi"
    page.click("header a[hreflang=en]")
    assert _language(page) == "en"

    register(page, server, "Lê Văn Anh", "0987 333 444", "so y te")  # no ?lang= in the address
    assert _language(page) == "en" and "Register" in page.inner_text("h1")  # the choice is remembered
    page.click("button[value=register]")
    assert page.url == server + "/"

    page.goto(server + "/rounds/1/take")
    page.click("text=Start the quiz")
    page.wait_for_selector("#palette li")
    assert "Time left" in page.inner_text(".quiz-countdown")
    page.check("#q1 input >> nth=0")
    page.wait_for_function("document.getElementById('save-status').textContent.includes('All answers saved.')")
    page.screenshot(path=ARTIFACTS / "20-quiz-in-english.png")

    page.click("header a[hreflang=vi]")
    page.wait_for_selector("#palette li")
    assert _language(page) == "vi" and "Thời gian còn lại" in page.inner_text(".quiz-countdown")
    assert page.is_checked("#q1 input >> nth=0")  # the same attempt, the same answer
