"""Reading who signed in from the identity provider's attributes, by the configured names."""

from __future__ import annotations

import pytest
from flask import Flask

from devtrack.sso.services import identity_from


def test_oiosaml_3_names_work_out_of_the_box_and_a_partial_mapping_keeps_the_other_defaults(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    attributes = {
        "https://data.gov.dk/model/core/eid/email": ["Emma@Test.dk"],
        "https://data.gov.dk/model/core/eid/professional/uuid/persistent": ["E1"],
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress": ["adfs@test.dk"],
        "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups": ["hr", "alle"],
    }
    identity = identity_from("saml", attributes)
    assert (identity.match_field, identity.identifier) == ("email", "Emma@Test.dk")
    assert identity.groups == frozenset({"hr", "alle"})

    adfs_email = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
    monkeypatch.setitem(app.config, "SAML_ATTRIBUTES", {"email": adfs_email})
    assert identity_from("saml", attributes).identifier == "adfs@test.dk"
    assert identity_from("saml", attributes).groups == frozenset({"hr", "alle"})

    monkeypatch.setitem(app.config, "SAML_IDENTIFIER", "employee_number")
    assert identity_from("saml", attributes).identifier == "E1"
    assert identity_from("saml", {}).identifier == ""
