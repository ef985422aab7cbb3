"""Replays written as they are made: the same bytes as the whole document, and a compact form.

The streamed JSON must be exactly what `json.dumps(replay_json(...), indent=1)` writes; the
compact document must carry each step's changes and statuses that agree with the full one.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import HISTORICAL
from negotiation import PUBLIC, Scenario, load_scenario
from negotiation import engine as engine_module
from negotiation.analysis import position_changes
from negotiation.render.documents import replay_json, replay_json_chunks
from negotiation.render.frames import iter_frames
from negotiation.render.text import replay_chunks
from negotiation.testing.strategies import scenarios
from negotiation.vocabulary import HISTORIAN


def whole(scenario: Scenario, **kw: Any) -> str:
    return json.dumps(replay_json(scenario, scenario.replay(), **kw), indent=1, ensure_ascii=False) + "\n"


def streamed(scenario: Scenario, **kw: Any) -> str:
    return "".join(replay_json_chunks(scenario, scenario.replay(), **kw))


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"viewer": PUBLIC},
        {"viewer": "USSR"},
        {"at": "kennedy-27-oct-letter"},
        {"viewer": "US", "at": "kennedy-27-oct-letter"},
    ],
)
def test_streamed_json_is_the_whole_document_byte_for_byte(kw: dict[str, str]) -> None:
    scenario = load_scenario(HISTORICAL)
    assert streamed(scenario, **kw) == whole(scenario, **kw)


@given(scenarios(max_moves=8), st.sampled_from([HISTORIAN, PUBLIC, "P0"]))
def test_streamed_json_of_generated_scenarios_is_the_whole_document(scenario: Scenario, viewer: str) -> None:
    assert streamed(scenario, viewer=viewer) == whole(scenario, viewer=viewer)


def _agrees_with_the_full_document(scenario: Scenario, **kw: Any) -> None:
    full = json.loads(whole(scenario, **kw))
    compact = json.loads(streamed(scenario, compact=True, **kw))
    assert {k: v for k, v in compact.items() if k not in ("steps", "state")} == {
        k: v for k, v in full.items() if k != "steps"
    }
    assert len(compact["steps"]) == len(full["steps"])
    previous = {t: "unraised" for t in scenario.catalogue.by_id}
    for c, f in zip(compact["steps"], full["steps"], strict=True):
        assert {k: v for k, v in c.items() if k != "statuses"} == {k: v for k, v in f.items() if k != "terms"}
        now = {t: row["status"] for t, row in f["terms"].items()}
        changed = {t: {"before": previous[t], "after": now[t]} for t in now if now[t] != previous[t]}
        assert c["statuses"] == changed, c["move"]
        previous = now
    last = full["steps"][-1] if full["steps"] else None
    assert compact["state"]["after"] == (last["move"] if last else None)
    if last is not None:
        assert compact["state"]["terms"] == last["terms"]


@pytest.mark.parametrize("kw", [{}, {"viewer": PUBLIC}, {"at": "rfk-dobrynin-27-oct"}])
def test_compact_json_of_the_record_agrees_with_the_full_document(kw: dict[str, str]) -> None:
    _agrees_with_the_full_document(load_scenario(HISTORICAL), **kw)


@given(scenarios(max_moves=10), st.sampled_from([HISTORIAN, PUBLIC, "P1"]))
def test_compact_json_of_generated_scenarios_agrees_with_the_full_document(
    scenario: Scenario, viewer: str
) -> None:
    _agrees_with_the_full_document(scenario, viewer=viewer)


def test_compact_json_of_an_empty_history_holds_the_initial_state() -> None:
    scenario = load_scenario(HISTORICAL)
    empty = Scenario("empty", scenario.catalogue, ())
    doc = json.loads(streamed(empty, compact=True))
    assert doc["steps"] == []
    assert doc["state"]["after"] is None
    assert {row["status"] for row in doc["state"]["terms"].values()} == {"unraised"}
    assert json.loads(streamed(empty))["steps"] == []


def test_text_replay_streams_a_piece_per_move() -> None:
    scenario = load_scenario(HISTORICAL)
    pieces = list(replay_chunks(scenario, scenario.replay()))
    # The title, the heading of the changes, then one per move (the last with the memo).
    assert len(pieces) == len(scenario.moves) + 2
    assert pieces[1].startswith("Moves and what they changed")
    assert [p.split("  ", 1)[0].strip() for p in pieces[2:]] == [m.id for m in scenario.moves]
    assert "side by side" in pieces[-1] and "side by side" not in "".join(pieces[:-1])


def test_the_compact_document_through_the_command_line() -> None:
    r = subprocess.run(
        [sys.executable, "-m", "negotiation", "replay", str(HISTORICAL), "--json", "--compact"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert all("terms" not in s for s in doc["steps"])
    final = doc["state"]["terms"]["us-no-invasion-pledge"]
    assert doc["state"]["after"] == doc["steps"][-1]["move"] == "kennedy-28-oct-letter"
    assert final["status"] == "binding" and final["stances"] == {"US": "affirmed", "USSR": "affirmed"}
    turkey = [
        s["statuses"]["turkey-jupiter-removal"]
        for s in doc["steps"]
        if "turkey-jupiter-removal" in s["statuses"]
    ]
    assert turkey[-1]["after"] == "awaiting-consent"


def test_views_with_few_states_kept_still_fold_late_arrivals_right(monkeypatch: pytest.MonkeyPatch) -> None:
    """A move received after more moves than the walk keeps states for refolds from the start."""
    monkeypatch.setattr(engine_module, "_KEPT_VIEW_STATES", 1)

    @given(scenarios(max_moves=12, notes=False), st.sampled_from(["P0", "P1", PUBLIC]))
    def folds(scenario: Scenario, viewer: str) -> None:
        timeline = scenario.replay()
        for move, view in zip(timeline.moves, timeline.iter_views(viewer), strict=True):
            assert view == timeline.state_as_known_by(viewer, at=move.id)

    folds()


@given(scenarios(max_moves=12, notes=False), st.sampled_from(["P0", "P1", PUBLIC]))
def test_a_viewers_frame_changes_are_the_differences_between_its_states(
    scenario: Scenario, viewer: str
) -> None:
    """Frames net the arriving moves' changes; they must be what comparing the two states gives."""
    timeline = scenario.replay()
    previous = timeline.initial
    for f in iter_frames(timeline, viewer=viewer):
        diff = position_changes(previous, f.state)
        assert f.changes == tuple((c.term, c.party, c.before, c.after, "") for c in diff)
        previous = f.state


def test_arrivals_are_the_moves_each_view_is_folded_from(historical: Scenario) -> None:
    timeline = historical.replay()
    for viewer in ("US", "USSR", PUBLIC):
        held: list[int] = []
        for i, (arrived, view) in enumerate(
            zip(timeline.arrivals(viewer), timeline.iter_views(viewer), strict=True)
        ):
            held += arrived
            assert all(j <= i for j in arrived)
            assert set(view.moves.keys()) == {timeline.moves[j].id for j in held}
    rfk = timeline.index("rfk-dobrynin-27-oct")
    assert rfk not in [j for a in timeline.arrivals(PUBLIC) for j in a]  # the back channel never went public
