"""The shipped state machine: moves, illegal moves and forks against the naive reference model."""

from __future__ import annotations

from hypothesis import settings

from negotiation.testing.stateful import NegotiationMachine

TestNegotiation = NegotiationMachine.TestCase
TestNegotiation.settings = settings(settings.default, stateful_step_count=20)
