"""The API blueprint every resource module attaches its views to."""

from flask import Blueprint

from governance.api.errors import service_error
from governance.services.errors import ServiceError

bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.register_error_handler(ServiceError, service_error)
