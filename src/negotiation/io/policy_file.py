"""Exploration policy files: a `[policy]` table read with the same discipline as a scenario.

The fields are returned as keyword arguments for `Policy`, so that command-line flags can be
laid over them before the policy is built.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import tomli

from negotiation.errors import ScenarioError
from negotiation.io.reader import Reader
from negotiation.policy import Policy, TermPool, Turns
from negotiation.vocabulary import Channel, Verb

__all__ = ["load_policy"]

_POLICY_KEYS = [f.name for f in attrs.fields(Policy)]


def load_policy(path: str | Path) -> dict[str, Any]:
    """The fields of an exploration policy file's `[policy]` table, checked like a scenario's."""
    shown = str(path)
    try:
        data = tomli.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise ScenarioError(shown, f"cannot read the file: {e.strerror or e}") from None
    except (tomli.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ScenarioError(shown, f"not valid TOML: {e}") from None
    top = Reader(shown, data, what="a policy file")
    r = Reader(shown, top.get("policy", dict, required=True), what="[policy]", prefix="policy.")
    fields: dict[str, Any] = {}
    if "verbs" in r.data:
        fields["verbs"] = r.enum_list("verbs", [str(v) for v in Verb])
    if "terms" in r.data:
        terms = r.data["terms"]
        fields["terms"] = TermPool(terms) if terms in list(TermPool) else r.ids("terms")
    if "max_acts" in r.data:
        fields["max_acts"] = r.get("max_acts", int)
    if "turns" in r.data:
        fields["turns"] = r.enum("turns", Turns, [str(t) for t in Turns])
    if "channel" in r.data:
        fields["channel"] = r.enum("channel", Channel, [str(c) for c in Channel])
    if "core" in r.data:
        fields["core"] = r.ids("core")
    if "parties" in r.data:
        fields["parties"] = r.ids("parties")
    r.done(_POLICY_KEYS)
    top.done(["policy"])
    return fields
