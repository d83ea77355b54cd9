"""#30 in the browser: the demo's published round before its certificates are drawn (the line says how many are
made, no zip yet), then a worker started beside the server draws them and the organizer's page follows without
being reloaded, offers the zip, and the zip holds every certificate named by person. Laptop and phone sizes."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.e2e.conftest import ARTIFACTS, ROOT, SERVER_ENV, login

PAST_ROUND = 2  # the demo's last week's round, published


def test_the_round_page_follows_the_worker_then_offers_the_zip_named_by_person(server, browser) -> None:
    laptop = browser.new_context(bypass_csp=True, viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = laptop.new_page()
    login(page, server, "0900000001")
    page.goto(f"{server}/admin/rounds/{PAST_ROUND}")
    line = page.locator("#certificate-progress [role=status]")
    assert "Đã tạo 0 / 30 giấy chứng nhận" in line.inner_text()  # nothing drawn in any request
    assert page.locator(".certificate-zip").is_hidden()
    page.evaluate("window.sameDocument = true")
    page.locator("#results-title").scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "30-certificates-waiting-laptop.png")

    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "work", "--poll", "0.5"],
        cwd=ROOT,
        env=SERVER_ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        page.wait_for_selector(".certificate-zip:not([hidden])", timeout=60_000)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert page.evaluate("window.sameDocument") is True  # followed in place, not reloaded
    assert "Đã tạo 30 / 30 giấy chứng nhận" in line.inner_text()
    page.screenshot(path=ARTIFACTS / "30-certificates-done-laptop.png")
    with page.expect_download() as waiting:
        page.click("text=Tải tất cả giấy chứng nhận")
    download = waiting.value
    assert download.suggested_filename == f"giay-chung-nhan-dot-{PAST_ROUND}.zip"
    names = zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes())).namelist()
    assert len(names) == 30 and names[0].startswith("001 - ") and all(name.isascii() for name in names)
    assert all(name.endswith(".pdf") for name in names)
    laptop.close()

    phone = browser.new_context(
        bypass_csp=True, viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="vi-VN"
    )
    small = phone.new_page()
    login(small, server, "0900000001")
    small.goto(f"{server}/admin/rounds/{PAST_ROUND}")
    assert small.locator(".certificate-zip").is_visible()
    assert small.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    small.locator("#results-title").scroll_into_view_if_needed()
    small.screenshot(path=ARTIFACTS / "30-certificates-done-phone.png")
    phone.close()
