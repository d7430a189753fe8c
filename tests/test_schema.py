"""The committed JSON Schema is generated from the model and validates real models."""

import json

import jsonschema

from generator.intake import read_workbook
from generator.schema import SCHEMA_FILE, schema_text


def test_committed_schema_is_current():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), "run: python -m generator.schema"


def test_sample_model_validates_against_schema(samples):
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    model = read_workbook(samples / "示例单位_2024.xlsx")
    jsonschema.validate(json.loads(model.model_dump_json()), schema)


def test_schema_rejects_a_broken_model(samples):
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    data = json.loads(read_workbook(samples / "示例单位_2024.xlsx").model_dump_json())
    data["unit"]["year"] = "二〇二四"
    try:
        jsonschema.validate(data, schema)
    except jsonschema.ValidationError:
        return
    raise AssertionError("a text year must not validate")
