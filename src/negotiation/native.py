"""Which core folds a replay's moves: the Python reference, or the native fold where it is built.

The native core (`native/`, a Rust crate built with maturin as the module `negotiation_native`)
applies the rules of `rules.play` over interned ids and hands back what changed; this module
builds the package's own `State` values from those changes at each checkpoint of a timeline.
Whatever it cannot fold (a move on which the reference raises) it leaves to the reference,
which then applies the moves from the last state reached, so errors are the reference's own.

`NEGOTIATION_CORE=python` or `native` forces one; unset, the native core runs where it is
installed. The choice is read at each fold, from the environment, so that a test or a user
can switch it without reloading anything.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Sequence
from types import ModuleType
from typing import Any

import immutables

from negotiation.errors import NegotiationError
from negotiation.model import NO_IDS, Formulation, Move, When
from negotiation.moveindex import MoveRecord
from negotiation.rules import later
from negotiation.state import Position, State
from negotiation.vocabulary import Modality, Stance

__all__ = ["CORES", "core_name", "fold_checkpoints", "native_module"]

CORES = ("python", "native")
"""The cores a fold can run on, as `NEGOTIATION_CORE` names them."""

_STANCES = list(Stance)
_MODALITIES = list(Modality)
_BUILD = "pip install ./native (needs a Rust toolchain; see docs/performance.md)"


def native_module() -> ModuleType | None:
    """The native fold's extension module, or None when it is not installed."""
    try:
        return importlib.import_module("negotiation_native")
    except ImportError:
        return None


def core_name() -> str:
    """The core the next fold runs on: `NEGOTIATION_CORE`, else native where installed."""
    asked = os.environ.get("NEGOTIATION_CORE", "").strip().lower()
    if asked and asked not in CORES:
        raise NegotiationError(
            f"NEGOTIATION_CORE={asked!r}: no such core (give {' or '.join(CORES)}, or leave it unset)"
        )
    if asked == "python":
        return "python"
    if native_module() is not None:
        return "native"
    if asked == "native":
        raise NegotiationError(f"NEGOTIATION_CORE=native: the native core is not installed ({_BUILD})")
    return "python"


def fold_checkpoints(start: State, moves: Sequence[Move], every: int) -> list[State]:
    """The states after every `every`-th move, folded natively as far as the native core can.

    Empty on the Python core. Fewer than asked when the native fold stopped: the moves from
    the last state returned are the reference's to apply.
    """
    if core_name() != "native" or len(moves) < every:
        return []
    module = native_module()
    assert module is not None
    folder = module.Folder(start.catalogue, start)
    builder = _Builder(start)
    out: list[State] = []
    for begin in range(0, len(moves) - every + 1, every):
        stretch = moves[begin : begin + every]
        if folder.play(stretch) < len(stretch):
            break
        out.append(builder.advance(folder.changes(), stretch))
    return out


class _Builder:
    """Builds the package's states from the native fold's changes, sharing what did not change."""

    def __init__(self, start: State) -> None:
        self.state = start
        self.forms: list[Formulation] = []

    def advance(self, changes: tuple[Any, Any, Any, Any], stretch: Sequence[Move]) -> State:
        terms_changed, forms, pending_changed, touched = changes
        for text, scope, verification, timing, confidentiality, conditions, quote, move in forms:
            self.forms.append(
                Formulation(
                    text,
                    scope,
                    verification,
                    timing,
                    confidentiality,
                    frozenset(conditions) if conditions else NO_IDS,
                    quote,
                    move,
                )
            )
        prev = self.state
        terms = prev.terms.mutate()
        for term, positions in terms_changed:
            terms[term] = immutables.Map(
                {
                    party: Position(
                        _STANCES[stance] if stance >= 0 else None,
                        self.forms[form] if form >= 0 else None,
                        frozenset(tacit) if tacit else NO_IDS,
                        move,
                        _MODALITIES[modality],
                    )
                    for party, stance, form, tacit, move, modality in positions
                }
            )
        pending = prev.pending.mutate()
        for party, items in pending_changed:
            if items:
                pending[party] = immutables.Map({(term, proposer): move for term, proposer, move in items})
            elif party in pending:
                del pending[party]
        index = prev.moves
        clock: When | None = prev.clock
        for k, (move, terms_touched) in enumerate(zip(stretch, touched, strict=True)):
            index = index.added(MoveRecord(move, prev.count + k, index.touched(terms_touched)))
            clock = later(clock, move.sent)
        self.state = State(
            catalogue=prev.catalogue,
            terms=terms.finish(),
            pending=pending.finish(),
            moves=index,
            count=prev.count + len(stretch),
            last=stretch[-1].id,
            clock=clock,
        )
        return self.state
