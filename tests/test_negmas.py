"""A run NegMAS itself saved (examples/negmas-sao/run1, by negmas 0.16) read as a scenario."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from conftest import ROOT
from helpers import cli
from negotiation import ScenarioError, Status, Verb, load_scenario, term_status
from negotiation.io.negmas import load_negmas_run

RUN = ROOT / "examples" / "negmas-sao" / "run1"


def test_the_agreement_is_the_one_negmas_recorded() -> None:
    recorded = yaml.safe_load((RUN / "run_info.yaml").read_text())["agreement"]
    issues = [i["name"] for i in yaml.safe_load((RUN / "scenario" / "domain.yml").read_text())["issues"]]
    final = load_negmas_run(RUN).replay().final
    for issue, value in zip(issues, recorded, strict=True):
        assert term_status(final, issue) is Status.AGREED
        for party in ("US", "USSR"):
            assert final.formulation(issue, party).text == f"{issue}: {value}"  # type: ignore[union-attr]


def test_every_offer_and_acceptance_of_the_trace_is_a_move_by_its_named_negotiator() -> None:
    rows = pq.read_table(RUN / "trace.parquet").to_pylist()
    moves = load_negmas_run(RUN).moves
    assert len(moves) == len(rows) + sum("ACCEPT_OFFER" in r["responses"] for r in rows)
    assert {m.author for m in moves} == {"US", "USSR"}  # the ids' UUID suffixes are gone
    assert [a.verb for a in moves[0].acts] == [Verb.PROPOSE, Verb.PROPOSE]
    last = moves[-1]
    assert last.author == "USSR" and all(a.verb is Verb.ACCEPT for a in last.acts)


def test_a_csv_trace_reads_as_the_parquet_one(tmp_path: Path) -> None:
    copy = tmp_path / "run1"
    shutil.copytree(RUN, copy)
    rows = pq.read_table(copy / "trace.parquet").to_pylist()
    (copy / "trace.parquet").unlink()
    with (copy / "trace.csv").open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert load_negmas_run(copy).moves == load_negmas_run(RUN).moves


def test_an_offer_is_read_as_a_literal_never_run(tmp_path: Path) -> None:
    copy = tmp_path / "run1"
    shutil.copytree(RUN, copy, ignore=shutil.ignore_patterns("trace.parquet"))
    (copy / "trace.csv").write_text(
        "step,negotiator,offer,responses,state\n"
        "0,US,\"__import__('os').system('touch pwned')\",{},continuing\n"
    )
    with pytest.raises(ScenarioError) as info:
        load_negmas_run(copy)
    assert "field 'trace[0].offer'" in str(info.value) and "is not an outcome" in str(info.value)
    assert not Path("pwned").exists()


@pytest.mark.parametrize(
    ("remove", "words"),
    [("scenario", "has no scenario/domain.yml"), ("trace.parquet", "has no trace.parquet or trace.csv")],
)
def test_a_run_missing_a_part_is_one_error(tmp_path: Path, remove: str, words: str) -> None:
    copy = tmp_path / "run1"
    shutil.copytree(RUN, copy, ignore=shutil.ignore_patterns(remove))
    with pytest.raises(ScenarioError, match=words):
        load_negmas_run(copy)


def test_the_command_imports_the_run_to_the_example_scenario(tmp_path: Path) -> None:
    out = tmp_path / "run1.toml"
    r = cli("import", RUN, "--from", "negmas", "-o", out)
    assert r.returncode == 0, r.stderr
    assert load_scenario(out).moves == load_scenario(RUN.with_suffix(".toml")).moves


def test_a_trace_that_is_not_utf8_and_offers_stored_as_lists(tmp_path: Path) -> None:
    copy = tmp_path / "run1"
    shutil.copytree(RUN, copy, ignore=shutil.ignore_patterns("trace.parquet"))
    (copy / "trace.csv").write_bytes(b"step,negotiator,offer\n0,US,\xff\n")
    with pytest.raises(ScenarioError, match="cannot read the table"):
        load_negmas_run(copy)
    (copy / "trace.csv").write_text("step,negotiator,offer,responses\n0,US,\"['secret', 'un']\",{}\n")
    (only,) = load_negmas_run(copy).moves
    assert [a.wording for a in only.acts] == ["jupiters: secret", "inspection: un"]
