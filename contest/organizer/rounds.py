"""Rounds: creating and editing one, its page, the public board's freeze and visibility, prizes, closing it and
downloading its results."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from contest import clock
from contest.auth.permissions import current_actor
from contest.auth.scope import staff_required
from contest.downloads import xlsx_download
from contest.extensions import db
from contest.form_problems import problems, show_problems
from contest.models import Contest, QuestionBank, Round
from contest.organizer import bp, confirmation
from contest.organizer.forms import NEW_ROUND, PrizeForm, RoundForm
from contest.services.banks.questions import banks_with_counts
from contest.services.bodies.access import Right
from contest.services.console import contests, rounds
from contest.services.quiz import practice
from contest.services.quiz.round_pool import availability, pool_size
from contest.services.ranking import board_settings, leaderboard, prizes
from contest.services.ranking.results_export import write_results
from contest.services.results import drawing, publishing
from contest.services.results.closing import OutsideTables, close_round
from contest.services.shared.errors import InvalidInput

CLOSE_MESSAGE = _l(
    "The round ends now: attempts still open are finished with the answers saved so far, nobody can start again, "
    "the final ranking is computed with the prediction and the prizes are given."
)
CLOSE_AGAIN_MESSAGE = _l(
    "The final ranking and the prizes are computed again from the attempts as they are now (after a "
    "disqualification, for example); published certificates follow the new ranking."
)
ASKED_BOARD_ACTIONS = {
    "freeze": (
        _l("Freeze the public board?"),
        _l(
            "The public boards keep showing the standings of this moment until you unfreeze them; attempts still count."
        ),
    ),
    "hide": (
        _l("Hide the public board?"),
        _l("Visitors see no standings of this round until you show the board again; attempts still count."),
    ),
}
BankCounts = list[tuple[QuestionBank, list[str], dict[tuple[str, str], int]]]


def _render_form(
    form: RoundForm, banks: BankCounts, contest: Contest, round_: Round | None = None
) -> ResponseReturnValue:
    return render_template(
        "organizer/round_form.html",
        form=form,
        contest=contest,
        round=round_,
        banks=banks,
        picks=form.picks(),
        problems=problems(form),
    ), (400 if problems(form) else 200)


def _round_banks(contest: Contest) -> BankCounts:
    """The banks of the contest's body a round may draw from (not a practice bank, whose key anyone can see), with
    their questions whose right answers no round has shown yet (and, when the contest requires review, that a
    second person checked), by topic and difficulty: what a new round draws from."""
    shown = practice.practice_bank_ids(db.session())
    now = clock.now()
    return [
        (bank, topics, dict(availability(db.session(), bank, now, checked_only=contest.require_review).unrevealed))
        for bank, topics, _counts in banks_with_counts(db.session(), contest.body_id)
        if bank.id not in shown
    ]


def _round_form(banks: BankCounts) -> RoundForm:
    form = RoundForm()
    form.bank.choices = [SelectChoice(bank.name, bank.name) for bank, _topics, _counts in banks]
    return form


def _save(form: RoundForm, banks: BankCounts, contest: Contest, round_: Round | None) -> Round | None:
    """Create or update the round from the posted form; None (and the problems on the form) when refused."""
    bank_ids = {bank.name: bank.id for bank, _topics, _counts in banks}
    settings = form.settings(bank_ids)
    if form.has_problems():
        return None
    try:
        if round_ is None:
            return rounds.create_round(
                db.session(), contest=contest, actor=current_actor(), now=clock.now(), **settings
            )
        rounds.update_round(db.session(), round_, actor=current_actor(), now=clock.now(), **settings)
        return round_
    except InvalidInput as error:
        db.session.rollback()
        show_problems(form, error, "name", per_field=True)
        return None


def _warn_about_the_key(round_: Round) -> None:
    """A key participants could collect, or questions a practice bank shows with their answers."""
    if round_.key_collectable:
        flash(str(KEY_WARNING), "warning")
    if round_.bank is not None:
        for warning in practice.round_sharing_warnings(db.session(), round_.bank):
            flash(warning, "warning")
    for warning in rounds.draw_warnings(db.session(), round_, clock.now()):
        flash(warning, "warning")


KEY_WARNING = _l(
    "Warning: this round shows the right answers after each attempt and can be taken again, so a participant can "
    "collect the answers to the whole bank and score full marks on a later attempt. Limit the attempts to one, or "
    "show the right answers after the close."
)


@bp.route("/contests/<slug>/rounds/new", methods=["GET", "POST"])
@staff_required(Right.CONTEST_EDIT)
def round_new(slug: str) -> ResponseReturnValue:
    contest = contests.find_contest(db.session(), slug)
    banks = _round_banks(contest)
    form = _round_form(banks)
    if not form.is_submitted():
        form.process(data=NEW_ROUND)
    elif form.validate() and (round_ := _save(form, banks, contest, None)) is not None:
        db.session.commit()
        flash(_("The round %(name)s was created.", name=round_.name), "success")
        _warn_about_the_key(round_)
        return redirect(url_for("organizer.round_detail", round_id=round_.id))
    return _render_form(form, banks, contest)


@bp.route("/rounds/<int:round_id>/edit", methods=["GET", "POST"])
@staff_required(Right.CONTEST_EDIT)
def round_edit(round_id: int) -> ResponseReturnValue:
    round_ = rounds.find_round(db.session(), round_id)
    if request.method == "GET" and rounds.round_started(db.session(), round_):
        flash(_("Someone has already taken this round: its settings can no longer be changed."), "error")
        return redirect(url_for("organizer.round_detail", round_id=round_.id))
    banks = _round_banks(round_.contest)
    form = _round_form(banks)
    if not form.is_submitted():
        form.process(data=rounds.round_settings(round_))
        form.fill_picks(rounds.draw_picks(round_))
    elif form.validate() and _save(form, banks, round_.contest, round_) is not None:
        db.session.commit()
        flash(_("The round %(name)s was saved.", name=round_.name), "success")
        _warn_about_the_key(round_)
        return redirect(url_for("organizer.round_detail", round_id=round_.id))
    return _render_form(form, banks, round_.contest, round_)


@bp.get("/rounds/<int:round_id>")
@staff_required(Right.CONTESTS)
def round_detail(round_id: int) -> ResponseReturnValue:
    round_ = rounds.find_round(db.session(), round_id)
    top = leaderboard.with_full_names(
        db.session(), leaderboard.individual_page(db.session(), round_, limit=20, public=False)
    )
    return render_template(
        "organizer/round.html",
        round=round_,
        counts=rounds.round_counts(db.session(), round_),
        pool_size=pool_size(db.session(), round_),
        missing_documents=publishing.missing_document_fields(round_.contest) if round_.finalized_at else [],
        certificate_progress=drawing.progress(db.session(), round_) if round_.results_published_at else None,
        max_failures=drawing.MAX_FAILURES,
        top=top,
        places=rounds.table_places(db.session(), round_, [entry["user_id"] for entry in top.entries]),
        state=round_.state(clock.now()),
        prize_names=prizes.PRIZE_NAMES_VI,
        prize_form=PrizeForm.of_plan(round_.prize_plan),
        key_warning=KEY_WARNING,
        board_questions={action: f"{title} {message}" for action, (title, message) in ASKED_BOARD_ACTIONS.items()},
        close_question=CLOSE_AGAIN_MESSAGE if round_.finalized_at else CLOSE_MESSAGE,
    )


@bp.post("/rounds/<int:round_id>/board")
@staff_required(Right.CONTEST_EDIT)
def round_board(round_id: int) -> ResponseReturnValue:
    round_ = rounds.find_round(db.session(), round_id)
    action = request.form.get("action")
    if action in ASKED_BOARD_ACTIONS and not confirmation.confirmed():
        title, message = ASKED_BOARD_ACTIONS[action]
        return confirmation.ask(str(title), str(message), back=url_for("organizer.round_detail", round_id=round_id))
    if action in ("freeze", "unfreeze"):
        board_settings.set_board_frozen(
            db.session(), round_, action == "freeze", actor=current_actor(), now=clock.now()
        )
    elif action in ("hide", "show"):
        board_settings.set_board_hidden(db.session(), round_, action == "hide", actor=current_actor(), now=clock.now())
    else:
        abort(400)
    db.session.commit()
    flash(_("The public board was updated."), "success")
    return redirect(url_for("organizer.round_detail", round_id=round_id))


@bp.post("/rounds/<int:round_id>/prizes")
@staff_required(Right.CONTEST_EDIT)
def round_prizes(round_id: int) -> ResponseReturnValue:
    round_ = rounds.find_round(db.session(), round_id)
    form = PrizeForm()
    try:
        if not form.validate_on_submit():
            abort(400)
        prizes.set_prize_plan(db.session(), round_, form.plan(), actor=current_actor(), now=clock.now())
    except InvalidInput as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("organizer.round_detail", round_id=round_id))
    db.session.commit()
    flash(_("The prizes were saved; they are given when the round is closed."), "success")
    return redirect(url_for("organizer.round_detail", round_id=round_id))


@bp.post("/rounds/<int:round_id>/close")
@staff_required(Right.CONTEST_EDIT)
def round_close(round_id: int) -> ResponseReturnValue:
    round_ = rounds.find_round(db.session(), round_id)
    if not confirmation.confirmed():
        again = round_.finalized_at is not None
        return confirmation.ask(
            _("Compute the ranking of %(name)s again?", name=round_.name)
            if again
            else _("Close %(name)s now?", name=round_.name),
            str(CLOSE_AGAIN_MESSAGE if again else CLOSE_MESSAGE),
            back=url_for("organizer.round_detail", round_id=round_id),
        )
    try:
        ranked = close_round(
            db.session(),
            round_,
            actor=current_actor(),
            now=clock.now(),
            outside_tables_ok=request.form.get("outside_tables") == "1",
        )
    except OutsideTables as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("organizer.round_detail", round_id=round_id) + "#close-title")
    db.session.commit()
    flash(_("The round is closed: %(count)d participants ranked.", count=len(ranked)), "success")
    return redirect(url_for("organizer.round_detail", round_id=round_id))


@bp.get("/rounds/<int:round_id>/results.xlsx")
@staff_required(Right.CONTESTS)
def round_results(round_id: int) -> ResponseReturnValue:
    round_ = rounds.find_round(db.session(), round_id)
    if round_.finalized_at is None:
        abort(409)
    response = xlsx_download(
        lambda target: write_results(db.session(), round_, target, actor=current_actor(), now=clock.now()),
        f"ket-qua-dot-{round_.id}.xlsx",
    )
    db.session.commit()  # the download is in the audit log
    return response
