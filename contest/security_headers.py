"""Security headers on every response (Flask-Talisman) and no caching of pages that belong to someone.

The pages run no inline script (data travels in <script type="application/json"> blocks, which do not run),
so scripts come from this site only. Style attributes stay allowed: two bars take their width from one."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_talisman import Talisman

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "style-src-attr": "'unsafe-inline'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'self'",
}
PERMISSIONS_POLICY = {"camera": "()", "microphone": "()", "geolocation": "()", "payment": "()", "usb": "()"}
PRIVATE = "private, no-store"
PRIVATE_AREAS = ("organizer", "unit_admin")
PRIVATE_PAGES = ("auth.account", "auth.account_data", "participant.take", "participant.result")

talisman = Talisman()


def init_app(app: Flask) -> None:
    talisman.init_app(
        app,
        # nginx (or the load balancer) sends plain http to https; closed networks may serve plain http
        force_https=False,
        strict_transport_security=True,  # sent on https requests only
        strict_transport_security_include_subdomains=False,  # the province's other sites are not ours
        content_security_policy=CONTENT_SECURITY_POLICY,
        permissions_policy=PERMISSIONS_POLICY,
        referrer_policy="same-origin",
        frame_options="SAMEORIGIN",
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
    )

    @app.after_request
    def private_pages_are_not_stored(response: Response) -> Response:
        """The account, quiz, unit-administrator and organizer pages stay out of every cache, shared or the
        browser's (on a shared computer, Back after logging out shows nothing of them)."""
        if "Cache-Control" in response.headers:
            return response
        if request.blueprint in PRIVATE_AREAS or request.endpoint in PRIVATE_PAGES:
            response.headers["Cache-Control"] = PRIVATE
        return response
