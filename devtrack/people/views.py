from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from devtrack.audit.models import AccessAction
from devtrack.audit.services import log_access, log_read_of_other
from devtrack.auth.services import issue_password_link
from devtrack.extensions import db
from devtrack.people.blueprint import blueprint, profiles

__all__ = ["blueprint", "profiles"]
from devtrack.forms import ActionForm
from devtrack.people.collation import danish_sort_key
from devtrack.people.forms import OrgImportForm, PersonForm
from devtrack.people.models import OrgUnit, Person, UnitMembership
from devtrack.people.orgfile import OrgFileError, parse_org_file
from devtrack.people.services import deactivate, sync_organisation, units_as_tree
from devtrack.permissions import (
    can_view_person,
    get_person_or_404,
    is_admin,
    nearest_leader,
    require,
)

PAGE_SIZE = 50


@blueprint.route("/personer")
@require(is_admin)
def people_list() -> str:
    query = request.args.get("q", "").strip()[:200]
    show_inactive = request.args.get("inaktive") == "1"
    page = min(max(request.args.get("side", 1, type=int) or 1, 1), 100_000)
    statement = select(Person.id, Person.name)
    if query:
        pattern = f"%{query.lower()}%"
        statement = statement.where(
            or_(
                func.lower(Person.name).like(pattern),
                Person.email.like(pattern),
                func.lower(Person.employee_number).like(pattern),
            )
        )
    if not show_inactive:
        statement = statement.where(Person.active.is_(True))
    # Danish order (æ, ø, å after z) is done here, on ids and names only, then one page is loaded.
    matches = sorted(db.session.execute(statement).all(), key=lambda row: danish_sort_key(row.name))
    pages = max((len(matches) + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(page, pages)
    ids = [row.id for row in matches[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]]
    loaded = {
        person.id: person
        for person in db.session.scalars(
            select(Person).where(Person.id.in_(ids)).options(joinedload(Person.unit))
        )
    }
    people = [loaded[person_id] for person_id in ids]
    return render_template(
        "people/list.html",
        people=people,
        query=query,
        show_inactive=show_inactive,
        page=page,
        pages=pages,
        total=len(matches),
    )


@blueprint.route("/personer/ny", methods=["GET", "POST"])
@require(is_admin)
def person_create() -> str | Response:
    form = PersonForm()
    form.unit_id.choices = [
        (unit.id, "\u2003" * depth + unit.name) for unit, depth in units_as_tree()
    ]
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        number = form.employee_number.data.strip()
        if db.session.scalar(select(Person.id).where(Person.email == email)):
            form.email.errors.append(_("Der findes allerede en person med denne e-mail."))
        if db.session.scalar(select(Person.id).where(Person.employee_number == number)):
            form.employee_number.errors.append(_("Medarbejdernummeret er allerede i brug."))
        unit = db.session.get(OrgUnit, form.unit_id.data)
        if unit is None:
            form.unit_id.errors.append(_("Vælg en enhed."))
        if not (form.email.errors or form.employee_number.errors or form.unit_id.errors):
            person = Person(
                employee_number=number, name=form.name.data.strip(), email=email, unit=unit
            )
            db.session.add(person)
            db.session.flush()
            db.session.add(UnitMembership(person_id=person.id, unit_id=person.unit_id))
            log_access(
                AccessAction.CREATE, subject=person, object_type="person", object_id=person.id
            )
            db.session.commit()
            flash(_("%(name)s er oprettet.", name=person.name), "success")
            return redirect(url_for("people.person_detail", person_id=person.id))
    return render_template("people/create.html", form=form)


@blueprint.route("/personer/<int:person_id>")
@require(is_admin)
def person_detail(person_id: int) -> str:
    person = db.session.scalar(
        select(Person).where(Person.id == person_id).options(joinedload(Person.unit))
    )
    if person is None:
        abort(404)
    log_access(AccessAction.READ, subject=person, object_type="person", object_id=person.id)
    db.session.commit()
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
            person.is_admin = wants_admin
            person.is_hr = request.form.get("is_hr") == "1"
            log_access(
                AccessAction.UPDATE,
                subject=person,
                object_type="roles",
                object_id=person.id,
                detail=f"hr={person.is_hr} admin={person.is_admin}",
            )
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
    counts = dict(
        db.session.execute(
            select(Person.unit_id, func.count())
            .where(Person.active.is_(True))
            .group_by(Person.unit_id)
        ).all()
    )
    return render_template("people/units.html", tree=units_as_tree(), counts=counts)


@blueprint.route("/import", methods=["GET", "POST"])
@require(is_admin)
def org_import() -> str:
    form = OrgImportForm()
    problems = None
    report = None
    if form.validate_on_submit():
        try:
            org = parse_org_file(form.file.data.read())
        except OrgFileError as error:
            problems = error.problems
        else:
            report = sync_organisation(org)
            db.session.commit()
    return render_template("people/import.html", form=form, problems=problems, report=report)


@profiles.route("/personer/<int:person_id>")
@login_required
def profile(person_id: int) -> str:
    person = get_person_or_404(person_id, can_view_person)
    log_read_of_other(person, "person", person.id)
    db.session.commit()
    return render_template("people/profile.html", person=person, leader=nearest_leader(person))
