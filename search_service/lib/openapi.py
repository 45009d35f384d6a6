"""OpenAPI query parameters generated from a Struct, for handlers whose parameters are decoded
by ``decoding.py`` (one parser) rather than by Litestar's signature."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import msgspec
from litestar.openapi.spec import Operation, Parameter, Schema
from litestar.openapi.spec.enums import OpenAPIType

_KEYWORDS = {
    "minimum": "minimum",
    "maximum": "maximum",
    "minLength": "min_length",
    "maxLength": "max_length",
    "maxItems": "max_items",
    "pattern": "pattern",
    "description": "description",
    "enum": "enum",
    "default": "default",
}


def _schema(raw: dict[str, Any]) -> Schema:
    options = [o for o in raw.get("anyOf", []) if o.get("type") != "null"]
    if options:  # `X | None`: in a query string, absent is the None
        return _schema({**options[0], **{k: v for k, v in raw.items() if k != "anyOf"}})
    kwargs: dict[str, Any] = {attr: raw[key] for key, attr in _KEYWORDS.items() if key in raw}
    if "type" in raw:
        kwargs["type"] = OpenAPIType(raw["type"])
    elif "enum" in raw:
        kwargs["type"] = OpenAPIType.STRING
    if "items" in raw:
        kwargs["items"] = _schema(raw["items"])
    return Schema(**kwargs)


def query_parameters(fields: Iterable[msgspec.structs.FieldInfo]) -> list[Parameter]:
    """One query parameter per field, its schema from the field's annotated type."""
    out = []
    for field in fields:
        raw = msgspec.json.schema(field.type)
        if field.default not in (msgspec.NODEFAULT, None, ()):
            raw = {**raw, "default": field.default}
        schema = _schema(raw)
        out.append(
            Parameter(
                name=field.encode_name,
                param_in="query",
                schema=schema,
                description=schema.description,
                required=False,
            )
        )
    return out


def operation_with(parameters: list[Parameter]) -> type[Operation]:
    """An Operation class that documents ``parameters`` besides what Litestar found."""

    @dataclass
    class _WithParameters(Operation):
        def __post_init__(self) -> None:
            self.parameters = [*(self.parameters or []), *parameters]

    return _WithParameters
