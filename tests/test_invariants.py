"""Each invariant finds what it names; `negotiation check` reports it by severity."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import HISTORICAL, ROOT
from helpers import RELATED, act, move
from negotiation import PUBLIC, Status, Timeline, history_checks, load_scenario, replay
from negotiation import invariants as inv
from negotiation.invariants import (
    Acknowledgement,
    Finding,
    Severity,
    acknowledge,
    check_state,
    check_timeline,
)

CUBA = ROOT / "scenarios" / "cuba-1962"
LAX = "the record is irregular here"


def _codes(findings: list[Finding]) -> set[tuple[str, Severity]]:
    return {(f.code, f.severity) for f in findings}


def test_conflicting_agreements_and_contradictory_stances_are_errors() -> None:
    t = replay(
        [
            move("p", "A", act("propose", "x"), act("propose", "w")),
            move("b", "B", act("accept", "x"), act("accept", "w", irregular=LAX)),
        ],
        RELATED,
    )
    found = check_state(t.final)
    assert ("conflicting-agreement", Severity.ERROR) in _codes(found)
    contradiction = next(f for f in found if f.code == "contradictory-stances")
    assert contradiction.parties == ("B",) and contradiction.terms == ("w", "x") and contradiction.move == "b"


def test_an_agreed_term_whose_requirement_was_rejected_is_an_error() -> None:
    t = replay(
        [
            move("p", "A", act("propose", "x"), act("propose", "v")),
            move("b", "B", act("accept", "v")),
            move("c", "B", act("reject", "x", irregular=LAX)),
        ],
        RELATED,
    )
    found = inv.unmet_requirements(t.final)
    assert [(f.code, f.terms, f.move) for f in found] == [("refused-requirement", ("v", "x"), "c")]
    assert any(f.code == "contradictory-stances" for f in inv.contradictory_stances(t.final))


def test_agreed_while_disputed_bites_if_status_derivation_breaks(monkeypatch: pytest.MonkeyPatch) -> None:
    t = replay([move("p", "A", act("propose", "x")), move("b", "B", act("dispute", "x"))], RELATED)
    assert inv.agreed_while_disputed(t.final) == []
    monkeypatch.setattr(inv, "term_status", lambda state, term: Status.AGREED)
    found = inv.agreed_while_disputed(t.final)
    assert [(f.terms, f.parties) for f in found] == [(("x",), ("B",))]


def test_knowledge_leak_bites_if_a_view_holds_an_unreceived_move(monkeypatch: pytest.MonkeyPatch) -> None:
    t = replay([move("p", "A", act("propose", "x")), move("b", "B", act("accept", "x"))], RELATED)
    assert inv.knowledge_leaks(t) == []
    monkeypatch.setattr(history_checks, "knew", lambda m, viewer, now: viewer == m.author)
    leaks = inv.knowledge_leaks(t, ["A"])
    assert [(f.parties, f.move) for f in leaks] == [(("A",), "b")]


def test_history_findings(timeline: Timeline) -> None:
    found = check_timeline(timeline)
    # Nothing agreed obliges a party not at the table: inspection in Cuba awaits Cuba's consent,
    # and the Western Hemisphere sentence commits nobody.
    assert not [f for f in found if f.code == "third-party-obligor"]
    consent = {f.terms[0]: f.parties for f in found if f.code == "missing-consent"}
    assert consent == {"un-verification": ("Cuba",), "turkey-jupiter-removal": ("Turkey", "NATO")}
    divergent = {f.terms[0] for f in found if f.code == "divergence"}
    assert {"us-no-invasion-pledge", "halt-further-introduction", "turkey-jupiter-removal"} <= divergent
    unchallenged = {(f.terms[0], f.parties[0]) for f in found if f.code == "unchallenged"}
    assert ("render-inoperable", "USSR") in unchallenged and (
        "halt-further-introduction",
        "USSR",
    ) in unchallenged
    assert [f.move for f in found if f.code == "time-order"] == ["rfk-dobrynin-27-oct"]
    assert not [f for f in found if f.severity is Severity.ERROR]


def test_refused_conditions_in_the_holdout() -> None:
    found = inv.refused_conditions(load_scenario(CUBA / "holdout.toml").replay().final)
    assert {(f.terms, f.parties) for f in found} == {
        (("un-negotiation", "cease-work-on-bases"), ("US",)),
        (("un-negotiation", "render-inoperable"), ("US",)),
    }


def test_irregular_acts_are_warnings() -> None:
    t = replay([move("b", "B", act("accept", "x", irregular=LAX))], RELATED)
    (f,) = inv.irregular_acts(t)
    assert (
        (f.severity, f.move) == (Severity.WARNING, "b") and "not-on-table" in f.message and LAX in f.message
    )


def test_acknowledged_findings_become_notes_and_stale_ones_warnings() -> None:
    found = [Finding(Severity.WARNING, "third-party-obligor", "m", ("t",), ("Cuba",))]
    acks = [Acknowledgement("third-party-obligor", "why", term="t"), Acknowledgement("divergence", "why not")]
    out = acknowledge(found, acks)
    assert out[0].severity is Severity.NOTE and out[0].acknowledged == "why"
    assert [(f.code, f.severity) for f in out[1:]] == [("unused-acknowledgement", Severity.WARNING)]
    assert acknowledge(found, acks, must_match=acks[:1])[1:] == []


def test_every_view_of_the_history_is_free_of_leaks(timeline: Timeline) -> None:
    assert inv.knowledge_leaks(timeline, ["US", "USSR", PUBLIC, "Cuba"]) == []


# -- the command ------------------------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "negotiation", *args], capture_output=True, text=True, check=False
    )


def test_check_runs_clean_on_every_shipped_scenario() -> None:
    files = sorted(str(p) for p in CUBA.glob("*.toml"))
    r = run("check", *files, "--severity", "warning")
    assert r.returncode == 0, r.stdout + r.stderr
    heads = [line for line in r.stdout.splitlines() if not line.startswith("  ")]
    assert len(heads) == len(files)
    assert all(": 0 errors, 0 warnings, " in h for h in heads)


def test_check_groups_findings_by_severity_with_file_and_move() -> None:
    r = run("check", str(HISTORICAL))
    lines = r.stdout.splitlines()
    assert lines[0].startswith(f"{HISTORICAL}: 0 errors, 0 warnings, ")
    severities = [line.split()[0] for line in lines[1:]]
    assert severities == sorted(severities, key=["error", "warning", "note"].index)
    assert any("acknowledged: inspection on Cuban soil" in line for line in lines)
    assert any("move rfk-dobrynin-27-oct" in line and "time-order" in line for line in lines)


def test_check_exits_1_on_errors_and_2_on_unreadable_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[scenario]\nid = "bad"\n[[parties]]\nid = "A"\n[[parties]]\nid = "B"\n'
        '[[terms]]\nid = "x"\nobligors = ["B"]\ntext = "x"\n'
        '[[terms]]\nid = "w"\nobligors = ["B"]\ntext = "w"\nconflicts = ["x"]\n'
        '[[moves]]\nid = "p"\nauthor = "A"\naddressees = ["B"]\n'
        '[[moves.acts]]\nverb = "propose"\nterm = "x"\n[[moves.acts]]\nverb = "propose"\nterm = "w"\n'
        '[[moves]]\nid = "b"\nauthor = "B"\naddressees = ["A"]\n'
        '[[moves.acts]]\nverb = "accept"\nterm = "x"\n'
        '[[moves.acts]]\nverb = "accept"\nterm = "w"\nirregular = "both, in the record"\n',
        encoding="utf-8",
    )
    r = run("check", str(bad))
    assert r.returncode == 1
    assert "  error    conflicting-agreement   move b" in r.stdout
    assert "  warning  irregular-act           move b" in r.stdout
    r = run("check", str(bad), str(tmp_path / "missing.toml"))
    assert r.returncode == 2
    assert f"{tmp_path / 'missing.toml'}: cannot be read: " in r.stdout


def test_check_json_and_severity_filter() -> None:
    doc = json.loads(run("check", str(CUBA / "holdout.toml"), "--json", "--severity", "warning").stdout)
    (report,) = doc
    assert report["counts"]["error"] == 0 and report["counts"]["note"] > 0
    assert report["findings"] == []
    doc = json.loads(run("check", str(CUBA / "holdout.toml"), "--json").stdout)
    codes = {f["code"] for f in doc[0]["findings"]}
    assert {"refused-condition", "divergence", "unchallenged"} <= codes


def test_releasing_one_condition_keeps_the_rest_of_the_position() -> None:
    t = replay(
        [
            move("p", "A", act("propose", "x", conditions=["y", "z"], timing="at once")),
            move("r", "A", act("release", "x", conditions=["y"])),
        ],
        RELATED,
    )
    f = t.final.formulation("x", "A")
    assert f is not None and f.conditions == {"z"} and f.timing == "at once"
    assert str(t.final.stance("x", "A")) == "proposed"


def test_a_new_wording_that_leaves_out_a_qualifier_is_noted() -> None:
    t = replay(
        [
            move("p", "A", act("propose", "x", timing="at once")),
            move("r", "A", act("restate", "x", wording="B does x, as A now puts it")),
        ],
        RELATED,
    )
    found = [f for f in check_timeline(t) if f.code == "dropped-qualifier"]
    assert [(f.severity, f.move, f.terms, f.parties) for f in found] == [(Severity.NOTE, "r", ("x",), ("A",))]
    assert "leaves out its earlier timing 'at once'" in found[0].message
