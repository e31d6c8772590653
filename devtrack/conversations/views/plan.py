"""The agreed plan: its agreements, both sides' acknowledgement, printing and follow-up."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response

from devtrack.audit.services import log_read_of_other
from devtrack.conversations.blueprint import blueprint
from devtrack.conversations.forms import (
    AcknowledgeForm,
    AgreementForm,
    FollowUpDateForm,
    FollowUpForm,
    SummaryForm,
)
from devtrack.conversations.labels import AGREEMENT_STATUSES, DEVELOPMENT_KINDS
from devtrack.conversations.models import (
    Agreement,
    AgreementStatus,
    Conversation,
    DevelopmentKind,
    PreparationRole,
)
from devtrack.conversations.permissions import (
    can_view_conversation,
    is_conversation_employee,
    is_conversation_leader,
)
from devtrack.conversations.services import (
    AgreementText,
    PlanLocked,
    StaleEdit,
    acknowledge,
    add_agreement,
    agreement_in,
    changes_awaiting,
    conversation_for_plan_page,
    plan_of,
    record_follow_up,
    remove_agreement,
    save_summary,
    set_follow_up_date,
    update_agreement,
)
from devtrack.conversations.views.loading import groups_for, load, role_of
from devtrack.extensions import db
from devtrack.forms import ActionForm, required_day, seen_version
from devtrack.i18n import labels_in_language, today_in_denmark
from devtrack.paths import municipality_logo_path

# The choices' texts, translated once per process and language (a plan has a form per agreement).
_kind_text = labels_in_language(DEVELOPMENT_KINDS)
_status_text = labels_in_language(AGREEMENT_STATUSES)


def _agreement_form(agreement: Agreement | None = None, **kwargs: Any) -> AgreementForm:
    if agreement is not None:
        kwargs["deadline"] = agreement.deadline  # a deadline that has passed may stay
    form = AgreementForm(**kwargs)
    form.kind.choices = [(kind.value, _kind_text(kind)) for kind in DEVELOPMENT_KINDS]
    if agreement is not None and not form.is_submitted():
        form.what.data = agreement.what
        form.kind.data = agreement.kind.value
        form.links.data = [link.reference_key for link in agreement.links]
        form.who_does_what.data = agreement.who_does_what
        form.success.data = agreement.success
        form.version.data = str(agreement.version)
    return form


def _follow_up_form(agreement: Agreement, **kwargs: Any) -> FollowUpForm:
    form = FollowUpForm(prefix=f"a{agreement.id}", **kwargs)
    form.status.choices = [(status.value, _status_text(status)) for status in AGREEMENT_STATUSES]
    return form


def _agreement_text(form: AgreementForm) -> AgreementText:
    return AgreementText(
        what=form.what.data.strip(),
        kind=DevelopmentKind(form.kind.data),
        who_does_what=(form.who_does_what.data or "").strip(),
        deadline=form.deadline.data,
        success=(form.success.data or "").strip(),
    )


def _render_plan(
    conversation: Conversation,
    form: AgreementForm | None = None,
    follow_up: tuple[int, FollowUpForm] | None = None,
    summary_form: SummaryForm | None = None,
    follow_up_date_form: FollowUpDateForm | None = None,
) -> str:
    role = role_of(conversation)
    plan = conversation.plan
    # Each form is built only where the page shows it: the follow-ups once the conversation is
    # held, the follow-up date for the leader, the remark on acknowledging for the employee.
    follow_up_forms = dict([follow_up]) if follow_up else {}
    for agreement in plan.agreements if plan and conversation.held_at else []:
        if agreement.id not in follow_up_forms:
            blank = _follow_up_form(agreement, formdata=None)
            blank.status.data = agreement.status.value
            blank.on.data = today_in_denmark()
            follow_up_forms[agreement.id] = blank
    if follow_up_date_form is None and role == PreparationRole.LEADER:
        follow_up_date_form = FollowUpDateForm(
            formdata=None, on=plan.follow_up_on if plan else None
        )
    return render_template(
        "conversations/plan.html",
        conversation=conversation,
        role=role,
        awaiting=changes_awaiting(plan, role) if plan else [],
        form=form or _agreement_form(formdata=None),
        groups=groups_for(conversation),
        acknowledge_form=AcknowledgeForm(formdata=None)
        if role == PreparationRole.EMPLOYEE
        else None,
        summary_form=summary_form
        or SummaryForm(formdata=None, summary=plan.summary if plan else ""),
        follow_up_forms=follow_up_forms,
        follow_up_date_form=follow_up_date_form,
    )


def _load_plan(conversation_id: int, need: Any = can_view_conversation) -> Conversation:
    """The conversation with what the plan's page shows (and its forms change)."""
    return load(conversation_id, need, loader=conversation_for_plan_page)


def _agreement_or_404(conversation: Conversation, agreement_id: int) -> Agreement:
    return agreement_in(conversation, agreement_id) or abort(404)


@blueprint.route("/<int:conversation_id>/plan")
@login_required
def plan(conversation_id: int) -> str:
    conversation = _load_plan(conversation_id)
    log_read_of_other(conversation.employee, "development_plan", conversation.id)
    page = _render_plan(conversation)
    return page


@blueprint.route("/<int:conversation_id>/plan/aftale", methods=["POST"])
@login_required
def agreement_new(conversation_id: int) -> str | Response:
    conversation = _load_plan(conversation_id)
    form = _agreement_form()
    if form.validate_on_submit():
        add_agreement(
            plan_of(conversation), current_user, _agreement_text(form), form.links.resolved
        )
        db.session.commit()
        flash(_("Aftalen er tilføjet planen."), "success")
        return redirect(url_for("conversations.plan", conversation_id=conversation.id))
    return _render_plan(conversation, form)


@blueprint.route("/<int:conversation_id>/plan/aftale/<int:agreement_id>", methods=["GET", "POST"])
@login_required
def agreement_edit(conversation_id: int, agreement_id: int) -> str | Response:
    conversation = _load_plan(conversation_id)
    agreement = _agreement_or_404(conversation, agreement_id)
    form = _agreement_form(agreement)
    conflict: Agreement | None = None
    if form.validate_on_submit():
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
        groups=groups_for(conversation),
        conflict=conflict,
    )


@blueprint.route("/<int:conversation_id>/plan/aftale/<int:agreement_id>/slet", methods=["POST"])
@login_required
def agreement_remove(conversation_id: int, agreement_id: int) -> Response:
    conversation = _load_plan(conversation_id)
    agreement = _agreement_or_404(conversation, agreement_id)
    if ActionForm().validate_on_submit():
        try:
            remove_agreement(agreement)
        except PlanLocked:
            flash(_("Planen er låst. Sæt aftalen til »Droppet« ved opfølgning i stedet."), "info")
        else:
            db.session.commit()
            flash(_("Aftalen er fjernet."), "success")
    return redirect(url_for("conversations.plan", conversation_id=conversation.id))


@blueprint.route("/<int:conversation_id>/plan/kvitter", methods=["POST"])
@login_required
def acknowledge_plan(conversation_id: int) -> str | Response:
    conversation = _load_plan(conversation_id)
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
    conversation = load(conversation_id)
    log_read_of_other(conversation.employee, "development_plan", conversation.id)
    page = render_template("conversations/plan_print.html", conversation=conversation)
    return page


@blueprint.route("/<int:conversation_id>/plan/pdf")
@login_required
def plan_pdf(conversation_id: int) -> Response:
    """The plan for the personnel file: the print view's content on A4."""
    conversation = load(conversation_id)
    log_read_of_other(conversation.employee, "development_plan_pdf", conversation.id)
    logo = municipality_logo_path(current_app)
    page = render_template(
        "conversations/plan_pdf.html",
        conversation=conversation,
        logo_src=logo.as_uri() if logo else None,
    )
    name = secure_filename(
        f"udviklingsplan-{conversation.employee.name}-{conversation.round.title}"
    )
    # WeasyPrint and its libraries add about 20 MB to a worker: only a worker that makes a
    # PDF loads them, not every worker that serves pages.
    from devtrack.conversations.document import pdf_of

    return Response(
        pdf_of(page, logo=logo),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name.lower()}.pdf"'},
    )


@blueprint.route("/<int:conversation_id>/plan/referat", methods=["POST"])
@login_required
def plan_summary(conversation_id: int) -> str | Response:
    conversation = _load_plan(conversation_id)
    form = SummaryForm()
    if form.validate_on_submit():
        if save_summary(plan_of(conversation), current_user, (form.summary.data or "").strip()):
            db.session.commit()
            flash(_("Referatet er gemt."), "success")
        return redirect(url_for("conversations.plan", conversation_id=conversation.id))
    return _render_plan(conversation, summary_form=form)


@blueprint.route("/<int:conversation_id>/opfoelgning/<int:agreement_id>", methods=["POST"])
@login_required
def follow_up(conversation_id: int, agreement_id: int) -> str | Response:
    conversation = _load_plan(conversation_id)
    agreement = _agreement_or_404(conversation, agreement_id)
    form = _follow_up_form(agreement)
    if form.validate_on_submit():
        record_follow_up(
            agreement,
            current_user,
            AgreementStatus(form.status.data),
            (form.note.data or "").strip(),
            required_day(form.on),
        )
        db.session.commit()
        flash(_("Opfølgningen er gemt."), "success")
        return redirect(url_for("conversations.plan", conversation_id=conversation.id))
    # Shown again at the agreement, with the messages at the fields and the text kept.
    return _render_plan(conversation, follow_up=(agreement.id, form))


@blueprint.route("/<int:conversation_id>/plan/opfoelgningsdato", methods=["POST"])
@login_required
def follow_up_date(conversation_id: int) -> str | Response:
    conversation = _load_plan(conversation_id, is_conversation_leader)
    form = FollowUpDateForm()
    if form.validate_on_submit():
        set_follow_up_date(conversation, form.on.data)
        db.session.commit()
        flash(_("Datoen for opfølgning er gemt."), "success")
        return redirect(url_for("conversations.plan", conversation_id=conversation.id))
    return _render_plan(conversation, follow_up_date_form=form)
