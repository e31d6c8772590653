"""SAML 2.0 service provider on pysaml2 (see README, "Single sign-on", for why pysaml2).

The configuration is built from the `SAML_*` settings once per process (the identity
provider's metadata is read then, and again after `METADATA_HOURS`); a client is made per
request, so nothing about a sign-in is kept in the process.
"""

from __future__ import annotations

import calendar
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app, url_for
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.mdstore import locations
from saml2.metadata import create_metadata_string
from saml2.saml import NameID, name_id_from_string
from saml2.sigver import get_xmlsec_binary
from saml2.time_util import str_to_time
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

CONFIG_KEY = "devtrack.saml_config"
METADATA_HOURS = 12


BINDINGS = {"GET": BINDING_HTTP_REDIRECT, "POST": BINDING_HTTP_POST}


def _public(endpoint: str) -> str:
    """An address of devtrack as the identity provider knows it (`PUBLIC_URL`)."""
    return str(current_app.config["PUBLIC_URL"]).rstrip("/") + url_for(endpoint)


def entity_id() -> str:
    return str(current_app.config["SAML_ENTITY_ID"] or _public("sso.saml_metadata"))


def _instance_file(name: str) -> str:
    return str(Path(current_app.instance_path) / str(current_app.config[name]))


def _build_config() -> SPConfig:
    config = current_app.config
    source = str(config["SAML_IDP_METADATA"])
    metadata: dict[str, Any]
    if source.startswith(("https://", "http://")):
        metadata = {"remote": [{"url": source}]}
    else:
        metadata = {"local": [str(Path(current_app.instance_path) / source)]}
    key, cert = _instance_file("SAML_KEY_FILE"), _instance_file("SAML_CERT_FILE")
    endpoint = _public("sso.saml_logout")
    settings = {
        "entityid": entity_id(),
        "xmlsec_binary": get_xmlsec_binary(["/usr/bin", "/usr/local/bin"]),
        "key_file": key,
        "cert_file": cert,
        "encryption_keypairs": [{"key_file": key, "cert_file": cert}],
        "metadata": metadata,
        "accepted_time_diff": int(config["SAML_CLOCK_SKEW_SECONDS"]),
        "allow_unknown_attributes": True,
        "service": {
            "sp": {
                "name": config["ORGANISATION_NAME"],
                "endpoints": {
                    "assertion_consumer_service": [(_public("sso.saml_acs"), BINDING_HTTP_POST)],
                    "single_logout_service": [
                        (endpoint, BINDING_HTTP_REDIRECT),
                        (endpoint, BINDING_HTTP_POST),
                    ],
                },
                "allow_unsolicited": False,
                "authn_requests_signed": True,
                "logout_requests_signed": True,
                "logout_responses_signed": True,
                # The assertion or the whole response must carry the provider's signature.
                "want_response_signed": False,
                "want_assertions_signed": False,
                "want_assertions_or_response_signed": True,
                "signing_algorithm": SIG_RSA_SHA256,
                "digest_algorithm": DIGEST_SHA256,
            }
        },
    }
    sp_config = SPConfig()
    sp_config.load(settings)
    return sp_config


def client() -> Saml2Client:
    cached = current_app.extensions.get(CONFIG_KEY)
    if cached is None or cached[0] < time.monotonic() - METADATA_HOURS * 3600:
        cached = (time.monotonic(), _build_config())
        current_app.extensions[CONFIG_KEY] = cached
    return Saml2Client(config=cached[1])


def _identity_provider(saml: Saml2Client) -> str:
    providers = saml.metadata.identity_providers()
    if not providers:
        raise ValueError("the SAML metadata names no identity provider")
    return str(providers[0])


def metadata_xml() -> bytes:
    """devtrack's metadata, signed with its key, for the identity provider's administrator."""
    saml = client()
    text = create_metadata_string(
        None,
        saml.config,
        valid=24 * 365,
        sign=True,
        sign_alg=SIG_RSA_SHA256,
        digest_alg=DIGEST_SHA256,
    )
    return text if isinstance(text, bytes) else str(text).encode("utf-8")


def signin_request() -> tuple[str, str]:
    """A signed AuthnRequest (HTTP-Redirect binding): its id and the address to send it to."""
    saml = client()
    request_id = "_" + secrets.token_hex(20)
    _id, info = saml.prepare_for_authenticate(
        entityid=_identity_provider(saml),
        relay_state=request_id,
        binding=BINDING_HTTP_REDIRECT,
        sign=True,
        sigalg=SIG_RSA_SHA256,
        digest_alg=DIGEST_SHA256,
        message_id=request_id,
    )
    return request_id, dict(info["headers"])["Location"]


@dataclass(frozen=True)
class SamlSignin:
    assertion_id: str
    expires_at_epoch: int
    attributes: dict[str, list[str]]
    idp_session: dict[str, str]


def read_response(encoded: str, request_id: str) -> SamlSignin:
    """Check a response (POST binding) to our request `request_id`; raise if it fails a check.

    pysaml2 checks the signature (of the response or of the assertion: one is required),
    decrypts an encrypted assertion, and checks issuer, audience, destination, recipient,
    InResponseTo and the time limits (with `SAML_CLOCK_SKEW_SECONDS` of skew).
    """
    saml = client()
    response = saml.parse_authn_request_response(
        encoded, BINDING_HTTP_POST, outstanding={request_id: "/"}
    )
    if response is None or response.assertion is None:
        raise ValueError("no assertion")
    assertion = response.assertion
    attributes: dict[str, list[str]] = {}
    for statement in assertion.attribute_statement or []:
        for attribute in statement.attribute or []:
            values = [value.text or "" for value in attribute.attribute_value or []]
            attributes.setdefault(str(attribute.name), []).extend(values)
    expires = int(time.time()) + 3600
    if assertion.conditions is not None and assertion.conditions.not_on_or_after:
        expires = calendar.timegm(str_to_time(assertion.conditions.not_on_or_after))
    info = response.session_info()
    name_id = info.get("name_id")
    return SamlSignin(
        assertion_id=str(assertion.id),
        expires_at_epoch=expires,
        attributes=attributes,
        idp_session={
            "protocol": "saml",
            "name_id": str(name_id) if name_id is not None else "",
            "session_index": str(info.get("session_index") or ""),
        },
    )


def logout_request_url(idp_session: dict[str, str]) -> str | None:
    """A signed LogoutRequest for the provider's session, or None if it has no logout."""
    saml = client()
    provider = _identity_provider(saml)
    services = saml.metadata.single_logout_service(provider, typ="idpsso")
    service = services.get(BINDING_HTTP_REDIRECT)
    destination = next(locations(service), None) if service else None
    if not destination or not idp_session.get("name_id"):
        return None
    name_id = name_id_from_string(idp_session["name_id"])
    indexes = [idp_session["session_index"]] if idp_session.get("session_index") else None
    _request_id, request = saml.create_logout_request(
        destination, provider, name_id=name_id, session_indexes=indexes, sign=False
    )
    info = saml.apply_binding(
        BINDING_HTTP_REDIRECT, str(request), destination, "", sign=True, sigalg=SIG_RSA_SHA256
    )
    return str(dict(info["headers"])["Location"])


def same_subject(name_id: NameID | None, idp_session: dict[str, str]) -> bool:
    """Whether a LogoutRequest's NameID is the one this browser's session was started with."""
    if name_id is None or not idp_session.get("name_id"):
        return False
    ours = name_id_from_string(idp_session["name_id"])
    return bool(ours is not None and ours.text == name_id.text)


def read_logout_response(encoded: str, binding: str) -> bool:
    """The provider's answer to our LogoutRequest, signature checked: did it succeed?"""
    response = client().parse_logout_request_response(encoded, binding)
    return response is not None


def answer_logout_request(
    encoded: str, binding: str, relay_state: str, query: dict[str, str]
) -> tuple[NameID | None, str]:
    """A LogoutRequest from the provider (another application signed out): who it is for and
    the address of our signed answer (HTTP-Redirect binding)."""
    saml = client()
    request = saml.parse_logout_request(
        encoded,
        binding,
        relay_state=relay_state,
        sigalg=query.get("SigAlg"),
        signature=query.get("Signature"),
    )
    message = request.message
    response = saml.create_logout_response(message, [BINDING_HTTP_REDIRECT], sign=False)
    info = saml.apply_binding(
        BINDING_HTTP_REDIRECT,
        str(response),
        saml.response_args(message, [BINDING_HTTP_REDIRECT])["destination"],
        relay_state,
        response=True,
        sign=True,
        sigalg=SIG_RSA_SHA256,
    )
    return message.name_id, str(dict(info["headers"])["Location"])
