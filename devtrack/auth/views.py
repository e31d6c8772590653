from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from devtrack.audit.models import AccessAction
from devtrack.audit.services import log_access
from devtrack.auth.blueprint import IDP_SIGNOUT, SIGNED_IN_EXTRAS, SIGNIN_BUTTONS, blueprint
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
    use_password_link,
    valid_password_link,
)
from devtrack.auth.signin import (
    SESSION_TOKEN_KEY,
    begin_browser_session,
    end_browser_session,
    password_signin_mode,
)
from devtrack.extensions import db, login_manager
from devtrack.limits.services import limit_signins
from devtrack.people.models import Person
from devtrack.security import safe_redirect_target

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
def signin() -> str | Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    next_page = safe_redirect_target(request.args.get("next"), "")
    # The municipality's sign-in (single sign-on), registered by devtrack.sso, comes first.
    buttons = [
        button
        for provider in current_app.extensions.get(SIGNIN_BUTTONS, [])
        for button in provider(next_page)
    ]
    mode = password_signin_mode()
    form = SigninForm()
    error = None
    if mode == "off":
        if request.method == "POST":
            log_access(AccessAction.SIGNIN_FAILED, detail="password sign-in is off")
            error = _("Log ind med kommunens login. Der logges ikke ind med adgangskode.")
        return render_template(
            "auth/signin.html", form=None, error=error, buttons=buttons, mode=mode
        ), (403 if error else 200)
    if form.validate_on_submit():
        limit_signins()
        outcome = authenticate(form.email.data, form.password.data, request.remote_addr or "")
        if outcome.person is not None:
            begin_browser_session(outcome.person)
            db.session.commit()
            return redirect(next_page or url_for("core.home"))
        db.session.commit()
        messages = [_("E-mail eller adgangskode er forkert.")] if outcome.checked else []
        if outcome.wait_seconds:
            messages.append(_wait_message(outcome.wait_seconds))
        error = " ".join(messages)
    return render_template("auth/signin.html", form=form, error=error, buttons=buttons, mode=mode)


@blueprint.route("/log-ud", methods=["POST"])
@login_required
def signout() -> Response | str:
    log_access(AccessAction.SIGNOUT, subject=current_user, actor=current_user)
    end_session(session[SESSION_TOKEN_KEY])
    db.session.commit()
    # Signed in through the municipality's identity provider: end that session too (single
    # logout), where it supports it; the provider sends the browser back to the sign-in page.
    idp_signout = current_app.extensions.get(IDP_SIGNOUT)
    continue_to = idp_signout() if idp_signout else None
    end_browser_session()
    if continue_to:
        # A page that moves on by itself (meta refresh): a redirect answering the sign-out form
        # would be held to the form-action of the content security policy, this site only.
        # The message waits for the sign-in page the provider sends the browser back to.
        moving_on = render_template("auth/signing_out.html", continue_to=continue_to)
        flash(_("Du er logget ud."), "success")
        return moving_on
    flash(_("Du er logget ud."), "success")
    return redirect(url_for("auth.signin"))


@blueprint.route("/log-ud/alle-steder", methods=["POST"])
@login_required
def signout_everywhere() -> Response:
    log_access(AccessAction.SIGNOUT, subject=current_user, actor=current_user, detail="everywhere")
    end_all_sessions(current_user)
    db.session.commit()
    end_browser_session()
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
                begin_browser_session(person)
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
                end_browser_session()
            flash(_("Din adgangskode er gemt. Log ind med den nye adgangskode."), "success")
            return redirect(url_for("auth.signin"))
    return render_template("auth/password_link.html", form=form, person=link.person)
