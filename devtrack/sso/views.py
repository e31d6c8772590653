"""Sign-in through the municipality's identity provider, SAML 2.0 or OpenID Connect.

Both protocols end in `_signed_in`: the one place where an identity the provider vouched for
becomes a devtrack session, or a refusal.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from devtrack.audit.models import AccessAction
from devtrack.audit.services import log_access
from devtrack.auth.services import end_session
from devtrack.auth.signin import SESSION_TOKEN_KEY, begin_browser_session, end_browser_session
from devtrack.extensions import csrf, db
from devtrack.security import safe_redirect_target
from devtrack.sso.blueprint import blueprint
from devtrack.sso.services import (
    ExternalIdentity,
    admit,
    identity_from,
    log_refused_response,
    pending_request,
    remember_pending_request,
    use_assertion_once,
)
from devtrack.sso.settings import oidc_configured, saml_configured

# Where a signed-in session from single sign-on keeps what sign-out needs to end the identity
# provider's session too (the SAML NameID and session index, or the OIDC ID token).
IDP_SESSION_KEY = "idp"
NEXT_KEY = "sso_next"
logger = logging.getLogger(__name__)


def signin_buttons(next_page: str) -> list[tuple[str, str]]:
    """The sign-in page's buttons, registered with auth by the factory."""
    config = current_app.config
    query: dict[str, Any] = {"next": next_page} if next_page else {}
    buttons = []
    if saml_configured():
        label = config["SAML_BUTTON"] or _("Log ind med kommunens login")
        buttons.append((str(label), url_for("sso.saml_signin", **query)))
    if oidc_configured():
        label = config["OIDC_BUTTON"] or _("Log ind med kommunens login")
        if saml_configured() and not config["OIDC_BUTTON"]:
            label = _("Log ind med Microsoft-konto")
        buttons.append((str(label), url_for("sso.oidc_signin", **query)))
    return buttons


def idp_signout() -> str | None:
    """At sign-out: the identity provider's logout address for this session, if any."""
    idp_session = session.get(IDP_SESSION_KEY)
    if not isinstance(idp_session, dict):
        return None
    try:
        if idp_session.get("protocol") == "saml" and saml_configured():
            from devtrack.sso import saml

            return saml.logout_request_url(idp_session)
        if idp_session.get("protocol") == "oidc" and oidc_configured():
            from devtrack.sso import oidc

            return oidc.logout_url(idp_session)
    except Exception:  # the provider unreachable: devtrack's own session has ended anyway
        logger.exception("Could not reach the identity provider to end its session")
    return None


def _signed_in(
    identity: ExternalIdentity, next_page: str, idp_session: dict[str, str]
) -> Response | tuple[str, int]:
    admission = admit(identity)
    if admission.person is None:
        db.session.commit()
        return render_template("sso/refused.html", reason=admission.refusal), 403
    begin_browser_session(admission.person)
    session[IDP_SESSION_KEY] = idp_session
    db.session.commit()
    return redirect(safe_redirect_target(next_page, url_for("core.home")))


def _failed(protocol: Any, reason: str) -> tuple[str, int]:
    log_refused_response(protocol, reason)
    db.session.commit()
    return render_template("sso/refused.html", reason="invalid"), 400


def _next_page() -> str:
    return safe_redirect_target(request.args.get("next"), "")


# SAML 2.0


@blueprint.route("/saml/metadata")
def saml_metadata() -> Response:
    if not saml_configured():
        abort(404)
    from devtrack.sso import saml  # loaded only where configured and used

    return Response(saml.metadata_xml(), mimetype="application/samlmetadata+xml")


@blueprint.route("/log-ind/saml")
def saml_signin() -> Response:
    if not saml_configured():
        abort(404)
    from devtrack.sso import saml  # loaded only where configured and used

    request_id, location = saml.signin_request()
    remember_pending_request(request_id, _next_page())
    db.session.commit()
    return redirect(location)


@blueprint.route("/saml/acs", methods=["POST"])
@csrf.exempt
def saml_acs() -> Response | tuple[str, int]:
    """The identity provider's response (HTTP-POST binding); no cookie needed (cross-site)."""
    if not saml_configured():
        abort(404)
    from devtrack.sso import saml  # loaded only where configured and used

    pending = pending_request(request.form.get("RelayState", ""))
    if pending is None:
        return _failed("saml", "no pending request (unsolicited, or started too long ago)")
    try:
        signin = saml.read_response(request.form.get("SAMLResponse", ""), pending.request_id)
    except Exception as error:  # every failed check: signature, audience, time, decryption...
        return _failed("saml", f"{type(error).__name__}: {error}"[:300])
    expires = datetime.fromtimestamp(signin.expires_at_epoch, UTC)
    if not use_assertion_once(signin.assertion_id, expires):
        return _failed("saml", f"replayed assertion {signin.assertion_id}")
    identity = identity_from("saml", signin.attributes)
    return _signed_in(identity, pending.next_page, signin.idp_session)


@blueprint.route("/saml/logout", methods=["GET", "POST"])
@csrf.exempt
def saml_logout() -> Response:
    """Single logout, either binding: the answer to our LogoutRequest, or the provider's
    request to end this browser's session because the person signed out elsewhere."""
    if not saml_configured():
        abort(404)
    from devtrack.sso import saml  # loaded only where configured and used

    values = request.form if request.method == "POST" else request.args
    binding = saml.BINDINGS[request.method]
    if "SAMLResponse" in values:
        try:
            saml.read_logout_response(values["SAMLResponse"], binding)
        except Exception:
            logger.warning("A SAML logout response failed its checks", exc_info=True)
        return redirect(url_for("auth.signin"))
    if "SAMLRequest" not in values:
        abort(400)
    try:
        name_id, location = saml.answer_logout_request(
            values["SAMLRequest"], binding, values.get("RelayState", ""), dict(request.args)
        )
    except Exception:
        logger.warning("A SAML logout request failed its checks", exc_info=True)
        abort(400)
    idp_session = session.get(IDP_SESSION_KEY)
    if (
        isinstance(idp_session, dict)
        and idp_session.get("protocol") == "saml"
        and saml.same_subject(name_id, idp_session)
        and current_user.is_authenticated
    ):
        log_access(
            AccessAction.SIGNOUT,
            subject=current_user,
            actor=current_user,
            detail="saml single logout",
        )
        end_session(session[SESSION_TOKEN_KEY])
        db.session.commit()
        end_browser_session()
    return redirect(location)


# OpenID Connect


@blueprint.route("/log-ind/oidc")
def oidc_signin() -> Response:
    if not oidc_configured():
        abort(404)
    from devtrack.sso import oidc  # loaded only where configured and used

    session[NEXT_KEY] = _next_page()
    return oidc.signin_redirect()


@blueprint.route("/oidc/callback")
def oidc_callback() -> Response | tuple[str, int]:
    if not oidc_configured():
        abort(404)
    from devtrack.sso import oidc  # loaded only where configured and used

    if "error" in request.args:
        return _failed("oidc", f"provider answered {request.args.get('error', '')[:100]}")
    try:
        claims, idp_session = oidc.read_callback()
    except Exception as error:  # state, code exchange, ID-token signature or claims
        return _failed("oidc", f"{type(error).__name__}: {error}"[:300])
    next_page = str(session.pop(NEXT_KEY, ""))
    return _signed_in(identity_from("oidc", claims), next_page, idp_session)
