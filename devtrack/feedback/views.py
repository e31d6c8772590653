from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from devtrack.audit.services import log_read_of_other
from devtrack.auth.services import find_by_email
from devtrack.extensions import db
from devtrack.feedback.blueprint import blueprint
from devtrack.feedback.forms import MYSELF, AskForm, GiveFeedbackForm, ReplyForm
from devtrack.feedback.labels import HELPERS
from devtrack.feedback.models import Feedback, FeedbackRequest, RequestStatus
from devtrack.feedback.permissions import (
    can_answer_request,
    can_reply_to_feedback,
    can_share_feedback,
    can_view_feedback,
    can_withdraw_request,
)
from devtrack.feedback.services import (
    ask_for_feedback,
    feedback_for_page,
    give_feedback,
    given_by,
    open_requests,
    people_near,
    received_by,
    reply_to,
    share_with_leader,
    withdraw,
)
from devtrack.forms import ActionForm, as_id, required_day
from devtrack.grundlag.links import choice_groups
from devtrack.i18n import today_in_denmark
from devtrack.people.collation import danish_sort_key
from devtrack.people.models import Person
from devtrack.permissions import get_or_404


@blueprint.app_context_processor
def feedback_helpers() -> dict[str, Any]:
    return HELPERS


def _chosen_receiver(form: GiveFeedbackForm) -> Person | None:
    """The person the feedback is for, or None with a message at the field that was wrong."""
    if form.receiver_email.data:
        person = find_by_email(form.receiver_email.data)
        field = form.receiver_email
        if person is None:
            field.errors.append(_("Der er ingen person med den e-mail i devtrack."))
            return None
    elif form.receiver.data == MYSELF:
        return current_user._get_current_object()  # type: ignore[no-any-return]
    else:
        field = form.receiver
        receiver_id = as_id(form.receiver.data)
        person = db.session.get(Person, receiver_id) if receiver_id is not None else None
        if person is None:
            field.errors.append(_("Vælg, hvem feedbacken er til."))
            return None
    if person.id == current_user.id:
        field.errors.append(
            _("Du kan ikke give dig selv feedback som kollega. Vælg »Mig selv (egen refleksion)«.")
        )
        return None
    if not person.active:
        field.errors.append(_("%(name)s er fratrådt og kan ikke få feedback.", name=person.name))
        return None
    return person


def _receiver_choices(extra: Person | None = None) -> list[tuple[str, str]]:
    people = people_near(current_user)
    if extra is not None and all(person.id != extra.id for person in people):
        people.append(extra)
    people.sort(key=lambda person: danish_sort_key(person.name))
    return [("", _("Vælg en person")), (MYSELF, _("Mig selv (egen refleksion)"))] + [
        (str(person.id), person.name) for person in people
    ]


@blueprint.route("/")
@login_required
def index() -> str:
    to_answer, asked = open_requests(current_user)
    return render_template(
        "feedback/index.html",
        to_answer=to_answer,
        asked=asked,
        received=received_by(current_user),
        given=given_by(current_user),
    )


@blueprint.route("/ny", methods=["GET", "POST"])
@login_required
def give() -> str | Response:
    form = GiveFeedbackForm()
    answering: FeedbackRequest | None = None
    request_id = as_id(request.args.get("anmodning")) or as_id(form.request_id.data)
    if request_id is not None:
        answering = get_or_404(
            FeedbackRequest, request_id, can_answer_request, subject=lambda found: found.requester
        )
        if answering.status != RequestStatus.OPEN:
            flash(_("Anmodningen er ikke længere åben."), "info")
            return redirect(url_for("feedback.index"))
    suggested = answering.requester if answering else None
    to_id = as_id(request.args.get("til"))
    if suggested is None and to_id:
        # "Give feedback" from someone's page: offer them even if not a close colleague.
        found = db.session.get(Person, to_id)
        suggested = found if found is not None and found.active else None
    form.receiver.choices = _receiver_choices(suggested)
    if not form.is_submitted():
        form.situation_date.data = today_in_denmark()
        if answering is not None:
            form.receiver.data = str(answering.requester_id)
            form.about.data = [answering.reference_key]
            form.request_id.data = str(answering.id)
        elif request.args.get("til", type=int):
            form.receiver.data = str(request.args.get("til", type=int))
    elif form.validate():
        receiver = _chosen_receiver(form)
        if receiver is not None:
            feedback = give_feedback(
                current_user,
                receiver,
                text=form.text.data.strip(),
                situation_date=required_day(form.situation_date),
                choice=form.about.resolved[0],
                request=answering,
            )
            db.session.commit()
            flash(_("Feedbacken er gemt."), "success")
            return redirect(url_for("feedback.detail", feedback_id=feedback.id))
    else:
        _chosen_receiver(form)  # show a receiver problem together with the others
    return render_template(
        "feedback/give.html",
        form=form,
        groups=choice_groups(),
        answering=answering,
    )


@blueprint.route("/<int:feedback_id>")
@login_required
def detail(feedback_id: int) -> str:
    found = get_or_404(Feedback, feedback_id, can_view_feedback, subject=lambda f: f.receiver)
    feedback = feedback_for_page(found.id) or abort(404)
    log_read_of_other(feedback.receiver, "feedback", feedback.id)
    page = _render_detail(feedback, ReplyForm(formdata=None))
    return page


def _render_detail(feedback: Feedback, reply_form: ReplyForm) -> str:
    return render_template(
        "feedback/detail.html",
        feedback=feedback,
        reply_form=reply_form,
        may_reply=can_reply_to_feedback(current_user, feedback),
        may_share=can_share_feedback(current_user, feedback),
    )


@blueprint.route("/<int:feedback_id>/svar", methods=["POST"])
@login_required
def reply(feedback_id: int) -> str | Response:
    found = get_or_404(Feedback, feedback_id, can_reply_to_feedback, subject=lambda f: f.receiver)
    form = ReplyForm()
    if form.validate_on_submit():
        reply_to(found, current_user, form.text.data.strip())
        db.session.commit()
        flash(_("Dit svar er gemt."), "success")
        return redirect(url_for("feedback.detail", feedback_id=found.id))
    feedback = feedback_for_page(found.id) or abort(404)
    return _render_detail(feedback, form)


@blueprint.route("/<int:feedback_id>/del", methods=["POST"])
@login_required
def share(feedback_id: int) -> Response:
    found = get_or_404(Feedback, feedback_id, can_share_feedback, subject=lambda f: f.receiver)
    if ActionForm().validate_on_submit():
        share_with_leader(found)
        db.session.commit()
        flash(_("Din leder kan nu se denne feedback."), "success")
    return redirect(url_for("feedback.detail", feedback_id=found.id))


@blueprint.route("/anmod", methods=["GET", "POST"])
@login_required
def ask() -> str | Response:
    form = AskForm()
    near = sorted(people_near(current_user), key=lambda person: danish_sort_key(person.name))
    form.recipients.choices = [(str(person.id), person.name) for person in near]
    if form.validate_on_submit():
        recipients = _chosen_recipients(form, {person.id: person for person in near})
        if recipients:
            ask_for_feedback(
                current_user,
                recipients,
                choice=form.about.resolved[0],
                message=(form.message.data or "").strip(),
            )
            db.session.commit()
            flash(_("Din anmodning er sendt til %(count)d.", count=len(recipients)), "success")
            return redirect(url_for("feedback.index"))
    return render_template("feedback/ask.html", form=form, groups=choice_groups())


def _chosen_recipients(form: AskForm, near: dict[int, Person]) -> list[Person]:
    chosen: dict[int, Person] = {}
    for value in form.recipients.data or []:
        person_id = as_id(value)
        if person_id is not None and person_id in near:
            chosen[person_id] = near[person_id]
        else:
            form.recipients.errors.append(_("Vælg blandt personerne på listen."))
            return []
    for line in (form.emails.data or "").replace(",", "\n").splitlines():
        if not line.strip():
            continue
        person = find_by_email(line)
        if person is None:
            form.emails.errors.append(
                _("Der er ingen person med e-mailen %(email)s.", email=line.strip())
            )
        elif person.id == current_user.id:
            form.emails.errors.append(_("Du kan ikke bede dig selv om feedback."))
        elif not person.active:
            form.emails.errors.append(_("%(name)s er fratrådt.", name=person.name))
        else:
            chosen[person.id] = person
    if form.emails.errors:
        return []
    if not chosen:
        form.recipients.errors.append(_("Vælg mindst én person at spørge."))
    return list(chosen.values())


@blueprint.route("/anmodning/<int:request_id>/tilbagetraek", methods=["POST"])
@login_required
def withdraw_request(request_id: int) -> Response:
    found = get_or_404(
        FeedbackRequest, request_id, can_withdraw_request, subject=lambda r: r.requester
    )
    if ActionForm().validate_on_submit():
        withdraw(found)
        db.session.commit()
        flash(_("Anmodningen er trukket tilbage."), "success")
    return redirect(url_for("feedback.index"))
