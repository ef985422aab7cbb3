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

import bisect
import importlib
import os
import threading
from collections.abc import Sequence
from types import ModuleType
from typing import Any, overload

import immutables

from negotiation.errors import NegotiationError
from negotiation.model import NO_IDS, Formulation, Move, When
from negotiation.moveindex import MoveIndex, MoveRecord
from negotiation.rules import later
from negotiation.state import Position, State
from negotiation.vocabulary import Channel, Modality, Role, Stance, Verb

__all__ = ["CORES", "NativeCheckpoints", "core_name", "fold_checkpoints", "native_module", "native_problem"]

CORES = ("python", "native")
"""The cores a fold can run on, as `NEGOTIATION_CORE` names them."""

_STANCES = list(Stance)
_MODALITIES = list(Modality)
_NO_PENDING: immutables.Map[tuple[str, str], str] = immutables.Map()
_BUILD = "pip install ./native (needs a Rust toolchain; see docs/performance.md)"


def native_module() -> ModuleType | None:
    """The native fold's extension module, or None when it is not installed or not usable."""
    module, _ = _native()
    return module


def native_problem() -> str | None:
    """Why an installed native core is not used (a build for other words), or None."""
    return _native()[1]


def _native() -> tuple[ModuleType | None, str | None]:
    try:
        module = importlib.import_module("negotiation_native")
    except ImportError:
        return None, None
    ours = tuple([m.value for m in kind] for kind in (Verb, Channel, Role, Stance, Modality))
    theirs = tuple(list(words) for words in getattr(module, "VOCABULARY", ()))
    if theirs != ours:
        return None, (
            f"the native core {getattr(module, '__version__', '?')} installed was built for another "
            "vocabulary than this package's; rebuild it (pip install ./native)"
        )
    return module, None


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
        problem = native_problem() or f"the native core is not installed ({_BUILD})"
        raise NegotiationError(f"NEGOTIATION_CORE=native: {problem}")
    return "python"


def fold_checkpoints(start: State, moves: Sequence[Move], every: int) -> Sequence[State]:
    """The state before each stretch of `every` moves, the native core folding as far as it can.

    Empty on the Python core. Otherwise `start` and one state after each stretch the native
    fold played in full; fewer than asked when it stopped, and the moves from the last state
    given are the reference's to apply. The states are built when they are first read, but
    for the last, which is built at once from the fold's final state.
    """
    if core_name() != "native" or len(moves) < every:
        return ()
    module = native_module()
    assert module is not None
    whole = len(moves) - len(moves) % every
    folder = module.Folder(start.catalogue, start)
    played = folder.fold(moves[:whole], every)
    return NativeCheckpoints(start, folder, moves[: played * every], every, complete=played * every == whole)


class NativeCheckpoints(Sequence[State]):
    """A timeline's checkpoints from a native fold: each state is built when first read.

    The folder keeps what every stretch changed, in its own compact form; a state is built
    from the nearest earlier one already built, sharing what did not change, and kept. A
    complete fold's last state is built at once from the fold's final state, so the moves
    after it can be applied without building the states between.
    """

    def __init__(
        self, start: State, folder: Any, moves: Sequence[Move], every: int, *, complete: bool
    ) -> None:
        self._folder = folder
        self._moves = moves
        self._every = every
        self._size = len(folder) + 1
        self._built: dict[int, State] = {0: start}
        self._order = [0]
        self._forms: dict[int, Formulation] = {}
        self._lock = threading.Lock()
        if complete and self._size > 1:
            self._keep(self._size - 1, self._final(start))

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, i: int) -> State: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[State]: ...
    def __getitem__(self, i: int | slice) -> State | Sequence[State]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self._size))]
        if i < 0:
            i += self._size
        if not 0 <= i < self._size:
            raise IndexError(f"no checkpoint {i} of {self._size}")
        state = self._built.get(i)
        if state is not None:
            return state
        with self._lock:  # timelines may be read from several threads
            k = self._order[bisect.bisect(self._order, i) - 1]
            state = self._built[k]
            while k < i:
                state = self._advance(state, k)
                k += 1
                self._keep(k, state)
            return state

    def _keep(self, k: int, state: State) -> None:
        if k not in self._built:
            self._built[k] = state
            bisect.insort(self._order, k)

    def _form(self, i: int) -> Formulation:
        """Formulation i, built the first time a position holds it."""
        form = self._forms.get(i)
        if form is None:
            text, scope, verification, timing, confidentiality, conditions, quote, move = self._folder.form(i)
            form = self._forms[i] = Formulation(
                text,
                scope,
                verification,
                timing,
                confidentiality,
                frozenset(conditions) if conditions else NO_IDS,
                quote,
                move,
            )
        return form

    def _position(
        self, stance: int, form: int, tacit: tuple[str, ...], move: str | None, modality: int
    ) -> Position:
        """A position from the folder's row: stance, formulation and modality by number (-1: none)."""
        return Position(
            _STANCES[stance] if stance >= 0 else None,
            self._form(form) if form >= 0 else None,
            frozenset(tacit) if tacit else NO_IDS,
            move,
            _MODALITIES[modality],
        )

    def _records(
        self, prev: State, begin: int, touched: Sequence[tuple[str, ...]]
    ) -> tuple[MoveIndex, When | None]:
        moves = self._moves[begin : begin + len(touched)]
        base = prev.count
        records = [MoveRecord(m, base + k, t) for k, (m, t) in enumerate(zip(moves, touched, strict=True))]
        clock = prev.clock
        for m in moves:
            if m.sent is not None:
                clock = later(clock, m.sent)
        return prev.moves.extended(records), clock

    def _advance(self, prev: State, k: int) -> State:
        """The state after stretch k, from the state before it."""
        positions, pending_changed, touched = self._folder.stretch(k)
        position = self._position
        changed: dict[str, dict[str, Position]] = {}
        for term, party, *row in positions:
            changed.setdefault(term, {})[party] = position(*row)
        terms = prev.terms.mutate()
        for term, by_party in changed.items():
            held = terms.get(term)
            terms[term] = held.update(by_party) if held is not None else immutables.Map(by_party)
        pending = prev.pending.mutate()
        by_party_pending: dict[str, list[tuple[str, str, str | None]]] = {}
        for party, term, proposer, move in pending_changed:
            by_party_pending.setdefault(party, []).append((term, proposer, move))
        for party, items in by_party_pending.items():
            mine = pending.get(party, _NO_PENDING).mutate()
            for term, proposer, move in items:
                if move is None:  # removed (perhaps added and removed within the stretch)
                    mine.pop((term, proposer), None)
                else:
                    mine[(term, proposer)] = move
            now = mine.finish()
            if now:
                pending[party] = now
            elif party in pending:
                del pending[party]
        index, clock = self._records(prev, k * self._every, touched)
        return State(
            catalogue=prev.catalogue,
            terms=terms.finish(),
            pending=pending.finish(),
            moves=index,
            count=prev.count + len(touched),
            last=self._moves[(k + 1) * self._every - 1].id,
            clock=clock,
        )

    def _final(self, start: State) -> State:
        """The state after the last stretch, built whole from the fold's final state."""
        terms_now, pending_now, touched = self._folder.final_state()
        position = self._position
        terms = immutables.Map(
            {
                term: immutables.Map({party: position(*row) for party, *row in positions})
                for term, positions in terms_now
            }
        )
        pending = immutables.Map(
            {party: immutables.Map({(t, p): m for t, p, m in items}) for party, items in pending_now}
        )
        index, clock = self._records(start, 0, touched)
        return State(
            catalogue=start.catalogue,
            terms=terms,
            pending=pending,
            moves=index,
            count=start.count + len(touched),
            last=self._moves[-1].id,
            clock=clock,
        )
