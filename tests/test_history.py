"""The historical replay reproduces what the sources say, fact by fact (CIA memo of 2 Nov 1962)."""

from __future__ import annotations

import pytest

from negotiation import (
    PUBLIC,
    SUPPORTING,
    Channel,
    Modality,
    Scenario,
    Stance,
    Status,
    Timeline,
    Verb,
    condition_graph,
    is_agreed,
    is_divergent,
    quid_pro_quos,
    term_status,
    unmet_conditions,
)

NSK_26 = "khrushchev-26-oct-letter"
NSK_27 = "khrushchev-27-oct-letter"
WH_27 = "white-house-27-oct-statement"
JFK_27 = "kennedy-27-oct-letter"
RFK = "rfk-dobrynin-27-oct"
NSK_28 = "khrushchev-28-oct-letter"
JFK_28 = "kennedy-28-oct-letter"

REQUIRED_TERMS = {
    "soviet-remove-offensive-weapons",
    "un-verification",
    "cease-work-on-bases",
    "render-inoperable",
    "halt-further-introduction",
    "us-no-invasion-pledge",
    "us-restrain-others",
    "western-hemisphere-no-invasion",
    "lift-quarantine",
    "recall-fleet",
    "cuba-demobilization",
    "withdraw-soviet-specialists",
    "turkey-jupiter-removal",
    "turkey-non-aggression",
    "un-negotiation",
}


def test_catalogue_has_every_required_term(historical: Scenario) -> None:
    assert set(historical.catalogue.by_id) >= REQUIRED_TERMS


def test_every_document_of_the_index_and_the_back_channel_is_a_move(historical: Scenario) -> None:
    """The CIA index's letters, the back channel, and U Thant's appeals with their answers."""
    ids = [m.id for m in historical.moves]
    assert ids == [
        "kennedy-22-oct-letter",
        "kennedy-22-oct-address",
        "khrushchev-23-oct-letter",
        "soviet-statement-23-oct",
        "kennedy-23-oct-letter",
        "khrushchev-24-oct-letter",
        "uthant-24-oct-appeal",
        "kennedy-25-oct-letter",
        "khrushchev-25-oct-reply-to-uthant",
        "kennedy-25-oct-reply-to-uthant",
        "uthant-25-oct-messages",
        NSK_26,
        "khrushchev-26-oct-reply-to-uthant",
        "kennedy-26-oct-reply-to-uthant",
        NSK_27,
        WH_27,
        JFK_27,
        RFK,
        NSK_28,
        JFK_28,
    ]
    assert historical.move(RFK).channel is Channel.BACK_CHANNEL
    assert historical.move(WH_27).channel is Channel.PUBLIC


def test_index_dates_of_the_22_october_letter_and_address_are_noted_as_wrong(historical: Scenario) -> None:
    for mid in ("kennedy-22-oct-letter", "kennedy-22-oct-address"):
        move = historical.move(mid)
        assert move.sent is not None and move.sent.day.isoformat() == "1962-10-22"
        assert move.note is not None and "21 October" in move.note


def test_26_to_28_october_acts_each_quote_their_words_or_say_why_not(historical: Scenario) -> None:
    for mid in (NSK_26, NSK_27, WH_27, JFK_27, RFK, NSK_28, JFK_28):
        for i, a in enumerate(historical.move(mid).acts):
            if a.verb is Verb.IGNORE:
                continue
            assert a.quote or a.note, f"{mid} acts[{i}] has neither quote nor note"


def test_private_26_october_offer_is_the_no_invasion_formula(timeline: Timeline) -> None:
    s = timeline[NSK_26]
    assert s.stance("us-no-invasion-pledge", "USSR") is Stance.PROPOSED
    assert s.stance("halt-further-introduction", "USSR") is Stance.ACCEPTED
    # The Soviet removal is implied only: the USSR still disputes the US demand.
    assert s.stance("soviet-remove-offensive-weapons", "USSR") is Stance.DISPUTED
    assert "us-no-invasion-pledge" in s.formulation("soviet-remove-offensive-weapons", "USSR").conditions


def test_public_27_october_letter_links_cuba_and_turkey_as_a_quid_pro_quo(timeline: Timeline) -> None:
    s = timeline[NSK_27]
    assert s.stance("turkey-jupiter-removal", "USSR") is Stance.PROPOSED
    assert ["soviet-remove-offensive-weapons", "turkey-jupiter-removal"] in quid_pro_quos(s)


def test_us_accepts_the_26_october_formula_conditionally_and_in_its_own_restated_form(
    timeline: Timeline,
) -> None:
    """Memo, para. 3: the President "accepted the basic formula presented in the 26 October letter",
    "assuming this is done promptly": work ceasing and the weapons rendered inoperable first."""
    s = timeline[JFK_27]
    us = s.formulation("us-no-invasion-pledge", "US")
    ussr = s.formulation("us-no-invasion-pledge", "USSR")
    assert s.stance("us-no-invasion-pledge", "US") is Stance.ACCEPTED
    assert us is not None and ussr is not None and us.move == JFK_27
    assert us.substance != ussr.substance and is_divergent(s, "us-no-invasion-pledge")
    assert term_status(s, "us-no-invasion-pledge") is Status.CONDITIONAL
    assert {"cease-work-on-bases", "render-inoperable"} <= set(unmet_conditions(s, "us-no-invasion-pledge"))
    halt = s.formulation("halt-further-introduction", "US")
    assert halt is not None and halt.move == JFK_27 and halt.verification == "suitable safeguards"


def test_us_acceptance_is_conditioned_on_work_ceasing_and_un_arrangements(timeline: Timeline) -> None:
    s = timeline[JFK_27]
    for term in ("us-no-invasion-pledge", "lift-quarantine"):
        conditions = s.formulation(term, "US").conditions
        assert {"cease-work-on-bases", "render-inoperable", "un-verification"} <= conditions, term


def test_us_does_not_accept_the_turkey_swap_on_27_october(timeline: Timeline) -> None:
    for mid in (WH_27, JFK_27):
        s = timeline[mid]
        for term in ("turkey-jupiter-removal", "turkey-non-aggression"):
            assert s.stance(term, "US") is Stance.DISPUTED, (mid, term)


def test_president_ignores_the_public_letter(timeline: Timeline) -> None:
    s = timeline[JFK_27]
    assert all(mid != NSK_27 for mid in s.pending_for("US").values())
    assert any(a.verb is Verb.IGNORE and a.move == NSK_27 for a in timeline.step_of(JFK_27).move.acts)


def test_silence_leaves_the_26_october_extras_unchallenged_not_accepted(timeline: Timeline) -> None:
    s = timeline[JFK_27]
    for term in ("us-restrain-others", "recall-fleet", "withdraw-soviet-specialists"):
        assert s.stance(term, "US") is Stance.UNCHALLENGED
        assert term_status(s, term) is Status.UNCHALLENGED


def test_ussr_orders_dismantling_on_28_october(timeline: Timeline) -> None:
    s = timeline[NSK_28]
    assert s.stance("soviet-remove-offensive-weapons", "USSR") is Stance.PERFORMING
    fulfil = [a for a in timeline.step_of(NSK_28).move.acts if a.verb is Verb.FULFIL]
    assert any("new order to dismantle" in (a.quote or "") for a in fulfil)
    assert s.stance("cease-work-on-bases", "USSR") is Stance.FULFILLED
    assert term_status(s, "cease-work-on-bases") is Status.FULFILLED


def test_ussr_offers_un_verification_in_undefined_form(timeline: Timeline) -> None:
    s = timeline[NSK_28]
    f = s.formulation("un-verification", "USSR")
    assert s.stance("un-verification", "USSR") is Stance.ACCEPTED
    assert f is not None and f.move == NSK_28 and "United Nations representatives" in (f.verification or "")
    assert is_divergent(s, "un-verification")


def test_ussr_does_not_specifically_accept_the_us_safeguards_against_reintroduction(
    timeline: Timeline,
) -> None:
    s = timeline[NSK_28]
    pos = s.position("halt-further-introduction", "USSR")
    assert pos.formulation is not None and pos.formulation.move == NSK_26
    assert "US" in pos.tacit  # left the US wording unchallenged...
    assert pos.formulation.substance != s.formulation("halt-further-introduction", "US").substance
    assert "safeguards" not in (pos.formulation.verification or "")  # ...without accepting it


def test_ussr_leaves_render_inoperable_unchallenged(timeline: Timeline) -> None:
    s = timeline[NSK_28]
    assert s.stance("render-inoperable", "USSR") is Stance.UNCHALLENGED
    assert s.stance("lift-quarantine", "USSR") is Stance.UNCHALLENGED


def test_ussr_holds_the_no_invasion_assurance_in_a_stronger_wording(timeline: Timeline) -> None:
    s = timeline[NSK_28]
    ussr = s.formulation("us-no-invasion-pledge", "USSR")
    us = s.formulation("us-no-invasion-pledge", "US")
    assert s.stance("us-no-invasion-pledge", "USSR") is Stance.AFFIRMED
    assert "Western Hemisphere" in (ussr.scope or "") and "Western Hemisphere" in ussr.text
    assert "Western Hemisphere" not in us.text and us.scope is None
    assert is_divergent(s, "us-no-invasion-pledge")
    wh = s.formulation("western-hemisphere-no-invasion", "USSR")
    assert "would be prepared" in s.formulation("western-hemisphere-no-invasion", "US").text
    assert "will not" in wh.text


def test_president_affirms_both_letters_as_firm_undertakings(timeline: Timeline) -> None:
    s = timeline[JFK_28]
    letters = s.moves
    for mid in (JFK_27, NSK_28):
        for term in letters[mid].touched:
            assert s.stance(term, "US") is Stance.AFFIRMED, (mid, term)
    for term in ("soviet-remove-offensive-weapons", "us-no-invasion-pledge"):
        assert term_status(s, term) is Status.BINDING
        assert is_divergent(s, term)
    # Inspection on Cuban soil: both leaders bound, Cuba never asked (FRUS VI d79: "We could not
    # take an obligation for the Government of Cuba").
    assert term_status(s, "un-verification") is Status.AWAITING_CONSENT
    assert is_divergent(s, "un-verification")
    assert s.stance("turkey-jupiter-removal", "US") is Stance.ACCEPTED  # not among the undertakings


def test_jupiter_assurance_is_secret_and_refuses_the_quid_pro_quo(timeline: Timeline) -> None:
    s = timeline[RFK]
    us = s.formulation("turkey-jupiter-removal", "US")
    assert s.stance("turkey-jupiter-removal", "US") is Stance.ACCEPTED
    assert us is not None and us.confidentiality is not None and "secret" in us.confidentiality
    assert not us.conditions
    assert "soviet-remove-offensive-weapons" in s.formulation("turkey-jupiter-removal", "USSR").conditions
    # Agreed between Washington and Moscow in different words, and short of Turkey's and NATO's
    # consent, which neither letter nor meeting asked for.
    assert term_status(s, "turkey-jupiter-removal") is Status.AWAITING_CONSENT
    assert is_divergent(s, "turkey-jupiter-removal")


def test_jupiter_assurance_shows_in_us_and_soviet_views_but_not_the_public_view(timeline: Timeline) -> None:
    assert timeline.state_as_known_by("US").stance("turkey-jupiter-removal", "US") is Stance.ACCEPTED
    assert timeline.state_as_known_by("USSR").stance("turkey-jupiter-removal", "US") is Stance.ACCEPTED
    public = timeline.state_as_known_by(PUBLIC)
    assert public.stance("turkey-jupiter-removal", "US") is Stance.DISPUTED
    assert RFK not in public.moves


def test_turkey_swap_is_never_accepted_publicly(timeline: Timeline) -> None:
    for state in timeline.views(PUBLIC):
        assert state.stance("turkey-jupiter-removal", "US") not in SUPPORTING


def test_private_26_october_letter_reaches_washington_only_in_the_evening(timeline: Timeline) -> None:
    views = timeline.views("US")
    assert views[timeline.index(NSK_26)].stance("us-no-invasion-pledge", "USSR") is None
    assert views[timeline.index(NSK_27)].stance("us-no-invasion-pledge", "USSR") is Stance.PROPOSED
    assert timeline.views("USSR")[timeline.index(NSK_26)].stance("us-no-invasion-pledge", "USSR") is (
        Stance.PROPOSED
    )


def test_private_26_october_offer_was_never_public_in_1962(timeline: Timeline) -> None:
    public = timeline.state_as_known_by(PUBLIC)
    assert NSK_26 not in public.moves
    assert term_status(public, "us-restrain-others") is Status.UNRAISED
    assert public.stance("halt-further-introduction", "USSR") is Stance.DISPUTED


@pytest.mark.parametrize("viewer", ["US", "USSR"])
def test_both_principals_know_every_move_by_the_end(timeline: Timeline, viewer: str) -> None:
    assert timeline.state_as_known_by(viewer) == timeline.final


def test_conditions_form_a_graph_with_the_party_on_each_edge(timeline: Timeline) -> None:
    g = condition_graph(timeline[JFK_27])
    edges = {(u, v, d["party"]) for u, v, d in g.edges(data=True) if d["kind"] == "condition"}
    assert ("us-no-invasion-pledge", "cease-work-on-bases", "US") in edges
    assert ("lift-quarantine", "un-verification", "US") in edges
    assert ("turkey-jupiter-removal", "soviet-remove-offensive-weapons", "USSR") in edges
    assert g.nodes["turkey-jupiter-removal"]["status"] == "disputed"


def test_the_presidents_confidence_commits_no_other_nation(timeline: Timeline) -> None:
    """ "I am confident that other nations of the Western Hemisphere would be prepared to do
    likewise" (27 October) is a statement of confidence; the memo: Khrushchev "represented" the
    offer "as a formal commitment ... also on the part of other nations of the Western
    Hemisphere". Calling the letter a firm undertaking does not turn confidence into a pledge."""
    s = timeline.final
    us = s.positions("western-hemisphere-no-invasion")["US"]
    assert (us.stance, us.modality) == (Stance.AFFIRMED, Modality.CONFIDENCE)
    assert not us.counts
    assert s.stance("western-hemisphere-no-invasion", "USSR") is Stance.ACCEPTED
    assert term_status(s, "western-hemisphere-no-invasion") is Status.OPEN


def test_khrushchev_predicts_cuban_demobilization_without_offering_it(timeline: Timeline) -> None:
    """ "I am not speaking for Fidel Castro, but I think that he ... would declare demobilization"
    (26 October): a prediction about a party not at the table, kept with its words."""
    s = timeline["khrushchev-26-oct-letter"]
    ussr = s.positions("cuba-demobilization")["USSR"]
    assert (ussr.stance, ussr.modality) == (Stance.PROPOSED, Modality.PREDICTION)
    assert ussr.formulation is not None and "not speaking for Fidel Castro" in (ussr.formulation.quote or "")
    assert term_status(s, "cuba-demobilization") is Status.OPEN


def test_u_thants_moratorium_divides_the_leaders_and_his_second_appeal_keeps_the_ships_apart(
    timeline: Timeline,
) -> None:
    """FRUS XI d59: Khrushchev wrote "welcoming and agreeing with the Acting Secretary-General's
    initiative"; the President answered that "the answer lies in the removal of such weapons"
    (Deptel 1084: no "uninspected moratorium"). FRUS X-XII mSupp d432: Khrushchev had "ordered
    the masters of Soviet vessels ... to stay out of the area", and the President replied."""
    s = timeline["kennedy-26-oct-reply-to-uthant"]
    assert s.stance("moratorium", "USSR") is Stance.ACCEPTED
    assert s.stance("moratorium", "US") is Stance.DISPUTED
    assert term_status(s, "moratorium") is Status.DISPUTED
    assert s.stance("moratorium", "UN") is Stance.PROPOSED  # the mediator's formula, never assent
    assert is_agreed(s, "ships-stay-out")
    assert s.formulation("avoid-confrontation", "US").conditions == frozenset({"ships-stay-out"})
