"""Fuzzing the edges: mutated and random scenario files get a located ScenarioError, never a crash.

The CI profile runs a few hundred inputs; `HYPOTHESIS_PROFILE=fuzz` runs far more (see the README).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import tempfile
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiation import ScenarioError, loads_scenario
from negotiation.cli import main
from negotiation.invariants import check_timeline
from negotiation.io.writer import scenario_document
from negotiation.testing.strategies import scenarios

Path_ = tuple[Any, ...]

FUZZ = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much], deadline=None)

VALUES = st.one_of(
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True),
    st.booleans(),
    st.text(max_size=30),
    st.just(""),
    st.just("x" * 100_000),
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=st.just(dt.UTC)),
    st.times(),
    st.lists(st.integers(), max_size=3),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(min_size=1, max_size=5), st.integers(), max_size=3),
)


def _paths(node: Any, here: Path_ = ()) -> list[Path_]:
    out: list[Path_] = [here]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*here, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*here, i))
    return out


def _get(node: Any, path: Path_) -> Any:
    for p in path:
        node = node[p]
    return node


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """A valid scenario's document with a few fields removed, retyped, duplicated or dangling."""
    doc = scenario_document(draw(scenarios(max_moves=4)))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(doc) if p]
        path = draw(st.sampled_from(paths))
        parent, key = _get(doc, path[:-1]), path[-1]
        kind = draw(st.sampled_from(["remove", "retype", "duplicate", "dangle", "nest", "add"]))
        if kind == "remove":
            del parent[key]
        elif kind == "retype":
            parent[key] = draw(VALUES)
        elif kind == "duplicate" and isinstance(parent, list):
            parent.insert(key, parent[key])
        elif kind == "dangle":
            parent[key] = draw(st.sampled_from(["nope", "t99", "P9", "m99", "US", "public", ""]))
        elif kind == "nest":
            depth = draw(st.integers(2, 400))
            value: Any = 1
            for _ in range(depth):
                value = [value]
            parent[key] = value
        elif kind == "add" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=8))] = draw(VALUES)
    return doc


def _dumps(doc: dict[str, Any]) -> str | None:
    try:
        return tomli_w.dumps(doc)
    except (TypeError, ValueError, RecursionError):
        return None  # a value TOML cannot hold: not a file anyone could write


def _load_and_check(text: str | bytes) -> None:
    """The loader, the replay and the checks either work or raise a located ScenarioError."""
    error: ScenarioError | None = None
    try:
        scenario = loads_scenario(text, "fuzz.toml")
        check_timeline(scenario.replay())
    except ScenarioError as e:
        error = e
    if error is not None:
        assert error.path == "fuzz.toml"
        assert str(error).startswith("fuzz.toml") and "\n" not in str(error)


@FUZZ
@given(mutated())
def test_mutated_files_give_a_located_error_or_load(doc: dict[str, Any]) -> None:
    """Removed, retyped, duplicated, dangling or deeply nested fields never crash the loader."""
    text = _dumps(doc)
    if text is not None:
        _load_and_check(text)


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_give_a_located_error(data: bytes) -> None:
    """Random bytes are a ScenarioError (not UTF-8, not TOML, or not a scenario)."""
    _load_and_check(data)


@FUZZ
@given(st.text(max_size=500))
def test_random_text_gives_a_located_error(text: str) -> None:
    """Random text is a ScenarioError too."""
    _load_and_check(text)


@FUZZ
@given(st.integers(1, 5000), st.sampled_from(["[", "{a = "]))
def test_deep_nesting_is_an_error_not_a_crash(depth: int, opener: str) -> None:
    """Arrays or inline tables nested beyond what the reader can follow are a clean error."""
    closer = "]" if opener == "[" else "}"
    _load_and_check(f"[scenario]\nid = {opener * depth}1{closer * depth}\n")


@settings(FUZZ, max_examples=min(settings.default.max_examples, 2000))
@given(mutated(), st.sampled_from(["replay", "check"]))
def test_the_cli_exits_with_one_line_on_any_file(doc: dict[str, Any], command: str) -> None:
    """Through the real entry point: exit 0 (1 for check findings) or 2 with one clear line, no traceback."""
    text = _dumps(doc)
    if text is None:
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.toml"
        path.write_text(text, encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([command, str(path)])
    if command == "replay":
        assert code in (0, 2)
        if code == 2:
            lines = err.getvalue().splitlines()
            assert len(lines) == 1 and lines[0].startswith("negotiation: error: ")
    else:
        assert code in (0, 1, 2)
        assert err.getvalue() == ""
        if code == 2:
            assert "cannot be read" in out.getvalue()
