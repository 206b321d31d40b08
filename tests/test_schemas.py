"""The shipped JSON Schemas refer to each other relatively, so any validator
resolves them offline: ``status --json`` checked with the jsonschema library,
references read from the schemas' folder and nowhere else."""

from __future__ import annotations

import json

import jsonschema
import pytest
from json_schemas import SCHEMAS, validator
from render_helpers import SURGERY, bundled, filled, invoke, save

from foracheck.paths import Locations


def test_no_schema_names_an_address_a_validator_would_have_to_fetch() -> None:
    for path in SCHEMAS.glob("*.schema.json"):
        text = path.read_text("utf-8")
        schema = json.loads(text)
        assert "$id" not in schema, path.name  # an absolute $id makes "x.json" absolute too
        assert "foracheck.invalid" not in text, path.name
        jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("answers", ["none", "filled"])
def test_status_json_validates_offline_against_the_shipped_schema(
    capsys: pytest.CaptureFixture[str], locations: Locations, answers: str
) -> None:
    if answers == "filled":
        save(locations, filled(bundled()))
    code, out, _ = invoke(capsys, "status", "--json")
    assert code == 0
    document = json.loads(out)
    validator("status.schema.json").validate(document)
    if answers == "filled":
        assert document["surgery_date"] == SURGERY.isoformat()


def test_the_reference_to_the_export_schema_is_really_followed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _code, out, _ = invoke(capsys, "status", "--json")
    document = json.loads(out)
    del document["checklists"]  # required by export.schema.json only, reached by its $ref
    with pytest.raises(jsonschema.ValidationError, match="checklists"):
        validator("status.schema.json").validate(document)
