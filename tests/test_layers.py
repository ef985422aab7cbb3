"""The package's layers, as docs/architecture.md draws them: no module imports a layer above its own.

Read from the source (every import, at the top or inside a function), so that a rendering
import slipped into the core fails here before it makes an import cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

from conftest import ROOT

PACKAGE = ROOT / "src" / "negotiation"

LAYERS: dict[str, tuple[int, set[str]]] = {
    "core": (
        0,
        {
            "errors",
            "vocabulary",
            "model",
            "catalogue",
            "moveindex",
            "state",
            "visibility",
            "status",
            "draft",
            "checks",
            "silence",
            "rules",
            "native",
            "engine",
            "script",
        },
    ),
    "derived": (
        1,
        {
            "analysis",
            "findings",
            "history_checks",
            "invariants",
            "candidates",
            "policy",
            "statekeys",
            "expansion",
            "shards",
            "explore",
            "preferences",
            "solutions",
        },
    ),
    "io": (2, {"io"}),
    "render": (3, {"render"}),
    "testing": (3, {"testing"}),
    "cli": (4, {"cli", "__main__"}),
    "face": (5, {"__init__", "_moved", "scenario", "strategies", "stateful", "report", "graphs"}),
}
"""Each layer's rank and the top-level names (modules or subpackages) it holds."""

_RANK = {name: (layer, rank) for layer, (rank, names) in LAYERS.items() for name in names}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        out[".".join(("negotiation", *parts))] = path
    return out


def _imports(path: Path) -> set[str]:
    """The negotiation modules a file imports, wherever the import statement stands."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("negotiation")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("negotiation"):
            found.add(node.module)
    return found


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


MODULES = _modules()


def test_every_module_has_a_layer() -> None:
    assert {_top(m) for m in MODULES} <= set(_RANK), set(map(_top, MODULES)) - set(_RANK)


def _violations(module: str, targets: set[str]) -> list[str]:
    """The imports of the module that reach above its layer, or sideways into another layer."""
    layer, rank = _RANK[_top(module)]
    out = []
    for target in sorted(targets):
        other, other_rank = _RANK[_top(target)]
        if rank == LAYERS["face"][0] or other_rank < rank or other == layer:
            continue
        out.append(f"{module} ({layer}) imports {target} ({other})")
    return out


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_a_layer_above_its_own(module: str) -> None:
    assert _violations(module, _imports(MODULES[module])) == []


def test_the_render_and_testing_layers_do_not_know_each_other() -> None:
    for module, path in MODULES.items():
        top = _top(module)
        if top in ("render", "testing"):
            other = "testing" if top == "render" else "render"
            assert not any(_top(t) == other for t in _imports(path)), module


def test_there_is_no_import_cycle() -> None:
    graph = nx.DiGraph()
    for module, path in MODULES.items():
        for target in _imports(path):
            resolved = target if target in MODULES else target.rsplit(".", 1)[0]
            if resolved != module:
                graph.add_edge(module, resolved)
    assert list(nx.simple_cycles(graph)) == []


def test_the_checks_see_an_upward_import_even_inside_a_function(tmp_path: Path) -> None:
    """Guards the tests above: a core module reaching for the report, lazily, must be caught."""
    probe = tmp_path / "state.py"
    probe.write_text(
        (PACKAGE / "state.py").read_text(encoding="utf-8")
        + "\n\ndef _show(state):\n    from negotiation.render.report import state_html\n",
        encoding="utf-8",
    )
    assert _violations("negotiation.state", _imports(PACKAGE / "state.py")) == []
    assert _violations("negotiation.state", _imports(probe)) == [
        "negotiation.state (core) imports negotiation.render.report (render)"
    ]
    assert _violations("negotiation.render.text", {"negotiation.testing.strategies"}) != []
