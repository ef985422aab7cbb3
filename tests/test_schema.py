"""The scenario file's JSON Schema: shipped, current, and in agreement with the reader on real files."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import ROOT
from helpers import cli
from negotiation.io.schema import scenario_schema
from negotiation.io.starter import starter_text

SHIPPED = ROOT / "src" / "negotiation" / "io" / "scenario.schema.json"
PREFERENCE_FILES = ROOT / "examples" / "preferences"  # what parties wanted: not scenarios (test_preferences)
FILES = sorted(
    p
    for p in [*(ROOT / "scenarios").rglob("*.toml"), *(ROOT / "examples").rglob("*.toml")]
    if PREFERENCE_FILES not in p.parents
)


def as_json(value: Any) -> Any:
    """TOML's dates and times as the strings JSON tools see them (Taplo maps them so)."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        scenario_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_the_shipped_schema_is_the_one_the_model_makes_and_a_valid_schema() -> None:
    shipped = json.loads(SHIPPED.read_text(encoding="utf-8"))
    assert shipped == scenario_schema(), "regenerate: python -m negotiation.io.schema > " + str(SHIPPED)
    jsonschema.Draft202012Validator.check_schema(shipped)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_scenario_file_of_the_project_is_valid(path: Path) -> None:
    validator().validate(as_json(tomllib.loads(path.read_text(encoding="utf-8"))))


def test_the_starter_is_valid() -> None:
    validator().validate(as_json(tomllib.loads(starter_text())))


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["terms"][0].update(obligors="east"), ["terms", 0, "obligors"]),
        (lambda d: d["moves"][0]["acts"][0].update(verb="acept"), ["moves", 0, "acts", 0, "verb"]),
        (lambda d: d["moves"][0].update(chanel="oral"), ["moves", 0]),
        (lambda d: d["moves"][0].update(sent="27 October"), ["moves", 0, "sent"]),
        (lambda d: d["parties"][0].update(role="observer"), ["parties", 0, "role"]),
        (lambda d: d["scenario"].update(format=99), ["scenario", "format"]),
    ],
)
def test_mistakes_the_reader_refuses_are_flagged_where_they_are(change: Any, where: list[object]) -> None:
    doc = as_json(tomllib.loads(starter_text()))
    change(doc)
    errors = list(validator().iter_errors(doc))
    assert errors and any(list(e.absolute_path) == where for e in errors), [
        list(e.absolute_path) for e in errors
    ]


def test_the_schema_command_prints_the_shipped_schema() -> None:
    r = cli("schema")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == json.loads(SHIPPED.read_text(encoding="utf-8"))
