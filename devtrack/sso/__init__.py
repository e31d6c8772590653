"""Single sign-on: SAML 2.0 and OpenID Connect, one rule for who may come in."""
