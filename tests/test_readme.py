"""The README's promises: two set-up commands that CI runs, and a Python example that works."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _blocks(lang: str) -> list[str]:
    return [b.strip() for b in re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)]


def test_first_screen_has_exactly_two_setup_commands() -> None:
    first_screen = README.split("## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)```", first_screen, flags=re.S)
    assert len(commands) == 2
    install, tests = (c.strip() for c in commands)
    assert "pip install" in install and "negotiation replay scenarios/cuba-1962/historical.toml" in install
    assert "pytest" in tests


def test_ci_runs_the_readme_commands_verbatim() -> None:
    install, tests = _blocks("sh")[:2]
    replay = install.split(" && ", 1)[1]  # after creating the venv, which CI does on its own line
    assert replay in CI
    assert tests in CI.splitlines()


@pytest.mark.parametrize("index", [0, 1, 2])
def test_python_examples_run(
    index: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocks = _blocks("python")
    assert len(blocks) == 3
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {}
    exec(compile(blocks[index], "README.md", "exec"), namespace)  # the README's own example code
    if "contest(" in blocks[index]:  # three parties and a contested performance
        shown = re.search(r"```text\n(.*?)```", README.split(blocks[index], 1)[1], flags=re.S)
        assert shown is not None and capsys.readouterr().out == shown.group(1)
    elif "print(" in blocks[index]:  # the What-if example
        assert capsys.readouterr().out.startswith("agreement; ")
    else:  # the API tour
        assert str(namespace["state"].stance("us-no-invasion-pledge", "US")) == "accepted"  # type: ignore[attr-defined]


def test_output_shown_in_the_readme_is_what_the_commands_print(capsys: pytest.CaptureFixture[str]) -> None:
    from negotiation.cli import main

    history = str(ROOT / "scenarios/cuba-1962/historical.toml")
    runs = [
        ["replay", history],
        ["replay", history, "--as", "public"],
        ["diff", "scenarios/cuba-1962/historical.toml", "scenarios/cuba-1962/turkey-swap.toml"],
        [
            "check",
            *sorted(f"scenarios/cuba-1962/{p.name}" for p in (ROOT / "scenarios/cuba-1962").glob("*.toml")),
            "--severity",
            "warning",
        ],
        [
            "explore",
            history,
            "--after",
            "khrushchev-27-oct-letter",
            "--depth",
            "3",
            "--core",
            "soviet-remove-offensive-weapons,us-no-invasion-pledge",
        ],
    ]
    printed = ""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        for argv in runs:
            main(argv)
            printed += capsys.readouterr().out
    shown, block, lang = [], None, ""
    exploration = (ROOT / "docs" / "exploration.md").read_text(encoding="utf-8").split("## From Python")[0]
    for line in [*README.splitlines(), *exploration.splitlines()]:
        if line.startswith("```"):
            if block is None:
                block, lang = [], line[3:]
            else:
                if lang == "" and not any(x.startswith("negotiation: error") for x in block):
                    shown += [x.rstrip() for x in block if x.strip() and x.strip() != "..."]
                block = None
        elif block is not None:
            block.append(line)
    assert len(shown) > 50
    missing = [line for line in shown if line not in printed]
    assert not missing, missing


def test_the_readme_report_and_graph_commands_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from negotiation.cli import main

    commands = [c for c in _blocks("sh") if re.search(r"negotiation (report|graph) ", c)]
    assert len(commands) == 2
    monkeypatch.chdir(ROOT)
    for command in commands:
        argv = shlex.split(command)[1:]
        out = argv.index("-o") + 1
        argv[out] = str(tmp_path / argv[out])
        assert main(argv) == 0, capsys.readouterr().err
        assert Path(argv[out]).stat().st_size > 1000
    assert "](docs/report.png)" in README and (ROOT / "docs" / "report.png").stat().st_size > 10_000
