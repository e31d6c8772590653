from flask import Blueprint

blueprint = Blueprint("feedback", __name__, url_prefix="/feedback")
