from flask import Blueprint

blueprint = Blueprint("people", __name__, url_prefix="/admin")

# Pages about people for everyone signed in (the admin pages live under /admin).
profiles = Blueprint("profiles", __name__)
