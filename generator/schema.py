"""The JSON Schema of the model, generated from the model (never written by hand).

``python -m generator.schema`` rewrites ``schemas/unit_accounts.schema.json``; a test fails
when the committed file differs from what the model generates.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .model import UnitAccounts

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schemas" / "unit_accounts.schema.json"


def schema_text() -> str:
    schema = UnitAccounts.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "juesuan/unit_accounts.schema.json"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main() -> None:
    SCHEMA_FILE.parent.mkdir(parents=True, exist_ok=True)
    SCHEMA_FILE.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}", file=sys.stderr)


if __name__ == "__main__":
    main()
