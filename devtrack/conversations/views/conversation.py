"""One conversation: the employee's list, the conversation's page, booking, each side's
preparation, marking it held, and asking for an individual MUS after a GUS."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from devtrack.audit.services import log_read_of_other
from devtrack.conversation_templates.models import Panel
from devtrack.conversations.blueprint import blueprint
from devtrack.conversations.forms import (
    TOPIC_SLOTS,
    BookingForm,
    PreparationBase,
    answer_field,
    note_field,
    note_version_field,
    notes_form,
    preparation_form,
)
from devtrack.conversations.models import Conversation, Preparation, PreparationRole, RoundKind
from devtrack.conversations.permissions import (
    is_conversation_employee,
    is_conversation_leader,
    may_read_private_preparation,
)
from devtrack.conversations.services import (
    NotBooked,
    StaleEdit,
    book,
    cancel_booking,
    conversation_for_page,
    conversations_of,
    mark_held,
    preparation_material,
    request_individual,
    save_notes,
    save_preparation,
    side_by_side,
    side_of,
)
from devtrack.conversations.views.loading import groups_for, load, load_with_previous, role_of
from devtrack.extensions import db
from devtrack.forms import ActionForm, required_day, seen_version
from devtrack.goals.models import Goal
from devtrack.grundlag.links import (
    ChoiceGroup,
    GrundlagChoiceError,
    resolve_choice,
    version_for_choices,
)
from devtrack.grundlag.models import GrundlagChoice
from devtrack.i18n import DANISH_TIME, today_in_denmark


@blueprint.route("/")
@login_required
def mine() -> str:
    return render_template(
        "conversations/mine.html",
        conversations=conversations_of(current_user),
        today=today_in_denmark(),
    )


@blueprint.route("/<int:conversation_id>")
@login_required
def detail(conversation_id: int) -> str:
    conversation, previous = load_with_previous(conversation_id)
    log_read_of_other(conversation.employee, "conversation", conversation.id)
    page = render_template(
        "conversations/detail.html",
        conversation=conversation,
        role=role_of(conversation),
        sections=side_by_side(conversation, role_of(conversation), current_user),
        previous=previous,
        today=today_in_denmark(),
    )
    return page


@blueprint.route("/<int:conversation_id>/book", methods=["GET", "POST"])
@login_required
def book_time(conversation_id: int) -> str | Response:
    conversation = load(conversation_id, is_conversation_leader)
    if conversation.held_at is not None:
        flash(_("Samtalen er holdt, så tiden kan ikke ændres."), "info")
        return redirect(url_for("conversations.detail", conversation_id=conversation.id))
    form = BookingForm()
    if not form.is_submitted() and conversation.booked_for is not None:
        local = conversation.booked_for.astimezone(DANISH_TIME)
        form.day.data, form.time.data = local.date(), local.strftime("%H:%M")
        form.place.data = conversation.place
    elif form.validate_on_submit():
        hour, minute = (int(part) for part in form.time.data.replace(".", ":").split(":"))
        when = datetime.combine(required_day(form.day), time(hour, minute), tzinfo=DANISH_TIME)
        book(conversation, when, (form.place.data or "").strip(), current_user)
        db.session.commit()
        flash(_("Samtalen er booket."), "success")
        return redirect(url_for("conversations.detail", conversation_id=conversation.id))
    return render_template("conversations/book.html", conversation=conversation, form=form)


def _topic_choices(groups: list[ChoiceGroup]) -> list[tuple[str, str]]:
    """Every element and its statements, written out whole; an element whose name recurs in
    another part is named with its part."""
    names = Counter(element.title.lower() for group in groups for element in group.elements)
    choices = [("", _("Vælg et element"))]
    for group in groups:
        for element in group.elements:
            title = element.title
            if names[title.lower()] > 1:
                title = f"{title} ({group.part.title})"
            choices.append((f"e{element.element_id}", title))
            choices += [
                (f"s{statement.statement_id}", f"{title}: {statement.text}")
                for statement in element.statements
            ]
    return choices


def _answers(
    form: PreparationBase, conversation: Conversation, role: PreparationRole
) -> dict[str, str]:
    side = side_of(role)
    return {
        question.key: form[answer_field(question.key)].data or ""
        for question in conversation.template.questions()
        if question.asks(side)
    }


@blueprint.route("/<int:conversation_id>/forberedelse", methods=["GET", "POST"])
@login_required
def prepare(conversation_id: int) -> str | Response:
    conversation = load(conversation_id)
    role = role_of(conversation)
    existing = conversation.preparation_by(role)
    # A former leader's preparation is theirs alone: the new leader starts from what it shared.
    readable = existing is None or may_read_private_preparation(current_user, existing)
    side = side_of(role)
    form = preparation_form(conversation.template, side)
    form.side.data = side.value
    choices = _topic_choices(groups_for(conversation))
    for entry in form.topics:
        entry.form.about.choices = choices
    material = preparation_material(conversation, role)
    conflict = False
    if not form.is_submitted():
        _fill_preparation(form, conversation, existing, material.goals, private=readable)
        log_read_of_other(conversation.employee, "preparation", conversation.id)
    elif form.validate_on_submit() and (topics := _chosen_topics(form)) is not None:
        submit = "submit" in request.form
        try:
            save_preparation(
                conversation,
                role,
                current_user,
                _answers(form, conversation, role),
                topics if conversation.template.has_panel(Panel.TOPICS) else [],
                seen_version=seen_version(form.version.data),
                submit=submit,
            )
            db.session.commit()
        except (StaleEdit, StaleDataError):
            db.session.rollback()
            conflict = True
            fresh = conversation_for_page(conversation.id)
            saved = fresh.preparation_by(role) if fresh else None
            form.version.data = str(saved.version) if saved else ""
        else:
            flash(
                _("Din forberedelse er gemt og markeret som færdig.")
                if submit
                else _("Kladden er gemt."),
                "success",
            )
            return redirect(url_for("conversations.prepare", conversation_id=conversation.id))
    return render_template(
        "conversations/prepare.html",
        conversation=conversation,
        role=role,
        side=side,
        form=form,
        preparation=existing if readable else None,
        goals=material.goals,
        feedback=material.feedback,
        conflict=conflict,
    )


def _fill_preparation(
    form: PreparationBase,
    conversation: Conversation,
    existing: Preparation | None,
    goals: list[Goal],
    *,
    private: bool,
) -> None:
    if existing is not None and not private:
        # Only the answers the former leader shared; the rest stays theirs.
        for question in conversation.template.questions():
            if answer_field(question.key) in form and question.leader_shares:
                form[answer_field(question.key)].data = existing.answer(question.key)
        form.version.data = str(existing.version)
        pairs = []
    elif existing is not None:
        for question in conversation.template.questions():
            if answer_field(question.key) in form:
                form[answer_field(question.key)].data = existing.answer(question.key)
        form.version.data = str(existing.version)
        pairs = [(topic.reference_key, topic.text) for topic in existing.topics]
    else:
        # Start from the person's open goals: what they work on is what they may want to discuss.
        pairs = [
            (goal.links[0].reference_key, goal.title)
            for goal in goals
            if goal.is_open and goal.links
        ]
    for entry, (value, text) in zip(form.topics, pairs[:TOPIC_SLOTS], strict=False):
        entry.form.about.data = value
        entry.form.text.data = text


def _chosen_topics(form: PreparationBase) -> list[tuple[GrundlagChoice, str]] | None:
    version = version_for_choices()
    topics: list[tuple[GrundlagChoice, str]] = []
    problem = False
    for entry in form.topics:
        value = entry.form.about.data or ""
        text = (entry.form.text.data or "").strip()
        if not value:
            if text:
                entry.form.about.errors.append(_("Vælg det element, teksten handler om."))
                problem = True
            continue
        try:
            topics.append((resolve_choice(value, version), text))
        except GrundlagChoiceError as error:
            entry.form.about.errors.append(str(error))
            problem = True
    return None if problem else topics


@blueprint.route("/<int:conversation_id>/book/aflys", methods=["POST"])
@login_required
def cancel_time(conversation_id: int) -> Response:
    conversation = load(conversation_id, is_conversation_leader)
    if ActionForm().validate_on_submit():
        try:
            cancel_booking(conversation, current_user)
        except NotBooked:
            flash(_("Der er ingen booket tid at aflyse."), "info")
        else:
            db.session.commit()
            flash(_("Tiden er aflyst. Begge har fået en aflysning til kalenderen."), "success")
    return redirect(url_for("conversations.detail", conversation_id=conversation.id))


@blueprint.route("/<int:conversation_id>/afholdt", methods=["POST"])
@login_required
def held(conversation_id: int) -> Response:
    conversation = load(conversation_id, is_conversation_leader)
    if ActionForm().validate_on_submit():
        mark_held(conversation)
        db.session.commit()
        flash(_("Samtalen er markeret som afholdt. Skriv nu planen sammen."), "success")
    return redirect(url_for("conversations.plan", conversation_id=conversation.id))


@blueprint.route("/<int:conversation_id>/individuel", methods=["POST"])
@login_required
def individual(conversation_id: int) -> Response:
    conversation = load(conversation_id, is_conversation_employee)
    if conversation.round.kind != RoundKind.GUS:
        abort(404)
    if ActionForm().validate_on_submit():
        request_individual(conversation)
        db.session.commit()
        flash(_("Din leder kan se, at du ønsker en individuel MUS."), "success")
    return redirect(url_for("conversations.detail", conversation_id=conversation.id))


@blueprint.route("/<int:conversation_id>/noter", methods=["GET", "POST"])
@login_required
def notes(conversation_id: int) -> str | Response:
    """Notes per section of the template, written during the conversation; with the plan,
    they are the minutes. Both sides see and may write them."""
    conversation = load(conversation_id)
    sections = conversation.template.sections
    form = notes_form(conversation.template)
    conflict = False
    if not form.is_submitted():
        for section in sections:
            note = conversation.note_for(section.key)
            form[note_field(section.key)].data = note.text if note else ""
            form[note_version_field(section.key)].data = str(note.version) if note else ""
        log_read_of_other(conversation.employee, "conversation_notes", conversation.id)
    elif form.validate_on_submit():
        texts = {section.key: form[note_field(section.key)].data or "" for section in sections}
        seen = {
            section.key: seen_version(form[note_version_field(section.key)].data)
            for section in sections
        }
        try:
            save_notes(conversation, texts, seen)
            db.session.commit()
        except (StaleEdit, StaleDataError):
            db.session.rollback()
            conflict = True
            fresh = conversation_for_page(conversation.id)
            for section in sections:
                note = fresh.note_for(section.key) if fresh else None
                form[note_version_field(section.key)].data = str(note.version) if note else ""
        else:
            flash(_("Noterne er gemt."), "success")
            return redirect(url_for("conversations.notes", conversation_id=conversation.id))
    return render_template(
        "conversations/notes.html",
        conversation=conversation,
        role=role_of(conversation),
        form=form,
        conflict=conflict,
    )
