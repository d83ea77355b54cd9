"""Organizer pages that set up contests and rounds, as the CLI does."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from contest import clock
from contest.auth.permissions import organizer_required
from contest.extensions import db
from contest.models import Contest, QuestionBank, Round, Unit
from contest.models.contests import DEFAULT_RANKING_CHAIN, RANKING_LINKS
from contest.numbers import whole_number
from contest.organizer import bp
from contest.services.banks import questions as banks
from contest.services.console import audit, contests, rounds
from contest.services.errors import InvalidInput, NotFound
from contest.services.ranking.rules import LINK_LABELS
from question_bank.difficulty import DIFFICULTIES
from question_bank.draw import DrawPart


def _contest(slug: str) -> Contest:
    contest = db.session.scalar(select(Contest).where(Contest.slug == slug))
    if contest is None:
        raise NotFound(_("This contest does not exist."))
    return contest


def _ranking_choices() -> dict[str, str | None]:
    """The ranking chain from its numbered fields (chain-1, chain-2, ...: a blank one is skipped) and the
    unit ranking; None for what the form did not send, which leaves it as it is."""
    links = [request.form[f"chain-{n}"] for n in range(1, len(RANKING_LINKS) + 1) if f"chain-{n}" in request.form]
    return {
        "chain": ",".join(link for link in links if link) if links else None,
        "unit_ranking": request.form.get("unit_ranking") or None,
    }


SCOPE_CHOICE_DEPTH = 2  # contests are open to a province, a ministry or a department, rarely a commune


def _contest_form_options() -> dict[str, Any]:
    """What the contest form offers: the ranking criteria and the units a contest is usually open to."""
    scope_units = db.session.execute(
        select(Unit.code, Unit.name).where(Unit.depth <= SCOPE_CHOICE_DEPTH, Unit.active).order_by(Unit.path)
    ).all()
    return {"ranking_links": RANKING_LINKS, "link_labels": LINK_LABELS, "scope_units": scope_units}


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
            contests.configure_contest(contest, names=form.get("names", "masked"), **_ranking_choices())
        except InvalidInput as error:
            db.session.rollback()
            errors = _field_errors(error, "slug")
        else:
            after = contests.contest_settings(contest)
            audit.record(
                db.session, current_user, "contest.create", f"contest:{contest.slug}", after=after, now=clock.now()
            )
            db.session.commit()
            flash(_("The contest %(title)s was created.", title=contest.title), "success")
            return redirect(url_for("organizer.round_new", slug=contest.slug))
    return render_template(
        "organizer/contest_form.html", errors=errors, values={"chain": DEFAULT_RANKING_CHAIN}, **_contest_form_options()
    ), 400 if errors else 200


@bp.route("/contests/<slug>/edit", methods=["GET", "POST"])
@organizer_required
def contest_edit(slug: str):  # type: ignore[no-untyped-def]
    contest = _contest(slug)
    errors: dict[str, str] = {}
    before = contests.contest_settings(contest)
    if request.method == "POST":
        form = request.form
        try:
            contests.update_contest(
                db.session,
                contest,
                title=form.get("title", ""),
                scope_code=form.get("scope") or None,
                rules=form.get("rules", ""),
                names=form.get("names", ""),
                **_ranking_choices(),
            )
        except InvalidInput as error:
            db.session.rollback()
            errors = _field_errors(error, "title")
        else:
            after = contests.contest_settings(contest)
            audit.record(
                db.session,
                current_user,
                "contest.edit",
                f"contest:{contest.slug}",
                before=before,
                after=after,
                now=clock.now(),
            )
            db.session.commit()
            flash(_("The contest %(title)s was saved.", title=contest.title), "success")
            return redirect(url_for("organizer.contest_list"))
    return render_template(
        "organizer/contest_form.html", errors=errors, contest=contest, values=before, **_contest_form_options()
    ), 400 if errors else 200


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
    number = whole_number(text)
    if number is None:
        errors[field] = _("Enter a whole number.")
        return blank
    return number


def _round_form(errors: dict[str, str]) -> dict[str, Any]:
    """The round form's fields as create_round/update_round take them; unreadable ones go to `errors`."""
    form = request.form
    settings: dict[str, Any] = {
        "name": form.get("name", ""),
        "question_count": _number(form.get("questions"), "questions", errors, blank=0) or 0,
        "minutes": _number(form.get("minutes"), "minutes", errors, blank=0) or 0,
        "max_attempts": _number(form.get("attempts"), "attempts", errors) or None,
        "max_attempts_per_day": _number(form.get("attempts_per_day"), "attempts_per_day", errors),
        "bank_name": form.get("bank") or None,
        "draw": _picked_draw(errors) or form.get("draw") or None,
        "prediction": form.get("prediction", "full_score"),
        "review": form.get("review", "after_close"),
        "require_all_answered": form.get("require_all") == "1",
    }
    try:
        settings["opens_at"] = clock.parse_iso(form.get("opens", ""))
        settings["closes_at"] = clock.parse_iso(form.get("closes", ""))
    except ValueError:
        errors["opens"] = _("Enter the opening and closing times.")
    return settings


def _picked_draw(errors: dict[str, str]) -> list[DrawPart] | None:
    """The counts typed in the chosen bank's table (fields pick:BANK:LEVEL:TOPIC, pickany:BANK:LEVEL)."""
    bank = db.session.scalar(select(QuestionBank).where(QuestionBank.name == request.form.get("bank", "")))
    if bank is None:
        return None
    parts = []
    for name, value in request.form.items():
        kind, _sep, rest = name.partition(":")
        bank_id, _sep, rest = rest.partition(":")
        if kind not in ("pick", "pickany") or bank_id != str(bank.id) or not value.strip():
            continue
        level, _sep, topic = rest.partition(":")
        count = whole_number(value)
        if level not in DIFFICULTIES or count is None:
            errors["draw"] = _("Enter whole numbers of questions in the table.")
            continue
        if count:
            parts.append(DrawPart(topic if kind == "pick" else None, level, count))
    return parts or None


def _field_errors(error: InvalidInput, default: str) -> dict[str, str]:
    return {key: str(error.message) for key in error.fields} or {default: str(error.message)}


def _render_round_form(contest: Contest, errors: dict[str, str], round_: Round | None = None):  # type: ignore[no-untyped-def]
    bank_list = db.session.scalars(select(QuestionBank).order_by(QuestionBank.name)).all()
    counts = {bank.id: banks.bank_counts(db.session, bank) for bank in bank_list}
    values = rounds.round_settings(round_) if round_ is not None else {}
    picks = {}  # the table's fields, as posted or from the round's draw
    if request.method == "POST":
        picks = {name: value for name, value in request.form.items() if name.startswith(("pick:", "pickany:"))}
    elif round_ is not None and round_.bank_id is not None and not values["draw"]:  # one place shows the draw
        for part in round_.draw_spec or []:
            if part["difficulty"]:
                prefix = f"pick:{round_.bank_id}" if part["topic"] else f"pickany:{round_.bank_id}"
                picks[f"{prefix}:{part['difficulty']}" + (f":{part['topic']}" if part["topic"] else "")] = part["count"]
    return render_template(
        "organizer/round_form.html",
        contest=contest,
        round=round_,
        values=values,
        picks=picks,
        banks=bank_list,
        counts=counts,
        errors=errors,
    ), 400 if errors else 200


@bp.route("/contests/<slug>/rounds/new", methods=["GET", "POST"])
@organizer_required
def round_new(slug: str):  # type: ignore[no-untyped-def]
    contest = _contest(slug)
    errors: dict[str, str] = {}
    if request.method == "POST":
        settings = _round_form(errors)
        if not errors:
            try:
                round_ = rounds.create_round(db.session, contest=contest, **settings)
            except InvalidInput as error:
                db.session.rollback()
                errors = _field_errors(error, "name")
            else:
                after = rounds.round_settings(round_)
                audit.record(
                    db.session, current_user, "round.create", f"round:{round_.id}", after=after, now=clock.now()
                )
                db.session.commit()
                flash(_("The round %(name)s was created.", name=round_.name), "success")
                return redirect(url_for("organizer.round_detail", round_id=round_.id))
    return _render_round_form(contest, errors)


@bp.route("/rounds/<int:round_id>/edit", methods=["GET", "POST"])
@organizer_required
def round_edit(round_id: int):  # type: ignore[no-untyped-def]
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        raise NotFound(_("This round does not exist."))
    if request.method == "GET" and rounds.round_started(db.session, round_):
        flash(_("Someone has already taken this round: its settings can no longer be changed."), "error")
        return redirect(url_for("organizer.round_detail", round_id=round_.id))
    errors: dict[str, str] = {}
    if request.method == "POST":
        before = rounds.round_settings(round_)
        settings = _round_form(errors)
        if not errors:
            try:
                rounds.update_round(db.session, round_, **settings)
            except InvalidInput as error:
                db.session.rollback()
                errors = _field_errors(error, "name")
            else:
                after = rounds.round_settings(round_)
                audit.record(
                    db.session,
                    current_user,
                    "round.edit",
                    f"round:{round_.id}",
                    before=before,
                    after=after,
                    now=clock.now(),
                )
                db.session.commit()
                flash(_("The round %(name)s was saved.", name=round_.name), "success")
                return redirect(url_for("organizer.round_detail", round_id=round_.id))
    return _render_round_form(round_.contest, errors, round_)
