"""The quiz can be completed with the keyboard alone (Tab, Space, arrows, Enter; the focus always
visible), every control is a comfortable touch target, and it still works on a slow 3G connection."""

from __future__ import annotations

from tests.e2e.conftest import login, start_quiz


def _tab_to(page, selector: str, presses: int = 80) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until the focused element matches `selector`; it must show a visible focus ring."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            outline = page.evaluate(
                "() => { const s = getComputedStyle(document.activeElement);"
                " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
            )
            assert outline[0] != "none" and outline[1] >= 2, (selector, outline)  # visible focus
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_quiz_with_the_keyboard_alone(server, phone) -> None:
    page = phone
    login(page, server, "0900000012")
    page.goto(server + "/rounds/1/take")
    _tab_to(page, "form[action$='/take'] button")
    page.keyboard.press("Enter")
    page.wait_for_selector("#palette li")
    _tab_to(page, "#q1 input")
    page.keyboard.press("Space")  # choose the focused option of question 1
    _tab_to(page, "#next")
    page.keyboard.press("Enter")
    _tab_to(page, "#q2 input")
    if page.evaluate("() => document.activeElement.type") == "radio":
        page.keyboard.press("ArrowDown")  # within a group of radios the arrows choose
    else:
        page.keyboard.press("Tab")  # multiple answers: each box is a stop of its own
        page.keyboard.press("Space")
    page.wait_for_function("document.getElementById('save-status').textContent.includes('Đã lưu')")
    assert page.is_checked("#q1 input >> nth=0") and page.is_checked("#q2 input >> nth=1")
    _tab_to(page, "#review")
    page.keyboard.press("Enter")
    page.once("dialog", lambda dialog: dialog.accept())
    _tab_to(page, "#submit-button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/result")


def test_controls_are_at_least_44_px_tall(server, phone) -> None:
    page = phone
    login(page, server, "0900000013")
    start_quiz(page, server)
    small = page.evaluate(
        """() => Array.from(document.querySelectorAll('button, .choice, .palette-item, input[type=number]'))
            .filter(el => el.offsetParent !== null)
            .map(el => [el.id || el.className || el.tagName, el.getBoundingClientRect().height])
            .filter(([, height]) => height < 44)"""
    )
    assert small == []


def test_quiz_on_slow_3g(server, browser) -> None:
    context = browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844})
    page = context.new_page()
    login(page, server, "0900000014")
    cdp = context.new_cdp_session(page)
    # Chrome DevTools' "Slow 3G": 400 ms latency, about 50 KB/s down and up
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 400,
            "downloadThroughput": 50 * 1024,
            "uploadThroughput": 50 * 1024,
        },
    )
    page.goto(server + "/rounds/1/take", timeout=30_000)
    page.click("text=Bắt đầu làm bài")
    page.wait_for_selector("#palette li", timeout=30_000)
    page.check("#q1 input >> nth=0")
    page.wait_for_function("document.getElementById('save-status').textContent.includes('Đã lưu')", timeout=30_000)
    context.close()


def test_text_at_200_percent_keeps_the_pages_within_the_screen(server, phone) -> None:
    page = phone
    login(page, server, "0900000016")
    paths = ["/", "/contests/cds-2026", "/contests/cds-2026/leaderboard", "/rounds/1/take"]
    for path in paths:
        page.goto(server + path)
        if path.endswith("/take") and page.locator("text=Bắt đầu làm bài").count():
            page.click("text=Bắt đầu làm bài")
            page.wait_for_selector("#palette li")
        page.evaluate("document.documentElement.style.fontSize = '225%'")  # 200 % of our 112.5 % base
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, (path, overflow)
