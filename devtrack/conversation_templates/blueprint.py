from flask import Blueprint

blueprint = Blueprint("conversation_templates", __name__, url_prefix="/hr/skabeloner")
