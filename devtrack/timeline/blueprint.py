from flask import Blueprint

blueprint = Blueprint("timeline", __name__, url_prefix="/tidslinje")
