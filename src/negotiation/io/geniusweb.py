"""Reading a GeniusWeb negotiation log: its Offer, Accept and EndNegotiation actions as moves.

GeniusWeb (the TU Delft negotiation platform) serialises a session as a `SAOPState` whose
`actions` are wrapper objects: `{"Offer": {"actor": ..., "bid": {"issuevalues": {...}}}}`,
`{"Accept": {...}}` with the accepted bid, `{"EndNegotiation": {"actor": ...}}`; each is
made a move as `negotiation.io.offers` says.

Everything else in the log (progress, settings, profiles) is left out, and said so in the
scenario's description. A bad log is a `ScenarioError` naming the action and the field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from negotiation.errors import ScenarioError
from negotiation.io.offers import Step, offer_scenario
from negotiation.io.scenario import Scenario

__all__ = ["load_geniusweb", "loads_geniusweb"]

_ACTIONS = ("Offer", "Accept", "EndNegotiation")


def load_geniusweb(path: str | Path) -> Scenario:
    """The scenario of a GeniusWeb log file (a `SAOPState`, or a bare list of actions)."""
    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise ScenarioError(shown, f"cannot read the file: {getattr(e, 'strerror', None) or e}") from None
    return loads_geniusweb(text, shown)


def loads_geniusweb(text: str, path: str = "<string>") -> Scenario:
    """The scenario of a GeniusWeb log given as JSON text; `path` names it in messages."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ScenarioError(path, f"not valid JSON: {e.msg} (at line {e.lineno}, column {e.colno})") from None
    actions, connections = _actions(path, data)
    steps = [_action(path, i, a) for i, a in enumerate(actions)]
    stem = Path(path).stem if path != "<string>" else "geniusweb"
    return offer_scenario(
        path,
        stem,
        steps,
        connections,
        title=f"GeniusWeb session {stem}",
        description=(
            f"Imported from the GeniusWeb log {Path(path).name}: {len(actions)} actions. "
            "The log's progress, settings and profiles are not imported."
        ),
    )


def _actions(path: str, data: object) -> tuple[list[Any], list[str]]:
    """The log's actions and its connections, from a `SAOPState` wrapper or a bare list."""
    if isinstance(data, dict) and "SAOPState" in data:
        data = data["SAOPState"]
    if isinstance(data, list):
        return data, []
    if not isinstance(data, dict) or not isinstance(data.get("actions"), list):
        raise ScenarioError(
            path,
            'not a GeniusWeb log: expected {"SAOPState": {"actions": [...]}} or a list of actions',
            field="actions",
        )
    connections = data.get("connections", [])
    if not isinstance(connections, list) or not all(isinstance(c, str) for c in connections):
        raise ScenarioError(path, "must be a list of party names", field="connections")
    return data["actions"], connections


def _action(path: str, i: int, wrapped: object) -> Step:
    """(kind, actor, issue -> value) of the i-th action."""
    field = f"actions[{i}]"
    if not isinstance(wrapped, dict) or len(wrapped) != 1:
        raise ScenarioError(path, "must be an object with one key, the action's type", field=field)
    ((kind, body),) = wrapped.items()
    if kind not in _ACTIONS:
        raise ScenarioError(
            path,
            f"{kind!r} actions are not read",
            field=field,
            hint=f"a log of {', '.join(_ACTIONS)} actions",
        )
    if not isinstance(body, dict) or not isinstance(body.get("actor"), str) or not body["actor"].strip():
        raise ScenarioError(path, "names no actor", field=f"{field}.{kind}.actor")
    if kind == "EndNegotiation":
        return kind, body["actor"], {}
    bid = body.get("bid")
    values = bid.get("issuevalues") if isinstance(bid, dict) else None
    if not isinstance(values, dict) or not values:
        raise ScenarioError(path, "has no issue values", field=f"{field}.{kind}.bid.issuevalues")
    return kind, body["actor"], {str(issue): _value(value) for issue, value in values.items()}


def _value(value: object) -> str:
    """An issue value as words: GeniusWeb's discrete values are strings, numbers are numbers."""
    return value if isinstance(value, str) else json.dumps(value)
