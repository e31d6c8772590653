"""devtrack: development conversations anchored in the organisation's own grundlag."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

from devtrack.paths import PROJECT_ROOT, instance_path, resource

__all__ = ["PROJECT_ROOT", "create_app"]


class DatabaseIdConverter(IntegerConverter):
    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(url_map, *args, **kwargs)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build a configured application. Nothing happens at import time; everything happens here."""
    app = Flask(
        __name__,
        instance_path=instance_path(),
        instance_relative_config=True,
        template_folder=str(resource("templates")),
    )
    from flask_babel import lazy_gettext as _l

    # Ids in addresses fit a database integer; a longer number is simply not found (404).
    app.url_map.converters["int"] = DatabaseIdConverter

    from devtrack.config import load_config

    load_config(app, test_config)

    from devtrack import addresses, database, errors, i18n, logs, maintenance, security
    from devtrack.audit import services as access_log
    from devtrack.core import assets, compression
    from devtrack.extensions import csrf, db, login_manager, migrate
    from devtrack.forms import render_fields_faster

    logs.configure(app)
    db.init_app(app)
    database.configure_engine(app)
    migrate.init_app(app, db, directory=str(resource("migrations")), render_as_batch=True)
    csrf.init_app(app)
    render_fields_faster()
    login_manager.init_app(app)
    login_manager.login_view = "auth.signin"
    login_manager.login_message = _l("Log ind for at se siden.")
    login_manager.login_message_category = "info"
    app.jinja_env.add_extension("jinja2.ext.do")
    i18n.init_app(app)
    addresses.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    maintenance.init_app(app)
    access_log.init_app(app)
    assets.init_app(app)
    compression.init_app(app)
    if app.config["TRUSTED_PROXIES"]:
        proxies = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )

    from devtrack.audit import views as audit_views
    from devtrack.auth import views as auth_views
    from devtrack.conversation_templates import views as conversation_templates_views
    from devtrack.conversations import views as conversations_views
    from devtrack.conversations.blueprint import team_blueprint
    from devtrack.core import views as core_views
    from devtrack.feedback import views as feedback_views
    from devtrack.goals import views as goals_views
    from devtrack.grundlag import views as grundlag_views
    from devtrack.mydata import views as mydata_views
    from devtrack.notifications import views as notifications_views
    from devtrack.people import views as people_views
    from devtrack.reports import views as reports_views
    from devtrack.sso import views as sso_views
    from devtrack.timeline import views as timeline_views

    for views in (
        core_views,
        auth_views,
        grundlag_views,
        people_views,
        audit_views,
        goals_views,
        feedback_views,
        timeline_views,
        notifications_views,
        conversation_templates_views,
        conversations_views,
        reports_views,
        mydata_views,
        sso_views,
    ):
        app.register_blueprint(views.blueprint)
    app.register_blueprint(people_views.profiles)
    from devtrack.api import blueprint as api_blueprint
    from devtrack.api.views import endpoints  # noqa: F401  (its routes join the blueprint)

    api_blueprint.init_app(app)
    from devtrack.api.views import admin as api_admin
    from devtrack.api.views import docs as api_docs

    app.register_blueprint(api_docs.blueprint)
    app.register_blueprint(api_admin.blueprint)
    app.register_blueprint(team_blueprint)
    from devtrack.grundlag.blueprint import ELEMENT_PANELS
    from devtrack.timeline.mirror import element_mirror

    app.extensions[ELEMENT_PANELS] = [element_mirror]
    from devtrack.auth.blueprint import IDP_SIGNOUT, SIGNED_IN_EXTRAS, SIGNIN_BUTTONS

    # Single sign-on: the identity provider's buttons on the sign-in page, its logout at sign-out.
    from devtrack.sso.settings import oidc_configured

    if oidc_configured(app):  # Authlib is loaded only where it is used
        from devtrack.sso import oidc as sso_oidc

        sso_oidc.init_app(app)
    app.extensions[SIGNIN_BUTTONS] = [sso_views.signin_buttons]
    app.extensions[IDP_SIGNOUT] = sso_views.idp_signout
    from devtrack.grundlag.in_use import in_use_key, remember_in_use_key
    from devtrack.notifications.services import remember_unread_count, unread_count_query
    from devtrack.people import hierarchy

    app.extensions[SIGNED_IN_EXTRAS] = [
        (unread_count_query, lambda _person, count: remember_unread_count(count)),
        (lambda _person_id: in_use_key(), lambda _person, key: remember_in_use_key(key)),
        (hierarchy.leads_any_unit_query, hierarchy.remember_leads_any_unit),
    ]
    from devtrack.conversations.kept import LABELS as conversation_form_labels
    from devtrack.errors import FORM_LABELS

    app.extensions[FORM_LABELS] = dict(conversation_form_labels)
    from devtrack.conversations.timeline import register as register_conversation_timeline

    register_conversation_timeline()
    from devtrack.conversations.services import follow_moves
    from devtrack.people.services import register_move_follower

    register_move_follower("conversations", follow_moves)
    from devtrack.conversations.reminders import remind_round_steps
    from devtrack.goals.cli import goal_reminders
    from devtrack.notifications.reminders import register_reminders

    register_reminders(app, goal_reminders, remind_round_steps)
    from devtrack import personal_data
    from devtrack.audit.personal_data import PERSONAL_DATA as access_log_data
    from devtrack.auth.personal_data import PERSONAL_DATA as signin_data
    from devtrack.conversations.personal_data import PERSONAL_DATA as conversations_data
    from devtrack.feedback.personal_data import PERSONAL_DATA as feedback_data
    from devtrack.goals.personal_data import PERSONAL_DATA as goals_data
    from devtrack.limits.personal_data import PERSONAL_DATA as limits_data
    from devtrack.notifications.personal_data import PERSONAL_DATA as notifications_data
    from devtrack.people.personal_data import PERSONAL_DATA as people_data

    # How each feature purges (retention) and exports ("Mine data") a person's data; in order.
    personal_data.register(
        app,
        people_data,
        signin_data,
        goals_data,
        feedback_data,
        conversations_data,
        notifications_data,
        access_log_data,
        limits_data,
    )
    from devtrack.commands import devtrack_commands

    app.cli.add_command(devtrack_commands())
    return app
