"""Writing scenarios: a `Scenario` as TOML that `loads_scenario` reads back to an equal scenario.

Tables are built from the model values' own fields, so a field added to the model is written
without a second list; empty fields are left out to keep files short.
"""

from __future__ import annotations

import datetime as dt
import enum
from pathlib import Path
from typing import Any

import attrs
import immutables
import tomli_w

from negotiation.io.preferences import preference_tables
from negotiation.io.scenario import FORMAT, Scenario
from negotiation.model import Act, Move, Party, When
from negotiation.vocabulary import Modality, Role

__all__ = ["dumps_scenario", "save_scenario", "scenario_document"]


def _time(when: When) -> dt.date | dt.datetime:
    return when.at if when.at is not None else when.day


def _compact(table: dict[str, Any]) -> dict[str, Any]:
    """The table without keys whose value is empty or the default, so files stay short."""
    return {k: v for k, v in table.items() if v not in (None, "", (), [], {})}


def scenario_document(scenario: Scenario, *, base_file: str | None = None) -> dict[str, Any]:
    """The scenario as TOML-ready data.

    A branch is written as a branch of `base_file` (its own moves, parties and terms only)
    when that is given, and otherwise as a standalone file with its whole history.
    """
    cat = scenario.catalogue
    head: dict[str, Any] = {
        "format": FORMAT,
        "id": scenario.id,
        "title": scenario.title,
        "description": scenario.description,
    }
    parties, terms, moves, acks = cat.parties, cat.terms, scenario.moves, scenario.acknowledged
    if scenario.base is not None and base_file is not None:
        base = scenario.base
        head.update(base=base_file, fork_after=scenario.fork_after, drop=list(scenario.drop))
        parties, terms = parties[len(base.catalogue.parties) :], terms[len(base.catalogue.terms) :]
        moves, acks = scenario.own_moves, scenario.own_acknowledged
    return _compact(
        {
            "scenario": _compact(head),
            "parties": [_party(p) for p in parties],
            "terms": [_table(t) for t in terms],
            "moves": [_move(m) for m in moves],
            "acknowledge": [
                _compact(
                    {"finding": a.code, "term": a.term, "party": a.party, "move": a.move, "reason": a.reason}
                )
                for a in acks
            ],
            "preferences": preference_tables(scenario.preferences),
        }
    )


def _value(value: object) -> Any:
    """A model value as TOML holds it: words for enums, dates or date-times, arrays and tables."""
    if isinstance(value, enum.Enum):
        return str(value)
    if isinstance(value, When):
        return _time(value)
    if isinstance(value, tuple):
        return [_value(v) for v in value]
    if isinstance(value, immutables.Map):
        return {k: _value(v) for k, v in sorted(value.items())}
    if attrs.has(type(value)):
        return _table(value)
    return value


def _table(value: Any) -> dict[str, Any]:
    """A frozen model value as a table, one key per field that is set, in declared order."""
    return _compact({f.name: _value(getattr(value, f.name)) for f in attrs.fields(type(value))})


def _party(party: Party) -> dict[str, Any]:
    table = _table(party)
    if party.role is Role.PRINCIPAL:  # the default role goes unsaid
        del table["role"]
    return table


def _act(act: Act) -> dict[str, Any]:
    table = _table(act)
    if act.modality is Modality.COMMITMENT:  # the default kind of statement goes unsaid
        del table["modality"]
    return table


def _move(move: Move) -> dict[str, Any]:
    table = _table(move)
    del table["acts"]
    table["acts"] = [_act(a) for a in move.acts]  # after the move's own keys, as a reader expects them
    return table


def dumps_scenario(scenario: Scenario, *, base_file: str | None = None) -> str:
    """The scenario as TOML text that `loads_scenario` reads back to an equal scenario."""
    # Multi-line strings would let a TOML reader normalise "\r\n" to "\n": escape instead.
    return tomli_w.dumps(scenario_document(scenario, base_file=base_file))


def save_scenario(scenario: Scenario, path: str | Path, *, base_file: str | None = None) -> None:
    """Write the scenario to a TOML file (a branch of `base_file`, when given)."""
    Path(path).write_text(dumps_scenario(scenario, base_file=base_file), encoding="utf-8")
