"""The import paths of 0.1 keep working for one release: each warns and gives the moved objects."""

from __future__ import annotations

import importlib
import sys

import pytest

MOVED = {
    "negotiation.scenario": ["negotiation.io.loading", "negotiation.io.scenario", "negotiation.io.writer"],
    "negotiation.strategies": ["negotiation.testing.strategies"],
    "negotiation.stateful": ["negotiation.testing.stateful"],
    "negotiation.report": ["negotiation.render.report"],
    "negotiation.graphs": ["negotiation.render.graphs", "negotiation.render.formats"],
}


@pytest.mark.parametrize("old", sorted(MOVED))
def test_an_old_path_warns_and_re_exports_the_same_objects(old: str) -> None:
    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match=f"{old} is deprecated"):
        shim = importlib.import_module(old)
    for new in MOVED[old]:
        module = importlib.import_module(new)
        for name in module.__all__:
            assert getattr(shim, name) is getattr(module, name), (old, name)
            assert name in shim.__all__
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = shim.nothing_here


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_the_documented_0_1_imports_still_resolve() -> None:
    from negotiation import load_scenario as current
    from negotiation.scenario import load_scenario, save_scenario
    from negotiation.stateful import NegotiationMachine
    from negotiation.strategies import histories, legal_moves

    assert load_scenario is current and callable(save_scenario)
    assert NegotiationMachine.__module__ == "negotiation.testing.stateful"
    assert histories.__module__ == legal_moves.__module__ == "negotiation.testing.strategies"
