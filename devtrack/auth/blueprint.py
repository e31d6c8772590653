from flask import Blueprint

blueprint = Blueprint("auth", __name__)

# app.extensions key: (column, remember) pairs. `column(Person.id)` is a scalar subquery loaded
# in the same query as the signed-in person; `remember(person, value)` keeps it for the
# request. What every page needs besides the person (the unread count, which grundlag is in
# use, whether the person leads a unit) thus costs no query of its own.
SIGNED_IN_EXTRAS = "devtrack.signed_in_extras"
