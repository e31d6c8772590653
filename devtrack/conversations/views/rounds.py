"""HR's rounds: create one for some units, open it (invite), follow it, move its deadline."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from devtrack.conversation_templates.services import all_templates
from devtrack.conversations.blueprint import blueprint
from devtrack.conversations.forms import DeadlineForm, ExtendRoundForm, RoundForm
from devtrack.conversations.labels import ROUND_KINDS
from devtrack.conversations.models import ConversationRound, RoundKind
from devtrack.conversations.reminders import invitations
from devtrack.conversations.services import (
    add_units,
    all_rounds,
    create_round,
    in_other_open_round,
    move_deadline,
    open_round,
    round_people,
    round_progress,
)
from devtrack.extensions import db
from devtrack.forms import ActionForm, required_day
from devtrack.grundlag.links import version_for_choices
from devtrack.i18n import today_in_denmark
from devtrack.people.services import units_as_tree
from devtrack.permissions import is_hr, require


@blueprint.route("/runder/")
@require(is_hr)
def rounds() -> str:
    return render_template("conversations/rounds.html", rounds=all_rounds())


@blueprint.route("/runder/ny", methods=["GET", "POST"])
@require(is_hr)
def round_new() -> str | Response:
    form = RoundForm()
    form.kind.choices = [(kind.value, str(label)) for kind, label in ROUND_KINDS.items()]
    tree = units_as_tree()
    form.units.choices = [(str(unit.id), unit.name) for unit, _depth in tree]
    templates = all_templates()
    form.template.choices = [("", _("Standardskabelonen for den valgte slags samtale"))] + [
        (
            str(template.id),
            f"{ROUND_KINDS[RoundKind(template.kind.value)]}: {template.latest.title}"
            + (f" ({_('standard')})" if template.is_default else ""),
        )
        for template in templates
    ]
    version = version_for_choices()
    if form.validate_on_submit():
        kind = RoundKind(form.kind.data)
        chosen_template = next(
            (template for template in templates if str(template.id) == form.template.data), None
        )
        known = {str(unit.id) for unit, _depth in tree}
        chosen = [int(value) for value in form.units.data or [] if value in known]
        if version is None:
            form.kind.errors.append(_("Organisationen har endnu ikke et grundlag i brug."))
        elif not chosen:
            form.units.errors.append(_("Vælg mindst én enhed."))
        elif chosen_template is not None and chosen_template.kind.value != kind.value:
            form.template.errors.append(
                _(
                    "Skabelonen er til %(template_kind)s; vælg en skabelon til %(kind)s.",
                    template_kind=ROUND_KINDS[RoundKind(chosen_template.kind.value)],
                    kind=ROUND_KINDS[kind],
                )
            )
        else:
            new_round = create_round(
                template=chosen_template.latest if chosen_template else None,
                kind=kind,
                title=form.title.data.strip(),
                deadline=required_day(form.deadline),
                unit_ids=chosen,
                version=version,
                creator=current_user,
            )
            db.session.commit()
            flash(_("Runden er oprettet. Åbn den, når I er klar."), "success")
            return redirect(url_for("conversations.round_detail", round_id=new_round.id))
    return render_template("conversations/round_new.html", form=form, tree=tree)


def _round_or_404(round_id: int) -> ConversationRound:
    found = db.session.get(ConversationRound, round_id)
    if found is None:
        abort(404)
    return found


@blueprint.route("/runder/<int:round_id>")
@require(is_hr)
def round_detail(round_id: int) -> str:
    found = _round_or_404(round_id)
    return _render_round(found, DeadlineForm(formdata=None, deadline=found.deadline))


def _render_round(found: ConversationRound, deadline_form: DeadlineForm) -> str:
    today = today_in_denmark()
    return render_template(
        "conversations/round_detail.html",
        round=found,
        progress=round_progress(found, today),
        people=round_people(found),
        doubles=in_other_open_round(found),
        today=today,
        deadline_form=deadline_form,
    )


@blueprint.route("/runder/<int:round_id>/aabn", methods=["POST"])
@require(is_hr)
def round_open(round_id: int) -> Response:
    found = _round_or_404(round_id)
    if ActionForm().validate_on_submit():
        _invite(found)
    return redirect(url_for("conversations.round_detail", round_id=found.id))


def _invite(found: ConversationRound) -> None:
    """Invite whoever is new in the round's units, and say who was left out and why."""
    doubles = in_other_open_round(found, not_yet_invited=True)
    created = open_round(found)
    invitations(found)
    db.session.commit()
    flash(
        ngettext("%(num)d ny samtale er oprettet.", "%(num)d nye samtaler er oprettet.", created),
        "success",
    )
    if doubles:
        flash(
            _(
                "Bemærk: disse er nu også med i en anden åben runde af samme slags"
                " (%(kind)s): %(names)s.",
                kind=ROUND_KINDS[found.kind],
                names=", ".join(person.name for person in doubles),
            ),
            "warning",
        )


@blueprint.route("/runder/<int:round_id>/enheder", methods=["GET", "POST"])
@require(is_hr)
def round_extend(round_id: int) -> str | Response:
    found = _round_or_404(round_id)
    form = ExtendRoundForm()
    tree = units_as_tree()
    present = {unit.unit_id for unit in found.units}
    form.units.choices = [(str(unit.id), unit.name) for unit, _depth in tree]
    if form.validate_on_submit():
        known = {str(unit.id) for unit, _depth in tree if unit.id not in present}
        chosen = [int(value) for value in form.units.data or [] if value in known]
        if not chosen:
            form.units.errors.append(_("Vælg mindst én enhed."))
        else:
            add_units(found, chosen)
            if found.opened_at is None:
                db.session.commit()
                flash(_("Enhederne er tilføjet runden."), "success")
            else:
                _invite(found)
            return redirect(url_for("conversations.round_detail", round_id=found.id))
    return render_template(
        "conversations/round_extend.html", round=found, form=form, tree=tree, exclude=present
    )


@blueprint.route("/runder/<int:round_id>/frist", methods=["POST"])
@require(is_hr)
def round_deadline(round_id: int) -> str | Response:
    found = _round_or_404(round_id)
    form = DeadlineForm()
    if form.validate_on_submit():
        move_deadline(found, required_day(form.deadline))
        db.session.commit()
        flash(_("Fristen er ændret."), "success")
        return redirect(url_for("conversations.round_detail", round_id=found.id))
    return _render_round(found, form)
