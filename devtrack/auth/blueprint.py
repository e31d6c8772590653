from flask import Blueprint

blueprint = Blueprint("auth", __name__)

# app.extensions key: (column, remember) pairs. `column(Person.id)` is a scalar subquery loaded
# in the same query as the signed-in person; `remember(person, value)` keeps it for the
# request. What every page needs besides the person (the unread count, which grundlag is in
# use, whether the person leads a unit) thus costs no query of its own.
SIGNED_IN_EXTRAS = "devtrack.signed_in_extras"

# app.extensions key: functions `(next_page) -> [(label, url)]`, the buttons of the identity
# providers the sign-in page shows above the password form (registered by devtrack.sso).
SIGNIN_BUTTONS = "devtrack.signin_buttons"
# app.extensions key: a function called at sign-out, before the session cookie is cleared,
# returning where the browser goes next to end the identity provider's session, or None.
IDP_SIGNOUT = "devtrack.idp_signout"
