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

`write_negmas_run` writes a history back in the same layout (the run itself is built by
`negotiation.render.negmas`), and `negotiation.yaml` beside it keeps what NegMAS has no
file for; the reader honours that file's `no_position` value when it finds one.
"""

from __future__ import annotations

import ast
import csv
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import attrs

from negotiation.errors import ScenarioError
from negotiation.io.offers import Step, offer_scenario
from negotiation.io.scenario import Scenario

__all__ = ["NO_POSITION", "TRACE_FORMATS", "NegmasRun", "load_negmas_run", "write_negmas_run"]

NO_POSITION = "(no position)"
"""The value of an issue on which the offering party stands behind no wording."""

TRACE_FORMATS = ("parquet", "csv")
"""How a trace can be stored, as NegMAS's `storage_format` names them."""

_COLUMNS = ("time", "relative_time", "step", "negotiator", "offer", "responses", "state", "text", "data")

_RESPONSE = re.compile(r"'([^']+)':\s*<ResponseType\.(\w+):\s*\d+>")
_NEEDS = "pip install 'negotiation[negmas]'"


@attrs.frozen
class NegmasRun:
    """What a saved NegMAS run says beside its trace, as plain values ready to be written."""

    issues: tuple[tuple[str, tuple[str, ...]], ...]
    """Each issue's name (the term id) and its values, in order of first appearance."""
    negotiators: tuple[str, ...]
    n_rows: int
    agreement: tuple[str, ...] | None
    broken: bool
    n_steps: int
    skipped: tuple[str, ...]
    """The moves no row or response stands for, in replay order."""
    no_position: str | None
    """The value written for an issue its negotiator stands behind nothing on (None: never needed)."""
    titles: dict[str, str]
    names: dict[str, str]

    def config(self, scenario: str) -> dict[str, object]:
        """`config.yaml`: the mechanism's settings, as far as a history has them."""
        return {
            "id": scenario,
            "name": scenario,
            "mechanism_type": "SAOMechanism",
            "type_name": "negmas.sao.mechanism.SAOMechanism",
            "n_negotiators": len(self.negotiators),
            "negotiator_ids": list(self.negotiators),
            "negotiator_names": list(self.negotiators),
            "n_steps": self.n_steps,
            "final_step": self.n_steps,
            "agreement": list(self.agreement) if self.agreement is not None else None,
            "broken": self.broken,
            "timedout": False,
            "has_error": False,
            "one_offer_per_step": False,
        }

    def outcome_stats(self) -> dict[str, object]:
        """`outcome_stats.yaml`: how the run ended (no utilities: a history has none)."""
        return {
            "agreement": list(self.agreement) if self.agreement is not None else None,
            "broken": self.broken,
            "timedout": False,
            "has_error": False,
            "error_details": "",
        }

    def extra(self, scenario: str) -> dict[str, object]:
        """`negotiation.yaml`: what NegMAS has no file for, kept so that the run can be read back."""
        return {
            "scenario": scenario,
            "no_position": self.no_position,
            "titles": self.titles,
            "names": self.names,
            "skipped_moves": list(self.skipped),
        }

    def domain(self) -> dict[str, object]:
        """`scenario/domain.yml`: the outcome space, one categorical issue per term."""
        return {
            "issues": [
                {"name": name, "type": "CategoricalIssue", "values": list(values)}
                for name, values in self.issues
            ],
            "name": "domain",
            "path": None,
            "type": "DiscreteCartesianOutcomeSpace",
        }


def load_negmas_run(folder: str | Path) -> Scenario:
    """The scenario of a saved NegMAS SAO run (the folder `Mechanism.save` wrote)."""
    root, shown = Path(folder), str(folder)
    if not root.is_dir():
        raise ScenarioError(shown, "is not a folder", hint="give the folder NegMAS saved the run in")
    issues = _issues(root, shown)
    names = _names(root)
    blank = _no_position(root, shown)
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
        bid = {issue: _value(v) for issue, v in zip(issues, offer, strict=True) if _value(v) != blank}
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


def _no_position(root: Path, shown: str) -> str | None:
    """The value that stands for "no position" in a run this package wrote (None elsewhere)."""
    path = root / "negotiation.yaml"
    if not path.is_file():
        return None
    extra = _yaml(path, shown)
    value = extra.get("no_position") if isinstance(extra, dict) else None
    if value is not None and not isinstance(value, str):
        raise ScenarioError(
            f"{shown}/negotiation.yaml", f"{value!r} is not a value's text", field="no_position"
        )
    return value


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


def write_negmas_run(
    rows: Iterable[dict[str, object]],
    summary: Callable[[], NegmasRun],
    scenario: str,
    folder: str | Path,
    *,
    trace: str = "parquet",
) -> NegmasRun:
    """Write a run as NegMAS saves one, into a new folder (or over one written before).

    The rows are written as they come; `summary` is called after the last one, for the files
    that say how the run ended. All the files are written, or none: the run is made in a
    sibling folder and moved into place whole.
    """
    root, shown = Path(folder), str(folder)
    if trace not in TRACE_FORMATS:
        raise ScenarioError(
            shown, f"cannot store a trace as {trace!r}", hint=f"give one of {', '.join(TRACE_FORMATS)}"
        )
    if root.exists() and not _replaceable(root):
        what = "is a file" if not root.is_dir() else "is a folder holding other files than a run"
        raise ScenarioError(
            shown,
            f"{what}: a run is written to a new or empty folder, or over a run written before",
            hint="give another -o",
        )
    if not root.parent.is_dir():
        raise ScenarioError(shown, f"cannot write: folder {str(root.parent)!r} does not exist")
    try:
        import yaml
    except ImportError:
        raise ScenarioError(shown, "writing NegMAS's YAML files needs PyYAML", hint=_NEEDS) from None
    if trace == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise ScenarioError(
                shown,
                "writing trace.parquet needs pyarrow",
                hint=f"{_NEEDS}, or store the trace with --trace csv",
            ) from None
    partial = None
    try:
        partial = Path(tempfile.mkdtemp(prefix=f".{root.name}.", suffix=".partial", dir=root.parent))
        (partial / "scenario").mkdir()
        if trace == "parquet":
            _parquet(rows, partial / "trace.parquet")
        else:
            _csv(rows, partial / "trace.csv")
        run = summary()
        for name, doc in _files(run, scenario, trace).items():
            text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
            (partial / name).write_text(text, encoding="utf-8")
        os.chmod(partial, 0o777 & ~_umask())
        if root.exists():  # empty, or a run written before: set aside, then dropped
            old = Path(tempfile.mkdtemp(prefix=f".{root.name}.", suffix=".old", dir=root.parent))
            os.replace(root, old / root.name)
            os.replace(partial, root)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(partial, root)
        partial = None
    except OSError as e:
        raise ScenarioError(shown, f"cannot write: {e.strerror or e}") from None
    finally:
        if partial is not None:
            shutil.rmtree(partial, ignore_errors=True)
    return run


def _files(run: NegmasRun, scenario: str, trace: str) -> dict[str, object]:
    """The YAML files beside the trace, by their path in the run's folder."""
    return {
        "run_info.yaml": {
            "agreement": _listed(run.agreement),
            "history_type": "full_trace",
            "storage_format": trace,
        },
        "outcome_stats.yaml": run.outcome_stats(),
        "config.yaml": run.config(scenario),
        "scenario/domain.yml": run.domain(),
        "negotiation.yaml": run.extra(scenario),
    }


_WRITTEN = frozenset(
    {"run_info.yaml", "outcome_stats.yaml", "config.yaml", "negotiation.yaml"}
    | {"scenario", "trace.parquet", "trace.csv"}
)
"""What a run written here holds at its top: only such a folder is replaced."""


def _replaceable(root: Path) -> bool:
    """An empty folder, or one holding nothing but a run this module wrote (its negotiation.yaml)."""
    if not root.is_dir() or root.is_symlink():
        return False
    names = {p.name for p in root.iterdir()}
    return not names or ("negotiation.yaml" in names and names <= _WRITTEN)


def _listed(outcome: tuple[str, ...] | None) -> list[str] | None:
    return list(outcome) if outcome is not None else None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_BATCH = 2048
"""Rows per Parquet row group: a few megabytes of offers held at a time."""


def _parquet(rows: Iterable[dict[str, object]], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    text = pa.large_string()
    schema = pa.schema(
        [("time", pa.float64()), ("relative_time", pa.float64()), ("step", pa.int64())]
        + [(name, text) for name in _COLUMNS[3:]]
    )
    with pq.ParquetWriter(path, schema) as out:
        batch: list[dict[str, object]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == _BATCH:
                out.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        if batch:
            out.write_table(pa.Table.from_pylist(batch, schema=schema))


def _csv(rows: Iterable[dict[str, object]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.DictWriter(f, fieldnames=_COLUMNS)
        out.writeheader()
        out.writerows({k: ("" if v is None else v) for k, v in row.items()} for row in rows)
