"""One way to decode untrusted input into a typed Struct: query strings, forms, settings.

Each field is converted on its own with its annotated type (constraints included), so every
error names its field and says what the field allows, without parsing error messages; all the
fields' errors are reported together.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from types import UnionType
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

import msgspec
import msgspec.inspect as mi

from search_service.lib.errors import FieldError, Invalid

T = TypeVar("T", bound=msgspec.Struct)


def _join(values: list[str]) -> str:
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]


def _describe_info(info: mi.Type) -> str | None:
    if isinstance(info, mi.Metadata):
        description = (info.extra_json_schema or {}).get("description")
        return str(description) if description else _describe_info(info.type)
    if isinstance(info, mi.UnionType):
        described = [d for t in info.types if (d := _describe_info(t))]
        return described[0] if described else None
    if isinstance(info, mi.LiteralType):
        return _join(sorted(str(v) for v in info.values))
    if isinstance(info, mi.BoolType):
        return "true or false"
    if isinstance(info, mi.IntType):
        if info.ge is not None and info.le is not None:
            return f"a whole number from {info.ge:,} to {info.le:,}"
        return "a whole number"
    if isinstance(info, mi.FloatType):
        if info.ge is not None and info.le is not None:
            return f"a number from {info.ge:g} to {info.le:g}"
        return "a number"
    if isinstance(info, mi.UUIDType):
        return "an id (a UUID)"
    if isinstance(info, mi.StrType):
        if info.max_length is not None:
            shortest = f"{info.min_length} to " if info.min_length else "at most "
            return f"text of {shortest}{info.max_length:,} characters"
        return "text"
    if isinstance(info, mi.VarTupleType | mi.ListType):
        item = _describe_info(info.item_type)
        return f"{item}, repeatable" if item else None
    return None


def _literal_values(annotation: Any) -> tuple[Any, ...] | None:
    """A Literal's values in the order they were declared (msgspec sorts them)."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, UnionType):
        options = [a for a in get_args(annotation) if a is not type(None)]
        annotation = options[0] if len(options) == 1 else annotation
    return get_args(annotation) if get_origin(annotation) is Literal else None


@functools.cache
def describe(annotation: Any) -> str | None:
    """What a field of this (annotated) type allows, in words."""
    info = mi.type_info(annotation)
    described = isinstance(info, mi.Metadata) and bool(
        (info.extra_json_schema or {}).get("description")
    )
    values = _literal_values(annotation)
    if values is not None and not described:
        return _join([str(v) for v in values])
    return _describe_info(info)


@functools.cache
def _fields(cls: type[msgspec.Struct]) -> dict[str, msgspec.structs.FieldInfo]:
    return {f.encode_name: f for f in msgspec.structs.fields(cls)}


def _pattern(info: mi.Type) -> str | None:
    """The pattern a text field must match, if any."""
    if isinstance(info, mi.Metadata):
        return _pattern(info.type)
    if isinstance(info, mi.UnionType):
        return next((p for t in info.types if (p := _pattern(t))), None)
    return info.pattern if isinstance(info, mi.StrType) else None


# A pattern that is a set of characters, any number of them: ``^[^<>]*$`` (``$(?!\n)``),
# ``+`` for one or more, after a lookahead that asks something of the whole (``(?=.*\S)``).
_CHARACTER_SET = re.compile(r"^\^(?:\(\?=.*?\)(?=\[))?(\[[^\]]*\])[*+]\$(?:\(\?!\\n\))?$")


@functools.lru_cache(maxsize=64)
def _allowed(pattern: str) -> re.Pattern[str] | None:
    """One allowed character of a character-set pattern, or None for a pattern of another
    shape (such as "8 not spaces")."""
    found = _CHARACTER_SET.match(pattern)
    return re.compile(found.group(1)) if found else None


def _refused_character(annotation: Any, value: Any) -> str | None:
    """The first character of ``value`` that the field's pattern refuses, for patterns that
    judge characters one by one."""
    pattern = _pattern(mi.type_info(annotation))
    allowed = _allowed(pattern) if isinstance(value, str) and pattern is not None else None
    if allowed is None:
        return None
    return next((ch for ch in value if not allowed.fullmatch(ch)), None)


def _shown(ch: str) -> str:
    kind = unicodedata.category(ch)
    if ch.isprintable() and not kind.startswith(("C", "Z")):
        return f"“{ch}”"
    if kind == "Zs":  # seen, as a gap: "bad code!" is refused for its space, not for "!"
        return "a space" if ch == " " else f"a space (U+{ord(ch):04X})"
    return f"an invisible or control character (U+{ord(ch):04X})"


def _reason(exc: msgspec.ValidationError) -> str:
    # msgspec says "Expected `int` >= 1 - at `$[0]`"; the part before the location is the
    # reason (the field is known already).
    return str(exc).split(" - at ", 1)[0]


def decode_fields(cls: type[T], data: Mapping[str, Any], *, ignore_unknown: bool = True) -> T:
    """Convert ``data`` (strings welcome: ``"3"`` for an int, ``"true"`` for a bool) into
    ``cls``, field by field.

    Raises:
        Invalid: naming every field that is missing or wrong and what each allows.
    """
    fields = _fields(cls)
    values: dict[str, Any] = {}
    errors: list[FieldError] = []
    for name, raw in data.items():
        info = fields.get(name)
        if info is None:
            if not ignore_unknown:
                errors.append(FieldError(name=name, reason=f"{name} is not expected here"))
            continue
        kind = _number_kind(info.type)
        if isinstance(raw, str) and kind is not None:
            written = raw.strip()
            if kind is int and not _WHOLE.match(written):
                # msgspec reads "1e2" and "100.0" as whole numbers: refused as described.
                errors.append(
                    FieldError(
                        name=name,
                        reason=f"{name} must be a whole number",
                        allowed=describe(info.type),
                    )
                )
                continue
            if kind is int:
                # Past 20 digits it is out of every range (and int() refuses 4,301 digits).
                raw = int(written) if len(written) <= 20 else written
            elif _DECIMAL.match(written) and len(written) <= 40:
                raw = float(written)  # ".5", "1." and "+0.5" too, as Python and browsers read them
        try:
            values[info.name] = msgspec.convert(raw, info.type, strict=False)
        except msgspec.ValidationError as exc:
            refused = _refused_character(info.type, raw)
            # A character the field refuses is named ("may not contain “<”"), where msgspec
            # says only that the text does not match the field's pattern.
            reason = _reason(exc)
            if refused is not None:
                reason = f"{name} may not contain {_shown(refused)}"
            errors.append(FieldError(name=name, reason=reason, allowed=describe(info.type)))
    for name, info in fields.items():
        required = info.default is msgspec.NODEFAULT and info.default_factory is msgspec.NODEFAULT
        if required and info.name not in values and name not in {e.name for e in errors}:
            errors.append(FieldError(name=name, reason="required", allowed=describe(info.type)))
    if errors:
        # In the fields' order (a form's, top to bottom: the first in error is focused),
        # whether a field came wrong or did not come at all (a form leaves a blank one out).
        place = {name: n for n, name in enumerate(fields)}
        errors.sort(key=lambda e: place.get(e.name, len(place)))
        raise Invalid.of(errors)
    return cls(**values)


_WHOLE = re.compile(r"^[+-]?[0-9]+$")  # ASCII digits: "٣" and "２" are no page number
_DECIMAL = re.compile(r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")


@functools.cache
def _number_kind(annotation: Any) -> type | None:
    """``int`` or ``float`` for a (possibly optional) number field, else None."""
    info = mi.type_info(annotation)
    while isinstance(info, mi.Metadata):
        info = info.type
    if isinstance(info, mi.UnionType):
        given = [t for t in info.types if not isinstance(t, mi.NoneType)]
        info = given[0] if len(given) == 1 else info
    while isinstance(info, mi.Metadata):
        info = info.type
    if isinstance(info, mi.IntType):
        return int
    return float if isinstance(info, mi.FloatType) else None


@functools.cache
def is_repeatable(annotation: Any) -> bool:
    """A field that takes several values (a repeated query parameter)."""
    info = mi.type_info(annotation)
    while isinstance(info, mi.Metadata):
        info = info.type
    return isinstance(info, mi.VarTupleType | mi.ListType | mi.SetType)


def from_multidict(cls: type[T], query: Mapping[str, list[str]]) -> dict[str, Any]:
    """A query string's values, shaped for ``decode_fields``: every value of a repeatable
    field (blank ones dropped, repeats once), exactly one of any other (blank is absent).

    Raises:
        Invalid: a single-valued parameter was given more than once.
    """
    shaped: dict[str, Any] = {}
    errors: list[FieldError] = []
    fields = _fields(cls)
    for name, values in query.items():
        info = fields.get(name)
        if info is None:
            continue
        if is_repeatable(info.type):
            shaped[name] = list(dict.fromkeys(v.strip() for v in values if v.strip()))
        elif len(values) > 1:
            errors.append(
                FieldError(
                    name=name,
                    reason=f"{name} may be given only once",
                    allowed=describe(info.type),
                )
            )
        elif values and values[0] != "":
            shaped[name] = values[0]
    if errors:
        raise Invalid.of(errors)
    return shaped
