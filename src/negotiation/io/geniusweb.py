"""Reading a GeniusWeb negotiation log: its Offer, Accept and EndNegotiation actions as moves.

GeniusWeb (the TU Delft negotiation platform) serialises a session as a `SAOPState` whose
`actions` are wrapper objects: `{"Offer": {"actor": ..., "bid": {"issuevalues": {...}}}}`,
`{"Accept": {...}}` with the accepted bid, `{"EndNegotiation": {"actor": ...}}`. Each issue
becomes a term that binds every party, each issue value a wording, and each action a move
to the other parties:

- an offer proposes its values on the issues nobody has put forward yet, accepts in its own
  wording (a counter-offer) those another party has, and restates those the actor already
  holds, so that a bid that covers only some issues moves only those;
- an accept accepts every value of the bid, in the bid's wording;
- an end of negotiation withdraws the actor's own values and rejects the others'.

Everything else in the log (progress, settings, profiles) is left out, and said so in the
scenario's description. A bad log is a `ScenarioError` naming the action and the field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from negotiation.catalogue import Catalogue
from negotiation.errors import ScenarioError
from negotiation.io.scenario import Scenario
from negotiation.model import Act, Move, Party, Term
from negotiation.vocabulary import Verb

__all__ = ["load_geniusweb", "loads_geniusweb"]

_ACTIONS = ("Offer", "Accept", "EndNegotiation")
_PLAIN = re.compile(r"[^\s\"'\[\]{}]+")
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


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
    parties = list(dict.fromkeys([*connections, *(actor for _, actor, _ in steps)]))
    for party in parties:
        if not _PLAIN.fullmatch(party):
            raise ScenarioError(
                path, f"actor {party!r} cannot be a party id", hint="ids have no blanks or quotes"
            )
    issues = list(dict.fromkeys(issue for _, _, bid in steps for issue in bid))
    if not issues:
        raise ScenarioError(path, "no action offers or accepts a bid", field="actions")
    ids = [issue if _ID.fullmatch(issue) else f"issue-{i}" for i, issue in enumerate(issues)]
    if len(set(ids)) < len(ids):
        ids = [f"issue-{i}" for i in range(len(issues))]
    terms = [
        Term(tid, tuple(parties), f"The value of {issue}.", title=issue)
        for tid, issue in zip(ids, issues, strict=True)
    ]
    term_of = {issue: t.id for issue, t in zip(issues, terms, strict=True)}
    moves = _moves(path, steps, parties, term_of)
    stem = Path(path).stem if path != "<string>" else "geniusweb"
    return Scenario(
        re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-") or "geniusweb",
        Catalogue([Party(p) for p in parties], terms),
        tuple(moves),
        title=f"GeniusWeb session {stem}",
        description=(
            f"Imported from the GeniusWeb log {Path(path).name}: {len(actions)} actions on "
            f"{len(issues)} issues. The log's progress, settings and profiles are not imported."
        ),
        path=path,
        own_moves=tuple(moves),
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


def _action(path: str, i: int, wrapped: object) -> tuple[str, str, dict[str, str]]:
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


def _words(issue: str, value: str) -> str:
    return f"{issue}: {value}"


def _moves(
    path: str, steps: list[tuple[str, str, dict[str, str]]], parties: list[str], term_of: Mapping[str, str]
) -> list[Move]:
    held: dict[tuple[str, str], str] = {}  # (party, term) -> the wording it stands behind
    moves = []
    for i, (kind, actor, bid) in enumerate(steps):
        others = tuple(p for p in parties if p != actor)
        if not others:
            raise ScenarioError(path, "has a single party: a negotiation needs two", field=f"actions[{i}]")
        acts = []
        if kind == "EndNegotiation":  # breaking off: withdraw one's own values, reject the others'
            for term in term_of.values():
                if held.pop((actor, term), None) is not None:
                    acts.append(Act(Verb.WITHDRAW, term))
                elif any((p, term) in held for p in others):
                    acts.append(Act(Verb.REJECT, term))
        # Every value of the bid is said again, held or not: a whole bid answers the other
        # side's, and a value left out would be read as silence letting theirs stand.
        for issue, value in bid.items():
            term, wording = term_of[issue], _words(issue, value)
            put = any(p != actor and (p, term) in held for p in parties)
            if kind == "Accept":
                verb = Verb.ACCEPT
            elif (actor, term) in held:
                verb = Verb.RESTATE
            else:
                verb = Verb.ACCEPT if put else Verb.PROPOSE
            acts.append(Act(verb, term, wording=wording))
            held[(actor, term)] = wording
        if not acts:
            raise ScenarioError(
                path, "ends a negotiation nobody has opened", field=f"actions[{i}].EndNegotiation"
            )
        moves.append(Move(f"{i + 1:04d}-{actor}", actor, tuple(acts), others))
    return moves
