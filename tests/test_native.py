"""The native core against the Python reference: the same states from the same moves, the same errors.

Histories come from the package's own strategies: legal moves of every verb, role and
modality, moves whose broken act the record keeps (irregular), timed moves with late
receipts, and moves the rules refuse. Each is replayed on both cores keeping every state,
and every state must be equal (positions, formulations, pending statements, the move index,
count and clock), or both must raise the same error with the same payload.

Skipped, saying why, where the native core is not built (`pip install ./native`); `.ci/run`
builds it, so CI runs these.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from helpers import RELATED, act, cli, irregular_histories, move
from negotiation import Catalogue, Move, State, Timeline, apply, load_scenario, replay
from negotiation.errors import IllegalMove, NegotiationError
from negotiation.native import core_name, fold_checkpoints, native_module
from negotiation.statekeys import state_key
from negotiation.status import term_status
from negotiation.testing.strategies import histories, illegal_moves

pytestmark = pytest.mark.skipif(
    native_module() is None, reason="the native core is not built (pip install ./native)"
)

SCENARIOS = sorted((ROOT / "scenarios" / "cuba-1962").glob("*.toml"))


@contextmanager
def _core(name: str) -> Iterator[None]:
    """Run on the named core (not a fixture: hypothesis runs many examples in one test call)."""
    before = os.environ.get("NEGOTIATION_CORE")
    os.environ["NEGOTIATION_CORE"] = name
    try:
        assert core_name() == name
        yield
    finally:
        if before is None:
            del os.environ["NEGOTIATION_CORE"]
        else:
            os.environ["NEGOTIATION_CORE"] = before


def _on(core: str, moves: list[Move], start: Catalogue | State, every: int) -> Timeline | NegotiationError:
    with _core(core):
        try:
            return replay(moves, start, checkpoint_every=every)
        except NegotiationError as e:
            return e


def _same(moves: list[Move], start: Catalogue | State, every: int = 1) -> Timeline | NegotiationError:
    """Replay on both cores; the timelines' kept states (or the errors) must be equal."""
    native = _on("native", moves, start, every)
    python = _on("python", moves, start, every)
    if isinstance(python, NegotiationError):
        assert isinstance(native, NegotiationError), (
            f"the reference raised {python!r}, the native core did not"
        )
        assert type(native) is type(python) and native.args == python.args
        return python
    assert isinstance(native, Timeline), native
    for k, (a, b) in enumerate(zip(native._checkpoints, python._checkpoints, strict=True)):
        assert a == b, f"the state after {k * every} moves differs"
        assert a.pending == b.pending and list(a.moves.records()) == list(b.moves.records())
        _same_reading(a, b)
    assert native.final == python.final and native.steps == python.steps  # steps: changes and notes
    _same_reading(native.final, python.final)
    return python


def _same_reading(a: State, b: State) -> None:
    """What is read off two equal states is equal too: every term's status, and the state key."""
    for term in a.catalogue.by_id:
        assert term_status(a, term) == term_status(b, term), term
    assert state_key(a) == state_key(b)


def _natively(start: Catalogue | State, moves: list[Move], every: int) -> int:
    """How many of the moves the native core folds itself (the rest are the reference's)."""
    state = start if isinstance(start, State) else State.initial(start)
    with _core("native"):
        reached = fold_checkpoints(state, moves, every)  # the start, then a state per stretch
        return max(len(reached) - 1, 0) * every


@settings(max_examples=150, deadline=None)
@given(histories(max_moves=16, timed=True))
def test_legal_histories_fold_to_the_same_states(history: tuple[Catalogue, list[Move]]) -> None:
    cat, moves = history
    assert _natively(cat, moves, 1) == len(moves)  # the native core folded them all
    _same(moves, cat)


@settings(max_examples=150, deadline=None)
@given(irregular_histories())
def test_histories_keeping_broken_acts_fold_to_the_same_states(history: tuple[Catalogue, list[Move]]) -> None:
    cat, moves = history
    assert _natively(cat, moves, 1) == len(moves)  # an irregular act is applied, not refused
    _same(moves, cat)
    _same(moves, cat, every=3)


@settings(max_examples=150, deadline=None)
@given(histories(max_moves=10), st.data())
def test_a_refused_move_raises_the_references_error(
    history: tuple[Catalogue, list[Move]], data: st.DataObject
) -> None:
    cat, moves = history
    state = State.initial(cat)
    for m in moves:
        state = apply(state, m)
    drawn = data.draw(illegal_moves(state))
    if drawn is None:
        return
    bad, index = drawn
    later = data.draw(histories(catalogue=cat, max_moves=3))[1]
    renamed = [attrs.evolve(m, id=f"after-{m.id}") for m in later]
    with_it = [*moves, bad, *renamed]
    assert _natively(cat, with_it, 1) == len(moves)  # it stops there and lets the reference raise
    error = _same(with_it, cat)
    assert isinstance(error, IllegalMove) and error.move_id == bad.id and error.act_index == index


_AGREED_X = [move("p", "A", act("propose", "x")), move("a", "B", act("accept", "x"))]

BROKEN_RULES = {
    "rejecting one's own proposal once the other accepted it": [
        *_AGREED_X,
        move("r", "A", act("reject", "x")),
    ],
    "accepting what nobody stated": [move("a", "B", act("accept", "y"))],
    "a third party accepting a term that does not oblige it": [
        move("p", "A", act("propose", "x"), addressees=("B", "C")),
        move("a", "C", act("accept", "x"), to="A"),
    ],
    "performing a term that obliges another": [*_AGREED_X, move("f", "A", act("fulfil", "x"))],
    "withdrawing a stance one never took": [
        move("p", "A", act("propose", "x")),
        move("w", "B", act("withdraw", "x")),
    ],
    "restating without a wording": [move("p", "A", act("propose", "x")), move("s", "A", act("restate", "x"))],
    "committing to a term that conflicts with one already held": [
        *_AGREED_X,
        move("p2", "A", act("propose", "w")),
        move("a2", "B", act("accept", "w")),
    ],
    "a move id used twice": [move("p", "A", act("propose", "x")), move("p", "B", act("propose", "y"))],
    "a term the catalogue does not hold": [move("p", "A", act("propose", "nowhere"))],
    "releasing a condition never attached": [
        move("p", "A", act("propose", "x")),
        move("c", "A", act("release", "x", conditions=["y"])),
    ],
}


@pytest.mark.parametrize("rule", BROKEN_RULES)
def test_each_rule_the_reference_enforces_stops_the_native_fold_at_its_move(rule: str) -> None:
    """Written from docs/semantics.md, one broken rule each: the native fold plays every move
    before it and none after, and the error is the reference's, naming the same move and act."""
    moves = BROKEN_RULES[rule]
    legal = moves[:-1]
    assert _natively(RELATED, legal, 1) == len(legal), "the moves before the broken rule are legal"
    assert _natively(RELATED, moves, 1) == len(legal)
    error = _same(moves, RELATED)
    assert isinstance(error, IllegalMove) and error.move_id == moves[-1].id


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
@pytest.mark.parametrize("every", [1, 4, 64])
def test_the_record_folds_to_the_same_states(path: Path, every: int) -> None:
    scenario = load_scenario(path)
    moves = list(scenario.moves)
    assert _natively(scenario.catalogue, moves, every) == (len(moves) // every) * every
    _same(moves, scenario.catalogue, every)


def test_a_fork_folds_natively_from_its_base() -> None:
    """A branch starts from a state of the history: the native core takes it over, moves and all."""
    scenario = load_scenario(ROOT / "scenarios" / "cuba-1962" / "november.toml")
    moves = list(scenario.moves)
    with _core("python"):
        start = replay(moves[:10], scenario.catalogue).final
    assert _natively(start, moves[10:], 1) == len(moves) - 10
    _same(moves[10:], start)


def test_the_core_is_chosen_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from negotiation import native

    monkeypatch.delenv("NEGOTIATION_CORE", raising=False)
    assert core_name() == "native"  # installed: the default
    monkeypatch.setenv("NEGOTIATION_CORE", "rust")
    with pytest.raises(NegotiationError, match="NEGOTIATION_CORE='rust': no such core"):
        core_name()
    monkeypatch.setattr(native, "native_module", lambda: None)
    monkeypatch.setenv("NEGOTIATION_CORE", "native")
    with pytest.raises(NegotiationError, match="the native core is not installed"):
        core_name()
    monkeypatch.delenv("NEGOTIATION_CORE")
    assert core_name() == "python"  # not installed: the reference, without a word


@pytest.mark.parametrize(("core", "said"), [("python", "pure-Python core"), ("native", "native core")])
def test_the_version_says_which_core_runs(monkeypatch: pytest.MonkeyPatch, core: str, said: str) -> None:
    monkeypatch.setenv("NEGOTIATION_CORE", core)
    r = cli("--version")
    assert r.returncode == 0 and said in r.stdout, r.stdout


def test_a_bad_core_is_one_line_from_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEGOTIATION_CORE", "fast")
    r = cli("replay", ROOT / "scenarios" / "cuba-1962" / "historical.toml")
    assert r.returncode == 2 and "NEGOTIATION_CORE='fast': no such core" in r.stderr
    assert "Traceback" not in r.stderr


def test_a_build_for_other_words_is_not_used_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    """An extension built before a verb was added would misread moves: it is left unused."""
    from negotiation.cli.parser import _version

    module = native_module()
    verbs, *rest = module.VOCABULARY  # type: ignore[union-attr]
    monkeypatch.setattr(module, "VOCABULARY", (verbs[:-1], *rest))
    monkeypatch.delenv("NEGOTIATION_CORE", raising=False)
    assert native_module() is None and core_name() == "python"
    assert "built for another vocabulary" in _version() and "pure-Python core" in _version()
    monkeypatch.setenv("NEGOTIATION_CORE", "native")
    with pytest.raises(NegotiationError, match=r"another vocabulary than this package's; rebuild it"):
        core_name()
