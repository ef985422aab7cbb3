"""Who learns of a move, and when: channels, addressees, receipt and publication times."""

from __future__ import annotations

import pytest

from conftest import HISTORICAL
from helpers import act, catalogue, move
from negotiation import HISTORIAN, PUBLIC, Channel, ModelError, Move, Timeline, When, knew, reaches, replay
from negotiation.cli import main


def letter(channel: Channel = Channel.PRIVATE, **kw: object) -> Move:
    return move("m", "A", act("propose", "x"), channel=channel, **kw)  # type: ignore[arg-type]


NOON = When.of("1962-10-27T12:00+00:00")
EVENING = When.of("1962-10-27T20:00+00:00")


def test_a_private_letter_reaches_only_author_and_addressees() -> None:
    m = letter()
    assert reaches(m, "A") and reaches(m, "B")
    assert not reaches(m, "C") and not reaches(m, PUBLIC)
    assert not knew(m, PUBLIC, None)


def test_a_public_move_reaches_everyone() -> None:
    m = letter(Channel.PUBLIC, sent=NOON)
    assert knew(m, "C", EVENING) and knew(m, PUBLIC, EVENING)
    assert not knew(m, PUBLIC, When.of("1962-10-27T11:00+00:00"))


def test_receipt_time_decides_when_an_addressee_knows() -> None:
    m = letter(sent=NOON, received={"B": EVENING})
    assert not knew(m, "B", NOON)
    assert knew(m, "B", EVENING)
    assert knew(m, "A", NOON)  # the author knows at once


def test_an_unknown_receipt_time_counts_as_known() -> None:
    assert knew(letter(sent=NOON), "B", NOON)


def test_publication_makes_a_private_letter_known_to_all_from_then() -> None:
    m = letter(sent=NOON, published=EVENING)
    assert not knew(m, PUBLIC, NOON)
    assert knew(m, PUBLIC, EVENING) and knew(m, "C", EVENING)


def test_day_precision_is_not_certainly_after_a_time_that_day() -> None:
    day = When.of("1962-10-27")
    assert not day.certainly_after(NOON) and not NOON.certainly_after(day)
    assert When.of("1962-10-28").certainly_after(EVENING)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("1962-10-27T12:00", "no UTC offset"),
        ("27 October", "not an ISO 8601"),
        ("1962-13-01", "not an ISO 8601"),
    ],
)
def test_bad_times_are_model_errors(text: str, words: str) -> None:
    with pytest.raises(ModelError, match=words):
        When.of(text)


def test_an_unknown_viewer_is_named_with_the_known_ones() -> None:
    from helpers import move

    timeline = replay([move("p", "A", act("propose", "x"))], catalogue())
    with pytest.raises(
        ModelError, match=r"viewer 'a': is not a party .*known viewers: A, B, historian, public"
    ):
        timeline.state_as_known_by("a")


def test_the_historian_is_a_view_that_knows_the_whole_record(timeline: Timeline) -> None:
    for step in timeline:
        assert timeline.state_as_known_by(HISTORIAN, at=step.move.id) is step.state
    assert timeline.views(HISTORIAN) == [s.state for s in timeline]


def test_replay_as_the_historian_is_the_plain_replay(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(HISTORICAL), "--no-color"]) == 0
    plain = capsys.readouterr().out
    assert main(["replay", str(HISTORICAL), "--no-color", "--as", HISTORIAN]) == 0
    assert capsys.readouterr().out == plain
    assert "as the record shows it" in plain.splitlines()[0]
