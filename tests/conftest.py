"""Shared fixtures and the hypothesis profiles: `ci` (the default) is derandomized and bounded."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from negotiation import Scenario, Timeline, load_scenario

settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("dev", max_examples=300, deadline=None)
settings.register_profile(
    "fuzz", max_examples=100_000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
HISTORICAL = ROOT / "scenarios" / "cuba-1962" / "historical.toml"


@pytest.fixture(scope="session")
def historical() -> Scenario:
    return load_scenario(HISTORICAL)


@pytest.fixture(scope="session")
def timeline(historical: Scenario) -> Timeline:
    return historical.replay()
