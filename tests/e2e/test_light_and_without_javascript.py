"""Light on slow phones: the quiz page's first load is small; and the core journey works with
JavaScript turned off (plain form posts)."""

from __future__ import annotations

from tests.e2e.conftest import ARTIFACTS, login, start_quiz

QUIZ_BUDGET_BYTES = 150 * 1024


def test_quiz_page_weighs_under_150_kb(server, browser) -> None:
    context = browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844})
    page = context.new_page()
    login(page, server, "0900000002")
    start_quiz(page, server)
    sizes: list[int] = []
    fresh = browser.new_context(
        bypass_csp=True, viewport={"width": 390, "height": 844}, storage_state=context.storage_state()
    )
    measured = fresh.new_page()
    measured.on("response", lambda response: sizes.append(len(response.body())))
    measured.goto(server + "/rounds/1/take", wait_until="networkidle")
    total = sum(sizes)
    (ARTIFACTS / "quiz-weight.txt").write_text(f"{total} bytes in {len(sizes)} responses\n")
    assert 0 < total < QUIZ_BUDGET_BYTES
    fresh.close()
    context.close()


def test_the_quiz_without_javascript(server, browser) -> None:
    context = browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    login(page, server, "0900000010")  # a demo participant with one attempt used of three
    page.goto(server + "/rounds/1/take")
    page.click("text=Bắt đầu làm bài")
    assert page.locator("fieldset.question-card").count() == 20  # every question on one page
    page.check("#q1 input >> nth=0")
    page.check("#q2 input >> nth=1")
    page.click("button[value=save]")
    assert "Đã lưu câu trả lời" in page.content()
    assert page.is_checked("#q1 input >> nth=0")
    page.fill("#prediction", "9")
    page.click("button[value=submit]")
    assert page.url.endswith("/result") and "Kết quả của bạn" in page.content()
    page.screenshot(path=ARTIFACTS / "04-no-javascript-result.png", full_page=True)
    context.close()


def test_a_quiz_with_pictures_stays_under_150_kb(server, browser, tmp_path) -> None:
    """The demo's picture questions in a round of their own (a copy of them: a practice bank is no round's): the
    first load, the first question's picture included (loaded lazily, after the text), stays within the budget."""
    import zipfile
    from datetime import UTC, datetime, timedelta

    from tests.e2e.conftest import ROOT, server_cli

    bundle = tmp_path / "cau-hoi-co-anh.zip"
    folder = ROOT / "contest" / "demo_data" / "practice"
    with zipfile.ZipFile(bundle, "w") as archive:
        for path in folder.rglob("*"):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    server_cli("bank", "import", str(bundle), "--bank", "Câu hỏi có ảnh", "--body", "1")
    now = datetime.now(UTC)
    opens, closes = (now - timedelta(minutes=1)).isoformat(), (now + timedelta(hours=1)).isoformat()
    # a contest of its own: the demo contest's boards stay on the demo's rounds
    server_cli("contest", "create", "--slug", "e2e-co-anh", "--title", "Có ảnh", "--body", "1")
    created = server_cli(
        "round", "create", "--contest", "e2e-co-anh", "--name", "Có ảnh", "--opens", opens, "--closes", closes,
        "--questions", "3", "--minutes", "10", "--bank", "Câu hỏi có ảnh",
        "--reuse-revealed",  # the practice's own picture questions (their key is public): reused on purpose here
    )  # fmt: skip
    round_id = int(created.strip().splitlines()[-1])
    context = browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844})
    page = context.new_page()
    login(page, server, "0900000021")
    start_quiz(page, server, round_id)
    fresh = browser.new_context(
        bypass_csp=True, viewport={"width": 390, "height": 844}, storage_state=context.storage_state()
    )
    measured = fresh.new_page()
    sizes: list[tuple[str, int]] = []
    measured.on(
        "response", lambda response: sizes.append((response.headers.get("content-type", ""), len(response.body())))
    )
    measured.goto(f"{server}/rounds/{round_id}/take", wait_until="networkidle")
    total = sum(size for _kind, size in sizes)
    pictures = [size for kind, size in sizes if kind == "image/webp"]
    (ARTIFACTS / "quiz-weight-pictures.txt").write_text(
        f"{total} bytes in {len(sizes)} responses, pictures {pictures}\n"
    )
    assert pictures and 0 < total < QUIZ_BUDGET_BYTES
    measured.locator("#q1").screenshot(path=ARTIFACTS / "30-quiz-picture-phone.png")
    fresh.close()
    context.close()
