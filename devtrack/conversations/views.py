from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from devtrack.audit.services import log_read_of_other
from devtrack.conversations.blueprint import blueprint, team_blueprint
from devtrack.conversations.forms import (
    TOPIC_SLOTS,
    AcknowledgeForm,
    AgreementForm,
    BookingForm,
    DeadlineForm,
    FollowUpForm,
    PreparationForm,
    RoundForm,
)
from devtrack.conversations.labels import (
    AGREEMENT_STATUSES,
    DEVELOPMENT_KINDS,
    HELPERS,
    ROUND_KINDS,
)
from devtrack.conversations.models import (
    Agreement,
    AgreementStatus,
    Conversation,
    ConversationRound,
    DevelopmentKind,
    PreparationRole,
    RoundKind,
)
from devtrack.conversations.services import (
    AgreementText,
    PreparationAnswers,
    StaleEdit,
    acknowledge,
    add_agreement,
    book,
    conversation_for_page,
    conversations_of,
    create_round,
    mark_held,
    open_round,
    plan_of,
    previous_conversation,
    record_follow_up,
    remove_agreement,
    request_individual,
    round_people,
    round_progress,
    save_preparation,
    team_overview,
    update_agreement,
)
from devtrack.extensions import db
from devtrack.feedback.services import received_by
from devtrack.forms import ActionForm, seen_version
from devtrack.goals.services import goals_of
from devtrack.grundlag.links import (
    ChoiceGroup,
    GrundlagChoiceError,
    choice_groups,
    resolve_choice,
    version_for_choices,
)
from devtrack.grundlag.models import Audience, GrundlagChoice
from devtrack.i18n import today_in_denmark
from devtrack.pagecache.cache import personal_page
from devtrack.people.collation import danish_sort_key
from devtrack.people.services import units_as_tree
from devtrack.permissions import (
    can_view_conversation,
    direct_reports,
    get_or_404,
    is_conversation_employee,
    is_conversation_leader,
    is_hr,
    require,
)

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


@blueprint.app_context_processor
def conversation_helpers() -> dict[str, Any]:
    return HELPERS


# --- HR: rounds ---------------------------------------------------------------------------


@blueprint.route("/runder/")
@require(is_hr)
def rounds() -> str:
    found = db.session.scalars(
        select(ConversationRound).order_by(ConversationRound.created_at.desc())
    ).all()
    return render_template("conversations/rounds.html", rounds=found)


@blueprint.route("/runder/ny", methods=["GET", "POST"])
@require(is_hr)
def round_new() -> str | Response:
    form = RoundForm()
    form.kind.choices = [(kind.value, str(label)) for kind, label in ROUND_KINDS.items()]
    tree = units_as_tree()
    form.units.choices = [(str(unit.id), unit.name) for unit, _depth in tree]
    version = version_for_choices()
    if form.validate_on_submit():
        known = {str(unit.id) for unit, _depth in tree}
        chosen = [int(value) for value in form.units.data or [] if value in known]
        if version is None:
            form.kind.errors.append(_("Organisationen har endnu ikke et grundlag i brug."))
        elif form.deadline.data is None or form.deadline.data < today_in_denmark():
            form.deadline.errors.append(_("Fristen ligger i fortiden."))
        elif not chosen:
            form.units.errors.append(_("Vælg mindst én enhed."))
        else:
            new_round = create_round(
                kind=RoundKind(form.kind.data),
                title=form.title.data.strip(),
                deadline=form.deadline.data,
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
        today=today,
        action_form=ActionForm(),
        deadline_form=deadline_form,
    )


@blueprint.route("/runder/<int:round_id>/aabn", methods=["POST"])
@require(is_hr)
def round_open(round_id: int) -> Response:
    found = _round_or_404(round_id)
    if ActionForm().validate_on_submit():
        created = open_round(found)
        db.session.commit()
        flash(
            ngettext(
                "%(num)d ny samtale er oprettet.", "%(num)d nye samtaler er oprettet.", created
            ),
            "success",
        )
    return redirect(url_for("conversations.round_detail", round_id=found.id))


@blueprint.route("/runder/<int:round_id>/frist", methods=["POST"])
@require(is_hr)
def round_deadline(round_id: int) -> str | Response:
    found = _round_or_404(round_id)
    form = DeadlineForm()
    if form.validate_on_submit():
        deadline = form.deadline.data
        if deadline is None or deadline < today_in_denmark():
            form.deadline.errors.append(_("Fristen ligger i fortiden."))
        else:
            found.deadline = deadline
            db.session.commit()
            flash(_("Fristen er ændret."), "success")
            return redirect(url_for("conversations.round_detail", round_id=found.id))
    return _render_round(found, form)


# --- The employee's and the leader's conversation ---------------------------------------


@team_blueprint.route("/mine-medarbejdere")
@login_required
@personal_page
def overview() -> str:
    reports = sorted(direct_reports(current_user), key=lambda person: danish_sort_key(person.name))
    return render_template(
        "conversations/team.html", members=team_overview(reports), today=today_in_denmark()
    )


@blueprint.route("/")
@login_required
@personal_page
def mine() -> str:
    return render_template(
        "conversations/mine.html",
        conversations=conversations_of(current_user),
        today=today_in_denmark(),
    )


def _load(conversation_id: int, need: Any = can_view_conversation) -> Conversation:
    found = get_or_404(Conversation, conversation_id, need, subject=lambda conv: conv.employee)
    conversation = conversation_for_page(found.id)
    if conversation is None:  # pragma: no cover  (just fetched)
        abort(404)
    return conversation


def _role(conversation: Conversation) -> PreparationRole:
    if is_conversation_employee(current_user, conversation):
        return PreparationRole.EMPLOYEE
    return PreparationRole.LEADER


@blueprint.route("/<int:conversation_id>")
@login_required
def detail(conversation_id: int) -> str:
    conversation = _load(conversation_id)
    log_read_of_other(conversation.employee, "conversation", conversation.id)
    page = render_template(
        "conversations/detail.html",
        conversation=conversation,
        role=_role(conversation),
        previous=previous_conversation(conversation),
        today=today_in_denmark(),
        action_form=ActionForm(),
    )
    db.session.commit()  # after rendering: committing expires what the page eagerly loaded
    return page


@blueprint.route("/<int:conversation_id>/book", methods=["GET", "POST"])
@login_required
def book_time(conversation_id: int) -> str | Response:
    conversation = _load(conversation_id, is_conversation_leader)
    form = BookingForm()
    if not form.is_submitted() and conversation.booked_for is not None:
        local = conversation.booked_for.astimezone(COPENHAGEN)
        form.day.data, form.time.data = local.date(), local.strftime("%H:%M")
        form.place.data = conversation.place
    elif form.validate_on_submit():
        hour, minute = (int(part) for part in form.time.data.replace(".", ":").split(":"))
        day = form.day.data
        if day is None or day < today_in_denmark():
            form.day.errors.append(_("Datoen ligger i fortiden."))
        else:
            when = datetime.combine(day, time(hour, minute), tzinfo=COPENHAGEN)
            book(conversation, when, (form.place.data or "").strip())
            db.session.commit()
            flash(_("Samtalen er booket."), "success")
            return redirect(url_for("conversations.detail", conversation_id=conversation.id))
    return render_template("conversations/book.html", conversation=conversation, form=form)


def _groups_for(conversation: Conversation) -> list[ChoiceGroup]:
    """The grundlag to choose from; a LUS is about the leadership part."""
    groups = choice_groups(version_for_choices())
    if conversation.round.kind == RoundKind.LUS:
        leadership = [group for group in groups if group.part.audience == Audience.LEADERS]
        return leadership or groups
    return groups


def _topic_choices(groups: Any) -> list[tuple[str, str]]:
    choices = [("", _("Vælg et element"))]
    for group in groups:
        for element in group.elements:
            choices.append((f"e{element.element_id}", element.title))
            choices += [
                (f"s{statement.statement_id}", f"{element.title}: {statement.text[:80]}")
                for statement in element.statements
            ]
    return choices


@blueprint.route("/<int:conversation_id>/forberedelse", methods=["GET", "POST"])
@login_required
def prepare(conversation_id: int) -> str | Response:
    conversation = _load(conversation_id)
    role = _role(conversation)
    existing = conversation.preparation_by(role)
    form = PreparationForm()
    groups = _groups_for(conversation)
    choices = _topic_choices(groups)
    for entry in form.topics:
        entry.form.about.choices = choices
    since = previous_conversation(conversation)
    goals = goals_of(conversation.employee) if role == PreparationRole.EMPLOYEE else []
    feedback = received_by(conversation.employee, limit=30)
    if role == PreparationRole.LEADER:
        feedback = [item for item in feedback if item.leader_may_see]
    if since is not None and since.held_at is not None:
        feedback = [item for item in feedback if item.created_at >= since.held_at]
    conflict = False
    if not form.is_submitted():
        _fill_preparation(form, existing, goals)
        log_read_of_other(conversation.employee, "preparation", conversation.id)
        db.session.commit()
    elif form.validate_on_submit():
        topics = _chosen_topics(form)
        if topics is not None:
            try:
                save_preparation(
                    conversation,
                    role,
                    current_user,
                    PreparationAnswers(
                        looking_back=form.looking_back.data or "",
                        now=form.now.data or "",
                        ahead=form.ahead.data or "",
                        wellbeing=form.wellbeing.data or "",
                        cooperation=form.cooperation.data or "",
                        shared_notes=(form.shared_notes.data or "")
                        if role == PreparationRole.LEADER
                        else "",
                    ),
                    topics,
                    seen_version=seen_version(form.version.data),
                    submit="submit" in request.form,
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
                    if "submit" in request.form
                    else _("Kladden er gemt."),
                    "success",
                )
                return redirect(url_for("conversations.prepare", conversation_id=conversation.id))
    return render_template(
        "conversations/prepare.html",
        conversation=conversation,
        role=role,
        form=form,
        preparation=existing,
        goals=goals,
        feedback=feedback,
        conflict=conflict,
    )


def _fill_preparation(form: PreparationForm, existing: Any, goals: list[Any]) -> None:
    if existing is not None:
        for name in ("looking_back", "now", "ahead", "wellbeing", "cooperation", "shared_notes"):
            form[name].data = getattr(existing, name)
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


def _chosen_topics(form: PreparationForm) -> list[tuple[GrundlagChoice, str]] | None:
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


@blueprint.route("/<int:conversation_id>/afholdt", methods=["POST"])
@login_required
def held(conversation_id: int) -> Response:
    conversation = _load(conversation_id, is_conversation_leader)
    if ActionForm().validate_on_submit():
        mark_held(conversation)
        db.session.commit()
        flash(_("Samtalen er markeret som afholdt. Skriv nu planen sammen."), "success")
    return redirect(url_for("conversations.plan", conversation_id=conversation.id))


@blueprint.route("/<int:conversation_id>/individuel", methods=["POST"])
@login_required
def individual(conversation_id: int) -> Response:
    conversation = _load(conversation_id, is_conversation_employee)
    if conversation.round.kind != RoundKind.GUS:
        abort(404)
    if ActionForm().validate_on_submit():
        request_individual(conversation)
        db.session.commit()
        flash(_("Din leder kan se, at du ønsker en individuel MUS."), "success")
    return redirect(url_for("conversations.detail", conversation_id=conversation.id))


# --- The agreed plan ----------------------------------------------------------------------


def _agreement_form(agreement: Agreement | None = None, **kwargs: Any) -> AgreementForm:
    form = AgreementForm(**kwargs)
    form.kind.choices = [(kind.value, str(label)) for kind, label in DEVELOPMENT_KINDS.items()]
    if agreement is not None and not form.is_submitted():
        form.what.data = agreement.what
        form.kind.data = agreement.kind.value
        form.links.data = [link.reference_key for link in agreement.links]
        form.who_does_what.data = agreement.who_does_what
        form.deadline.data = agreement.deadline
        form.success.data = agreement.success
        form.version.data = str(agreement.version)
    return form


def _agreement_text(form: AgreementForm) -> AgreementText:
    return AgreementText(
        what=form.what.data.strip(),
        kind=DevelopmentKind(form.kind.data),
        who_does_what=(form.who_does_what.data or "").strip(),
        deadline=form.deadline.data,
        success=(form.success.data or "").strip(),
    )


def _deadline_ok(form: AgreementForm, agreement: Agreement | None = None) -> bool:
    unchanged = agreement is not None and form.deadline.data == agreement.deadline
    if form.deadline.data is not None and form.deadline.data < today_in_denmark() and not unchanged:
        form.deadline.errors.append(_("Fristen ligger i fortiden."))
        return False
    return True


def _render_plan(
    conversation: Conversation,
    form: AgreementForm | None = None,
    follow_up: tuple[int, FollowUpForm] | None = None,
) -> str:
    follow_up_forms = dict([follow_up]) if follow_up else {}
    for agreement in conversation.plan.agreements if conversation.plan else []:
        if agreement.id in follow_up_forms:
            continue
        blank = FollowUpForm(prefix=f"a{agreement.id}", formdata=None)
        blank.status.choices = [
            (status.value, str(label)) for status, label in AGREEMENT_STATUSES.items()
        ]
        blank.status.data = agreement.status.value
        blank.on.data = today_in_denmark()
        follow_up_forms[agreement.id] = blank
    return render_template(
        "conversations/plan.html",
        conversation=conversation,
        role=_role(conversation),
        form=form or _agreement_form(formdata=None),
        groups=_groups_for(conversation),
        acknowledge_form=AcknowledgeForm(formdata=None),
        follow_up_forms=follow_up_forms,
        action_form=ActionForm(),
    )


@blueprint.route("/<int:conversation_id>/plan")
@login_required
@personal_page
def plan(conversation_id: int) -> str:
    conversation = _load(conversation_id)
    log_read_of_other(conversation.employee, "development_plan", conversation.id)
    page = _render_plan(conversation)
    db.session.commit()  # after rendering: committing expires what the page eagerly loaded
    return page


@blueprint.route("/<int:conversation_id>/plan/aftale", methods=["POST"])
@login_required
def agreement_new(conversation_id: int) -> str | Response:
    conversation = _load(conversation_id)
    form = _agreement_form()
    if form.validate_on_submit() and _deadline_ok(form):
        add_agreement(
            plan_of(conversation), current_user, _agreement_text(form), form.links.resolved
        )
        db.session.commit()
        flash(_("Aftalen er tilføjet planen."), "success")
        return redirect(url_for("conversations.plan", conversation_id=conversation.id))
    return _render_plan(conversation, form)


def _agreement_of(conversation: Conversation, agreement_id: int) -> Agreement:
    for agreement in conversation.plan.agreements if conversation.plan else []:
        if agreement.id == agreement_id:
            return agreement
    abort(404)


@blueprint.route("/<int:conversation_id>/plan/aftale/<int:agreement_id>", methods=["GET", "POST"])
@login_required
def agreement_edit(conversation_id: int, agreement_id: int) -> str | Response:
    conversation = _load(conversation_id)
    agreement = _agreement_of(conversation, agreement_id)
    form = _agreement_form(agreement)
    conflict: Agreement | None = None
    if form.validate_on_submit() and _deadline_ok(form, agreement):
        try:
            update_agreement(
                agreement,
                current_user,
                _agreement_text(form),
                form.links.resolved,
                seen_version=seen_version(form.version.data) or 0,
            )
            db.session.commit()
        except (StaleEdit, StaleDataError):
            db.session.rollback()
            conflict = db.session.get(Agreement, agreement_id)
            if conflict is not None:
                form.version.data = str(conflict.version)
        else:
            flash(_("Aftalen er gemt."), "success")
            return redirect(url_for("conversations.plan", conversation_id=conversation.id))
    return render_template(
        "conversations/agreement_edit.html",
        conversation=conversation,
        agreement=agreement,
        form=form,
        groups=_groups_for(conversation),
        conflict=conflict,
    )


@blueprint.route("/<int:conversation_id>/plan/aftale/<int:agreement_id>/slet", methods=["POST"])
@login_required
def agreement_remove(conversation_id: int, agreement_id: int) -> Response:
    conversation = _load(conversation_id)
    agreement = _agreement_of(conversation, agreement_id)
    if ActionForm().validate_on_submit():
        if conversation.plan is not None and conversation.plan.locked_at is not None:
            flash(_("Planen er låst. Sæt aftalen til »Droppet« ved opfølgning i stedet."), "info")
        else:
            remove_agreement(agreement)
            db.session.commit()
            flash(_("Aftalen er fjernet."), "success")
    return redirect(url_for("conversations.plan", conversation_id=conversation.id))


@blueprint.route("/<int:conversation_id>/plan/kvitter", methods=["POST"])
@login_required
def acknowledge_plan(conversation_id: int) -> str | Response:
    conversation = _load(conversation_id)
    form = AcknowledgeForm()
    if conversation.plan is None or not conversation.plan.agreements:
        flash(_("Der er ingen aftaler i planen endnu."), "info")
        return redirect(url_for("conversations.plan", conversation_id=conversation.id))
    if form.validate_on_submit():
        as_employee = is_conversation_employee(current_user, conversation)
        acknowledge(
            conversation,
            current_user,
            as_employee=as_employee,
            disagreement=(form.disagreement.data or "").strip() if as_employee else "",
        )
        db.session.commit()
        flash(_("Du har kvitteret for planen."), "success")
        return redirect(url_for("conversations.plan", conversation_id=conversation.id))
    return _render_plan(conversation)


@blueprint.route("/<int:conversation_id>/plan/print")
@login_required
def plan_print(conversation_id: int) -> str:
    conversation = _load(conversation_id)
    log_read_of_other(conversation.employee, "development_plan", conversation.id)
    page = render_template("conversations/plan_print.html", conversation=conversation)
    db.session.commit()  # after rendering: committing expires what the page eagerly loaded
    return page


@blueprint.route("/<int:conversation_id>/opfoelgning/<int:agreement_id>", methods=["POST"])
@login_required
def follow_up(conversation_id: int, agreement_id: int) -> str | Response:
    conversation = _load(conversation_id)
    agreement = _agreement_of(conversation, agreement_id)
    form = FollowUpForm(prefix=f"a{agreement.id}")
    form.status.choices = [
        (status.value, str(label)) for status, label in AGREEMENT_STATUSES.items()
    ]
    if form.validate_on_submit():
        on = form.on.data
        if on is None or on > today_in_denmark():
            form.on.errors.append(_("Datoen ligger i fremtiden."))
        else:
            record_follow_up(
                agreement,
                current_user,
                AgreementStatus(form.status.data),
                (form.note.data or "").strip(),
                on,
            )
            db.session.commit()
            flash(_("Opfølgningen er gemt."), "success")
            return redirect(url_for("conversations.plan", conversation_id=conversation.id))
    # Shown again at the agreement, with the messages at the fields and the text kept.
    return _render_plan(conversation, follow_up=(agreement.id, form))
