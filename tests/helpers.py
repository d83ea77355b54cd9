"""Helpers the tests share (fixtures live in the conftest files): the CSRF token, the demo files, a participant
taking a round through the API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from contest.models import AttemptItem, Unit
from contest.services.people.accounts import create_user

DEMO_DATA = Path(__file__).resolve().parent.parent / "contest" / "demo_data"


def csrf_token(client: FlaskClient) -> str:
    return client.get("/api/csrf").get_json()["csrf_token"]


def participant_client(app: Flask, session: Session, clock: Any, phone: str, unit: Unit, name: str) -> FlaskClient:
    """A new participant of `unit`, logged in through the API on a client of their own."""
    create_user(session, name=name, phone=phone, password="mat-khau-123", unit=unit, now=clock())
    session.commit()
    client = app.test_client()
    client.post(
        "/api/session", json={"phone": phone, "password": "mat-khau-123"}, headers={"X-CSRFToken": csrf_token(client)}
    )
    return client


def take_round(
    client: FlaskClient, session: Session, round_id: int, correct: int, prediction: int | None = None
) -> int:
    """Start an attempt, answer the first `correct` questions right, submit; the attempt's id."""
    headers = {"X-CSRFToken": csrf_token(client)}
    body = client.post(f"/api/rounds/{round_id}/attempts", headers=headers).get_json()
    rights = right_options(session, body["attempt_id"])
    for question in body["questions"][:correct]:
        client.put(
            f"/api/attempts/{body['attempt_id']}/answers/{question['position']}",
            json={"options": rights[question["position"]]},
            headers=headers,
        )
    client.post(f"/api/attempts/{body['attempt_id']}/submit", json={"prediction": prediction}, headers=headers)
    return body["attempt_id"]


def right_options(session: Session, attempt_id: int) -> dict[int, list[int]]:
    """The right option ids of each position, read from the database (never from the API)."""
    items = session.scalars(select(AttemptItem).where(AttemptItem.attempt_id == attempt_id)).all()
    return {item.position: sorted(o["id"] for o in item.snapshot["options"] if o["correct"]) for item in items}


def organizer_client(app: Flask, session: Session, clock: Any) -> FlaskClient:
    """A new organizer (phone 0900000001), logged in through the real form on a client of their own."""
    from tests.factories import make_user

    make_user(session, clock(), phone="0900000001", role="organizer")
    session.commit()
    client = app.test_client()
    client.post("/login", data={"phone": "0900000001", "password": "mat-khau-123", "csrf_token": csrf_token(client)})
    return client
