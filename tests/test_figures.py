"""Figures for papers: the timeline and the term graph as SVG, PDF and PNG, with legends."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import HISTORICAL
from helpers import cli
from negotiation import load_scenario

SVG = "{http://www.w3.org/2000/svg}"


def figure(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return cli("figure", *args)


def svg_text(path: Path) -> str:
    """The figure's words: matplotlib writes text as paths, with the string in a comment beside them."""
    return path.read_text(encoding="utf-8")


def test_the_timeline_is_a_vector_figure_with_a_lane_per_raised_term_and_a_legend(tmp_path: Path) -> None:
    out = tmp_path / "timeline.svg"
    r = figure(HISTORICAL, "-o", out, "--width", "7")
    assert r.returncode == 0, r.stderr
    root = ET.parse(out).getroot()
    assert root.get("width", "").startswith("504")  # 7 in at 72 pt
    text = svg_text(out)
    timeline = load_scenario(HISTORICAL).replay()
    for move in timeline.moves:
        assert move.id[:29] in text  # ids past 30 characters are cut with an ellipsis
    assert "Jupiter missiles out of Turkey" in text  # lanes by title
    assert "B  binding" in text and "P  disputed" in text  # the legend, letter beside colour
    letters = re.findall(r"<!-- ([A-Z]) -->", text)  # a status letter in the cells of each lane
    assert "B" in letters and len(letters) >= len(load_scenario(HISTORICAL).catalogue.by_id)
    assert not list(root.iter(f"{SVG}image"))  # vector: no raster inside
    cells = [p for p in root.iter(f"{SVG}path") if "clip-path" in p.attrib]
    raised = [t for t in timeline.final.catalogue.by_id if t in timeline.final.terms]
    # a lane is its runs of equal status: at least one per lane, fewer than a cell per move
    assert len(raised) <= len(cells) < len(raised) * len(timeline)


@pytest.mark.parametrize(("suffix", "magic"), [(".pdf", b"%PDF"), (".png", b"\x89PNG")])
def test_pdf_and_png_are_written_by_their_suffix(tmp_path: Path, suffix: str, magic: bytes) -> None:
    out = tmp_path / f"timeline{suffix}"
    assert figure(HISTORICAL, "-o", out, "--width", "3.5").returncode == 0
    assert out.read_bytes().startswith(magic)


def test_the_term_graph_draws_the_raised_terms_and_the_conditions_by_party(tmp_path: Path) -> None:
    out = tmp_path / "graph.svg"
    r = figure(HISTORICAL, "--kind", "graph", "--at", "kennedy-27-oct-letter", "-o", out)
    assert r.returncode == 0, r.stderr
    text = svg_text(out)
    assert "condition (US)" in text and "condition (USSR)" in text
    assert "Jupiter missiles" in text


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("-o", "timeline.txt"), "ending in .svg, .pdf, .png"),
        ((), "give the figure's file with -o OUT"),
        (("-o", "t.svg", "--width", "40"), "--width 40.0: give inches between 2 and 20"),
        (("-o", "t.svg", "--at", "nope"), "nope"),
    ],
)
def test_a_bad_request_is_one_line(tmp_path: Path, args: tuple[str, ...], words: str) -> None:
    r = cli("figure", HISTORICAL, *args, cwd=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and words in r.stderr


def test_the_public_saw_a_different_timeline(tmp_path: Path) -> None:
    """The Jupiter assurance went by the back channel: the public's figure has no lane for it raised."""
    historian, public = tmp_path / "h.svg", tmp_path / "p.svg"
    assert figure(HISTORICAL, "-o", historian).returncode == 0
    assert figure(HISTORICAL, "-o", public, "--as", "public").returncode == 0
    assert historian.read_text() != public.read_text()


def test_the_term_graph_as_a_party_knew_it(tmp_path: Path) -> None:
    historian, public = tmp_path / "h.svg", tmp_path / "p.svg"
    assert figure(HISTORICAL, "--kind", "graph", "-o", historian).returncode == 0
    assert figure(HISTORICAL, "--kind", "graph", "-o", public, "--as", "public").returncode == 0
    assert historian.read_text() != public.read_text()
    r = figure(HISTORICAL, "--kind", "graph", "-o", tmp_path / "n.svg", "--as", "nobody")
    assert r.returncode == 2 and "nobody" in r.stderr
