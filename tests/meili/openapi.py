"""Validate the requests our adapter sends against Meilisearch's official OpenAPI spec."""

from __future__ import annotations

import copy
import functools
import json
from typing import Any
from urllib.parse import parse_qs

from openapi_core import OpenAPI
from openapi_core.testing import MockRequest

from tests.meili.shared import SPEC

# Request bodies whose keys must all be known to the spec (it does not forbid unknown keys,
# so a misspelt field would otherwise validate).
KNOWN_KEYS = {
    ("post", "/multi-search"): ("queries[]", "SearchQueryWithIndex"),
    ("patch", "/indexes/{index_uid}/settings"): ("", "Settings_Unchecked"),
    ("post", "/indexes"): ("", "IndexCreateRequest"),
}


@functools.cache
def _spec() -> dict[str, Any]:
    spec = json.loads(SPEC.read_text())
    patched = copy.deepcopy(spec)
    # The spec models AttributePatterns as {"patterns": [...]}, but the engine (de)serialises
    # it as a plain array of strings (NOTES §0.1); validate against what the engine reads.
    patched["components"]["schemas"]["AttributePatterns"] = {
        "type": "array",
        "items": {"type": "string"},
    }
    return patched


# The spec's unsigned-integer formats (Rust's u8/u32/u64), checked by their real ranges.
UNSIGNED_BITS = {"u-int8": 8, "u-int32": 32, "u-int64": 64}


def _unsigned(bits: int) -> Any:
    def check(value: Any) -> bool:
        number = int(value) if isinstance(value, str) and value.isdigit() else value
        return isinstance(number, int) and 0 <= number < 2**bits

    return check


@functools.cache
def _openapi() -> OpenAPI:
    from openapi_core import Config

    validators = {name: _unsigned(bits) for name, bits in UNSIGNED_BITS.items()}
    unmarshallers = {name: int for name in UNSIGNED_BITS}
    return OpenAPI.from_dict(
        _spec(),
        config=Config(
            spec_validator_cls=None,
            extra_format_validators=validators,
            extra_format_unmarshallers=unmarshallers,
        ),
    )


def _properties(schema_name: str) -> set[str]:
    return set(_spec()["components"]["schemas"][schema_name].get("properties", {}))


def _check_known_keys(method: str, pattern: str, body: Any) -> None:
    rule = KNOWN_KEYS.get((method, pattern))
    if rule is None or body is None:
        return
    where, schema = rule
    items = body["queries"] if where == "queries[]" else [body]
    allowed = _properties(schema)
    for item in items:
        unknown = set(item) - allowed
        assert not unknown, f"{method.upper()} {pattern}: keys unknown to {schema}: {unknown}"


def validate(method: str, path: str, query: str, headers: dict[str, str], body: bytes) -> None:
    """Raise if the request breaks the spec (schema, parameters, or unknown body keys)."""
    request = MockRequest(
        "http://localhost:7700",
        method.lower(),
        path,
        args=parse_qs(query),
        headers=headers,
        data=body or None,
        content_type=headers.get("content-type", "application/json").split(";")[0],
    )
    result = _openapi().unmarshal_request(request)
    if result.errors:
        details = "; ".join(str(e) + " " + str(getattr(e, "__cause__", "")) for e in result.errors)
        raise AssertionError(f"{method} {path}: {details}")
    pattern = _pattern_of(method.lower(), path)
    _check_known_keys(method.lower(), pattern, json.loads(body) if body else None)


def _pattern_of(method: str, path: str) -> str:
    parts = path.strip("/").split("/")
    for pattern, operations in _spec()["paths"].items():
        if method not in operations:
            continue
        pattern_parts = pattern.strip("/").split("/")
        if len(pattern_parts) == len(parts) and all(
            p.startswith("{") or p == a for p, a in zip(pattern_parts, parts, strict=True)
        ):
            return pattern
    raise AssertionError(f"{method.upper()} {path} is not in the OpenAPI spec")
