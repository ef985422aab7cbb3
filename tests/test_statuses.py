"""Every status the engine can give is documented, and generated histories reach every one."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from negotiation import Catalogue, Status, replay, term_status
from negotiation.render.palette import STATUS_CODES, STATUS_COLOURS, STATUS_MEANINGS
from negotiation.testing.strategies import catalogues, histories

REACHED: set[Status] = set()


@settings(
    max_examples=800,
    derandomize=True,
    deadline=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)
@given(catalogues(max_principals=2, max_terms=4), st.data())
def _collect(catalogue: Catalogue, data: st.DataObject) -> None:
    """Small catalogues, so that rarer ends (every other party confirming) come up too."""
    cat, moves = data.draw(histories(catalogue=catalogue, max_moves=16))
    for step in replay(moves, cat):
        REACHED.update(term_status(step.state, t) for t in cat.by_id)


def test_generated_histories_reach_every_status() -> None:
    """The strategies exercise the whole vocabulary, so the property tests see every status."""
    _collect()
    assert set(Status) - REACHED == set()


def test_every_status_is_documented_and_drawn() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    semantics = (ROOT / "docs" / "semantics.md").read_text(encoding="utf-8")
    for status in Status:
        assert re.search(rf"^\| `{status}`", readme, flags=re.M) or f"`{status}`" in readme, status
        assert f"`{status}`" in semantics, status
        assert status in STATUS_COLOURS and status in STATUS_MEANINGS and status in STATUS_CODES
    assert len(set(STATUS_CODES.values())) == len(Status)


def test_every_finding_code_is_documented() -> None:
    from negotiation.invariants import STATE_INVARIANTS, TIMELINE_CODES

    semantics = (ROOT / "docs" / "semantics.md").read_text(encoding="utf-8")
    for code in (*STATE_INVARIANTS, *TIMELINE_CODES):
        assert re.search(rf"^\| `{code}` \| (error|warning|note) \|", semantics, flags=re.M), code
