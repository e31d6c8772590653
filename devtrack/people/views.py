from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from devtrack.audit.models import AccessAction
from devtrack.audit.services import log_access, log_read_of_other
from devtrack.auth.services import issue_password_link
from devtrack.extensions import db
from devtrack.people.blueprint import blueprint, profiles

__all__ = ["blueprint", "profiles"]
from devtrack.forms import ActionForm
from devtrack.people.forms import OrgImportForm, PersonForm
from devtrack.people.hierarchy import nearest_leader
from devtrack.people.models import OrgUnit, Person
from devtrack.people.orgfile import OrgFile, OrgFileError, parse_org_file
from devtrack.people.permissions import can_view_person
from devtrack.people.services import (
    OrganisationChanged,
    PersonTaken,
    active_people_per_unit,
    apply_sync,
    create_person,
    deactivate,
    discard_import_draft,
    find_people,
    import_draft,
    person_with_unit,
    save_import_draft,
    set_roles,
    units_as_tree,
)
from devtrack.permissions import get_person_or_404, is_admin, require

PAGE_SIZE = 50


@blueprint.route("/personer")
@require(is_admin)
def people_list() -> str:
    query = request.args.get("q", "").strip()[:200]
    show_inactive = request.args.get("inaktive") == "1"
    page = min(max(request.args.get("side", 1, type=int) or 1, 1), 100_000)
    found = find_people(query, show_inactive=show_inactive, page=page, page_size=PAGE_SIZE)
    return render_template(
        "people/list.html",
        people=found.people,
        query=query,
        show_inactive=show_inactive,
        page=found.page,
        pages=found.pages,
        total=found.total,
    )


@blueprint.route("/personer/ny", methods=["GET", "POST"])
@require(is_admin)
def person_create() -> str | Response:
    form = PersonForm()
    form.unit_id.choices = [
        (unit.id, "\u2003" * depth + unit.name) for unit, depth in units_as_tree()
    ]
    if form.validate_on_submit():
        unit = db.session.get(OrgUnit, form.unit_id.data)
        if unit is None:
            form.unit_id.errors.append(_("Vælg en enhed."))
        else:
            try:
                person = create_person(
                    employee_number=form.employee_number.data.strip(),
                    name=form.name.data.strip(),
                    email=form.email.data.strip().lower(),
                    unit=unit,
                )
            except PersonTaken as taken:
                if taken.email:
                    form.email.errors.append(_("Der findes allerede en person med denne e-mail."))
                if taken.employee_number:
                    form.employee_number.errors.append(_("Medarbejdernummeret er allerede i brug."))
            else:
                db.session.commit()
                flash(_("%(name)s er oprettet.", name=person.name), "success")
                return redirect(url_for("people.person_detail", person_id=person.id))
    return render_template("people/create.html", form=form)


@blueprint.route("/personer/<int:person_id>")
@require(is_admin)
def person_detail(person_id: int) -> str:
    person = person_with_unit(person_id)
    if person is None:
        abort(404)
    log_access(AccessAction.READ, subject=person, object_type="person", object_id=person.id)
    return render_template("people/detail.html", person=person, form=ActionForm())


@blueprint.route("/personer/<int:person_id>/roller", methods=["POST"])
@require(is_admin)
def person_roles(person_id: int) -> Response:
    person = db.session.get(Person, person_id)
    if person is None:
        abort(404)
    if ActionForm().validate_on_submit():
        wants_admin = request.form.get("is_admin") == "1"
        if person.id == current_user.id and not wants_admin:
            flash(_("Du kan ikke fjerne din egen administratorrolle."), "info")
        else:
            set_roles(person, hr=request.form.get("is_hr") == "1", admin=wants_admin)
            db.session.commit()
            flash(_("Rollerne er gemt."), "success")
    return redirect(url_for("people.person_detail", person_id=person.id))


@blueprint.route("/personer/<int:person_id>/deaktiver", methods=["POST"])
@require(is_admin)
def person_deactivate(person_id: int) -> Response:
    person = db.session.get(Person, person_id)
    if person is None:
        abort(404)
    if ActionForm().validate_on_submit():
        if person.id == current_user.id:
            flash(_("Du kan ikke deaktivere dig selv."), "info")
        elif person.active:
            deactivate(person)
            db.session.commit()
            flash(_("%(name)s er deaktiveret og logget ud overalt.", name=person.name), "success")
    return redirect(url_for("people.person_detail", person_id=person.id))


@blueprint.route("/personer/<int:person_id>/adgangskode-link", methods=["POST"])
@require(is_admin)
def person_password_link(person_id: int) -> str | Response:
    person = db.session.get(Person, person_id)
    if person is None:
        abort(404)
    if not ActionForm().validate_on_submit() or not person.active:
        return redirect(url_for("people.person_detail", person_id=person.id))
    token = issue_password_link(person, current_user)
    db.session.commit()
    link = url_for("auth.password_link", token=token, _external=True)
    return render_template("people/password_link.html", person=person, link=link)


@blueprint.route("/enheder")
@require(is_admin)
def unit_tree() -> str:
    return render_template(
        "people/units.html", tree=units_as_tree(), counts=active_people_per_unit()
    )


def _max_deactivated_share() -> float:
    return float(current_app.config["ORG_SYNC_MAX_DEACTIVATED_SHARE"])


def _preview(org: OrgFile, token: str, **context: Any) -> str:
    """The import page with what the file would change, and the button to apply it."""
    preview = apply_sync(org, dry_run=True)
    return render_template(
        "people/import.html",
        form=OrgImportForm(formdata=None),
        preview=preview.changes,
        token=token,
        needs_confirmation=preview.changes.deactivated_share > _max_deactivated_share(),
        max_share=_max_deactivated_share(),
        confirm=ActionForm(),
        **context,
    )


@blueprint.route("/import", methods=["GET", "POST"])
@require(is_admin)
def org_import() -> str:
    """Upload the file: nothing is applied yet. A file with problems lists them; a good one is
    kept as a draft and previewed (the real sync, rolled back) with a button to apply it."""
    form = OrgImportForm()
    if not form.validate_on_submit():
        return render_template("people/import.html", form=form)
    content = form.file.data.read()
    try:
        org = parse_org_file(content)
    except OrgFileError as error:
        return render_template("people/import.html", form=form, problems=error.problems)
    token = save_import_draft(content)
    page = _preview(org, token)
    db.session.commit()
    return page


@blueprint.route("/import/anvend", methods=["POST"])
@require(is_admin)
def org_import_apply() -> str | Response | tuple[str, int]:
    """Apply the previewed file. Deactivating more than the configured share of the active
    people needs its own tick."""
    draft = import_draft(request.form.get("udkast", ""))
    if not ActionForm().validate_on_submit() or draft is None:
        flash(_("Forhåndsvisningen er udløbet. Vælg filen igen."), "info")
        return redirect(url_for("people.org_import"))
    try:
        org = parse_org_file(draft.content)
    except OrgFileError as error:  # the rules changed since the preview (a leader left)
        return render_template(
            "people/import.html", form=OrgImportForm(formdata=None), problems=error.problems
        )
    confirmed = request.form.get("bekraeft_deaktivering") == "1"
    try:
        outcome = apply_sync(
            org, max_deactivated_share=_max_deactivated_share(), confirmed=confirmed
        )
    except OrganisationChanged:
        db.session.rollback()
        page = _preview(org, draft.token, changed_meanwhile=True)
        db.session.commit()
        return page, 409
    if outcome.refused:
        return render_template(
            "people/import.html",
            form=OrgImportForm(formdata=None),
            preview=outcome.changes,
            token=draft.token,
            needs_confirmation=True,
            confirmation_missing=True,
            max_share=_max_deactivated_share(),
            confirm=ActionForm(),
        )
    discard_import_draft(draft)
    db.session.commit()
    return render_template(
        "people/import.html", form=OrgImportForm(formdata=None), report=outcome.changes
    )


@profiles.route("/personer/<int:person_id>")
@login_required
def profile(person_id: int) -> str:
    person = get_person_or_404(person_id, can_view_person)
    log_read_of_other(person, "person", person.id)
    return render_template("people/profile.html", person=person, leader=nearest_leader(person))
