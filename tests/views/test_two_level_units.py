"""Unit kinds for the two-level local government (#27 item 8): since 1 July 2025 there are provinces, and communes,
wards and special zones, no districts; a new unit cannot be a district, an existing one keeps its kind and is listed
on the units page for an organizer to review."""

from __future__ import annotations

import io

from sqlalchemy import select

from contest.models import Unit
from tests.helpers import csrf_token


def _login(client) -> None:  # type: ignore[no-untyped-def]
    client.post("/login", data={"phone": "0900000001", "password": "Demo@2026", "csrf_token": csrf_token(client)})


def _upload(client, text: str):  # type: ignore[no-untyped-def]
    data = {"file": (io.BytesIO(text.encode()), "don-vi.csv"), "csrf_token": csrf_token(client)}
    return client.post("/admin/units/upload", data=data, content_type="multipart/form-data")


def test_a_new_unit_cannot_be_a_district_and_an_old_one_is_listed_to_review(runner, client, session) -> None:
    runner.invoke(args=["demo"])
    _login(client)
    assert session.scalar(select(Unit.kind).where(Unit.code == "HBX-P01")) == "ward"  # the demo speaks that way
    header = "code,parent_code,name,kind,headcount\n"
    refused = _upload(client, header + "HBX-H01,HBX,Huyện Cũ,district,100\n")
    assert "đơn vị mới không thể là huyện" in refused.get_data(as_text=True)
    assert session.scalar(select(Unit).where(Unit.code == "HBX-H01")) is None
    ok = _upload(
        client, header + "HBX-DK1,HBX,Đặc khu Hòn Xanh,special_zone,30\nHBX-HOI1,HBX,Hội Cựu chiến binh,association,9\n"
    )
    assert ok.status_code in (200, 302)
    assert session.scalar(select(Unit.kind).where(Unit.code == "HBX-DK1")) == "special_zone"
    old = session.scalar(select(Unit).where(Unit.code == "HBX-X01"))
    old.kind = "district"  # as a unit made before July 2025 (the upgrade keeps the kinds)
    session.commit()
    page = client.get("/admin/units").get_data(as_text=True)
    assert "1 đơn vị cần rà soát: cấp huyện" in page and old.name in page
    kept = _upload(client, header + f"HBX-X01,HBX,{old.name},district,48\n")  # an existing district keeps it
    assert kept.status_code in (200, 302) and session.scalar(select(Unit.kind).where(Unit.code == "HBX-X01")) == (
        "district"
    )
    other = client.get("/admin/units/HBX-X02").get_data(as_text=True)
    assert 'value="district"' not in other and 'value="ward"' in other and 'value="special_zone"' in other
    assert 'value="district"' in client.get("/admin/units/HBX-X01").get_data(as_text=True)
