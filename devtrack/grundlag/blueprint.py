from flask import Blueprint

blueprint = Blueprint("grundlag", __name__, url_prefix="/grundlag")
