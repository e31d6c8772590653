from flask import Blueprint

blueprint = Blueprint("mydata", __name__, url_prefix="/mine-data")
