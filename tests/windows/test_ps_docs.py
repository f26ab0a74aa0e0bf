"""docs/deployment-windows.md stays true to the scripts and the CLI it documents.

Every `roa2web …` command it shows parses with the real CLI parser, and every `-Parameter` it passes
to install-service.ps1, upgrade.ps1 or uninstall-service.ps1 is one the script declares.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from pathlib import Path

import pytest

from roa2web.cli.main import build_parser
from tests.windows.powershell_ast import SCRIPTS_DIR, parse_file, text, walk

DOC = Path(__file__).resolve().parents[2] / "docs" / "deployment-windows.md"
COMMON_PARAMETERS = {"whatif", "confirm", "verbose", "debug", "erroraction"}


def _documented_commands() -> list[list[str]]:
    source = DOC.read_text(encoding="utf-8")
    lines = re.findall(r"`roa2web ([a-z][^`]*)`", source) + re.findall(r"^\s*& \$roa2web (.+)$", source, re.MULTILINE)
    return [shlex.split(line.replace("\\", "/")) for line in lines]


def _script_parameters(name: str) -> set[str]:
    tree = parse_file(SCRIPTS_DIR / name)
    block = next(node for node in tree.root_node.named_children if node.type == "param_block")
    return {text(node)[1:].lower() for node in walk(block) if node.type == "variable"}


def _documented_script_calls() -> list[tuple[str, list[str]]]:
    source = DOC.read_text(encoding="utf-8").replace("`\n", " ")  # PowerShell's line continuation
    calls = []
    for name, rest in re.findall(r"\\((?:install-service|uninstall-service|upgrade)\.ps1)([^\n`]*)", source):
        calls.append((name, [word[1:].lower() for word in rest.split() if re.fullmatch(r"-[A-Za-z]+", word)]))
    return calls


@pytest.mark.parametrize("arguments", _documented_commands(), ids=" ".join)
def test_documented_command_parses(arguments: list[str]):
    errors = io.StringIO()
    try:
        with contextlib.redirect_stderr(errors):
            parsed = build_parser().parse_args(arguments)
    except SystemExit:
        raise AssertionError(f"roa2web {' '.join(arguments)}: {errors.getvalue()}") from None
    assert callable(getattr(parsed, "handler", None))


def test_the_doc_shows_the_operations_commands():
    shown = {" ".join(arguments[:2]) if arguments[0] == "db" else arguments[0] for arguments in _documented_commands()}
    assert {"check", "init", "backup", "restore", "db upgrade", "db status"} <= shown


@pytest.mark.parametrize(("script", "parameters"), _documented_script_calls(), ids=lambda value: str(value))
def test_documented_script_parameters_exist(script: str, parameters: list[str]):
    declared = _script_parameters(script) | COMMON_PARAMETERS
    assert set(parameters) <= declared, f"{script}: {set(parameters) - declared}"


def test_the_doc_calls_every_script():
    assert {script for script, _ in _documented_script_calls()} == {
        "install-service.ps1", "upgrade.ps1", "uninstall-service.ps1"
    }
