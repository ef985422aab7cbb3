"""Checking scenario files: load, replay and run every invariant, keeping what each file gave."""

from __future__ import annotations

from pathlib import Path

import attrs

from negotiation.errors import ScenarioError
from negotiation.findings import Finding, Severity, acknowledge
from negotiation.invariants import check_timeline
from negotiation.io.loading import load_scenario, loads_scenario
from negotiation.io.scenario import FORMAT

__all__ = ["CheckReport", "check_file"]


@attrs.frozen
class CheckReport:
    """The findings for one scenario file, or why it could not be read."""

    file: str
    findings: tuple[Finding, ...] = ()
    unreadable: str | None = None

    @property
    def errors(self) -> int:
        """How many findings are errors."""
        return sum(f.severity is Severity.ERROR for f in self.findings)

    def counts(self) -> dict[Severity, int]:
        """How many findings of each severity, most severe first."""
        return {s: sum(f.severity is s for f in self.findings) for s in Severity}


def check_file(path: str, text: bytes | None = None) -> CheckReport:
    """Load, replay and check one scenario file; a replay that breaks a rule is an error finding.

    With `text`, the scenario is read from it (standard input, say) and `path` only names it.
    """
    try:
        scenario = load_scenario(path) if text is None else loads_scenario(text, path, root=Path.cwd())
    except ScenarioError as e:
        return CheckReport(path, unreadable=str(e))
    try:
        findings = check_timeline(scenario.replay())
    except ScenarioError as e:
        return CheckReport(path, (Finding(Severity.ERROR, "illegal-move", str(e), move=e.move_id),))
    order = list(Severity)
    found = acknowledge(findings, scenario.acknowledged, must_match=scenario.own_acknowledged)
    if scenario.format < FORMAT:
        found.append(
            Finding(
                Severity.NOTE,
                "old-format",
                f"format {scenario.format} file; `negotiation upgrade {path}` declares format {FORMAT}, "
                "changing nothing else",
            )
        )
    return CheckReport(path, tuple(sorted(found, key=lambda f: order.index(f.severity))))
