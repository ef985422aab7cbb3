"""An affirmation binds the affirming side's wording; check says when the other side never
accepted that wording in public (the "firm undertakings" of 28 October). Cases worked by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import act, move
from negotiation import Catalogue, Party, ScenarioError, Term, load_scenario, replay
from negotiation.findings import Severity
from negotiation.invariants import check_timeline, unaccepted_affirmations
from negotiation.io.check import check_file

CAT = Catalogue([Party("US"), Party("USSR")], [Term("pledge", ["US"], "no invasion of Cuba")])


def _found(*moves: object) -> list[tuple[str, tuple[str, ...], tuple[str, ...], str | None]]:
    timeline = replay(list(moves), CAT)  # type: ignore[arg-type]
    return [(f.message, f.terms, f.parties, f.move) for f in unaccepted_affirmations(timeline)]


def test_an_affirmation_of_what_both_said_in_public_is_clean() -> None:
    proposal = move("p", "USSR", act("propose", "pledge"), to="US", channel="public")
    accepted = move("a", "US", act("accept", "pledge"), to="USSR", channel="public")
    affirmed = move("f", "USSR", act("affirm", "pledge"), to="US", channel="public")
    assert _found(proposal, accepted, affirmed) == []


def test_an_affirmation_resting_on_a_private_acceptance_is_flagged() -> None:
    proposal = move("p", "USSR", act("propose", "pledge"), to="US", channel="public")
    accepted = move("a", "US", act("accept", "pledge"), to="USSR", channel="back-channel")
    affirmed = move("f", "USSR", act("affirm", "pledge"), to="US", channel="public")
    assert _found(proposal, accepted, affirmed) == [
        (
            "USSR's affirmation binds 'pledge', which US stood behind in no public move",
            ("pledge",),
            ("USSR", "US"),
            "f",
        )
    ]


def test_a_private_acceptance_published_before_the_affirmation_counts_as_public() -> None:
    proposal = move("p", "USSR", act("propose", "pledge"), to="US", channel="public", sent="1962-10-26")
    accepted = move(
        "a",
        "US",
        act("accept", "pledge"),
        to="USSR",
        channel="private",
        sent="1962-10-27",
        published="1962-10-27",
    )
    affirmed = move("f", "USSR", act("affirm", "pledge"), to="US", channel="public", sent="1962-10-28")
    assert _found(proposal, accepted, affirmed) == []


def test_an_affirmation_of_ones_own_wording_is_flagged_when_the_other_side_held_another() -> None:
    """Khrushchev took the President's offer "as a formal commitment", in his stronger words."""
    proposal = move("p", "USSR", act("propose", "pledge"), to="US", channel="public")
    accepted = move(
        "a",
        "US",
        act("accept", "pledge", wording="assurances against an invasion"),
        to="USSR",
        channel="public",
    )
    affirmed = move(
        "f",
        "USSR",
        act("affirm", "pledge", wording="no attack, no invasion of Cuba"),
        to="US",
        channel="public",
    )
    ((message, terms, parties, at),) = _found(proposal, accepted, affirmed)
    assert message.endswith("which US stood behind only in its own wording")
    assert (terms, parties, at) == (("pledge",), ("USSR", "US"), "f")
    assert all(
        f.severity is Severity.WARNING
        for f in check_timeline(replay([proposal, accepted, affirmed], CAT))
        if f.code == "unaccepted-affirmation"
    )


def test_the_firm_undertakings_of_28_october_bind_what_moscow_put_differently() -> None:
    """The memo: Khrushchev "did not specifically accept the President's statement of these
    commitments"; the President called both letters "firm undertakings"."""
    report = check_file(Path("scenarios/cuba-1962/historical.toml").resolve())
    found = {f.move: f for f in report.findings if f.code == "unaccepted-affirmation"}
    assert set(found) == {"kennedy-28-oct-letter", "khrushchev-28-oct-letter"}
    kennedy = found["kennedy-28-oct-letter"]
    assert {"soviet-remove-offensive-weapons", "us-no-invasion-pledge", "halt-further-introduction"} <= set(
        kennedy.terms
    )
    assert kennedy.parties == ("US", "USSR") and "firm undertakings" in (kennedy.acknowledged or "")
    assert found["khrushchev-28-oct-letter"].terms == ("us-no-invasion-pledge",)


ACKED = """
[scenario]
format = 2
id = "t"
title = "t"

[[parties]]
id = "US"

[[parties]]
id = "USSR"

[[terms]]
id = "pledge"
obligors = ["US"]
text = "no invasion"

[[moves]]
id = "p"
author = "USSR"
addressees = ["US"]
channel = "public"
acts = [{ verb = "propose", term = "pledge" }]

[[moves]]
id = "a"
author = "US"
addressees = ["USSR"]
channel = "private"
acts = [{ verb = "accept", term = "pledge" }]

[[moves]]
id = "f"
author = "USSR"
addressees = ["US"]
channel = "public"
acts = [{ verb = "affirm", term = "pledge" }]

[[acknowledge]]
finding = "unaccepted-affirmation"
move = "MOVE"
reason = "the record's own"
"""


def test_an_acknowledgement_naming_a_move_covers_only_the_finding_at_that_move(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(ACKED.replace("MOVE", "f"), encoding="utf-8")
    (finding,) = [f for f in check_file(good).findings if f.code == "unaccepted-affirmation"]
    assert finding.severity is Severity.NOTE and finding.acknowledged == "the record's own"
    other = tmp_path / "other.toml"
    other.write_text(ACKED.replace("MOVE", "a"), encoding="utf-8")
    codes = {(f.code, f.severity) for f in check_file(other).findings}
    assert ("unaccepted-affirmation", Severity.WARNING) in codes
    assert ("unused-acknowledgement", Severity.WARNING) in codes


def test_an_acknowledgement_naming_an_unknown_move_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(ACKED.replace("MOVE", "ff"), encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"acknowledge\[0\]\.move.*no move 'ff'.*'f'"):
        load_scenario(bad)
