"""GUS: the leader books one group meeting for several employees, writes notes every
participant reads and marks it held once; an employee's request for an individual MUS
becomes that conversation in one step."""

from __future__ import annotations

from datetime import datetime, time

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from devtrack.audit.services import log_read_of_other
from devtrack.conversations.blueprint import blueprint
from devtrack.conversations.forms import GroupBookingForm, GroupNotesForm
from devtrack.conversations.models import ConversationRound, GroupSession, RoundKind
from devtrack.conversations.permissions import (
    can_lead_group,
    can_view_group,
    is_conversation_leader,
)
from devtrack.conversations.services import (
    book_group,
    create_individual,
    group_for_page,
    groupable,
    mark_group_held,
    save_group_notes,
)
from devtrack.conversations.views.loading import load
from devtrack.extensions import db
from devtrack.forms import ActionForm, required_day
from devtrack.i18n import DANISH_TIME
from devtrack.permissions import get_or_404


@blueprint.route("/runder/<int:round_id>/gruppe", methods=["GET", "POST"])
@login_required
def group_new(round_id: int) -> str | Response:
    found = db.session.get(ConversationRound, round_id)
    candidates = groupable(current_user, found) if found is not None else []
    if found is None or found.kind != RoundKind.GUS or not candidates:
        abort(404)
    form = GroupBookingForm()
    form.participants.choices = [(str(conv.id), conv.employee.name) for conv in candidates]
    if not form.is_submitted():
        form.participants.data = [str(conv.id) for conv in candidates if not conv.group_session]
    elif form.validate_on_submit():
        chosen = [conv for conv in candidates if str(conv.id) in (form.participants.data or [])]
        if not chosen:
            form.participants.errors.append(_("Vælg mindst én deltager."))
        else:
            hour, minute = (int(part) for part in form.time.data.replace(".", ":").split(":"))
            when = datetime.combine(required_day(form.day), time(hour, minute), DANISH_TIME)
            group = book_group(found, current_user, chosen, when, (form.place.data or "").strip())
            db.session.commit()
            flash(_("Gruppesamtalen er booket for alle deltagerne."), "success")
            return redirect(url_for("conversations.group", group_id=group.id))
    return render_template("conversations/group_new.html", round=found, form=form)


def _group(group_id: int, need: object = can_view_group) -> GroupSession:
    shown = group_for_page(group_id)
    found = get_or_404(
        GroupSession,
        group_id,
        need,  # type: ignore[arg-type]
        subject=lambda group: group.leader or current_user,
    )
    return shown or found


@blueprint.route("/gruppe/<int:group_id>")
@login_required
def group(group_id: int) -> str:
    found = _group(group_id)
    leads = can_lead_group(current_user, found)
    if leads:
        for conversation in found.conversations:
            log_read_of_other(conversation.employee, "group_session", found.id)
    return render_template(
        "conversations/group.html",
        group=found,
        leads=leads,
        notes_form=GroupNotesForm(formdata=None, notes=found.notes),
    )


@blueprint.route("/gruppe/<int:group_id>/noter", methods=["POST"])
@login_required
def group_notes(group_id: int) -> str | Response:
    found = _group(group_id, can_lead_group)
    form = GroupNotesForm()
    if form.validate_on_submit():
        save_group_notes(found, (form.notes.data or "").strip())
        db.session.commit()
        flash(_("Noterne er gemt. Alle deltagere kan læse dem."), "success")
        return redirect(url_for("conversations.group", group_id=found.id))
    return render_template(
        "conversations/group.html",
        group=found,
        leads=True,
        notes_form=form,
    )


@blueprint.route("/gruppe/<int:group_id>/afholdt", methods=["POST"])
@login_required
def group_held(group_id: int) -> Response:
    found = _group(group_id, can_lead_group)
    if ActionForm().validate_on_submit():
        mark_group_held(found)
        db.session.commit()
        flash(_("Gruppesamtalen er markeret som afholdt. Skriv nu hver deltagers plan."), "success")
    return redirect(url_for("conversations.group", group_id=found.id))


@blueprint.route("/<int:conversation_id>/individuel/opret", methods=["POST"])
@login_required
def individual_create(conversation_id: int) -> Response:
    conversation = load(conversation_id, is_conversation_leader)
    if conversation.individual_requested_at is None:
        abort(404)
    if ActionForm().validate_on_submit():
        individual = create_individual(conversation, current_user)
        db.session.commit()
        flash(_("Den individuelle MUS er oprettet. Book en tid."), "success")
        return redirect(url_for("conversations.detail", conversation_id=individual.id))
    return redirect(url_for("conversations.detail", conversation_id=conversation.id))
