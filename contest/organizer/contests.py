"""Contests: the list, creating and editing one (as `contest create` / `contest configure` do), its status."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from contest import clock
from contest.auth.permissions import current_actor
from contest.auth.scope import can, current_access, staff_required
from contest.extensions import db
from contest.form_problems import problems, show_problems
from contest.models import Contest
from contest.models.contests import DEFAULT_RANKING_CHAIN
from contest.organizer import bp
from contest.organizer.forms import ContestForm
from contest.services.bodies.access import Right
from contest.services.bodies.memberships import body_choices
from contest.services.console import contests
from contest.services.people.units import scope_choices
from contest.services.quiz import practice
from contest.services.shared.errors import InvalidInput

FIELD_ALIASES = {"chain": "chain_1", "scope_code": "scope", "tables": "table_civil_servant"}  # service -> form


@bp.get("/contests")
@staff_required(Right.CONTESTS)
def contest_list() -> ResponseReturnValue:
    found = contests.contests_with_rounds(db.session(), current_access().bodies(Right.CONTESTS))
    return render_template("organizer/contests.html", contests=found)


def _render(form: ContestForm, contest: Contest | None = None) -> ResponseReturnValue:
    return render_template(
        "organizer/contest_form.html",
        form=form,
        contest=contest,
        problems=problems(form),
        scope_units=scope_choices(db.session()),
        practice_banks=practice.practice_bank_choices(
            db.session(), [contest.body_id] if contest else current_access().bodies(Right.CONTEST_EDIT)
        ),
    ), (400 if problems(form) else 200)


def _practice_refused(form: ContestForm, body_id: int | None, current: str) -> bool:
    """Practice shows a bank's key to anyone: choosing the bank is for those who may read the body's banks (its
    managers and authors), not for an operator alone."""
    chosen = (form.practice_bank.data or "").strip()
    if form.practice_bank.raw_data is None or chosen == current or body_id is None or can(Right.BANKS, body_id):
        return False
    form.practice_bank.errors = [
        *form.practice_bank.errors,
        _("Only the body's managers and question authors choose the practice bank: it shows its right answers."),
    ]
    return True


def _warn_if_practice_shares(contest: Contest) -> None:
    """Practice shows its right answers: say so when a round's bank holds some of the same questions."""
    if contest.practice_bank is not None:
        for warning in practice.practice_sharing_warnings(db.session(), contest.practice_bank):
            flash(warning, "warning")


@bp.route("/contests/new", methods=["GET", "POST"])
@staff_required(Right.CONTEST_EDIT)
def contest_new() -> ResponseReturnValue:
    form = ContestForm()
    form.body.set_bodies(body_choices(db.session(), current_access(), Right.CONTEST_EDIT))
    if not form.is_submitted():
        form.fill_chain(DEFAULT_RANKING_CHAIN)
    elif form.validate() and not _practice_refused(form, form.body.data or None, ""):
        settings = form.settings()
        try:
            contest = contests.create_contest(
                db.session(),
                slug=form.slug.data or "",
                status=form.status.data or "draft",
                body_id=form.body.data or None,
                actor=current_actor(),
                now=clock.now(),
                **settings,
            )
        except InvalidInput as error:
            db.session.rollback()
            show_problems(form, error, "slug", FIELD_ALIASES, per_field=True)
        else:
            db.session.commit()
            if contest.status == "draft":
                flash(
                    _(
                        "The contest %(title)s was created as a draft: participants do not see it until you publish "
                        "it (Contests, Publish).",
                        title=contest.title,
                    ),
                    "warning",
                )
            else:
                flash(_("The contest %(title)s was created.", title=contest.title), "success")
            _warn_if_practice_shares(contest)
            return redirect(url_for("organizer.round_new", slug=contest.slug))
    return _render(form)


@bp.route("/contests/<slug>/edit", methods=["GET", "POST"])
@staff_required(Right.CONTEST_EDIT)
def contest_edit(slug: str) -> ResponseReturnValue:
    contest = contests.find_contest(db.session(), slug)
    form = ContestForm()
    del form.body  # a contest stays in its body
    if not form.is_submitted():
        form.fill(contests.contest_settings(contest))
    elif form.validate() and not _practice_refused(
        form, contest.body_id, contest.practice_bank.name if contest.practice_bank else ""
    ):
        try:
            contests.update_contest(db.session(), contest, actor=current_actor(), now=clock.now(), **form.settings())
        except InvalidInput as error:
            db.session.rollback()
            show_problems(form, error, "title", FIELD_ALIASES, per_field=True)
        else:
            db.session.commit()
            flash(_("The contest %(title)s was saved.", title=contest.title), "success")
            _warn_if_practice_shares(contest)
            return redirect(url_for("organizer.contest_list"))
    return _render(form, contest)


@bp.post("/contests/<slug>/status")
@staff_required(Right.CONTEST_EDIT)
def contest_status(slug: str) -> ResponseReturnValue:
    contest = contests.find_contest(db.session(), slug)
    contests.set_status(db.session(), contest, request.form.get("status", ""), actor=current_actor(), now=clock.now())
    db.session.commit()
    flash(_("The status of %(title)s was changed.", title=contest.title), "success")
    return redirect(url_for("organizer.contest_list"))
