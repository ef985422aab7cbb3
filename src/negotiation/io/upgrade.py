"""Upgrading scenario files to the current format, as text, so that comments and layout survive.

From format 1 the upgrade only declares `format` in the `[scenario]` table: nothing else of
the file changes, and the upgraded file is read back and compared with the original before
it is written.
"""

from __future__ import annotations

import re
from pathlib import Path

from negotiation.errors import ScenarioError
from negotiation.io.loading import loads_scenario
from negotiation.io.scenario import FORMAT

__all__ = ["upgrade_file", "upgraded"]

_HEADER = re.compile(r"^\[scenario\][ \t]*(#[^\n]*)?$", re.M)


def upgraded(text: str, path: str = "<string>") -> str | None:
    """The text in the current format, or None when it is in it already.

    Raises `ScenarioError` when the file cannot be read, or would not read back the same.
    """
    before = loads_scenario(text, path)
    if before.format == FORMAT:
        return None
    header = _HEADER.search(text)
    if header is None:
        raise ScenarioError(path, "no [scenario] header line to put the format under", field="scenario")
    new = f"{text[: header.end()]}\nformat = {FORMAT}{text[header.end() :]}"
    after = loads_scenario(new, path)
    if after != before or after.format != FORMAT:
        raise ScenarioError(
            path, f"the upgrade to format {FORMAT} would change the scenario; nothing written"
        )
    return new


def upgrade_file(path: str | Path, *, write: bool = True) -> bool:
    """Upgrade the file in place (unless `write` is false); True when it needed upgrading."""
    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ScenarioError(shown, f"cannot read the file: {getattr(e, 'strerror', None) or e}") from None
    new = upgraded(text, shown)
    if new is None:
        return False
    if write:
        try:
            Path(path).write_text(new, encoding="utf-8")
        except OSError as e:
            raise ScenarioError(shown, f"cannot write the file: {e.strerror or e}") from None
    return True
