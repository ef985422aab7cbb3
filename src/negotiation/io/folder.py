"""A folder of scenario files, each loaded (or its error kept), for the tree of bases and branches."""

from __future__ import annotations

from pathlib import Path

import attrs

from negotiation.errors import NegotiationError
from negotiation.io.loading import load_scenario
from negotiation.io.scenario import Scenario

__all__ = ["TreeEntry", "tree_entries"]


@attrs.frozen
class TreeEntry:
    """One scenario file of a folder, loaded (or not), with its place among the others."""

    file: Path
    scenario: Scenario | None
    error: str | None

    @property
    def base(self) -> Path | None:
        """The file of the scenario's base, if it is a branch."""
        if self.scenario is None or self.scenario.base is None:
            return None
        return Path(self.scenario.base.path).resolve()


def tree_entries(folder: Path) -> list[TreeEntry]:
    """Every scenario file under the folder, loaded; a file that fails carries its error."""
    entries = []
    for file in sorted(folder.rglob("*.toml")):
        try:
            entries.append(TreeEntry(file.resolve(), load_scenario(file), None))
        except NegotiationError as e:
            entries.append(TreeEntry(file.resolve(), None, str(e)))
    return entries
