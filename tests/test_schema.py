"""The committed JSON Schema is generated from the model and validates real models."""

import json

import jsonschema
import pytest
from pydantic import ValidationError

from generator.intake import read_workbook
from generator.schema import SCHEMA_FILE, dump_json, schema_text, validate


def test_committed_schema_is_current():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), "run: python -m generator.schema"


def test_sample_model_validates_against_schema(samples):
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    model = read_workbook(samples / "示例单位_2024.xlsx")
    jsonschema.validate(json.loads(dump_json(model)), schema)


def test_schema_rejects_a_broken_model(samples):
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    data = json.loads(dump_json(read_workbook(samples / "示例单位_2024.xlsx")))
    data["unit"]["year"] = "二〇二四"
    try:
        jsonschema.validate(data, schema)
    except jsonschema.ValidationError:
        return
    raise AssertionError("a text year must not validate")


@pytest.mark.parametrize("name", ["示例单位_2024.xlsx", "益阳市智慧城市和大数据中心_2020.xlsx", "永州市政务服务中心_2018.xlsx"])
def test_every_sample_model_has_its_declared_types(samples, name):
    """The model's classes are plain dataclasses (nothing coerces on construction): the reader must
    build every field with its declared type — pydantic checks it strictly here."""
    model = read_workbook(samples / name)
    assert validate(model) == model


def test_a_wrongly_typed_model_is_refused(samples):
    model = read_workbook(samples / "示例单位_2024.xlsx")
    model.unit.year = "2024"  # a text where an int belongs
    with pytest.raises(ValidationError) as err:
        validate(model)
    assert err.value.errors()[0]["loc"] == ("unit", "year")
    model.unit.year = 2024
    model.summary.income[0].values["金额"] = 1.5  # a float where a Decimal belongs
    with pytest.raises(ValidationError):
        validate(model)
