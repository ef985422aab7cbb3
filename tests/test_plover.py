"""PLOVER export: one event record per act, the fields of the PLOVER manual, joinable by term."""

from __future__ import annotations

import datetime as dt
import json

from conftest import HISTORICAL, ROOT
from helpers import cli
from negotiation import Verb, load_scenario
from negotiation.render.plover import plover_lines

CATEGORIES = {
    *("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST"),
    *("ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"),
}
"""PLOVER's 16 event categories (manual draft 0.8, 2021)."""

EXAMPLE = ROOT / "examples" / "plover" / "historical.jsonl"


def exported() -> list[dict[str, object]]:
    r = cli("export", HISTORICAL, "--format", "plover")
    assert r.returncode == 0, r.stderr
    assert "1 ignore act(s) have no PLOVER event" in r.stderr  # said, not dropped silently
    return [json.loads(line) for line in r.stdout.splitlines()]


def test_every_act_but_ignore_is_one_record_with_the_required_fields() -> None:
    records = exported()
    moves = load_scenario(HISTORICAL).moves
    acts = [(m.id, j) for m in moves for j, a in enumerate(m.acts) if a.verb is not Verb.IGNORE]
    assert [(r["negotiation"]["move"], r["negotiation"]["act"]) for r in records] == acts  # type: ignore[index]
    assert len({r["id"] for r in records}) == len(records)
    for r in records:
        dt.date.fromisoformat(str(r["date"]))
        assert r["actor"] and all("code" in e for e in r["actor"])  # type: ignore[attr-defined]
        assert set(r["event"]) <= CATEGORIES  # type: ignore[arg-type]
        assert "diplomatic" in r["context"]  # type: ignore[operator]


def test_the_back_channel_assurance_keeps_its_term_channel_and_secrecy() -> None:
    """Robert Kennedy to Dobrynin, evening of 27 October: the Jupiters, secret, in a back channel."""
    (turkey,) = [
        r
        for r in exported()
        if r["negotiation"]["move"] == "rfk-dobrynin-27-oct" and r["link"] == "turkey-jupiter-removal"  # type: ignore[index]
    ]
    assert turkey["date"] == "1962-10-27" and turkey["event"] == ["AGREE"] and turkey["cameo"] == "03"
    assert [e["code"] for e in turkey["actor"]] == ["US"]  # type: ignore[attr-defined]
    assert [e["code"] for e in turkey["recipient"]] == ["USSR"]  # type: ignore[attr-defined]
    assert "back-channel move" in str(turkey["comment"]) and "secret" in str(turkey["comment"])


def test_verbs_take_their_codes() -> None:
    by_verb = {r["negotiation"]["verb"]: r for r in exported()}  # type: ignore[index]
    assert by_verb["propose"]["event"] == ["AGREE"]
    assert by_verb["affirm"]["event"] == ["SUPPORT"] and by_verb["affirm"]["cameo"] == "057"
    assert by_verb["dispute"]["event"] == ["ACCUSE"] and by_verb["dispute"]["mode"] == ["disapprove"]
    assert by_verb["reject"]["event"] == ["REJECT"] and by_verb["reject"]["cameo"] == "12"
    assert by_verb["fulfil"]["event"] == ["COOPERATE"]
    assert "hypothetical" in by_verb["condition"]["context"]  # type: ignore[operator]


def test_the_example_file_reads_back_as_the_export_of_the_history() -> None:
    scenario = load_scenario(HISTORICAL)
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines == list(plover_lines(scenario, scenario.replay()))
    assert all(json.loads(line)["link"] for line in lines)
