"""Reading a run NegMAS saved (`SAOMechanism.save`): its trace of offers and acceptances as moves.

A saved run is a folder: `trace.parquet` (or `trace.csv`) with a row per offer (`step`,
`negotiator`, `offer`, `responses`, `state`, ...), `scenario/domain.yml` naming the issues,
and `config.yaml` mapping negotiator ids to their names. Each row becomes an offer by its
negotiator, and each `ACCEPT_OFFER` among its responses an acceptance of that offer by the
responder (see `negotiation.io.offers` for the moves they make). Offers are read as Python
literals (`ast.literal_eval`: tuples of values, never code), responses by their pattern.

The format is NegMAS's, written from what its saved files hold; no NegMAS code is used or
needed. Reading Parquet needs `pyarrow` and the YAML files `PyYAML`:
`pip install 'negotiation[negmas]'`.
"""

from __future__ import annotations

import ast
import csv
import re
from pathlib import Path
from typing import Any

from negotiation.errors import ScenarioError
from negotiation.io.offers import Step, offer_scenario
from negotiation.io.scenario import Scenario

__all__ = ["load_negmas_run"]

_RESPONSE = re.compile(r"'([^']+)':\s*<ResponseType\.(\w+):\s*\d+>")
_NEEDS = "pip install 'negotiation[negmas]'"


def load_negmas_run(folder: str | Path) -> Scenario:
    """The scenario of a saved NegMAS SAO run (the folder `Mechanism.save` wrote)."""
    root, shown = Path(folder), str(folder)
    if not root.is_dir():
        raise ScenarioError(shown, "is not a folder", hint="give the folder NegMAS saved the run in")
    issues = _issues(root, shown)
    names = _names(root)
    rows = _rows(root, shown)
    steps: list[Step] = []
    for i, row in enumerate(rows):
        where = f"trace[{i}]"
        actor = _party(row.get("negotiator"), names, shown, f"{where}.negotiator")
        offer = _offer(row.get("offer"), shown, f"{where}.offer")
        if offer is None:
            continue  # a negotiator that made no offer in this step (None in the trace)
        if len(offer) != len(issues):
            raise ScenarioError(
                shown, f"offers {len(offer)} values for {len(issues)} issues", field=f"{where}.offer"
            )
        bid = {issue: _value(v) for issue, v in zip(issues, offer, strict=True)}
        steps.append(("Offer", actor, bid))
        for responder, kind in _RESPONSE.findall(str(row.get("responses") or "")):
            if kind == "ACCEPT_OFFER":
                steps.append(("Accept", _party(responder, names, shown, f"{where}.responses"), bid))
            elif kind == "END_NEGOTIATION":
                steps.append(("EndNegotiation", _party(responder, names, shown, f"{where}.responses"), {}))
    return offer_scenario(
        shown,
        root.name,
        steps,
        list(names.values()),
        title=f"NegMAS run {root.name}",
        description=(
            f"Imported from the NegMAS run saved in {root.name}: {len(rows)} trace rows on "
            f"{len(issues)} issues. Times, utilities and the mechanism's settings are not imported."
        ),
        field="trace",
    )


def _yaml(path: Path, shown: str) -> Any:
    try:
        import yaml
    except ImportError:
        raise ScenarioError(shown, "reading NegMAS's YAML files needs PyYAML", hint=_NEEDS) from None
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        problem = getattr(e, "strerror", None) or e
        raise ScenarioError(f"{shown}/{path.name}", f"cannot read the file: {problem}") from None
    except yaml.YAMLError as e:
        raise ScenarioError(f"{shown}/{path.name}", f"not valid YAML: {e}") from None


def _issues(root: Path, shown: str) -> list[str]:
    path = root / "scenario" / "domain.yml"
    if not path.is_file():
        raise ScenarioError(shown, "has no scenario/domain.yml", hint="save the run with its scenario")
    domain = _yaml(path, shown)
    issues = domain.get("issues") if isinstance(domain, dict) else None
    if not isinstance(issues, list) or not all(
        isinstance(i, dict) and isinstance(i.get("name"), str) for i in issues
    ):
        raise ScenarioError(f"{shown}/scenario/domain.yml", "names no issues", field="issues")
    return [i["name"] for i in issues]


def _names(root: Path) -> dict[str, str]:
    """Negotiator id -> name, from config.yaml (ids carry a UUID suffix); empty when absent."""
    path = root / "config.yaml"
    if not path.is_file():
        return {}
    config = _yaml(path, str(root))
    ids, names = (config or {}).get("negotiator_ids"), (config or {}).get("negotiator_names")
    if isinstance(ids, list) and isinstance(names, list) and len(ids) == len(names):
        if len(set(map(str, names))) < len(names):  # two negotiators of one name stay two parties
            return {str(i): str(i) for i in ids}
        return {str(i): str(n) for i, n in zip(ids, names, strict=True)}
    return {}


def _rows(root: Path, shown: str) -> list[dict[str, Any]]:
    parquet, table = root / "trace.parquet", root / "trace.csv"
    if parquet.is_file():
        try:
            import pyarrow.parquet as pq
        except ImportError:
            raise ScenarioError(shown, "reading trace.parquet needs pyarrow", hint=_NEEDS) from None
        try:
            return pq.read_table(parquet).to_pylist()  # type: ignore[no-any-return]
        except (OSError, ValueError) as e:
            raise ScenarioError(f"{shown}/trace.parquet", f"cannot read the table: {e}") from None
    if table.is_file():
        try:
            with table.open(encoding="utf-8", newline="") as f:
                return list(csv.DictReader(f))
        except (OSError, UnicodeDecodeError, csv.Error) as e:
            raise ScenarioError(
                f"{shown}/trace.csv", f"cannot read the table: {getattr(e, 'strerror', None) or e}"
            ) from None
    raise ScenarioError(shown, "has no trace.parquet or trace.csv", hint="save the run with its full trace")


def _party(value: object, names: dict[str, str], shown: str, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError(shown, "names no negotiator", field=field)
    return names.get(value, value)


def _offer(value: object, shown: str, field: str) -> tuple[Any, ...] | None:
    if value is None or value in ("", "None"):
        return None
    try:
        offer = ast.literal_eval(str(value))
    except (ValueError, SyntaxError):
        raise ScenarioError(
            shown, f"{str(value)[:60]!r} is not an outcome (a tuple of values)", field=field
        ) from None
    if not isinstance(offer, (tuple, list)):
        raise ScenarioError(shown, f"{offer!r} is not an outcome (a tuple of values)", field=field)
    return tuple(offer)


def _value(value: object) -> str:
    return value if isinstance(value, str) else repr(value)
