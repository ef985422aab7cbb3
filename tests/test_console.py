"""Coloured terminal tables: the same facts as the plain text, drawn with rich."""

from __future__ import annotations

import io
import re

from conftest import ROOT
from negotiation import Scenario, load_scenario
from negotiation.analysis import diff
from negotiation.invariants import Severity
from negotiation.io.check import check_file
from negotiation.render.console import (
    check_renderables,
    diff_renderables,
    print_renderables,
    replay_renderables,
)

ANSI = re.compile(r"\x1b\[[0-9;]*m")
SWAP = ROOT / "scenarios" / "cuba-1962" / "turkey-swap.toml"


def _draw(renderables: list[object], width: int = 120) -> str:
    out = io.StringIO()
    print_renderables(renderables, out, width=width)  # type: ignore[arg-type]
    return out.getvalue()


def test_replay_tables_are_coloured_and_say_what_the_text_says(historical: Scenario) -> None:
    drawn = _draw(replay_renderables(historical, historical.replay()))
    assert ANSI.search(drawn)
    plain = ANSI.sub("", drawn)
    assert "as the record shows it" in plain
    assert "khrushchev-28-oct-letter" in plain and "Khrushchev to Kennedy: the dismantling order" in plain
    assert re.search(r"render-inoperable\s+USSR\s+— → +unchallenged +\(silence\)", plain)
    assert re.search(r"halt-further-introduction +binding +divergent +obliges USSR", plain)
    assert "let US stand" in plain
    assert "timing: 4 to 5 months" in plain


def test_a_status_is_drawn_in_its_palette_colour(historical: Scenario) -> None:
    drawn = _draw(replay_renderables(historical, historical.replay()))
    # truecolor is not guaranteed on every terminal: rich picks the nearest the terminal has
    assert re.search(r"\x1b\[[0-9;]*m binding \x1b\[0m", drawn)


def test_a_party_view_says_what_it_did_not_know(historical: Scenario) -> None:
    drawn = ANSI.sub("", _draw(replay_renderables(historical, historical.replay(), viewer="public")))
    assert "as the public knew it" in drawn
    assert "(not yet known to public)" in drawn
    assert "4 to 5 months" not in drawn


def test_diff_tables_show_both_histories(historical: Scenario) -> None:
    swap = load_scenario(SWAP)
    d = diff(historical.replay(), swap.replay())
    plain = ANSI.sub("", _draw(diff_renderables(historical, swap, d), width=160))
    assert "last common move:  khrushchev-27-oct-letter" in plain
    assert "terms that differ at the end: 12" in plain
    assert re.search(r"turkey-jupiter-removal\s+awaiting-consent\s+divergent\s+awaiting-consent\s", plain)
    assert "agreement; 6 terms agreed (1 divergent, 1 on unmet conditions); 1 open; 5 unchall" in plain


def test_check_tables_list_findings_by_severity() -> None:
    report = check_file(str(ROOT / "scenarios" / "cuba-1962" / "historical.toml"))
    drawn = _draw(check_renderables([report], list(Severity)), width=160)
    plain = ANSI.sub("", drawn)
    assert "historical.toml: 0 errors, 0 warnings, 35 notes" in plain
    assert re.search(r"note\s+missing-consent\s+khrushchev-27-oct-letter", plain)
    assert ANSI.search(drawn)
    unreadable = ANSI.sub("", _draw(check_renderables([check_file("nope.toml")], list(Severity))))
    assert "nope.toml: cannot be read:" in unreadable
