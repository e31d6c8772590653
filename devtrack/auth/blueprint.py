from flask import Blueprint

blueprint = Blueprint("auth", __name__)
