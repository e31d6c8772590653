"""HR's pages for the conversation templates: the list with versions, a preview of one version
as the employee and as the leader see it, and the default per round type. Editing happens in
the YAML file (reviewable, diffable), as with the grundlag."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from devtrack.conversation_templates.blueprint import blueprint
from devtrack.conversation_templates.forms import DefaultsForm
from devtrack.conversation_templates.models import ConversationTemplate, Side, TemplateKind
from devtrack.conversation_templates.services import (
    all_templates,
    make_default,
    version_with_questions,
)
from devtrack.extensions import db
from devtrack.permissions import is_hr, require


def _defaults_form(templates: list[ConversationTemplate]) -> DefaultsForm:
    form = DefaultsForm()
    for kind in TemplateKind:
        field = form[kind.value]
        field.choices = [
            (str(template.id), f"{template.latest.title} ({template.key})")
            for template in templates
            if template.kind == kind
        ]
        if not form.is_submitted():
            field.data = next(
                (str(t.id) for t in templates if t.kind == kind and t.is_default), None
            )
    return form


@blueprint.route("/", methods=["GET", "POST"])
@require(is_hr)
def overview() -> str | Response:
    templates = all_templates()
    form = _defaults_form(templates)
    if form.validate_on_submit():
        by_id = {str(template.id): template for template in templates}
        for kind in TemplateKind:
            chosen = by_id.get(form[kind.value].data or "")
            if chosen is not None and chosen.kind == kind and not chosen.is_default:
                make_default(chosen)
        db.session.commit()
        flash(_("Standardskabelonerne er gemt."), "success")
        return redirect(url_for("conversation_templates.overview"))
    return render_template("conversation_templates/overview.html", templates=templates, form=form)


@blueprint.route("/version/<int:version_id>")
@require(is_hr)
def preview(version_id: int) -> str:
    version = version_with_questions(version_id)
    if version is None:
        abort(404)
    side = Side.LEADER if request.args.get("side") == Side.LEADER.value else Side.EMPLOYEE
    return render_template("conversation_templates/preview.html", version=version, side=side)
