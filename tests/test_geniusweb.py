"""GeniusWeb logs read as scenarios: offers as proposals of issue values, acceptance as accept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT
from helpers import cli
from negotiation import ScenarioError, Stance, Status, Verb, load_scenario, term_status
from negotiation.io.geniusweb import load_geniusweb, loads_geniusweb

EXAMPLE = ROOT / "examples" / "geniusweb" / "jobs-session.json"


def offer(actor: str, **values: str) -> dict[str, object]:
    return {"Offer": {"actor": actor, "bid": {"issuevalues": values}}}


def test_the_example_session_imports_to_the_example_scenario(tmp_path: Path) -> None:
    out = tmp_path / "jobs.toml"
    r = cli("import", EXAMPLE, "--from", "geniusweb", "-o", out)
    assert r.returncode == 0, r.stderr
    assert out.read_text() == (EXAMPLE.with_suffix(".toml")).read_text()
    assert load_scenario(out).moves == load_geniusweb(EXAMPLE).moves


def test_the_accepted_bid_is_agreed_issue_by_issue() -> None:
    """party2's counter-offer already matched party1's salary; party1's Accept settles fte too."""
    timeline = load_geniusweb(EXAMPLE).replay()
    after_counter, final = timeline["0004-party2"], timeline.final
    assert term_status(after_counter, "salary") is Status.AGREED
    assert term_status(after_counter, "fte") is not Status.AGREED
    for term, wording in (("salary", "salary: 2500"), ("fte", "fte: 0.8")):
        assert term_status(final, term) is Status.AGREED
        for party in ("party1", "party2"):
            assert final.stance(term, party) in (Stance.ACCEPTED, Stance.PROPOSED)
            assert final.formulation(term, party).text == wording  # type: ignore[union-attr]


def test_offers_propose_then_counter_then_restate_and_a_partial_bid_moves_its_issues_only() -> None:
    log = [offer("a", x="1", y="1"), offer("b", x="2"), offer("a", x="3", y="1")]
    moves = loads_geniusweb(json.dumps(log)).moves
    assert [[(act.verb, act.term, act.wording) for act in m.acts] for m in moves] == [
        [(Verb.PROPOSE, "x", "x: 1"), (Verb.PROPOSE, "y", "y: 1")],
        [(Verb.ACCEPT, "x", "x: 2")],
        [(Verb.RESTATE, "x", "x: 3"), (Verb.RESTATE, "y", "y: 1")],
    ]
    assert [m.addressees for m in moves] == [("b",), ("a",), ("b",)]


def test_ending_the_negotiation_withdraws_ones_own_values_and_rejects_the_others() -> None:
    log = [offer("a", x="1"), offer("b", y="2"), {"EndNegotiation": {"actor": "a"}}]
    scenario = loads_geniusweb(json.dumps({"SAOPState": {"actions": log, "connections": ["a", "b"]}}))
    (end,) = scenario.moves[-1:]
    assert [(act.verb, act.term) for act in end.acts] == [(Verb.WITHDRAW, "x"), (Verb.REJECT, "y")]
    final = scenario.replay().final
    assert final.stance("x", "a") is Stance.WITHDRAWN and final.stance("y", "a") is Stance.REJECTED


@pytest.mark.parametrize(
    ("log", "words"),
    [
        ("{not json", ["not valid JSON"]),
        ('{"SAOPState": {"actions": 3}}', ["field 'actions'", "not a GeniusWeb log"]),
        (json.dumps([{"Vote": {"actor": "a"}}]), ["field 'actions[0]'", "'Vote' actions are not read"]),
        (
            json.dumps([{"Offer": {"bid": {"issuevalues": {"x": "1"}}}}]),
            ["'actions[0].Offer.actor'", "names no actor"],
        ),
        (
            json.dumps([offer("a", x="1"), {"Accept": {"actor": "b", "bid": {}}}]),
            ["'actions[1].Accept.bid.issuevalues'"],
        ),
        (
            json.dumps([{"EndNegotiation": {"actor": "a"}}, offer("b", x="1")]),
            ["field 'actions[0]'", "ends a negotiation nobody has opened"],
        ),
    ],
)
def test_a_bad_log_is_one_error_naming_the_action_and_field(log: str, words: list[str]) -> None:
    with pytest.raises(ScenarioError) as info:
        loads_geniusweb(log, "s.json")
    message = str(info.value)
    assert message.startswith("s.json")
    for w in words:
        assert w in message, message


def test_a_log_the_rules_cannot_follow_names_the_move_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "own.json"
    own = [offer("a", x="1"), {"Accept": {"actor": "a", "bid": {"issuevalues": {"x": "1"}}}}]
    path.write_text(json.dumps({"SAOPState": {"actions": own, "connections": ["a", "b"]}}))
    r = cli("import", path, "--from", "geniusweb")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "0002-a" in r.stderr and "own-proposal" in r.stderr
