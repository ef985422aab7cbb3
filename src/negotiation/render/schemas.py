"""JSON Schemas of every `--json` document the commands write: their contracts, for the tools that read them.

The enums come from the vocabulary, so a new status or stance is in the schemas without a
second list. The copies shipped in `schemas/` beside this module are tested equal to these
and are validated against the real output of every command.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from negotiation.analysis import Reached, Verdict
from negotiation.findings import Severity
from negotiation.vocabulary import Channel, Modality, Stance, Status, Verb

__all__ = ["OUTPUT_SCHEMAS", "output_schemas"]

_BASE = "https://negotiation.invalid/schemas/"

OUTPUT_SCHEMAS = ("replay", "replay-compact", "diff", "check", "tree", "explore")
"""The documents described: `replay --json`, `replay --json --compact`, and `--json` of the others."""

_STR: dict[str, Any] = {"type": "string"}
_NSTR: dict[str, Any] = {"type": ["string", "null"]}
_STRS: dict[str, Any] = {"type": "array", "items": _STR}
_STANCE: dict[str, Any] = {"enum": [*(str(s) for s in Stance), None]}
_STATUS: dict[str, Any] = {"enum": [str(s) for s in Status]}


def _object(
    properties: dict[str, Any], *, optional: tuple[str, ...] = (), extra: Any = False
) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": [k for k in properties if k not in optional],
        "additionalProperties": extra,
    }


def _by_party(value: Any) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": value}


_FORMULATION = {
    "type": ["object", "null"],
    "properties": {"text": _STR, "conditions": _STRS, "quote": _NSTR, "move": _NSTR},
    "required": ["text", "conditions", "quote", "move"],
    "additionalProperties": _STR,  # the qualifiers that are set: scope, verification, timing, ...
}

_TERM = _object(
    {
        "status": _STATUS,
        "divergent": {"type": "boolean"},
        "stances": _by_party(_STANCE),
        "formulations": _by_party(_NSTR),
        "conditions": _by_party(_STRS),
        "unchallenged": _by_party(_STRS),
        "modalities": _by_party({"enum": [*(str(m) for m in Modality), None]}),
        "details": _by_party(_FORMULATION),
        "consent": _by_party(_STANCE),
    }
)

_STEP_FIELDS: dict[str, Any] = {
    "move": _STR,
    "author": _STR,
    "addressees": _STRS,
    "channel": {"enum": [str(c) for c in Channel]},
    "sent": _NSTR,
    "known": {"type": "boolean"},
    "changes": {
        "type": "array",
        "items": _object({"term": _STR, "party": _STR, "before": _STANCE, "after": _STANCE, "cause": _STR}),
    },
    "notes": {
        "type": "array",
        "items": _object(
            {"act": {"type": ["integer", "null"]}, "rule": _STR, "problem": _STR, "reason": _STR}
        ),
    },
}

_HEAD: dict[str, Any] = {
    "scenario": _STR,
    "title": _STR,
    "viewer": _STR,
    "parties": _STRS,
    "third_parties": _STRS,
}

_TERMS = {"type": "object", "additionalProperties": {"$ref": "#/$defs/term"}}

_OUTCOME = _object({"verdict": {"enum": [str(v) for v in Verdict]}, "summary": _STR, "agreed": _STRS})

_VIEW = {
    "type": ["object", "null"],
    "properties": {"status": _STATUS, "divergent": {"type": "boolean"}, "stances": _by_party(_STANCE)},
    "required": ["status", "divergent", "stances"],
    "additionalProperties": False,
}


_NUMBERS_BY_PARTY = _by_party({"type": "number"})
_NNUMBER: dict[str, Any] = {"type": ["number", "null"]}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "type": [schema["type"], "null"]}


_POINT = _object(
    {
        "utilities": _NUMBERS_BY_PARTY,
        "terms": _STRS,
        "divergent": {"type": "boolean"},
        "depth": {"type": "integer", "minimum": 0},
        "node": _STR,
    }
)

_PREFERENCE_SET = _object(
    {
        "name": _STR,
        "note": _STR,
        "parties": {"type": "array", "items": _STR, "minItems": 2},
        "reservation": _NUMBERS_BY_PARTY,
        "agreements": {"type": "array", "items": _POINT},
        "frontier": {"type": "array", "items": _POINT},
        "nash": _nullable(_POINT),
        "nash_product": _NNUMBER,
        "kalai_smorodinsky": _nullable(_POINT),
        "ideal": _nullable(_NUMBERS_BY_PARTY),
        "outcome": _nullable(
            _object(
                {
                    "after": _STR,
                    "utilities": _NUMBERS_BY_PARTY,
                    "undominated": {"type": ["boolean", "null"]},
                    "dominated_by": {"type": "array", "items": _POINT},
                    "distance_to_frontier": _NNUMBER,
                    "distance_to_nash": _NNUMBER,
                    "distance_to_kalai_smorodinsky": _NNUMBER,
                }
            )
        ),
    }
)
"""With `explore --preferences`: one entry per preference set (render.solutions.solutions_json)."""


def _document(
    name: str, title: str, body: dict[str, Any], defs: dict[str, Any] | None = None
) -> dict[str, Any]:
    doc = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{_BASE}{name}.schema.json",
        "title": title,
        **body,
    }
    if defs:
        doc["$defs"] = defs
    return doc


def output_schemas() -> dict[str, dict[str, Any]]:
    """Each `--json` document's schema (draft 2020-12), by the names in `OUTPUT_SCHEMAS`."""
    side = _object({"scenario": _STR, "file": _STR, "outcome": _OUTCOME}, optional=("outcome",))
    finding = _object(
        {
            "severity": {"enum": [str(s) for s in Severity]},
            "code": _STR,
            "message": _STR,
            "move": _NSTR,
            "terms": _STRS,
            "parties": _STRS,
            "acknowledged": _NSTR,
        }
    )
    checked = {
        "oneOf": [
            _object(
                {
                    "file": _STR,
                    "counts": _object({str(s): {"type": "integer", "minimum": 0} for s in Severity}),
                    "findings": {"type": "array", "items": finding},
                }
            ),
            _object({"file": _STR, "error": _STR}),
        ]
    }
    entry = _object(
        {
            "file": _STR,
            "error": _NSTR,
            "scenario": _STR,
            "base": _NSTR,
            "fork_after": _NSTR,
            "drop": _STRS,
            "own_moves": _STRS,
            "outcome": _OUTCOME,
        },
        optional=("scenario", "base", "fork_after", "drop", "own_moves", "outcome"),
    )
    reply = _object(
        {
            "id": _STR,
            "author": _STR,
            "acts": {
                "type": "array",
                "items": _object(
                    {"verb": {"enum": [str(v) for v in Verb]}, "term": _NSTR, "conditions": _STRS}
                ),
            },
        }
    )
    count = {"type": "integer", "minimum": 0}
    return {
        "replay": _document(
            "replay",
            "negotiation replay --json",
            _object(
                {**_HEAD, "steps": {"type": "array", "items": _object({**_STEP_FIELDS, "terms": _TERMS})}}
            ),
            {"term": _TERM},
        ),
        "replay-compact": _document(
            "replay-compact",
            "negotiation replay --json --compact",
            _object(
                {
                    **_HEAD,
                    "steps": {
                        "type": "array",
                        "items": _object(
                            {
                                **_STEP_FIELDS,
                                "statuses": {
                                    "type": "object",
                                    "additionalProperties": _object({"before": _STATUS, "after": _STATUS}),
                                },
                            }
                        ),
                    },
                    "state": _object({"after": _NSTR, "terms": _TERMS}),
                }
            ),
            {"term": _TERM},
        ),
        "diff": _document(
            "diff",
            "negotiation diff --json",
            _object(
                {
                    "a": side,
                    "b": side,
                    "last_common_move": _NSTR,
                    "first_difference": _object({"a": _NSTR, "b": _NSTR}),
                    "at": _NSTR,
                    "terms": {"type": "object", "additionalProperties": _object({"a": _VIEW, "b": _VIEW})},
                }
            ),
        ),
        "check": _document("check", "negotiation check --json", {"type": "array", "items": checked}),
        "tree": _document("tree", "negotiation tree --json", {"type": "array", "items": entry}),
        "explore": _document(
            "explore",
            "negotiation explore --json",
            _object(
                {
                    "start": _STR,
                    "depth": count,
                    "budget": count,
                    "truncated": {"type": "boolean"},
                    "states": count,
                    "expanded": count,
                    "generated": count,
                    "merge_ratio": {"type": "number", "minimum": 0},
                    "policy": _object(
                        {
                            "verbs": {"type": "array", "items": {"enum": [str(v) for v in Verb]}},
                            "terms": {"type": ["string", "array"], "items": _STR},
                            "max_acts": count,
                            "turns": _STR,
                            "channel": {"enum": [str(c) for c in Channel]},
                            "parties": {"type": ["array", "null"], "items": _STR},
                        }
                    ),
                    "core": _STRS,
                    "outcomes": _object(
                        {str(r): count for r in Reached}, optional=tuple(str(r) for r in Reached)
                    ),
                    "agreements": {
                        "type": "array",
                        "items": _object(
                            {
                                "terms": _STRS,
                                "divergent": {"type": "boolean"},
                                "state": _STR,
                                "path": {"type": "array", "items": reply},
                            }
                        ),
                    },
                    "in_every_agreement": _STRS,
                    "in_no_agreement": _STRS,
                    "preferences": {"type": "array", "items": _PREFERENCE_SET},
                },
                optional=("preferences",),
            ),
        ),
    }


def write(folder: Path) -> None:
    """Write each schema to FOLDER/NAME.schema.json (how the shipped copies are made)."""
    for name, schema in output_schemas().items():
        (folder / f"{name}.schema.json").write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "schemas")
