"""Nothing in scripts/windows needs PowerShell 6 or 7: each check is shown to catch its bad sample."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.windows.powershell_ast import parse, parse_file, script_paths
from tests.windows.ps51 import ps51_problems

BAD_SAMPLES = {
    "null-coalescing": "$port = $value ?? 8000\n",
    "null-conditional": "$name = ${service}?.Name\n",
    "ternary": "$mode = $quiet ? 'q' : 'v'\n",
    "pipeline chain and": "nssm stop ROA2WEB && nssm start ROA2WEB\n",
    "pipeline chain or": "Get-Service ROA2WEB || Write-Host 'missing'\n",
    "parallel": "1..3 | ForEach-Object -Parallel { $_ }\n",
    "as hashtable": "$state = Get-Content state.json | ConvertFrom-Json -AsHashtable\n",
    "utf8NoBOM": "Set-Content -Path .env -Value $text -Encoding utf8NoBOM\n",
    "join-path three parts": "$exe = Join-Path $venv 'Scripts' 'roa2web.exe'\n",
    "IsWindows": "if ($IsWindows) { Write-Host 'windows' }\n",
    "basic parsing": "$r = Invoke-WebRequest -Uri 'http://127.0.0.1:8000/ready'\n",
    "skip http error check": "$r = Invoke-WebRequest -Uri $u -UseBasicParsing -SkipHttpErrorCheck\n",
    "Test-Json": "Test-Json -Json $text\n",
    "using after code": "Write-Host 'start'\nusing namespace System.IO\n",
    "quote in a native argument": "Invoke-Native -FilePath $py -ArgumentList @('-c', 'print(\"x y\")')\n",
}


@pytest.mark.parametrize("path", script_paths(), ids=lambda path: path.name)
def test_script_runs_on_windows_powershell_5_1(path: Path):
    assert ps51_problems(parse_file(path)) == []


@pytest.mark.parametrize("sample", BAD_SAMPLES.values(), ids=BAD_SAMPLES.keys())
def test_a_powershell_7_construct_is_flagged(sample: str):
    assert ps51_problems(parse(sample)), f"not flagged: {sample!r}"


@pytest.mark.parametrize("path", script_paths(), ids=lambda path: path.name)
def test_scripts_are_strict(path: Path):
    """Each script stops on the first error and on typos in variable names."""
    source = path.read_text(encoding="ascii")
    assert "Set-StrictMode -Version Latest" in source
    assert "$ErrorActionPreference = 'Stop'" in source
