"""Reading a JSON body into a pydantic model, with every bad field named."""

from __future__ import annotations

from typing import TypeVar

from flask import request
from pydantic import BaseModel, TypeAdapter, ValidationError

from governance.services.errors import ValidationFailed

M = TypeVar("M")


def parse_body(model: type[M] | TypeAdapter) -> M:
    """Validate the request body strictly; a malformed or invalid body is a 422 naming fields."""
    adapter = model if isinstance(model, TypeAdapter) else TypeAdapter(model)
    raw = request.get_data(cache=True)
    if not request.is_json:
        raise ValidationFailed({"body": "Send JSON with Content-Type: application/json."})
    try:
        return adapter.validate_json(raw or b"")
    except ValidationError as exc:
        raise ValidationFailed(_fields(exc)) from None


def _fields(exc: ValidationError) -> dict[str, str]:
    fields: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        location = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error["loc"])
        name = location.lstrip(".") or "body"
        message = "Unknown field." if error["type"] == "extra_forbidden" else error["msg"]
        fields.setdefault(name, message)
    return fields


class StrictModel(BaseModel):
    """Request bodies: strict types, unknown fields refused (no mass assignment)."""

    model_config = {"strict": True, "extra": "forbid"}
