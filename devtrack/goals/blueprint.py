from flask import Blueprint

blueprint = Blueprint("goals", __name__, url_prefix="/maal")
