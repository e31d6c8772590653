from __future__ import annotations

from flask import current_app, render_template, request
from flask_login import current_user, login_required

from devtrack.audit.services import log_read_of_other
from devtrack.grundlag.links import choice_groups, element_id_for_key
from devtrack.people.models import Person
from devtrack.permissions import get_person_or_404
from devtrack.timeline.blueprint import blueprint
from devtrack.timeline.permissions import can_view_timeline
from devtrack.timeline.services import (
    EntryKind,
    TimelineFilter,
    last_conversation_at,
    timeline_page,
)

KINDS = (EntryKind.GOAL, EntryKind.PROGRESS, EntryKind.FEEDBACK, EntryKind.CONVERSATION)


def _render(person: Person) -> str:
    kind = request.args.get("type") or None
    if kind not in KINDS:
        kind = None
    element_key = request.args.get("element") or None
    element_id = element_id_for_key(element_key) if element_key else None
    since_last_mus = request.args.get("siden") == "mus"
    last_mus = last_conversation_at(person) if since_last_mus else None
    page_number = min(max(request.args.get("side", 1, type=int) or 1, 1), 100_000)
    page = timeline_page(
        current_user,
        person,
        TimelineFilter(element_id=element_id, kind=kind, since=last_mus),
        page_number,
        current_app.config["TIMELINE_PAGE_SIZE"],
    )
    return render_template(
        "timeline/timeline.html",
        person=person,
        page=page,
        groups=choice_groups(),
        kind=kind,
        element_key=element_key if element_id is not None else None,
        unknown_element=bool(element_key) and element_id is None,
        since_last_mus=since_last_mus,
        last_mus=last_mus,
    )


@blueprint.route("/")
@login_required
def mine() -> str:
    return _render(current_user)


@blueprint.route("/<int:person_id>")
@login_required
def person(person_id: int) -> str:
    someone = get_person_or_404(person_id, can_view_timeline)
    log_read_of_other(someone, "timeline", someone.id)
    page = _render(someone)
    return page
