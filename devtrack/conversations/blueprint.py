from flask import Blueprint

blueprint = Blueprint("conversations", __name__, url_prefix="/samtaler")

# The leader's overview of their direct reports lives at the top level.
team_blueprint = Blueprint("team", __name__)
