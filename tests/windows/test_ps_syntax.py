"""The Windows scripts parse (tree-sitter's PowerShell grammar), are ASCII, and run under 5.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.windows.powershell_ast import parse, parse_file, script_paths, syntax_errors
from tests.windows.ps51 import ps51_problems

EXPECTED_SCRIPTS = {"common.ps1", "install-service.ps1", "uninstall-service.ps1", "upgrade.ps1"}


def test_the_scripts_are_all_there():
    assert {path.name for path in script_paths()} >= EXPECTED_SCRIPTS


@pytest.mark.parametrize("path", script_paths(), ids=lambda path: path.name)
def test_script_parses_without_errors(path: Path):
    assert syntax_errors(parse_file(path)) == []


@pytest.mark.parametrize("path", script_paths(), ids=lambda path: path.name)
def test_script_is_ascii(path: Path):
    """Windows PowerShell 5.1 reads a file without a BOM in the ANSI code page: non-ASCII text turns to mojibake."""
    data = path.read_bytes()
    offenders = [(number, line) for number, line in enumerate(data.splitlines(), 1) if not line.isascii()]
    assert offenders == []


def test_a_broken_script_is_flagged():
    broken = "function Install {\n    if ($x -eq 1) {\n        Write-Host 'one'\n    \n}\n$y = @(1, 2\n"
    errors = syntax_errors(parse(broken))
    assert errors, "an unclosed block and array must be reported"
    assert any("MISSING" in error or "ERROR" in error for error in errors)


def test_a_good_sample_is_clean():
    """The checks do not flag ordinary 5.1 code (so a clean result on the scripts means something)."""
    sample = (
        "[CmdletBinding(SupportsShouldProcess = $true)]\nparam([string]$Path = 'C:\\x', [int]$Port = 8000)\n"
        "Set-StrictMode -Version Latest\n$items = @('a', 'b')\n"
        "if ($PSCmdlet.ShouldProcess($Path, 'Write')) { Set-Content -LiteralPath $Path -Value 'x' }\n"
        "$r = Invoke-WebRequest -Uri 'http://127.0.0.1/ready' -UseBasicParsing\n"
        "Get-ChildItem | Where-Object { $_.Length -gt 0 } | ? { $_ }\n"
    )
    assert ps51_problems(parse(sample)) == []
