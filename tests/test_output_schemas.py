"""Every --json document validates against its shipped schema; the schemas are the ones the code makes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from conftest import HISTORICAL, ROOT
from helpers import cli
from negotiation.render.schemas import OUTPUT_SCHEMAS, output_schemas

SHIPPED = ROOT / "src" / "negotiation" / "render" / "schemas"
BRANCH = HISTORICAL.parent / "turkey-swap.toml"

RUNS: dict[str, list[tuple[str, ...]]] = {
    "replay": [("replay", str(HISTORICAL), "--json"), ("replay", str(BRANCH), "--json", "--as", "public")],
    "replay-compact": [("replay", str(HISTORICAL), "--json", "--compact")],
    "diff": [
        ("diff", str(HISTORICAL), str(BRANCH), "--json"),
        ("diff", str(HISTORICAL), str(BRANCH), "--json", "--at", "kennedy-25-oct-letter"),
    ],
    "check": [("check", str(HISTORICAL), str(BRANCH), "--json")],
    "tree": [("tree", str(HISTORICAL.parent), "--json")],
    "explore": [
        (
            "explore",
            str(HISTORICAL),
            *("--after", "khrushchev-27-oct-letter", "--depth", "2", "--json"),
            *(
                "--core",
                "soviet-remove-offensive-weapons,us-no-invasion-pledge",
            ),  # one agreement, with its path
        ),
        (
            "explore",
            str(HISTORICAL),
            *("--after", "khrushchev-27-oct-letter", "--depth", "2", "--json"),
            *("--core", "soviet-remove-offensive-weapons,us-no-invasion-pledge"),
            *("--preferences", str(ROOT / "examples" / "preferences" / "cuba-27-october.toml")),
            *("--outcome", "khrushchev-28-oct-letter"),
        ),
    ],
}


def shipped(name: str) -> dict[str, object]:
    return json.loads((SHIPPED / f"{name}.schema.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def output(*args: str) -> object:
    r = cli(*args)
    assert r.returncode in (0, 1), r.stderr
    return json.loads(r.stdout)


def test_each_shipped_schema_is_the_one_the_code_makes_and_a_valid_schema() -> None:
    made = output_schemas()
    assert (
        sorted(made)
        == sorted(OUTPUT_SCHEMAS)
        == sorted(p.name.removesuffix(".schema.json") for p in SHIPPED.iterdir())
    )
    for name, schema in made.items():
        assert shipped(name) == schema, f"regenerate: python -m negotiation.render.schemas ({name})"
        jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("name", OUTPUT_SCHEMAS)
def test_the_commands_json_validates_against_its_schema(name: str) -> None:
    validator = jsonschema.Draft202012Validator(shipped(name))
    for args in RUNS[name]:
        validator.validate(output(*args))


def test_a_document_that_breaks_its_contract_is_refused(tmp_path: Path) -> None:
    doc = output("replay", str(HISTORICAL), "--json", "--compact")
    assert isinstance(doc, dict)
    doc["steps"][0]["channel"] = "telepathy"
    del doc["state"]
    errors = {e.message for e in jsonschema.Draft202012Validator(shipped("replay-compact")).iter_errors(doc)}
    assert any("telepathy" in m for m in errors) and any(
        "'state' is a required property" in m for m in errors
    )
