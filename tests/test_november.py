"""The settlement of November 1962, read from the sources (FRUS VI d71-d81 and the others the
scenario cites), not from the engine: who stood behind the IL-28 removal when, the contested
claim of performance, inspection refused and replaced, the quarantine lifted, and the
no-invasion assurance never written down."""

from __future__ import annotations

import pytest

from conftest import ROOT
from negotiation import Stance, Status, Timeline, is_agreed, load_scenario, term_status
from negotiation.io.check import check_file

NOVEMBER = ROOT / "scenarios" / "cuba-1962" / "november.toml"


@pytest.fixture(scope="module")
def timeline() -> Timeline:
    return load_scenario(NOVEMBER).replay()


def test_the_november_file_continues_the_october_record(timeline: Timeline) -> None:
    october = load_scenario(ROOT / "scenarios" / "cuba-1962" / "historical.toml").replay()
    assert [m.id for m in timeline.moves][: len(october)] == [m.id for m in october.moves]
    assert timeline.moves[-1].id == "kennedy-21-nov-letter"


def test_the_bombers_washington_asked_for_moscow_promised_and_havana_let_go(timeline: Timeline) -> None:
    """6 Nov: "our exchange of letters covers the IL-28s"; 12 Nov: "not now but later";
    19 Nov Castro: "Those planes belong to the Soviet Government"; 21 Nov: the quarantine
    lifted "on the basis of your welcome assurance"."""
    t = timeline
    assert t["kennedy-6-nov-letter"].stance("il28-removal", "US") is Stance.PROPOSED
    assert t["kennedy-6-nov-letter"].stance("il28-removal", "USSR") is None
    after_oral = t["khrushchev-11-nov-oral"]
    assert after_oral.stance("il28-removal", "USSR") is Stance.ACCEPTED
    assert after_oral.formulation("il28-removal", "USSR").timing == "not now but later"
    assert term_status(after_oral, "il28-removal") is Status.AWAITING_CONSENT  # Cuba not yet
    assert t["castro-19-nov-letter"].stance("il28-removal", "Cuba") is Stance.ACCEPTED
    assert is_agreed(t["castro-19-nov-letter"], "il28-removal")
    assert "month" in (t["khrushchev-20-nov-message"].formulation("il28-removal", "USSR").timing or "")
    assert term_status(t.final, "il28-removal") is Status.BINDING


def test_moscow_reports_the_removal_fulfilled_and_the_president_contests_it(timeline: Timeline) -> None:
    """12 Nov: "our obligations ... have already been fulfilled"; 15 Nov: "I cannot agree with
    your statement that you have fulfilled your commitments"."""
    claimed = timeline["khrushchev-11-nov-oral"]
    assert claimed.stance("soviet-remove-offensive-weapons", "USSR") is Stance.FULFILLED
    assert term_status(claimed, "soviet-remove-offensive-weapons") is Status.FULFILLED
    answered = timeline["kennedy-15-nov-message"]
    assert answered.stance("soviet-remove-offensive-weapons", "US") is Stance.CONTESTED
    assert term_status(answered, "soviet-remove-offensive-weapons") is Status.CONTESTED
    assert term_status(timeline.final, "soviet-remove-offensive-weapons") is Status.CONTESTED


def test_the_scope_of_offensive_weapons_comes_due(timeline: Timeline) -> None:
    """The US list named bomber aircraft (2 Nov); Moscow: "missiles which you called offensive"."""
    s = timeline["khrushchev-4-nov-letter"]
    assert "bomber aircraft" in (s.formulation("soviet-remove-offensive-weapons", "US").scope or "")
    assert s.formulation("soviet-remove-offensive-weapons", "USSR").scope == "the missiles"


def test_castro_refuses_inspection_and_counting_at_sea_replaces_it(timeline: Timeline) -> None:
    """31 Oct: "there could be no inspection of any kind or any outside agency on Cuban soil";
    15 Nov: "forty-two missiles were in fact taken out of Cuba"."""
    refused = timeline["castro-refuses-inspection-31-oct"]
    assert refused.stance("un-verification", "Cuba") is Stance.REJECTED
    assert term_status(refused, "un-verification") is Status.BLOCKED
    assert term_status(timeline["khrushchev-11-nov-oral"], "un-verification") is Status.BLOCKED
    counted = timeline["kennedy-15-nov-message"]
    assert term_status(counted, "sea-verification") is Status.CONFIRMED
    assert term_status(counted, "un-verification") is Status.REPLACED


def test_the_quarantine_is_lifted_on_the_bombers_not_on_inspection(timeline: Timeline) -> None:
    """12 Nov: Robert Kennedy no longer insists on inspection "as an unalterable and fundamental
    condition", and offers to lift the quarantine once the bombers are ordered out; 20 Nov: "I
    have this afternoon instructed the Secretary of Defense to lift our naval quarantine"."""
    before = timeline["kennedy-28-oct-letter"].formulation("lift-quarantine", "US")
    assert "un-verification" in before.conditions
    offer = timeline["rfk-dobrynin-12-nov"].formulation("lift-quarantine", "US")
    assert "un-verification" not in offer.conditions and "il28-removal" in offer.conditions
    lifted = timeline["kennedy-20-nov-press-conference"]
    assert lifted.stance("lift-quarantine", "US") is Stance.FULFILLED
    assert term_status(lifted, "lift-quarantine") is Status.FULFILLED


def test_the_no_invasion_assurance_is_never_written_down(timeline: Timeline) -> None:
    """Moscow asked for the pledges "registered in the appropriate documents in the United
    Nations" (12 Nov) within "days, not ... weeks"; Washington never agreed to a document, and
    the President's last word is an assurance "while matters take their present favorable
    course" (21 Nov)."""
    final = timeline.final
    assert final.stance("un-formalization", "USSR") is Stance.PROPOSED
    assert not is_agreed(final, "un-formalization")
    pledge = final.formulation("us-no-invasion-pledge", "US")
    assert pledge.timing == "while matters take their present favorable course"
    assert "il28-removal" in pledge.conditions


def test_castros_demands_remain_his_own(timeline: Timeline) -> None:
    """The five points of 28 Oct bind nobody but the US, who never took them up; the overflights
    the President refused to stop (15 Nov: "if there is any interference with this surveillance,
    we shall have to take the necessary action in reply")."""
    final = timeline.final
    assert term_status(final, "castro-guarantees") is Status.OPEN
    assert final.stance("guantanamo-withdrawal", "USSR") is Stance.ACCEPTED  # as a hope only
    assert not final.positions("guantanamo-withdrawal")["USSR"].counts
    assert term_status(final, "stop-overflights") is Status.REJECTED


def test_check_finds_only_acknowledged_warnings_and_every_quote_says_if_it_was_checked() -> None:
    report = check_file(NOVEMBER)
    assert report.errors == 0
    assert all(f.acknowledged for f in report.findings if f.severity.value == "warning")
    for path in (ROOT / "scenarios" / "cuba-1962").glob("*.toml"):
        for move in load_scenario(path).moves:
            for act in move.acts:
                assert act.quote is None or act.verified is not None, (path.name, move.id, act.verb)


def test_every_move_of_the_record_cites_a_source() -> None:
    """The record's files (not the counterfactual branches, whose moves are invented)."""
    for name in ("historical.toml", "coda.toml", "november.toml"):
        scenario = load_scenario(ROOT / "scenarios" / "cuba-1962" / name)
        assert all(m.source for m in scenario.own_moves), name


@pytest.mark.parametrize("args", [(), ("--json", "--compact")])
def test_the_replay_says_when_inspection_was_replaced_though_nobody_spoke_on_it(
    args: tuple[str, ...],
) -> None:
    """Nobody acted on UN verification on 15 November: its status moved because the count at
    sea replacing it was confirmed, and the replay (text and compact JSON) says so there."""
    import json

    from helpers import cli

    r = cli("replay", NOVEMBER, "--no-color", *args)
    assert r.returncode == 0, r.stderr
    if not args:
        part = r.stdout.split("kennedy-15-nov-message", 1)[1].split("\n\n", 1)[0]
        assert "un-verification                    status blocked → replaced" in part
        return
    (step,) = [s for s in json.loads(r.stdout)["steps"] if s["move"] == "kennedy-15-nov-message"]
    assert step["statuses"]["un-verification"] == {"before": "blocked", "after": "replaced"}
