"""Every `roa2web …` command line the Windows scripts run parses with the real CLI parser.

The scripts pass each command line as an array literal after `-CliArguments` (to Invoke-Roa2web, or to
Format-Roa2webArguments for the service's `serve`): a renamed command or flag fails here, not on a
customer's server. Variables in those arrays stand for paths (or 8000 for a port).
"""

from __future__ import annotations

import contextlib
import io

import pytest

from roa2web.cli.main import build_parser
from tests.windows.powershell_ast import array_values, commands, parse_file, script_paths, text, where

EXPECTED = {"init", "check", "backup", "restore", "db upgrade", "serve"}


def _command_lines() -> list[tuple[str, list[str]]]:
    found = []
    for path in script_paths():
        for command in commands(parse_file(path)):
            argument = command.argument_after("CliArguments")
            if argument is None:
                continue
            values = array_values(argument)
            if values is None:
                # inside common.ps1 the functions pass their own parameter on: only that is allowed
                assert text(argument) == "$CliArguments", f"{path.name}:{where(argument)} {text(argument)}"
                continue
            found.append((f"{path.name}:{where(command.node)}", values))
    return found


COMMAND_LINES = _command_lines()


def _key(arguments: list[str]) -> str:
    return " ".join(arguments[:2]) if arguments[0] == "db" else arguments[0]


def test_the_scripts_run_every_operations_command():
    assert {_key(arguments) for _, arguments in COMMAND_LINES} == EXPECTED


@pytest.mark.parametrize(("where_", "arguments"), COMMAND_LINES, ids=[f"{w} {' '.join(a)}" for w, a in COMMAND_LINES])
def test_command_line_parses(where_: str, arguments: list[str]):
    errors = io.StringIO()
    try:
        with contextlib.redirect_stderr(errors):
            parsed = build_parser().parse_args(arguments)
    except SystemExit:
        raise AssertionError(f"{where_}: roa2web {' '.join(arguments)} does not parse: {errors.getvalue()}") from None
    assert callable(getattr(parsed, "handler", None)), f"{where_}: {arguments} names no command"


def test_a_renamed_flag_fails():
    """The check is not vacuous: a flag the CLI lacks does not parse."""
    with contextlib.redirect_stderr(io.StringIO()), pytest.raises(SystemExit):
        build_parser().parse_args(["check", "--timeout-s", "5"])
