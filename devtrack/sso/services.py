"""Who an identity from the municipality's identity provider is in devtrack: the one rule.

Both protocols (SAML in `sso.saml`, OpenID Connect in `sso.oidc`) turn what the provider said
into an `ExternalIdentity` with `identity_from`, and ask `admit` whether that person may come
in. People come from the organisation import, never from the identity provider: an identity
that is not an active person is refused (and the refusal is in the access log).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from devtrack.audit.models import AccessAction
from devtrack.audit.services import log_access
from devtrack.auth.services import normalise_email
from devtrack.config import DefaultConfig
from devtrack.extensions import db
from devtrack.i18n import utcnow
from devtrack.people.models import Person
from devtrack.sso.models import SamlPendingRequest, SamlUsedAssertion

Protocol = Literal["saml", "oidc"]
MATCH_FIELDS = ("email", "employee_number")
# How long a sign-in started at devtrack may take at the identity provider.
PENDING_REQUEST_MINUTES = 15


@dataclass(frozen=True)
class ExternalIdentity:
    protocol: Protocol
    # The person's field it is matched on (`<PROTOCOL>_IDENTIFIER`) and the value sent for it.
    match_field: str
    identifier: str
    groups: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Admission:
    person: Person | None
    # Why not: "unknown", "deactivated" or "no identifier"; empty when admitted.
    refusal: str = ""


def _setting(protocol: Protocol, name: str) -> object:
    return current_app.config[f"{protocol.upper()}_{name}"]


def identity_from(
    protocol: Protocol, values: Mapping[str, Iterable[str] | str]
) -> ExternalIdentity:
    """Read the identity out of the attributes (SAML) or claims (OIDC) the provider sent, by
    the configured names (`SAML_ATTRIBUTES`, `OIDC_CLAIMS`)."""
    setting = "ATTRIBUTES" if protocol == "saml" else "CLAIMS"
    configured = _setting(protocol, setting)
    # A configured mapping changes the names it gives; the others keep their defaults.
    names = {
        **getattr(DefaultConfig, f"{protocol.upper()}_{setting}"),
        **(configured if isinstance(configured, Mapping) else {}),
    }
    match_field = str(_setting(protocol, "IDENTIFIER"))
    if match_field not in MATCH_FIELDS:
        match_field = "email"

    def all_of(key: str) -> list[str]:
        found = values.get(str(names.get(key, "")), [])
        if isinstance(found, str):
            return [found]
        return [str(value) for value in found if value is not None]

    identifiers = [value.strip() for value in all_of(match_field) if value.strip()]
    return ExternalIdentity(
        protocol=protocol,
        match_field=match_field,
        identifier=identifiers[0] if identifiers else "",
        groups=frozenset(all_of("groups")),
    )


def admit(identity: ExternalIdentity) -> Admission:
    """The active person the identity belongs to, signed in (and logged), or a logged refusal.

    With `<PROTOCOL>_HR_GROUP` / `_ADMIN_GROUP` set, the provider's groups decide those roles on
    every sign-in (given and taken away); unset, devtrack's own roles stand.
    """
    protocol = identity.protocol
    if not identity.identifier:
        return _refuse(None, identity, "no identifier")
    if identity.match_field == "email":
        condition = Person.email == normalise_email(identity.identifier)
    else:
        condition = Person.employee_number == identity.identifier
    person = db.session.scalar(select(Person).where(condition))
    if person is None:
        return _refuse(None, identity, "unknown")
    if not person.active:
        return _refuse(person, identity, "deactivated")
    for role, setting in (("is_hr", "HR_GROUP"), ("is_admin", "ADMIN_GROUP")):
        group = str(_setting(protocol, setting) or "")
        if group and getattr(person, role) != (group in identity.groups):
            setattr(person, role, group in identity.groups)
            log_access(
                AccessAction.UPDATE,
                subject=person,
                actor=person,
                object_type="role",
                detail=f"{role}={group in identity.groups} from {protocol} group",
            )
    person.last_signin_at = utcnow()
    log_access(AccessAction.SIGNIN, subject=person, actor=person, detail=protocol)
    db.session.flush()
    return Admission(person)


def _refuse(person: Person | None, identity: ExternalIdentity, reason: str) -> Admission:
    detail = f"{identity.protocol}: {reason}"
    if person is None and identity.identifier:
        # Who tried: the only trace of someone devtrack does not know.
        detail += f" ({identity.match_field} {identity.identifier[:200]})"
    log_access(AccessAction.SIGNIN_FAILED, subject=person, actor=person, detail=detail)
    current_app.logger.warning("Single sign-on refused (%s)", detail)
    return Admission(None, reason)


def remember_pending_request(request_id: str, next_page: str) -> None:
    """An AuthnRequest on its way to the identity provider; its answer must come back soon."""
    db.session.execute(
        delete(SamlPendingRequest).where(
            SamlPendingRequest.created_at < utcnow() - timedelta(minutes=PENDING_REQUEST_MINUTES)
        )
    )
    db.session.add(SamlPendingRequest(request_id=request_id[:100], next_page=next_page))
    db.session.flush()


def pending_request(request_id: str) -> SamlPendingRequest | None:
    """The unexpired request a response says it answers (the RelayState names it), or None."""
    pending: SamlPendingRequest | None = db.session.get(SamlPendingRequest, request_id[:100])
    too_old = utcnow() - timedelta(minutes=PENDING_REQUEST_MINUTES)
    if pending is None or pending.created_at < too_old:
        return None
    return pending


def use_assertion_once(assertion_id: str, expires_at: datetime) -> bool:
    """Record an assertion as used; False if it was used before (a replay).

    In the database, so a response replayed to another app server is refused there too; the
    primary key settles two servers receiving it at the same moment.
    """
    db.session.execute(delete(SamlUsedAssertion).where(SamlUsedAssertion.expires_at < utcnow()))
    if db.session.get(SamlUsedAssertion, assertion_id) is not None:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(SamlUsedAssertion(assertion_id=assertion_id, expires_at=expires_at))
    except IntegrityError:
        return False
    return True


def log_refused_response(protocol: Protocol, reason: str) -> None:
    """A response that failed its checks (signature, audience, time, replay...)."""
    detail = f"{protocol}: invalid response ({reason})"[:500]
    log_access(AccessAction.SIGNIN_FAILED, detail=detail)
    current_app.logger.warning("Single sign-on response refused (%s)", reason)
