"""Contest rules: HTML is cut down to a safe subset; plain text keeps its paragraphs, breaks and lists."""

from __future__ import annotations

from contest.services.shared.rich_text import clean_html


def test_html_keeps_only_the_safe_subset() -> None:
    dirty = '<p onclick="x()">Mỗi người <b>3 lượt</b></p><script>alert(1)</script><a href="javascript:x">y</a>'
    assert clean_html(dirty) == '<p>Mỗi người <b>3 lượt</b></p><a rel="noopener noreferrer">y</a>'


def test_plain_text_becomes_paragraphs_breaks_and_lists() -> None:
    typed = "Thể lệ cuộc thi\r\nÁp dụng từ 10/10\r\n\r\n- Mỗi tuần một đợt\r\n• Tối đa 3 lượt\r\n\r\nGiải: 1 < 2 & 3"
    assert clean_html(typed) == (
        "<p>Thể lệ cuộc thi<br>Áp dụng từ 10/10</p>"
        "<ul><li>Mỗi tuần một đợt</li><li>Tối đa 3 lượt</li></ul>"
        "<p>Giải: 1 &lt; 2 &amp; 3</p>"
    )
    assert clean_html("") == "" and clean_html("   ") == ""
