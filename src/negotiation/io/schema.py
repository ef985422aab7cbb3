"""The JSON Schema of a scenario file, built from the model's own fields, for editors and checkers.

Editors that read TOML with a JSON Schema (Taplo and the VS Code extensions built on it)
complete field names, offer the verbs and channels, and flag an unknown key as it is typed.
The schema is made from the reader's key lists and the vocabulary's enums, so a new field
or verb is in it without a second list; the copy shipped beside this module
(`scenario.schema.json`) is checked against it by the tests. The reader stays the authority:
it checks what a schema cannot (that a term a move names exists, that a base resolves).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from negotiation.invariants import STATE_INVARIANTS, TIMELINE_CODES
from negotiation.io.reader import ACK_KEYS, ACT_KEYS, HEAD_KEYS, MOVE_KEYS, PARTY_KEYS, TERM_KEYS
from negotiation.io.scenario import FORMAT
from negotiation.vocabulary import Channel, Extent, Modality, Role, Verb

__all__ = ["SCHEMA_ID", "scenario_schema"]

SCHEMA_ID = "https://negotiation.invalid/schemas/scenario.schema.json"
"""The schema's `$id`: a name, not an address to fetch (nothing is downloaded)."""

_TEXT: dict[str, Any] = {"type": "string", "pattern": r"\S"}
_ID: dict[str, Any] = {"type": "string", "pattern": r"^\S(.*\S)?$"}
_IDS: dict[str, Any] = {"type": "array", "items": {"$ref": "#/$defs/id"}}
_TIME: dict[str, Any] = {
    "description": "a date (1962-10-27), or a date and time with its UTC offset (1962-10-27T19:45:00-04:00)",
    "type": "string",
    # A pattern rather than `format`, which validators need not check: a time needs its offset.
    "pattern": r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z))?$",
}

_DESCRIPTIONS = {
    "format": f"the file format version (this release writes {FORMAT})",
    "id": "how messages and other files name it",
    "base": "a branch: the scenario file it forks, relative to this file",
    "fork_after": "a branch: the base's move it forks after (default: the base's last)",
    "drop": "a branch: moves of the base left out",
    "role": "principal (its assent counts), mediator, or third (its consent a term may need)",
    "obligors": "the parties the term binds",
    "requires": "terms this one needs",
    "conflicts": "terms that cannot stand with this one",
    "refines": "the term this one makes more precise",
    "consent": "parties not at the table whose assent the term needs",
    "replaces": "terms it stands in for once agreed",
    "author": "the party that sent the move",
    "addressees": "the parties it was sent to",
    "channel": "how it was sent",
    "sent": "when it was sent",
    "received": "when each party received it: { PARTY = time }",
    "published": "when a public move was made public",
    "source": "where the text is kept: an archive, a FRUS document",
    "verb": "what the act does",
    "term": "the term the act applies to",
    "move": "the earlier move it applies to (ignore, affirm)",
    "wording": "the actor's own words for the term",
    "conditions": "terms the actor makes this one conditional on",
    "extent": "with fulfil: begun or complete",
    "quote": "the source's words the act rests on",
    "verified": "whether the quote was checked word for word against a primary text",
    "irregular": "why an act that breaks a rule is nevertheless in the record",
    "modality": "the kind of statement: a commitment (the default), a demand, a prediction, ...",
    "finding": "the code of the finding acknowledged",
    "reason": "why the finding is acknowledged",
}

_FIELDS: dict[str, dict[str, Any]] = {
    "id": {"$ref": "#/$defs/id"},
    "format": {"type": "integer", "minimum": 1, "maximum": FORMAT},
    "drop": _IDS,
    "role": {"enum": [str(r) for r in Role]},
    "obligors": {**_IDS, "minItems": 1},
    "requires": _IDS,
    "conflicts": _IDS,
    "consent": _IDS,
    "replaces": _IDS,
    "addressees": _IDS,
    "conditions": _IDS,
    "channel": {"enum": [str(c) for c in Channel]},
    "sent": _TIME,
    "published": _TIME,
    "received": {"type": "object", "additionalProperties": _TIME},
    "verb": {"enum": [str(v) for v in Verb]},
    "extent": {"enum": [str(e) for e in Extent]},
    "modality": {"enum": [str(m) for m in Modality]},
    "verified": {"type": "boolean"},
    "finding": {"enum": sorted({*STATE_INVARIANTS, *TIMELINE_CODES})},
    "acts": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/act"}},
}


def _table(keys: list[str], required: list[str], description: str) -> dict[str, Any]:
    properties = {}
    for key in keys:
        spec = dict(_FIELDS.get(key, _TEXT))
        if key in _DESCRIPTIONS and "$ref" not in spec:
            spec["description"] = _DESCRIPTIONS[key]
        properties[key] = spec
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario or branch file, as TOML reads into JSON."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "negotiation scenario",
        "description": "A negotiation as a file states it: parties, terms, moves (docs/scenario-format.md).",
        "type": "object",
        "properties": {
            "scenario": _table(HEAD_KEYS, ["id"], "the scenario's name, and for a branch its base"),
            "parties": {"type": "array", "items": {"$ref": "#/$defs/party"}},
            "terms": {"type": "array", "items": {"$ref": "#/$defs/term"}},
            "moves": {"type": "array", "items": {"$ref": "#/$defs/move"}},
            "acknowledge": {"type": "array", "items": {"$ref": "#/$defs/acknowledgement"}},
            "preferences": {"type": "array", "items": {"$ref": "#/$defs/preferences"}},
        },
        "required": ["scenario"],
        "additionalProperties": False,
        "$defs": {
            "id": {**_ID, "description": "an id: printable, no surrounding blanks"},
            "party": _table(PARTY_KEYS, ["id"], "a party: a state, a mediator, a third party"),
            "term": _table(TERM_KEYS, ["id", "obligors", "text"], "one undertaking the parties negotiate"),
            "move": _table(MOVE_KEYS, ["id", "author", "acts"], "one letter, statement or message"),
            "act": _table(ACT_KEYS, ["verb"], "a verb applied to a term, or to an earlier move"),
            "acknowledgement": _table(ACK_KEYS, ["finding", "reason"], "a finding the file accepts, and why"),
            "preferences": {
                "type": "object",
                "description": "what each party wanted, under one reading (docs/preferences.md)",
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "note": {"type": "string"},
                    "party": {
                        "type": "object",
                        "description": "per party id: reservation, and terms (or a profile file)",
                        "additionalProperties": {"type": "object"},
                    },
                },
                "required": ["name", "party"],
                "additionalProperties": False,
            },
        },
    }


def main() -> int:
    """Print the schema (how the shipped copy is made): python -m negotiation.io.schema."""
    sys.stdout.write(json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
