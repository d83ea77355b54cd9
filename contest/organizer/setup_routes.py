"""Organizer pages that set up contests and rounds, as the CLI does."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from contest import clock
from contest.auth.permissions import organizer_required
from contest.extensions import db
from contest.models import Contest, QuestionBank
from contest.organizer import bp
from contest.services import audit, banks, contests
from contest.services.errors import InvalidInput, NotFound


def _contest(slug: str) -> Contest:
    contest = db.session.scalar(select(Contest).where(Contest.slug == slug))
    if contest is None:
        raise NotFound(_("This contest does not exist."))
    return contest


@bp.route("/contests/new", methods=["GET", "POST"])
@organizer_required
def contest_new():  # type: ignore[no-untyped-def]
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = request.form
        try:
            contest = contests.create_contest(
                db.session,
                slug=form.get("slug", ""),
                title=form.get("title", ""),
                now=clock.now(),
                scope_code=form.get("scope") or None,
                rules=form.get("rules", ""),
                status=form.get("status", "draft"),
            )
            contests.configure_contest(contest, names=form.get("names", "masked"))
        except InvalidInput as error:
            db.session.rollback()
            errors = {key: str(error.message) for key in error.fields} or {"slug": str(error.message)}
        else:
            audit.record(db.session, current_user, "contest.create", f"contest:{contest.slug}", now=clock.now())
            db.session.commit()
            flash(_("The contest %(title)s was created.", title=contest.title), "success")
            return redirect(url_for("organizer.round_new", slug=contest.slug))
    return render_template("organizer/contest_form.html", errors=errors), 400 if errors else 200


@bp.post("/contests/<slug>/status")
@organizer_required
def contest_status(slug: str):  # type: ignore[no-untyped-def]
    contest = _contest(slug)
    before = {"status": contest.status}
    contests.set_status(contest, request.form.get("status", ""))
    audit.record(
        db.session,
        current_user,
        "contest.status",
        f"contest:{contest.slug}",
        before=before,
        after={"status": contest.status},
        now=clock.now(),
    )
    db.session.commit()
    flash(_("The status of %(title)s was changed.", title=contest.title), "success")
    return redirect(url_for("organizer.contest_list"))


def _number(value: str | None, field: str, errors: dict[str, str], *, blank: int | None = None) -> int | None:
    text = (value or "").strip()
    if not text:
        return blank
    if not text.isdigit():
        errors[field] = _("Enter a whole number.")
        return blank
    return int(text)


@bp.route("/contests/<slug>/rounds/new", methods=["GET", "POST"])
@organizer_required
def round_new(slug: str):  # type: ignore[no-untyped-def]
    contest = _contest(slug)
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = request.form
        numbers = {
            "questions": _number(form.get("questions"), "questions", errors, blank=0),
            "minutes": _number(form.get("minutes"), "minutes", errors, blank=0),
            "attempts": _number(form.get("attempts"), "attempts", errors),
            "attempts_per_day": _number(form.get("attempts_per_day"), "attempts_per_day", errors),
        }
        try:
            opens, closes = clock.parse_iso(form.get("opens", "")), clock.parse_iso(form.get("closes", ""))
        except ValueError:
            errors["opens"] = _("Enter the opening and closing times.")
        if not errors:
            try:
                round_ = contests.create_round(
                    db.session,
                    contest=contest,
                    name=form.get("name", ""),
                    opens_at=opens,
                    closes_at=closes,
                    question_count=numbers["questions"] or 0,
                    minutes=numbers["minutes"] or 0,
                    max_attempts=numbers["attempts"] or None,
                    max_attempts_per_day=numbers["attempts_per_day"],
                    bank_name=form.get("bank") or None,
                    draw=form.get("draw") or None,
                    prediction=form.get("prediction", "full_score"),
                    review=form.get("review", "after_close"),
                    require_all_answered=form.get("require_all") == "1",
                )
            except InvalidInput as error:
                db.session.rollback()
                errors = {key: str(error.message) for key in error.fields} or {"name": str(error.message)}
            else:
                audit.record(db.session, current_user, "round.create", f"round:{round_.id}", now=clock.now())
                db.session.commit()
                flash(_("The round %(name)s was created.", name=round_.name), "success")
                return redirect(url_for("organizer.round_detail", round_id=round_.id))
    bank_list = db.session.scalars(select(QuestionBank).order_by(QuestionBank.name)).all()
    counts = {bank.id: banks.bank_counts(db.session, bank) for bank in bank_list}
    return render_template(
        "organizer/round_form.html", contest=contest, banks=bank_list, counts=counts, errors=errors
    ), 400 if errors else 200
