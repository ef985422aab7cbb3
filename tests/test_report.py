"""The HTML report: self-contained, deterministic, escaped, and true to the replay."""

from __future__ import annotations

import html
import importlib.util
import json
import re
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings

from conftest import HISTORICAL, ROOT
from negotiation import Scenario, Status, Timeline, load_scenario, loads_scenario, term_status
from negotiation.analysis import diff
from negotiation.cli import main
from negotiation.errors import ParameterError
from negotiation.render.palette import STATUS_CODES
from negotiation.render.report import report_html, state_html, timeline_html, viewers
from negotiation.status import is_divergent
from negotiation.testing.strategies import scenarios

SWAP = ROOT / "scenarios" / "cuba-1962" / "turkey-swap.toml"
VOID = {"meta", "br", "img", "input", "link", "hr", "col", "source", "wbr", "area", "base", "embed"}


class _Structure(HTMLParser):
    """Checks that every element is closed in order, and gathers tags, attributes and scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.starts: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:]!r}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.scripts.append((self._script, data))
            self._script = None


def parse(page: str) -> _Structure:
    p = _Structure()
    p.feed(page)
    p.close()
    assert not p.problems, p.problems[:5]
    assert p.stack == [], p.stack
    return p


@pytest.fixture(scope="module")
def page(historical: Scenario) -> str:
    return report_html(historical, compare=load_scenario(SWAP))


def _data(page: str) -> dict[str, object]:
    found = re.search(r'<script type="application/json" class="ngr-data">(.*?)</script>', page, flags=re.S)
    assert found is not None
    doc: dict[str, object] = json.loads(found.group(1))
    return doc


def _tbody(page: str, table: str, viewer: str) -> str:
    t = re.search(rf'<table class="lanes" data-table="{table}".*?</table>', page, flags=re.S)
    assert t is not None
    body = re.search(rf'<tbody data-view="{re.escape(viewer)}"[^>]*>(.*?)</tbody>', t.group(0), flags=re.S)
    assert body is not None
    return body.group(1)


def test_the_page_is_well_formed_and_needs_nothing_from_outside(page: str) -> None:
    p = parse(page)
    assert page.startswith("<!DOCTYPE html>")
    for tag, attrs in p.starts:
        assert tag not in ("link", "img", "iframe", "object", "embed"), tag
        assert "src" not in attrs and "href" not in attrs, (tag, attrs)
    assert re.findall(r"https?://[^\s\"'<>]+", page) == ["http://www.w3.org/2000/svg"] * page.count("<svg ")
    assert "@import" not in page
    assert set(re.findall(r"url\(([^)]*)\)", page)) <= {
        f"#ngr-arrow-{c}" for c in re.findall(r'id="ngr-arrow-(\w+)"', page)
    }


def test_the_same_input_gives_the_same_bytes(historical: Scenario, page: str) -> None:
    assert report_html(historical, compare=load_scenario(SWAP)) == page


def test_each_lane_ends_in_the_colour_of_the_final_status(historical: Scenario, page: str) -> None:
    final = historical.replay().final
    rows = dict(
        re.findall(
            r'<tr data-t="\d+" data-term="([^"]+)"><th scope="row"[^>]*>.*?</th>(.*?)</tr>',
            _tbody(page, "main", "historian"),
        )
    )
    assert set(rows) == set(final.catalogue.by_id)  # every term of the historical record is raised
    for term, cells in rows.items():
        status = term_status(final, term)
        code = STATUS_CODES[status]
        if is_divergent(final, term) and status is not Status.DIVERGENT:
            code = code.upper()
        last = re.findall(r'<td class="s-(\w)', cells)[-1]
        assert last == code, term


def test_every_move_is_a_column_with_its_date_author_and_channel(historical: Scenario, page: str) -> None:
    heads = re.findall(r'<th class="m c-([\w-]+)" data-b="main" data-i="(\d+)" title="([^"]*)"', page)
    moves = historical.moves
    assert [int(i) for _, i, _ in heads] == list(range(len(moves)))
    for (channel, _, title), m in zip(heads, moves, strict=True):
        assert channel == str(m.channel)
        assert title.startswith(f"{m.id} · {m.sent} · {m.author} → ")


def test_every_view_has_its_lanes_memo_and_graph(historical: Scenario, page: str) -> None:
    shown = viewers(historical.replay())
    assert shown == ["historian", "US", "USSR", "UN", "public"]
    for v in shown:
        assert page.count(f'<tbody data-view="{v}"') == 2  # the timeline, and the comparison
        assert f'<button type="button" data-show="{v}"' in page
        assert re.search(rf'<div class="view" data-view="{v}"[^>]*><p class="outcome">', page)
        assert re.search(rf'<div class="view" data-view="{v}"[^>]*><svg class="graph"', page)
    assert page.count('<button type="button" data-show="historian" aria-pressed="true">') == 1


def test_the_public_never_saw_the_jupiter_assurance(page: str) -> None:
    memo = re.search(
        r'<div class="view" data-view="public"[^>]*><p class="outcome">.*?</table>', page, flags=re.S
    )
    assert memo is not None
    row = re.search(r"<code>turkey-jupiter-removal</code>.*?</tr>", memo.group(0), flags=re.S)
    assert row is not None
    assert "4 to 5 months" not in row.group(0) and "quid pro quo" not in row.group(0)
    assert '<span class="badge s-p">disputed</span>' in row.group(0)
    assert "4 to 5 months" in page  # the historian's view has it


def test_divergent_formulations_are_highlighted(page: str) -> None:
    memo = re.search(
        r'<div class="view" data-view="historian"[^>]*><p class="outcome">.*?</table>', page, flags=re.S
    )
    assert memo is not None
    row = re.search(
        r'<tr class="divergent"><th scope="row"><code>turkey-jupiter-removal</code>.*?</tr>',
        memo.group(0),
        flags=re.S,
    )
    assert row is not None
    assert row.group(0).count('<dt class="diff">timing</dt>') == 2
    assert '<p class="diff">The Jupiter missiles will be gone from Turkey' in row.group(0)


def test_moves_and_acts_are_data_for_the_script_once(historical: Scenario, page: str) -> None:
    doc = _data(page)
    tables = doc["tables"]
    assert isinstance(tables, dict)
    main = tables["main"]["blocks"]["main"]
    assert [m["id"] for m in main["moves"]] == [m.id for m in historical.moves]
    rfk = next(m for m in main["moves"] if m["id"] == "rfk-dobrynin-27-oct")
    assert rfk["ch"] == "back-channel"
    assert any("unsurmountable difficulties" in a.get("q", "") for a in rfk["acts"])
    assert (
        main["views"]["public"]["known"][historical.moves.index(historical.move("rfk-dobrynin-27-oct"))]
        == "0"
    )
    assert set(main["views"]) == {"historian", "US", "USSR", "UN", "public"}


def test_comparison_starts_at_the_common_move_and_marks_what_differs(historical: Scenario, page: str) -> None:
    swap = load_scenario(SWAP)
    d = diff(historical.replay(), swap.replay())
    assert "Both histories are the same up to <b>khrushchev-27-oct-letter</b>" in page
    blocks = _data(page)["tables"]["compare"]["blocks"]  # type: ignore[index]
    assert blocks["a"]["moves"][0]["id"] == blocks["b"]["moves"][0]["id"] == "khrushchev-27-oct-letter"
    assert blocks["b"]["moves"][1]["id"] == "kennedy-27-oct-accepts-swap"
    assert [m["id"] for m in blocks["b"]["moves"]] == [
        m.id for m in swap.moves[len(swap.moves) - len(blocks["b"]["moves"]) :]
    ]
    compare = _tbody(page, "compare", "historian")
    assert compare.count('<span class="ne" title="differs at the end">≠</span>') == len(d.terms) == 12


UNRELATED = """
[scenario]
id = "elsewhere"
title = "Another negotiation"

[[parties]]
id = "A"

[[parties]]
id = "B"

[[terms]]
id = "ceasefire"
obligors = ["A", "B"]
text = "Both stop firing."

[[moves]]
id = "a-offers"
author = "A"
addressees = ["B"]
acts = [{verb = "propose", term = "ceasefire"}]
"""


def test_an_unrelated_comparison_shows_both_from_the_start(historical: Scenario) -> None:
    other = loads_scenario(UNRELATED, "elsewhere.toml")
    page = report_html(historical, compare=other)
    parse(page)
    assert "These two histories share no move: both are shown from their first move." in page
    blocks = _data(page)["tables"]["compare"]["blocks"]  # type: ignore[index]
    assert blocks["a"]["moves"][0]["id"] == "kennedy-22-oct-letter"
    assert [m["id"] for m in blocks["b"]["moves"]] == ["a-offers"]
    # US is not a party there: its view of B is drawn as not applicable
    assert '<td class="s-x" colspan=1></td>' in _tbody(page, "compare", "US")


def test_the_page_opens_in_the_chosen_view(historical: Scenario) -> None:
    page = report_html(historical, viewer="USSR")
    assert '<div class="ngr" data-view="USSR">' in page
    assert '<button type="button" data-show="USSR" aria-pressed="true">' in page
    assert '<tbody data-view="USSR">' in page and '<tbody data-view="historian" hidden>' in page
    cuba = report_html(historical, viewer="Cuba")  # a party no move was addressed to
    assert '<button type="button" data-show="Cuba" aria-pressed="true">' in cuba


def test_an_unknown_view_is_a_clear_error_naming_the_parameter(historical: Scenario) -> None:
    with pytest.raises(
        ParameterError, match=r"^viewer 'USR': no such view in this report \(did you mean 'USSR'"
    ) as caught:
        report_html(historical, viewer="USR")
    assert (caught.value.parameter, caught.value.value) == ("viewer", "USR")


def test_the_command_line_names_the_flag_of_an_unknown_view(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(HISTORICAL), "--as", "USR"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("negotiation: error: --as 'USR': no such view in this report (did you mean 'USSR'")


HOSTILE = """
[scenario]
id = "x"
title = "<script>alert('title')</script> & co"
description = "A </script> in the description & a <b>tag</b>."

[[parties]]
id = "A"
name = "A <i>"

[[parties]]
id = "B"

[[terms]]
id = "t<1>"
obligors = ["B"]
text = "B does <x> & \\"y\\""
title = "<img src=x onerror=alert(1)>"

[[moves]]
id = "m&1"
author = "A"
addressees = ["B"]
title = "</script><script>alert(2)</script>"
source = "<a href='javascript:alert(3)'>source</a>"
acts = [{verb = "propose", term = "t<1>", wording = "</b><b>bold", quote = "</script>"}]
"""


def test_text_from_the_file_is_escaped_everywhere() -> None:
    page = report_html(loads_scenario(HOSTILE, "hostile.toml"))
    p = parse(page)
    assert "<script>alert" not in page and "<img" not in page and "<a href" not in page
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt; &amp; co" in page
    assert "</b><b>bold" not in page
    scripts = [text for attrs, text in p.scripts if attrs.get("type") == "application/json"]
    assert len(scripts) == 1 and "<" not in scripts[0]
    doc = json.loads(scripts[0])
    move = doc["tables"]["main"]["blocks"]["main"]["moves"][0]
    assert move["title"] == "</script><script>alert(2)</script>"
    assert move["acts"][0]["q"] == "</script>"


@settings(max_examples=15, deadline=None)
@given(scenarios(max_moves=6))
def test_any_scenario_gives_a_well_formed_deterministic_page(scenario: Scenario) -> None:
    """Whatever the scenario, the report is well-formed HTML and the same each time."""
    page = report_html(scenario)
    parse(page)
    assert page == report_html(scenario)
    assert page.count("<tr data-t=") % len(viewers(scenario.replay())) == 0


def _benchmarks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("negotiation_benchmarks", ROOT / "benchmarks" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_report_of_a_thousand_moves_is_small_and_quick() -> None:
    """1,000 moves among three parties on 200 terms: well under 5 MB; seconds, not minutes."""
    cat, moves = _benchmarks().synthetic(1000, 200, 3, 1)
    scenario = Scenario("synthetic", cat, moves, title="synthetic")
    scenario.replay()
    t0 = time.perf_counter()
    page = report_html(scenario)
    seconds = time.perf_counter() - t0
    size = len(page.encode("utf-8"))
    assert size < 5_000_000, size
    assert seconds < 20, seconds  # about 3 s here; CI machines are noisy
    # one cell per run of a status or touch, not per move and term
    assert page.count("<td") < 1000 * 200 // 4


def test_the_page_names_the_scenario_and_its_file(historical: Scenario, page: str) -> None:
    assert "<h1>Cuban missile crisis: the Kennedy-Khrushchev exchange, 22-28 October 1962</h1>" in page
    assert f"Scenario <code>cuba-1962-historical</code>, file <code>{historical.path}</code>." in page


def framed(output: str) -> str:
    """The document inside a notebook output's frame."""
    assert output.startswith('<iframe class="negotiation-report"') and output.endswith("</iframe>")
    assert "<style" not in output.split("srcdoc='", 1)[0]  # nothing styles the notebook's page
    value = output.split("srcdoc='", 1)[1].split("' style=", 1)[0]
    assert "'" not in value  # the value's own quote never ends it early
    return html.unescape(value)


def test_a_notebook_shows_a_timeline_with_its_lanes_and_memo_in_a_frame(timeline: Timeline) -> None:
    output = timeline._repr_html_()
    inner = framed(output)
    parse(inner)
    assert inner.startswith("<!doctype html>") and "data-error" not in inner
    assert '<table class="lanes" data-table="main"' in inner
    assert '<table class="memo">' in inner and '<svg class="graph"' in inner
    assert f"<h1>A negotiation of {len(timeline)} moves</h1>" in inner
    assert timeline_html(timeline, views=("historian",)) in inner
    assert 'data-show="USSR"' not in inner  # one view: the page with every view is `negotiation report`
    assert len(output) < 200_000  # every output stays in the notebook's file
    longest = load_scenario(ROOT / "scenarios" / "cuba-1962" / "november.toml").replay()
    assert len(longest._repr_html_()) < 200_000  # the whole record to 21 November too


def test_a_notebook_shows_a_state_as_its_memo_and_graph(timeline: Timeline) -> None:
    state = timeline["kennedy-27-oct-letter"]
    inner = framed(state._repr_html_())
    parse(inner)
    assert "Terms after kennedy-27-oct-letter, side by side" in inner
    assert '<table class="memo">' in inner and '<svg class="graph"' in inner
    assert '<table class="lanes"' not in inner
    assert "rfk-dobrynin-27-oct" not in inner  # a later move
    assert state_html(state) in inner


def test_the_core_does_not_load_the_report_until_asked() -> None:
    code = (
        "import sys, negotiation; "
        "negotiation.load_scenario(sys.argv[1]).replay(); "
        "print(sorted(m for m in ('negotiation.render.report', 'negotiation.render.console', 'rich') "
        "if m in sys.modules))"
    )
    r = subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "scenarios" / "cuba-1962" / "historical.toml")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert r.stdout.strip() == "[]"


def test_lanes_are_labelled_by_title_with_the_id_on_hover(page: str) -> None:
    body = _tbody(page, "main", "historian")
    row = re.search(
        r'<tr data-t="\d+" data-term="turkey-jupiter-removal"><th scope="row" title="([^"]*)">([^<]*)</th>',
        body,
    )
    assert row is not None
    hover, label = row.groups()
    assert label == "Jupiter missiles out of Turkey"
    assert hover.startswith("turkey-jupiter-removal: ") and "obliges US" in hover


def test_column_heads_name_the_document(page: str) -> None:
    # the address of 22 October, by its title in the scenario (the CIA index's item 2)
    assert '<span class="v d">The President&#x27;s radio and…</span>' in page


def test_the_documents_are_listed_in_order_with_their_sources(historical: Scenario, page: str) -> None:
    section = page.split('<section class="documents-section">', 1)[1].split("</section>", 1)[0]
    ids = re.findall(r"<li><code>([^<]+)</code>", section)
    assert ids == [m.id for m in historical.moves]
    assert "Source: CIA index item 1; FRUS VI d60" in section  # Kennedy's letter of 22 October


def test_the_outcome_is_said_in_a_sentence(page: str) -> None:
    sentence = re.search(r'<p class="plain">([^<]+)</p>', page)
    assert sentence is not None
    text = sentence.group(1)
    assert text.startswith("After kennedy-28-oct-letter, US and USSR stood behind ")
    assert "awaiting the consent of a party not at the table" in text


def test_every_cell_carries_its_status_letter_and_the_page_prints() -> None:
    from negotiation.render.report.markup import css

    style = css()
    assert '.ngr .lanes td.s-b::before,.ngr .lanes td.s-B::before,.ngr .sw.s-b::before{content:"B"}' in style
    assert "td.s-u::before" not in style  # an unraised lane stays blank
    assert "@media print" in style and "print-color-adjust: exact" in style


def _lanes_and_memo_agree_with_every_state(timeline: Timeline) -> None:
    """Each view's lanes and memo rows, replayed move by move, give every term's status then."""
    from negotiation.render.frames import iter_frames
    from negotiation.render.report.markup import term_code
    from negotiation.render.report.views import viewed_frames

    terms = list(timeline.initial.catalogue.by_id)
    for viewer in viewers(timeline):
        view = viewed_frames(timeline, viewer, terms, 0, memo=True)
        memo: dict[str, tuple[Status, dict[str, object]]] = {}
        for k, frame in enumerate(iter_frames(timeline, viewer=viewer)):
            for row in view.memo[k]:
                held = dict(memo.get(row.term, (row.status, {}))[1])
                held.update(row.positions)
                memo[row.term] = (row.status, held)
            for term in terms:
                lane = [code for at, code in view.points[term] if at <= k][-1]
                where = f"{viewer} after {frame.move.id}: {term}"
                assert lane == term_code(frame.state, term), where
                status = memo[term][0] if term in memo else Status.UNRAISED
                assert status is term_status(frame.state, term), where
                if term in memo:
                    assert memo[term][1] == dict(frame.state.terms.get(term, {}).items()), where


@pytest.mark.parametrize("name", ["historical", "november", "turkey-swap", "leak", "coda"])
def test_lanes_and_memo_follow_every_status_change(name: str) -> None:
    """Also the changes no position on the term makes: a term replaced once its replacement is
    confirmed (UN verification on 15 November, by the count of the missiles at sea)."""
    _lanes_and_memo_agree_with_every_state(
        load_scenario(ROOT / "scenarios" / "cuba-1962" / f"{name}.toml").replay()
    )


@settings(max_examples=40, deadline=None)
@given(scenarios(max_moves=8))
def test_lanes_and_memo_follow_every_status_change_of_any_scenario(scenario: Scenario) -> None:
    _lanes_and_memo_agree_with_every_state(scenario.replay())


def _boxes_and_curves(
    page: str,
) -> tuple[dict[str, tuple[float, ...]], list[tuple[str, list[tuple[float, float]]]]]:
    """The historian's graph: each node's box, and each edge's tooltip with its path's points."""
    svg = page.split('<section class="graph-section">', 1)[1].split("</svg>", 1)[0]
    boxes = {
        m[1]: tuple(float(x) for x in m[2:])
        for m in re.findall(
            r'<g class="node s-\w"><title>([^:]+): [^<]*</title><rect x="([\d.]+)" y="([\d.]+)" '
            r'width="([\d.]+)" height="([\d.]+)"',
            svg,
        )
        for m in [(None, *m)]
    }
    curves = []
    for d, tip in re.findall(r'<path class="e [^"]*" d="([^"]+)"[^>]*><title>([^<]*)</title>', svg):
        points = [tuple(float(c) for c in p.split(",")) for p in re.findall(r"-?[\d.]+,-?[\d.]+", d)]
        curves.append((html.unescape(tip), [(p[0], p[1]) for p in points]))
    return boxes, curves


def _samples(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Points along the path: M, then cubic Béziers of three points each, then perhaps a line."""
    out = [points[0]]
    start, i = points[0], 1
    while i + 2 < len(points):
        c1, c2, end = points[i], points[i + 1], points[i + 2]
        for k in range(1, 25):
            t = k / 24
            out.append(
                tuple(  # type: ignore[arg-type]
                    (1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t**2 * c + t**3 * e
                    for a, b, c, e in zip(start, c1, c2, end, strict=True)
                )
            )
        start, i = end, i + 3
    return out + points[i:]


@pytest.mark.skipif(shutil.which("dot") is None, reason="no Graphviz dot on PATH (apt-get install graphviz)")
@pytest.mark.parametrize("name", ["historical", "november", "turkey-swap"])
def test_with_graphviz_no_edge_crosses_a_term(name: str) -> None:
    page = report_html(load_scenario(ROOT / "scenarios" / "cuba-1962" / f"{name}.toml"), layout="dot")
    assert "Laid out by Graphviz&#x27;s dot" in page
    boxes, curves = _boxes_and_curves(page)
    assert len(boxes) > 10 and len(curves) > 10
    for tip, points in curves:
        ends = {
            tip.split(" ", 1)[0],
            tip.split(" on condition of ")[-1].split(" (")[0],
            tip.rsplit(" ", 1)[-1],
        }
        for x, y in _samples(points):
            for node, (bx, by, bw, bh) in boxes.items():
                if node not in ends:
                    inside = bx + 1 < x < bx + bw - 1 and by + 1 < y < by + bh - 1
                    assert not inside, f"{tip} crosses {node} at ({x:.0f}, {y:.0f})"


def test_the_built_in_layout_is_kept_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    from negotiation.errors import NegotiationError
    from negotiation.render.report import svg

    historical = load_scenario(HISTORICAL)
    page = report_html(historical, layout="layered")
    assert "Laid out by the built-in layered layout.</p>" in page
    boxes, curves = _boxes_and_curves(page)
    assert len(boxes) > 10 and len(curves) > 10
    monkeypatch.setattr(svg, "dot_program", lambda: None)  # a machine without Graphviz
    assert report_html(historical) == page.replace(
        "layered layout.</p>",
        "layered layout (with Graphviz&#x27;s dot installed, edges are routed round the terms).</p>",
    )
    with pytest.raises(NegotiationError, match="needs Graphviz's dot on PATH"):
        report_html(historical, layout="dot")
    with pytest.raises(ParameterError, match="layout 'circle'"):
        report_html(historical, layout="circle")


def test_a_failing_dot_falls_back_and_says_why(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from negotiation.errors import NegotiationError
    from negotiation.render.report import svg

    broken = tmp_path / "dot"
    broken.write_text("#!/bin/sh\necho 'Error: out of memory' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setattr(svg, "dot_program", lambda: str(broken))
    page = report_html(load_scenario(HISTORICAL))
    assert "Laid out by the built-in layered layout: graphviz:" in page and "out of memory" in page
    with pytest.raises(NegotiationError, match="could not lay out the term graph: Error: out of memory"):
        report_html(load_scenario(HISTORICAL), layout="dot")
