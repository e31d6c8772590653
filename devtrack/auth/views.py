from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from devtrack.audit.models import AccessAction
from devtrack.audit.services import log_access
from devtrack.auth.blueprint import SIGNED_IN_EXTRAS, blueprint
from devtrack.auth.forms import ChangePasswordForm, NewPasswordForm, SigninForm
from devtrack.auth.passwords import password_problems
from devtrack.auth.services import (
    authenticate,
    check_current_password,
    end_all_sessions,
    end_session,
    open_session_statement,
    person_of_open_session,
    set_password,
    start_session,
    use_password_link,
    valid_password_link,
)
from devtrack.extensions import db, login_manager
from devtrack.i18n import SESSION_KEY as LANGUAGE_KEY
from devtrack.limits.services import limit_signins
from devtrack.people.models import Person
from devtrack.security import safe_redirect_target

SESSION_TOKEN_KEY = "signin"  # noqa: S105 (the key the token is kept under, not a secret)
# app.extensions key: the user loader's query with the SIGNED_IN_EXTRAS in it, built once.
_SIGNED_IN_STATEMENT = "devtrack.signed_in_statement"


@login_manager.user_loader
def load_user(session_id: str) -> Person | None:
    person_id, _sep, version = session_id.partition(":")
    token = session.get(SESSION_TOKEN_KEY)
    if not person_id.isdigit() or not version.isdigit() or not isinstance(token, str):
        return None
    # In the same query, what every page needs besides the person (SIGNED_IN_EXTRAS).
    extras = current_app.extensions.get(SIGNED_IN_EXTRAS, [])
    statement = current_app.extensions.get(_SIGNED_IN_STATEMENT)
    if statement is None:
        statement = open_session_statement([column(Person.id) for column, _remember in extras])
        current_app.extensions[_SIGNED_IN_STATEMENT] = statement
    found = person_of_open_session(int(person_id), token, statement)
    if found is None:
        return None
    person, values = found
    # A bumped session version (new password, deactivation) ends every older session.
    if not person.active or person.session_version != int(version):
        return None
    for (_column, remember), value in zip(extras, values, strict=True):
        remember(person, value)
    return person


def _begin_session(person: Person) -> None:
    """A fresh session cookie (nothing planted before sign-in survives) tied to a server row."""
    language = session.get(LANGUAGE_KEY)
    session.clear()
    if language:
        session[LANGUAGE_KEY] = language
    login_user(person)
    session[SESSION_TOKEN_KEY] = start_session(person)


def _end_session_cookie() -> None:
    logout_user()
    language = session.get(LANGUAGE_KEY)
    session.clear()
    if language:
        session[LANGUAGE_KEY] = language


def _wait_message(seconds: int) -> str:
    if seconds < 120:
        return str(
            _(
                "Der har været for mange forkerte forsøg. Vent %(seconds)d sekunder, og prøv igen.",
                seconds=seconds,
            )
        )
    return str(
        _(
            "Der har været for mange forkerte forsøg. Vent %(minutes)d minutter, og prøv igen.",
            minutes=-(-seconds // 60),
        )
    )


@blueprint.route("/log-ind", methods=["GET", "POST"])
def signin() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = SigninForm()
    error = None
    if form.validate_on_submit():
        limit_signins()
        outcome = authenticate(form.email.data, form.password.data, request.remote_addr or "")
        if outcome.person is not None:
            _begin_session(outcome.person)
            db.session.commit()
            return redirect(safe_redirect_target(request.args.get("next"), url_for("core.home")))
        db.session.commit()
        messages = [_("E-mail eller adgangskode er forkert.")] if outcome.checked else []
        if outcome.wait_seconds:
            messages.append(_wait_message(outcome.wait_seconds))
        error = " ".join(messages)
    return render_template("auth/signin.html", form=form, error=error)


@blueprint.route("/log-ud", methods=["POST"])
@login_required
def signout() -> Response:
    log_access(AccessAction.SIGNOUT, subject=current_user, actor=current_user)
    end_session(session[SESSION_TOKEN_KEY])
    db.session.commit()
    _end_session_cookie()
    flash(_("Du er logget ud."), "success")
    return redirect(url_for("auth.signin"))


@blueprint.route("/log-ud/alle-steder", methods=["POST"])
@login_required
def signout_everywhere() -> Response:
    log_access(AccessAction.SIGNOUT, subject=current_user, actor=current_user, detail="everywhere")
    end_all_sessions(current_user)
    db.session.commit()
    _end_session_cookie()
    flash(_("Du er logget ud alle steder, også i denne browser."), "success")
    return redirect(url_for("auth.signin"))


@blueprint.route("/adgangskode", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        checked = check_current_password(current_user, form.current.data)
        if checked.person is None:
            db.session.commit()  # the failure is logged even though the form is shown again
            if checked.checked:
                form.current.errors.append(_("Den nuværende adgangskode er forkert."))
            if checked.wait_seconds:
                form.current.errors.append(_wait_message(checked.wait_seconds))
        else:
            problems = password_problems(
                form.password.data, email=current_user.email, name=current_user.name
            )
            if problems:
                form.password.errors.extend(problems)
            else:
                person = current_user._get_current_object()
                set_password(person, form.password.data)
                # Every session has ended; this browser gets a new one, the others stay out.
                _begin_session(person)
                db.session.commit()
                flash(
                    _("Din adgangskode er skiftet. Du er logget ud alle andre steder."), "success"
                )
                return redirect(url_for("core.home"))
    return render_template("auth/change_password.html", form=form)


@blueprint.route("/adgangskode/ny/<token>", methods=["GET", "POST"])
def password_link(token: str) -> str | Response | tuple[str, int]:
    link = valid_password_link(token)
    if link is None:
        log_access(AccessAction.DENIED, object_type="password_link", detail="expired or used link")
        return render_template("auth/link_invalid.html"), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        problems = password_problems(
            form.password.data, email=link.person.email, name=link.person.name
        )
        if problems:
            form.password.errors.extend(problems)
        else:
            use_password_link(link, form.password.data)
            db.session.commit()
            if current_user.is_authenticated:
                _end_session_cookie()
            flash(_("Din adgangskode er gemt. Log ind med den nye adgangskode."), "success")
            return redirect(url_for("auth.signin"))
    return render_template("auth/password_link.html", form=form, person=link.person)
