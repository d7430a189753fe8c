"""The JSON Schema of the model, generated from the model (never written by hand).

``python -m generator.schema`` rewrites ``schemas/unit_accounts.schema.json``; a test fails
when the committed file differs from what the model generates. The model's classes are plain
dataclasses (cheap to import and build: every `juesuan` start pays for them); pydantic reads
them here, for the schema and for ``dump_json``/``validate``, and nowhere on the build path.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

from .model import UnitAccounts

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schemas" / "unit_accounts.schema.json"


def _adapter():
    from pydantic import ConfigDict, TypeAdapter

    # strict: a model built with the wrong types (a text year, a float amount) is refused, not coerced
    config = ConfigDict(extra="forbid", revalidate_instances="always", strict=True)
    for cls in _classes(UnitAccounts, {}).values():
        cls.__pydantic_config__ = config  # pydantic's hook for a plain dataclass's settings
    return TypeAdapter(UnitAccounts)


def _classes(cls, seen: dict) -> dict:
    """Every dataclass reachable from ``cls``, by name (the schema's $defs are named so)."""
    if cls.__name__ in seen:
        return seen
    seen[cls.__name__] = cls
    for f in dataclasses.fields(cls):
        for t in _field_types(cls, f):
            if dataclasses.is_dataclass(t):
                _classes(t, seen)
    return seen


def _field_types(cls, f) -> list:
    import typing

    hint = typing.get_type_hints(cls)[f.name]
    out, todo = [], [hint]
    while todo:
        t = todo.pop()
        out.append(t)
        todo.extend(typing.get_args(t))
    return out


def _describe(schema: dict) -> dict:
    """Class docstrings and field descriptions (``model._described``) into the schema."""
    defs = schema.get("$defs", {})
    for name, cls in _classes(UnitAccounts, {}).items():
        target = schema if cls is UnitAccounts else defs.get(name)
        if target is None:
            continue
        if (target.get("description") or "").startswith(f"{name}("):  # the dataclass's generated signature, not a docstring
            del target["description"]
        for f in dataclasses.fields(cls):
            text = f.metadata.get("description")
            if text:
                target["properties"][f.name]["description"] = text
    return schema


def schema_text() -> str:
    schema = _describe(_adapter().json_schema())
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "juesuan/unit_accounts.schema.json"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def dump_json(model: UnitAccounts) -> str:
    """The model as JSON (amounts as strings, as the schema says)."""
    return _adapter().dump_json(model).decode("utf-8")


def validate(model: UnitAccounts) -> UnitAccounts:
    """Every field of the model has its declared type (pydantic, strict); raises ValidationError."""
    return _adapter().validate_python(model)


def main() -> None:
    SCHEMA_FILE.parent.mkdir(parents=True, exist_ok=True)
    SCHEMA_FILE.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}", file=sys.stderr)


if __name__ == "__main__":
    main()
