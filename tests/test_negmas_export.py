"""Histories written as NegMAS saves an SAO run, checked against the run NegMAS itself saved.

examples/negmas-sao/run1 was saved by negmas 0.16: imported and exported again, its trace
must come back row for row (the negotiators' ids without their UUID suffixes). The Cuban
history, which NegMAS never saw, is checked against what the letters say.
"""

from __future__ import annotations

import ast
import csv
import json
import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from conftest import ROOT
from helpers import cli
from negotiation import load_scenario
from negotiation.io import negmas as negmas_io
from negotiation.io.negmas import NO_POSITION, load_negmas_run
from negotiation.render.negmas import NegmasExport

RUN = ROOT / "examples" / "negmas-sao" / "run1"
HISTORICAL = ROOT / "scenarios" / "cuba-1962" / "historical.toml"
EXAMPLE = ROOT / "examples" / "negmas-sao" / "cuba-historical"
IDS = {
    "US-078d8eab-7985-4e5a-9ec3-a73380ce5b67": "US",
    "USSR-2152f344-5c0a-40e2-8d21-97b4ceef0c97": "USSR",
}


def _plain(row: dict[str, object]) -> tuple[object, ...]:
    """What a row says of the negotiation, with NegMAS's negotiator ids shortened to names."""
    responses = str(row["responses"])
    for long, short in IDS.items():
        responses = responses.replace(long, short)
    negotiator = str(row["negotiator"])
    return int(str(row["step"])), IDS.get(negotiator, negotiator), row["offer"], responses, row["state"]


def _export(source: Path, out: Path, *extra: str) -> None:
    r = cli("export", source, "--format", "negmas", "-o", out, *extra)
    assert r.returncode == 0, r.stderr


@pytest.fixture
def run1_scenario(tmp_path: Path) -> Path:
    out = tmp_path / "run1.toml"
    assert cli("import", RUN, "--from", "negmas", "-o", out).returncode == 0
    return out


def test_run1_imported_and_exported_is_the_trace_negmas_saved(run1_scenario: Path, tmp_path: Path) -> None:
    _export(run1_scenario, tmp_path / "back")
    original = pq.read_table(RUN / "trace.parquet").to_pylist()
    written = pq.read_table(tmp_path / "back" / "trace.parquet").to_pylist()
    assert [_plain(r) for r in written] == [_plain(r) for r in original]
    recorded = yaml.safe_load((RUN / "run_info.yaml").read_text())["agreement"]
    info = yaml.safe_load((tmp_path / "back" / "run_info.yaml").read_text())
    assert info["agreement"] == recorded and info["storage_format"] == "parquet"
    config = yaml.safe_load((tmp_path / "back" / "config.yaml").read_text())
    assert config["negotiator_ids"] == ["US", "USSR"] and config["mechanism_type"] == "SAOMechanism"
    assert config["final_step"] == yaml.safe_load((RUN / "config.yaml").read_text())["final_step"]
    domain = yaml.safe_load((tmp_path / "back" / "scenario" / "domain.yml").read_text())
    theirs = yaml.safe_load((RUN / "scenario" / "domain.yml").read_text())
    assert [i["name"] for i in domain["issues"]] == [i["name"] for i in theirs["issues"]]
    # values in the order the history first stated them: "none" was never offered first
    assert {i["name"]: set(i["values"]) for i in domain["issues"]} == {
        i["name"]: set(i["values"]) for i in theirs["issues"]
    }


def test_the_export_reads_back_as_the_same_moves_from_parquet_and_from_csv(
    run1_scenario: Path, tmp_path: Path
) -> None:
    _export(run1_scenario, tmp_path / "parquet")
    _export(run1_scenario, tmp_path / "csv", "--trace", "csv")
    assert not (tmp_path / "csv" / "trace.parquet").exists()
    assert yaml.safe_load((tmp_path / "csv" / "run_info.yaml").read_text())["storage_format"] == "csv"
    moves = load_scenario(run1_scenario).moves
    assert load_negmas_run(tmp_path / "parquet").moves == moves
    assert load_negmas_run(tmp_path / "csv").moves == moves


def test_the_historical_record_as_offers(tmp_path: Path) -> None:
    """Khrushchev's letter of 27 October asks for the Jupiters; Kennedy's reply offers the pledge."""
    _export(HISTORICAL, tmp_path / "cuba")
    rows = pq.read_table(tmp_path / "cuba" / "trace.parquet").to_pylist()
    domain = yaml.safe_load((tmp_path / "cuba" / "scenario" / "domain.yml").read_text())
    issues = [i["name"] for i in domain["issues"]]
    by_move = {json.loads(r["data"])["move"]: r for r in rows}

    def value(move: str, issue: str) -> str:
        return ast.literal_eval(by_move[move]["offer"])[issues.index(issue)]  # type: ignore[no-any-return]

    assert by_move["khrushchev-27-oct-letter"]["negotiator"] == "USSR"
    assert "Turkey" in value("khrushchev-27-oct-letter", "turkey-jupiter-removal")
    # the public letter is silent on Turkey
    assert value("kennedy-27-oct-letter", "turkey-jupiter-removal") == NO_POSITION
    assert "invasion" in value("kennedy-27-oct-letter", "us-no-invasion-pledge")
    assert "4 to 5 months" in value("rfk-dobrynin-27-oct", "turkey-jupiter-removal")  # the oral assurance
    for i in domain["issues"]:
        assert all(isinstance(v, str) and v for v in i["values"])
    # every offer's values are values of the domain, in the domain's order of issues
    values = {i["name"]: set(i["values"]) for i in domain["issues"]}
    for r in rows:
        offer = ast.literal_eval(r["offer"])
        assert all(v in values[issue] for issue, v in zip(issues, offer, strict=True))
    times = [r["time"] for r in rows]
    assert times[0] == 0.0 and times == sorted(times)
    # each move is a row, a response or skipped, once, in replay order
    extra = yaml.safe_load((tmp_path / "cuba" / "negotiation.yaml").read_text())
    moves = [m.id for m in load_scenario(HISTORICAL).moves]
    written = [json.loads(r["data"])["move"] for r in rows]
    assert written == [m for m in moves if m in written]
    assert set(written).isdisjoint(extra["skipped_moves"]) and extra["no_position"] == NO_POSITION


def test_the_history_exported_and_imported_again_replays(tmp_path: Path) -> None:
    _export(HISTORICAL, tmp_path / "cuba")
    back = load_negmas_run(tmp_path / "cuba")
    final = back.replay().final
    rows = pq.read_table(tmp_path / "cuba" / "trace.parquet").to_pylist()
    assert len(back.moves) == len(rows)  # no acceptance of a whole offer in 1962
    # the no-position value is not read as a wording: nobody "holds" it after the import
    for term in back.catalogue.terms:
        for party in ("US", "USSR"):
            f = final.formulation(term.id, party)
            assert f is None or NO_POSITION not in f.text


def test_the_example_folder_is_what_the_command_writes(tmp_path: Path) -> None:
    _export(HISTORICAL, tmp_path / "cuba")
    files = sorted(p for p in EXAMPLE.rglob("*") if p.is_file())
    assert [p.relative_to(EXAMPLE).as_posix() for p in files] == [
        "config.yaml",
        "negotiation.yaml",
        "outcome_stats.yaml",
        "run_info.yaml",
        "scenario/domain.yml",
        "trace.parquet",
    ]
    for path in files:
        mine = tmp_path / "cuba" / path.relative_to(EXAMPLE)
        if path.suffix == ".parquet":
            assert pq.read_table(mine).to_pylist() == pq.read_table(path).to_pylist()
        else:
            assert mine.read_text() == path.read_text(), path.name


def test_the_command_says_what_it_wrote_and_what_it_left_out(tmp_path: Path) -> None:
    r = cli("export", HISTORICAL, "--format", "negmas", "-o", tmp_path / "cuba")
    assert r.returncode == 0 and r.stdout == ""
    skipped = yaml.safe_load((tmp_path / "cuba" / "negotiation.yaml").read_text())["skipped_moves"]
    assert f"{len(skipped)} move(s) change no offer" in r.stderr and skipped[0] in r.stderr
    assert "no agreement" in r.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ((), "give it with -o FOLDER"),
        (("--trace", "csv", "--format", "plover"), "--trace is for --format negmas"),
    ],
)
def test_a_run_needs_its_folder(args: tuple[str, ...], words: str) -> None:
    r = cli("export", HISTORICAL, *(args or ("--format", "negmas")))
    assert r.returncode == 2 and words in r.stderr and "Traceback" not in r.stderr


def test_a_folder_of_other_files_is_never_written_over(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    r = cli("export", HISTORICAL, "--format", "negmas", "-o", mine)
    assert r.returncode == 2 and "holding other files than a run" in r.stderr
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    r = cli("export", HISTORICAL, "--format", "negmas", "-o", tmp_path / "missing" / "run")
    assert r.returncode == 2 and "does not exist" in r.stderr and "Traceback" not in r.stderr
    (tmp_path / "file").write_text("x")
    r = cli("export", HISTORICAL, "--format", "negmas", "-o", tmp_path / "file")
    assert r.returncode == 2 and "is a file" in r.stderr and (tmp_path / "file").read_text() == "x"


def test_a_run_written_before_is_replaced_whole(run1_scenario: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    _export(HISTORICAL, out)
    _export(run1_scenario, out, "--trace", "csv")
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["config.yaml", "negotiation.yaml", "outcome_stats.yaml", "run_info.yaml", "scenario", "trace.csv"]
    )
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # nothing left aside


def test_a_failure_while_writing_leaves_no_folder(
    run1_scenario: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(rows: object, path: Path) -> None:
        raise OSError(28, os.strerror(28))

    monkeypatch.setattr(negmas_io, "_parquet", full)
    scenario = load_scenario(run1_scenario)
    export = NegmasExport(scenario, scenario.replay())
    with pytest.raises(negmas_io.ScenarioError, match="cannot write: No space left on device"):
        negmas_io.write_negmas_run(export.rows(), export.run, scenario.id, tmp_path / "run")
    assert list(tmp_path.iterdir()) == [run1_scenario]


def test_an_acceptance_of_the_whole_offer_and_a_breaking_off(tmp_path: Path) -> None:
    """Accepting the other's last offer whole is a response to it; ending leaves no offer standing."""
    (tmp_path / "s.toml").write_text(
        """\
parties = [{ id = "A" }, { id = "B" }, { id = "C" }]

[scenario]
format = 2
id = "three-parties"

[[terms]]
id = "t"
obligors = ["A", "B", "C"]
text = "A term."

[[terms]]
id = "u"
obligors = ["A", "B", "C"]
text = "Another term."

[[moves]]
id = "a1"
author = "A"
addressees = ["B", "C"]
acts = [{ verb = "propose", term = "t", wording = "t as A words it" }, { verb = "propose", term = "u" }]

[[moves]]
id = "b1"
author = "B"
addressees = ["A", "C"]
acts = [{ verb = "accept", term = "t" }, { verb = "accept", term = "u" }]

[[moves]]
id = "c1"
author = "C"
addressees = ["A", "B"]
acts = [{ verb = "reject", term = "u" }]

[[moves]]
id = "c2"
author = "C"
addressees = ["A", "B"]
acts = [{ verb = "accept", term = "t", wording = "t as C words it" }]

[[moves]]
id = "a2"
author = "A"
addressees = ["B", "C"]
acts = [{ verb = "withdraw", term = "t" }, { verb = "withdraw", term = "u" }]
"""
    )
    _export(tmp_path / "s.toml", tmp_path / "run", "--trace", "csv")
    with (tmp_path / "run" / "trace.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["negotiator"], r["offer"], r["responses"], r["state"]) for r in rows] == [
        ("A", "('t as A words it', 'Another term.')", "{'B': <ResponseType.ACCEPT_OFFER: 0>}", "continuing"),
        ("C", "('t as C words it', '(no position)')", "{'A': <ResponseType.END_NEGOTIATION: 2>}", "broken"),
    ]  # C never accepted A's offer, so it is no agreement; A's withdrawal ends the negotiation
    extra = yaml.safe_load((tmp_path / "run" / "negotiation.yaml").read_text())
    assert extra["skipped_moves"] == ["c1"]  # a rejection with nothing to offer instead
    assert yaml.safe_load((tmp_path / "run" / "outcome_stats.yaml").read_text())["broken"] is True
