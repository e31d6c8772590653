from flask import Blueprint

blueprint = Blueprint("audit", __name__, url_prefix="/admin/adgangslog")
