"""The HTML report opened in a real headless Chromium: it runs without errors and responds.

Skipped, with the reason, only where no Chromium or Chrome is installed (CI installs
Debian's chromium).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser import Browser, find_chromium
from conftest import HISTORICAL, ROOT
from negotiation import Timeline, load_scenario
from negotiation.cli import main
from negotiation.render.report import state_html, timeline_html
from negotiation.render.report.memo import memo_table

SWAP = ROOT / "scenarios" / "cuba-1962" / "turkey-swap.toml"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = find_chromium()
    if executable is None:
        pytest.skip("no Chromium or Chrome on PATH (apt-get install chromium): the report was not opened")
    with Browser(executable, width=1400, height=1000) as b:
        yield b


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    assert main(["report", str(HISTORICAL), "--compare", str(SWAP), "-o", str(out)]) == 0
    return out


@pytest.fixture
def page(browser: Browser, report: Path) -> Browser:
    browser.events.clear()
    browser.open(report)
    return browser


def centre(b: Browser, selector_js: str) -> tuple[float, float]:
    """Scroll the element into view and return its centre in viewport coordinates."""
    box = b.evaluate(
        f"(function () {{ var el = {selector_js}; el.scrollIntoView({{block: 'center', inline: 'center'}});"
        " var r = el.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()"
    )
    assert box is not None
    return box[0], box[1]


def lane_cell(table: str, view: str, term: str, index: int, block: str = "main") -> str:
    """Script for the point of a term's lane under the column of a block's move (by its index)."""
    return (
        "(function () {"
        f" var t = document.querySelector('table[data-table=\"{table}\"]');"
        f' var th = t.querySelector(\'th[data-b="{block}"][data-i="{index}"]\');'
        " var body = Array.prototype.find.call(t.tBodies, function (b) {"
        f" return b.getAttribute('data-view') === '{view}'; }});"
        " var row = Array.prototype.find.call(body.rows, function (r) {"
        f" return r.getAttribute('data-term') === '{term}'; }});"
        " return {scrollIntoView: function (o) { th.scrollIntoView(o); },"
        " getBoundingClientRect: function () { var a = th.getBoundingClientRect(),"
        " b = row.getBoundingClientRect(); return {left: a.left, width: a.width, top: b.top,"
        " height: b.height}; }};"
        "})()"
    )


def move_index(move: str) -> int:
    return [m.id for m in load_scenario(HISTORICAL).moves].index(move)


def test_the_report_runs_without_a_single_error(page: Browser) -> None:
    assert page.evaluate("document.querySelector('.ngr').getAttribute('data-ngr-ready')") == "1"
    assert page.evaluate("document.documentElement.getAttribute('data-error')") is None
    assert page.problems() == []


def test_timeline_memo_and_graph_are_on_the_page(page: Browser) -> None:
    counts = page.evaluate(
        "(function () { var v = function (sel) { return Array.prototype.filter.call("
        " document.querySelectorAll(sel), function (el) {"
        " return el.getClientRects().length > 0; }).length; };"
        " return {lanes: v('table[data-table=main] tbody tr[data-t]'),"
        " compare: v('table[data-table=compare] tbody tr[data-t]'),"
        " memo: v('table.memo tbody tr'), nodes: v('svg.graph g.node'), edges: v('svg.graph path.e'),"
        " legend: v('.legend .sw')}; })()"
    )
    assert counts == {"lanes": 19, "compare": 19, "memo": 19, "nodes": 19, "edges": 19, "legend": 23}


def test_cells_read_without_colour_and_print_without_controls(page: Browser) -> None:
    """A binding cell shows its letter; printed, the view buttons and the tooltip go."""
    letter = page.evaluate(
        "getComputedStyle(document.querySelector('.lanes td.s-b, .lanes td.s-B'), '::before').content"
    )
    assert letter == '"B"'
    page.call("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        shown = page.evaluate("getComputedStyle(document.querySelector('.toggle')).display")
        sticky = page.evaluate("getComputedStyle(document.querySelector('.lanes thead')).position")
    finally:
        page.call("Emulation.setEmulatedMedia", {"media": ""})
    assert shown == "none" and sticky == "static"
    assert page.problems() == []


def test_the_toggle_shows_what_the_public_knew(page: Browser) -> None:
    page.mouse("click", *centre(page, "document.querySelector('button[data-show=\"public\"]')"))
    assert page.evaluate("document.querySelector('.ngr').getAttribute('data-view')") == "public"
    assert page.evaluate(
        "document.querySelector('button[data-show=\"public\"]').getAttribute('aria-pressed')"
    ) == ("true")
    shown = page.evaluate(
        "Array.prototype.filter.call(document.querySelectorAll('[data-view]'), function (el) {"
        " return !el.hidden && el.classList && !el.classList.contains('ngr'); })"
        ".map(function (el) { return el.getAttribute('data-view'); })"
    )
    assert set(shown) == {"public"} and len(shown) == 5  # note, two lanes, memo, graph
    us_on_jupiters = page.evaluate(
        "(function () { var memo = document.querySelector('.memo-section .view:not([hidden])');"
        " var row = Array.prototype.find.call(memo.querySelectorAll('tbody tr'), function (r) {"
        " return r.querySelector('code').textContent === 'turkey-jupiter-removal'; });"
        " return row.cells[2].innerText; })()"
    )
    assert us_on_jupiters.startswith("disputed") and "4 to 5 months" not in us_on_jupiters
    page.mouse("click", *centre(page, "document.querySelector('button[data-show=\"historian\"]')"))
    assert page.evaluate("document.querySelector('.ngr').getAttribute('data-view')") == "historian"
    assert page.problems() == []


def test_hover_shows_a_moves_acts_on_a_term_and_click_keeps_them(page: Browser) -> None:
    x, y = centre(
        page, lane_cell("main", "historian", "turkey-jupiter-removal", move_index("rfk-dobrynin-27-oct"))
    )
    page.mouse("mouseMoved", x, y)
    assert page.evaluate("document.querySelector('.tip').hidden") is False
    tip = page.evaluate("document.querySelector('.tip').innerText")
    assert tip.startswith("rfk-dobrynin-27-oct")
    assert "back-channel" in tip and "turkey-jupiter-removal after this move: awaiting-consent" in tip
    assert "unsurmountable difficulties" in tip  # the quote the acceptance rests on
    assert "quotation not checked against a primary text" in tip  # and that it is unverified
    page.mouse("click", x, y)
    panel = "document.querySelector('.timeline .detail')"
    assert page.evaluate(f"{panel}.getAttribute('data-move')") == "rfk-dobrynin-27-oct"
    assert page.evaluate(f"{panel}.getAttribute('data-term')") == "turkey-jupiter-removal"
    page.mouse("click", *centre(page, "document.querySelector('button[data-show=\"public\"]')"))
    kept = page.evaluate(f"{panel}.innerText")
    assert "Not yet known to public at this point." in kept
    page.mouse("mouseMoved", 2, 2)
    assert page.evaluate("document.querySelector('.tip').hidden") is True
    assert page.problems() == []


def test_hovering_a_move_lists_all_its_acts(page: Browser) -> None:
    page.mouse("mouseMoved", *centre(page, "document.querySelector('th[data-b=main][data-i=\"18\"]')"))
    tip = page.evaluate("document.querySelector('.tip').innerText")
    assert tip.startswith("khrushchev-28-oct-letter")
    assert "Acts:" in tip and "fulfil cease-work-on-bases" in tip


def test_a_cell_of_the_comparison_belongs_to_its_own_history(page: Browser) -> None:
    x, y = centre(page, lane_cell("compare", "historian", "turkey-jupiter-removal", 1, "b"))
    page.mouse("mouseMoved", x, y)
    tip = page.evaluate("document.querySelector('.tip').innerText")
    assert tip.startswith("kennedy-27-oct-accepts-swap")
    assert page.problems() == []


def test_notebook_fragments_work_side_by_side(browser: Browser, timeline: Timeline, tmp_path: Path) -> None:
    page = tmp_path / "notebook.html"
    state = timeline["kennedy-27-oct-letter"]
    page.write_text(
        f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>'
        f"<div>{timeline_html(timeline)}</div><div>{state_html(state)}</div></body></html>",
        encoding="utf-8",
    )
    browser.events.clear()
    browser.open(page)
    assert browser.evaluate(
        "Array.prototype.map.call(document.querySelectorAll('.ngr'), function (r) {"
        " return r.getAttribute('data-ngr-ready'); })"
    ) == ["1", "1"]
    browser.mouse("click", *centre(browser, "document.querySelector('button[data-show=\"USSR\"]')"))
    views = browser.evaluate(
        "Array.prototype.map.call(document.querySelectorAll('.ngr'), function (r) {"
        " return r.getAttribute('data-view'); })"
    )
    assert views == ["USSR", "historian"]
    assert browser.problems() == []


def test_a_notebook_output_is_framed_away_from_the_notebooks_css(
    browser: Browser, timeline: Timeline, tmp_path: Path
) -> None:
    """A notebook's own rules (here every table hidden, every cell red) do not reach the frame."""
    page = tmp_path / "notebook-frame.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        "<style>table { display: none } td { background: red } iframe { height: 10px }</style></head>"
        f"<body>{timeline._repr_html_()}</body></html>",  # type: ignore[attr-defined]
        encoding="utf-8",
    )
    browser.events.clear()
    browser.open(page)
    time.sleep(0.5)  # the frame loads its own document after the page
    inside = (
        "var d = document.querySelector('iframe').contentDocument;"
        "[d.querySelector('.ngr').getAttribute('data-ngr-ready'),"
        " getComputedStyle(d.querySelector('table.lanes')).display,"
        " d.querySelectorAll('button[data-show]').length]"
    )
    assert browser.evaluate(inside) == ["1", "table", 1]  # ready, shown, and one view: the historian's
    height = browser.evaluate("document.querySelector('iframe').getBoundingClientRect().height")
    assert height > 400  # grown to its content, past the notebook's 10px
    assert browser.problems() == []


def test_the_check_would_see_a_script_error(browser: Browser, report: Path, tmp_path: Path) -> None:
    """Guards the tests above: a broken page must not pass for a working one."""
    broken = tmp_path / "broken.html"
    broken.write_text(
        report.read_text(encoding="utf-8").replace("</body>", "<script>notAFunction();</script></body>"),
        encoding="utf-8",
    )
    browser.events.clear()
    browser.open(broken)
    assert "notAFunction" in (browser.evaluate("document.documentElement.getAttribute('data-error')") or "")
    assert any("notAFunction" in p for p in browser.problems())


def test_the_figure_renders_in_a_browser_with_its_lanes_and_legend(browser: Browser, tmp_path: Path) -> None:
    """The SVG timeline, opened as a reader's browser opens it: its size, lanes and legend, by structure."""
    svg = tmp_path / "timeline.svg"
    assert main(["figure", str(HISTORICAL), "-o", str(svg), "--width", "7"]) == 0
    browser.events.clear()
    browser.open(svg)
    shape = browser.evaluate(
        "(function () { var s = document.documentElement, r = s.getBoundingClientRect();"
        " return [s.tagName, Math.round(r.width), s.querySelectorAll('path').length,"
        " s.querySelector('g[id^=\"legend\"]') !== null]; })()"
    )
    tag, width, paths, legend = shape
    timeline = load_scenario(HISTORICAL).replay()
    raised = [t for t in timeline.final.catalogue.by_id if t in timeline.final.terms]
    assert tag == "svg" and width == 672  # 7 in, at the browser's 96 px to the inch
    assert paths > len(raised) and legend
    assert browser.problems() == []


NOVEMBER = ROOT / "scenarios" / "cuba-1962" / "november.toml"


def test_the_memo_after_every_move_is_the_one_the_engine_draws(browser: Browser, tmp_path: Path) -> None:
    """The script rebuilds the memo after any move; each view's, at each move, matches the
    memo drawn from the engine's own state at that point (a mediator, a third party and a
    party's partial view included)."""
    out = tmp_path / "november.html"
    assert main(["report", str(NOVEMBER), "-o", str(out)]) == 0
    timeline = load_scenario(NOVEMBER).replay()
    ids = [m.id for m in timeline.moves]
    browser.events.clear()
    browser.open(out)
    views = browser.evaluate(
        "Array.prototype.map.call(document.querySelectorAll('.toggle button[data-show]'),"
        " function (b) { return b.getAttribute('data-show'); })"
    )
    assert views == ["historian", "US", "USSR", "Cuba", "UN", "public"]
    for view in views:
        drawn = browser.evaluate(
            "(function () { var root = document.querySelector('.ngr');"
            f" document.querySelector('button[data-show=\"{view}\"]').click(); var out = [];"
            f" for (var k = 1; k < {len(ids)}; k++) {{ root.memoGo(k); out.push(document.querySelector("
            f"'.memo-section .view[data-view=\"{view}\"] .memo-at').innerHTML); }}"
            " root.memoGo(1e9); return out; })()"
        )
        states = [timeline.state_as_known_by(view, at=m) for m in ids[:-1]]
        expected = browser.evaluate(
            "(function (htmls) { return htmls.map(function (h) { var t = document.createElement('template');"
            f" t.innerHTML = h; return t.innerHTML; }}); }})({json.dumps([memo_table(s) for s in states])})"
        )
        for k, (got, want) in enumerate(zip(drawn, expected, strict=True)):
            assert got == want, f"{view} after {ids[k]}"
    point = browser.evaluate("document.querySelector('.memo-point').textContent")
    assert point == f"after {ids[-1]}"  # back at the end, with the page's own verdict
    assert browser.problems() == []


def test_the_slider_and_a_click_on_a_move_set_the_memo(page: Browser) -> None:
    ids = [m.id for m in load_scenario(HISTORICAL).moves]
    section = "document.querySelector('.memo-section')"
    assert page.evaluate(f"{section}.querySelector('.memo-control').hidden") is False
    assert page.evaluate(f"{section}.querySelector('input.memo-slider').max") == str(len(ids))
    first = move_index("khrushchev-26-oct-letter")
    page.mouse("click", *centre(page, f"document.querySelector('th[data-b=main][data-i=\"{first}\"]')"))
    assert page.evaluate(f"{section}.getAttribute('data-memo-at')") == str(first + 1)
    heading = page.evaluate(f"{section}.querySelector('h2').textContent")
    assert heading == "Terms after khrushchev-26-oct-letter, side by side"
    shown = page.evaluate(f"{section}.querySelector('.view:not([hidden]) .memo-at').innerText")
    assert "turkey-jupiter-removal" in shown.split("Not raised:")[-1]  # the Jupiters come a day later
    page.mouse("click", *centre(page, f"{section}.querySelector('button[data-step=\"1\"]')"))
    assert page.evaluate(f"{section}.querySelector('.memo-point').textContent") == f"after {ids[first + 1]}"
    page.mouse("click", *centre(page, f"{section}.querySelector('button[data-step=\"end\"]')"))
    outcome = page.evaluate(f"{section}.querySelector('.view:not([hidden]) .outcome').innerText")
    assert outcome.startswith(f"Outcome after {ids[-1]} (historian)")
    assert page.problems() == []
