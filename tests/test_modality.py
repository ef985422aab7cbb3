"""Not every sentence is a commitment: predictions, confidence and hope are kept, and do not count."""

from __future__ import annotations

import pytest

from helpers import act, catalogue, move
from negotiation import (
    Act,
    ModelError,
    Scenario,
    Status,
    Verb,
    dumps_scenario,
    loads_scenario,
    replay,
    term_status,
)
from negotiation.render.text import replay_text
from negotiation.vocabulary import Modality

# "I am confident that other nations of the Western Hemisphere would be prepared to do likewise"
CONFIDENT = move("k", "A", act("propose", "x", modality="confidence", quote="I am confident that ..."))


def test_a_statement_of_confidence_is_kept_but_does_not_stand_behind_the_term() -> None:
    state = replay([CONFIDENT], catalogue()).final
    assert state.position("x", "A").modality is Modality.CONFIDENCE
    assert state.position("x", "A").supports and not state.position("x", "A").counts
    assert term_status(state, "x") is Status.OPEN
    accepted = replay([CONFIDENT, move("b", "B", act("accept", "x"))], catalogue()).final
    assert term_status(accepted, "x") is Status.OPEN  # A never committed to it


def test_the_author_commits_later_and_the_term_is_agreed() -> None:
    moves = [CONFIDENT, move("b", "B", act("accept", "x")), move("c", "A", act("accept", "x"))]
    state = replay(moves, catalogue()).final
    assert state.position("x", "A").modality is Modality.COMMITMENT
    assert term_status(state, "x") is Status.AGREED


@pytest.mark.parametrize("affirm", [act("affirm", "x"), act("affirm", move="k")])
def test_affirming_a_statement_of_confidence_keeps_it_one(affirm: Act) -> None:
    """The "firm undertakings" of 28 October stood by the 27 October letter as it was worded."""
    moves = [CONFIDENT, move("b", "B", act("accept", "x")), move("c", "A", affirm)]
    state = replay(moves, catalogue()).final
    assert state.position("x", "A").modality is Modality.CONFIDENCE
    assert term_status(state, "x") is Status.OPEN


def test_a_demand_stands_behind_the_term_like_a_proposal() -> None:
    demand = move("d", "A", act("propose", "x", modality="demand"))
    state = replay([demand, move("b", "B", act("accept", "x"))], catalogue()).final
    assert term_status(state, "x") is Status.AGREED


@pytest.mark.parametrize("verb", [Verb.REJECT, Verb.AFFIRM, Verb.FULFIL, Verb.CONDITION])
def test_only_statements_take_a_modality(verb: Verb) -> None:
    with pytest.raises(ModelError, match="cannot be a prediction"):
        Act(verb, term="x", modality="prediction", conditions=("y",) if verb is Verb.CONDITION else ())


def test_a_file_keeps_the_modality_and_says_nothing_of_a_commitment() -> None:
    scenario = Scenario("s", catalogue(), (CONFIDENT, move("b", "B", act("accept", "x"))))
    text = dumps_scenario(scenario)
    assert text.count("modality") == 1 and 'modality = "confidence"' in text
    assert loads_scenario(text).moves == scenario.moves


def test_the_memo_says_what_kind_of_statement_a_stance_rests_on() -> None:
    scenario = Scenario("s", catalogue(), (CONFIDENT,))
    assert "proposed (confidence: not counted)" in replay_text(scenario, scenario.replay())
    demand = Scenario("d", catalogue(), (move("d", "A", act("propose", "x", modality="demand")),))
    memo = replay_text(demand, demand.replay())
    assert "proposed (demand)" in memo and "not counted" not in memo  # a demand counts


def test_json_and_the_report_say_what_kind_of_statement_a_stance_rests_on(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A reader of the JSON or the page can tell the President's confidence from a pledge."""
    import json

    from conftest import HISTORICAL
    from negotiation import load_scenario
    from negotiation.cli import main
    from negotiation.render.report import report_html

    assert main(["replay", str(HISTORICAL), "--json"]) == 0
    steps = json.loads(capsys.readouterr().out)["steps"]
    last = steps[-1]["terms"]
    assert last["western-hemisphere-no-invasion"]["modalities"] == {"US": "confidence", "USSR": "commitment"}
    assert last["cuba-demobilization"]["modalities"]["USSR"] == "prediction"
    first = steps[0]["terms"]["soviet-remove-offensive-weapons"]  # the USSR has not spoken yet
    assert first["modalities"] == {"US": "commitment", "USSR": None}
    page = report_html(load_scenario(HISTORICAL))
    assert page.count('"md":"confidence"') == 1 and page.count('"md":"prediction"') == 1
