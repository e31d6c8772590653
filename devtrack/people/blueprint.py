from flask import Blueprint

blueprint = Blueprint("people", __name__, url_prefix="/admin")
