"""Every party may move; only the assent of the parties a term needs makes it agreed.

Principals are needed for every term, a third party for the terms naming it in `consent`; a
mediator's word is never assent. Cases are small negotiations worked out by hand from those
rules; the properties hold on generated histories.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import History, act, move
from negotiation import (
    Catalogue,
    IllegalMove,
    Party,
    Role,
    Stance,
    State,
    Status,
    Term,
    is_agreed,
    load_scenario,
    play,
    replay,
    term_status,
)
from negotiation.cli import main
from negotiation.findings import Severity
from negotiation.invariants import check_state, missing_consent
from negotiation.render.report import report_html
from negotiation.testing.strategies import catalogues, histories

AT_THE_TABLE = Catalogue(
    [Party("US"), Party("USSR"), Party("UN", role="mediator"), Party("Cuba", role="third")],
    [
        Term("removal", ["USSR"], "the USSR removes its missiles from Cuba"),
        Term("inspection", ["Cuba"], "UN inspectors verify the removal on Cuban soil", consent=["Cuba"]),
        Term("moratorium", ["US", "USSR"], "both suspend shipments and the quarantine"),
        Term("guantanamo", ["US"], "the US leaves Guantanamo"),
        Term("reconnaissance", ["US"], "the US verifies the removal from the air", replaces=["inspection"]),
    ],
)


def _status(*moves: object) -> dict[str, Status]:
    state = replay(list(moves), AT_THE_TABLE).final  # type: ignore[arg-type]
    return {t: term_status(state, t) for t in AT_THE_TABLE.by_id}


def test_a_mediators_formula_is_open_until_the_principals_accept_it() -> None:
    appeal = move("appeal", "UN", act("propose", "moratorium"), addressees=("US", "USSR"))
    assert _status(appeal)["moratorium"] is Status.OPEN
    us = move("us", "US", act("accept", "moratorium"), to="UN")
    assert _status(appeal, us)["moratorium"] is Status.OPEN
    ussr = move("ussr", "USSR", act("accept", "moratorium"), to="UN")
    assert _status(appeal, us, ussr)["moratorium"] is Status.AGREED


def test_a_mediator_cannot_give_assent() -> None:
    proposal = move("p", "US", act("propose", "removal"), to="USSR")
    with pytest.raises(IllegalMove, match="UN mediates: its word on 'removal' is no side's assent") as caught:
        replay([proposal, move("m", "UN", act("accept", "removal"), to="US")], AT_THE_TABLE)
    assert caught.value.rule == "no-standing"


def test_a_term_needing_a_third_partys_consent_waits_for_it_and_is_blocked_by_its_refusal() -> None:
    proposal = move("p", "US", act("propose", "inspection"), addressees=("USSR", "Cuba"))
    accepted = move("a", "USSR", act("accept", "inspection"), to="US")
    assert _status(proposal, accepted)["inspection"] is Status.AWAITING_CONSENT  # Cuba has not answered
    refusal = move("r", "Cuba", act("reject", "inspection"), to="UN")
    assert _status(proposal, accepted, refusal)["inspection"] is Status.BLOCKED
    consent = move("c", "Cuba", act("accept", "inspection"), to="US")
    assert _status(proposal, accepted, consent)["inspection"] is Status.AGREED


def test_a_third_party_puts_forward_a_demand_that_only_the_principals_can_settle() -> None:
    demand = move("five-points", "Cuba", act("propose", "guantanamo"), channel="public", addressees=())
    assert _status(demand)["guantanamo"] is Status.OPEN
    with pytest.raises(IllegalMove, match="'removal' neither obliges Cuba nor needs its consent"):
        replay(
            [
                move("p", "US", act("propose", "removal"), to="USSR"),
                move("c", "Cuba", act("reject", "removal"), to="US"),
            ],
            AT_THE_TABLE,
        )


def test_silence_binds_only_the_parties_a_term_needs() -> None:
    """Cuba, needed for inspection only, leaves inspection unchallenged but not the removal."""
    proposal = move(
        "p", "US", act("propose", "inspection"), act("propose", "removal"), channel="public", addressees=()
    )
    later = move("q", "Cuba", act("propose", "guantanamo"), to="US")
    state = replay([proposal, later], AT_THE_TABLE).final
    assert state.stance("inspection", "Cuba") is Stance.UNCHALLENGED
    assert state.stance("removal", "Cuba") is None


@given(histories(max_moves=10), st.sampled_from([Role.THIRD, Role.MEDIATOR]), st.data())
def test_a_party_who_never_moves_changes_no_other_terms_status(
    history: History, role: Role, data: st.DataObject
) -> None:
    """Adding a silent party changes no status, except that a term needing its consent waits."""
    cat, moves = history
    needing: list[str] = []
    if role is Role.THIRD:
        needing = data.draw(st.lists(st.sampled_from(list(cat.by_id)), unique=True))
    terms = [attrs.evolve(t, consent=(*t.consent, "Q")) if t.id in needing else t for t in cat.terms]
    wider = Catalogue([*cat.parties, Party("Q", role=role)], terms)
    for step, other in zip(replay(moves, cat), replay(moves, wider), strict=True):
        for term in cat.by_id:
            if term in needing:
                assert not is_agreed(other.state, term)
            else:
                assert term_status(other.state, term) is term_status(step.state, term), term


@given(histories(catalogue=None, max_moves=12))
def test_a_mediators_move_never_makes_a_term_agreed(history: History) -> None:
    cat, moves = history
    before = replay([], cat).final
    for step in replay(moves, cat):
        if cat.roles[step.move.author] is Role.MEDIATOR:
            for term in cat.by_id:
                assert not (is_agreed(step.state, term) and not is_agreed(before, term)), term
        before = step.state


@given(catalogues())
def test_consent_names_third_parties_only(cat: Catalogue) -> None:
    for term in cat.terms:
        assert all(cat.roles[p] is Role.THIRD for p in term.consent)
        assert cat.assent[term.id] == (*cat.principals, *term.consent)


THREE_PARTIES = """
[scenario]
id = "three-parties"
title = "Three parties and a mediator"

[[parties]]
id = "US"

[[parties]]
id = "USSR"

[[parties]]
id = "UN"
role = "mediator"

[[parties]]
id = "Cuba"
role = "third"

[[terms]]
id = "moratorium"
obligors = ["US", "USSR"]
text = "Both suspend shipments and the quarantine."

[[terms]]
id = "inspection"
obligors = ["Cuba"]
consent = ["Cuba"]
text = "UN inspectors verify the removal on Cuban soil."

[[moves]]
id = "appeal"
author = "UN"
addressees = ["US", "USSR"]

[[moves.acts]]
verb = "propose"
term = "moratorium"
wording = "a voluntary suspension of all arms shipments and of the quarantine"

[[moves.acts]]
verb = "propose"
term = "inspection"

[[moves]]
id = "refusal"
author = "Cuba"
addressees = ["UN"]

[[moves.acts]]
verb = "reject"
term = "inspection"
"""


@pytest.fixture
def three_parties(tmp_path: Path) -> Path:
    path = tmp_path / "three.toml"
    path.write_text(THREE_PARTIES, encoding="utf-8")
    return path


def test_the_replay_shows_the_parties_a_term_needs_and_the_words_that_do_not_count(
    three_parties: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["replay", str(three_parties), "--no-color"]) == 0
    text = capsys.readouterr().out
    memo = text[text.index("side by side") :]
    assert "inspection  [blocked]  obliges Cuba" in memo
    assert re.search(r"^  US +\| USSR +\| Cuba$", memo, flags=re.M)  # Cuba's consent is needed here
    assert re.search(r"^  US +\| USSR$", memo, flags=re.M)  # and not on the moratorium
    assert 'also UN (not counted): proposed "a voluntary suspension' in memo


def test_json_names_the_parties_each_term_needs(
    three_parties: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["replay", str(three_parties), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["parties"] == ["US", "USSR"] and doc["third_parties"] == ["UN", "Cuba"]
    last = doc["steps"][-1]["terms"]
    assert last["inspection"]["stances"] == {"US": None, "USSR": None}
    assert last["inspection"]["consent"] == {"Cuba": "rejected"}
    assert last["moratorium"]["stances"] == {"US": None, "USSR": None}
    assert last["moratorium"]["consent"] == {}
    assert last["moratorium"]["status"] == "open"


def test_the_report_offers_the_mediators_and_the_third_partys_views(three_parties: Path) -> None:
    page = report_html(load_scenario(three_parties))
    for view in ("historian", "US", "USSR", "UN", "Cuba", "public"):
        assert f'data-show="{view}"' in page
    data = json.loads(
        re.search(r'<script type="application/json" class="ngr-data">(.*?)</script>', page).group(1)  # type: ignore[union-attr]
    )
    assert data["tables"]["main"]["blocks"]["main"]["parties"] == ["US", "USSR", "UN", "Cuba"]
    assert "also UN (not counted): proposed" in page


def test_a_blocked_term_stays_blocked_until_a_term_that_replaces_it_is_agreed() -> None:
    """Castro refused inspection; the US relied on its own reconnaissance instead."""
    inspection = [
        move("p", "US", act("propose", "inspection"), addressees=("USSR", "Cuba")),
        move("a", "USSR", act("accept", "inspection"), to="US"),
        move("r", "Cuba", act("reject", "inspection"), to="UN"),
    ]
    flights = move("f", "US", act("propose", "reconnaissance"), to="USSR")
    assert _status(*inspection, flights)["inspection"] is Status.BLOCKED
    tolerated = move("t", "USSR", act("accept", "reconnaissance"), to="US")
    statuses = _status(*inspection, flights, tolerated)
    assert (statuses["inspection"], statuses["reconnaissance"]) == (Status.REPLACED, Status.AGREED)
    assert AT_THE_TABLE.replaced_by["inspection"] == ("reconnaissance",)


def test_check_warns_when_the_principals_settle_what_a_silent_ally_must_consent_to() -> None:
    """The Jupiter removal needed Turkey's consent; Washington and Moscow settled it between them."""
    cat = Catalogue(
        [Party("US"), Party("USSR"), Party("Turkey", role="third")],
        [Term("jupiters", ["US"], "the Jupiter missiles leave Turkey", consent=["Turkey"])],
    )
    moves = [
        move("p", "USSR", act("propose", "jupiters"), to="US"),
        move("a", "US", act("accept", "jupiters"), to="USSR"),
    ]
    state = replay(moves, cat).final
    assert term_status(state, "jupiters") is Status.AWAITING_CONSENT
    found = [f for f in check_state(state) if f.code == "missing-consent"]
    assert [(f.severity, f.terms, f.parties) for f in found] == [
        (Severity.WARNING, ("jupiters",), ("Turkey",))
    ]
    consent = move("t", "Turkey", act("accept", "jupiters"), to="US")
    after = replay([*moves, consent], cat).final
    assert term_status(after, "jupiters") is Status.AGREED and not missing_consent(after)


def test_a_lenient_fold_notes_an_unknown_author_and_goes_on() -> None:
    """A party's partial view folds leniently: an author the catalogue lacks is noted, never a crash."""
    lenient = play(
        State.initial(AT_THE_TABLE), move("m", "Q", act("accept", "removal"), to="US"), strict=False
    )
    assert lenient.notes and lenient.notes[0].rule == "unknown-author"
