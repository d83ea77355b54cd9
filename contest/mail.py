"""Sending mail (password-reset links) over SMTP with the standard library's smtplib, when the site has a mail server
(settings as Flask-Mail names them: MAIL_SERVER, MAIL_PORT, MAIL_DEFAULT_SENDER, MAIL_USE_TLS, MAIL_USERNAME,
MAIL_PASSWORD). smtplib over Flask-Mail: one message kind, no templates to render by the extension, nothing to keep
up to date beside Python itself."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app

SMTP_TIMEOUT_S = 10


def mail_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def send_mail(to: str, subject: str, body: str) -> None:
    """Send one plain-text message; raises OSError / smtplib.SMTPException when the server refuses it."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config.get("MAIL_DEFAULT_SENDER") or "no-reply@localhost"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25), timeout=SMTP_TIMEOUT_S) as server:
        if config.get("MAIL_USE_TLS"):
            server.starttls()
        if config.get("MAIL_USERNAME"):
            server.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        server.send_message(message)
