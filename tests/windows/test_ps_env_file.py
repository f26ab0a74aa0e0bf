"""The text patterns of common.ps1, run with Python's `re` (the same syntax as .NET's for these constructs).

install-service.ps1 writes the service's .env from .env.example with Set-DotEnvText; here the same
steps, with the patterns taken from the script itself, produce a .env that the real Settings read
as intended. Read-TomlNumber's pattern finds hypercorn.toml's timeouts (the service's stop timeout is
built from them), and Read-DotEnv's reads the .env back.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from tree_sitter import Node

from roa2web.settings import Settings
from tests.windows.powershell_ast import (
    SCRIPTS_DIR,
    commands,
    functions,
    parse_file,
    string_value,
    text,
    walk,
)

ROOT = SCRIPTS_DIR.parents[1]
# What the variables of install-service.ps1's Set-DotEnvText calls hold with the default parameters.
INSTALL_VALUES = {"([string]$Port)": "8000", "$DataDir": r"C:\ROA2WEB\data",
                  "(Join-Path $InstallDir 'backups')": r"C:\ROA2WEB\backups"}


def _literals(node: Node) -> list[str]:
    values = [string_value(child) for child in walk(node) if child.type == "string_literal"]
    return [value for value in values if value is not None]


def _function(name: str) -> Node:
    return functions(parse_file(SCRIPTS_DIR / "common.ps1"))[name]


def _assignment(function: Node, variable: str) -> Node:
    return next(node for node in walk(function)
                if node.type == "assignment_expression" and text(node).startswith(f"{variable} ="))


def _dotenv_patterns(key: str) -> list[re.Pattern[str]]:
    """Set-DotEnvText's patterns for `key`: an uncommented `KEY=` line first, then a commented one."""
    function = _function("Set-DotEnvText")
    (name_suffix,) = _literals(_assignment(function, "$name"))
    loop = next(node for node in walk(function) if node.type == "foreach_statement")
    prefixes = _literals(loop)
    return [re.compile(prefix + re.escape(key) + name_suffix) for prefix in prefixes]


def set_dotenv_text(source: str, key: str, value: str) -> str:
    """Set-DotEnvText of common.ps1, step by step."""
    line = f"{key}={value}"
    for pattern in _dotenv_patterns(key):
        if pattern.search(source):
            return pattern.sub(lambda _: line, source, count=1)
    separator = "\r\n" if source and not source.endswith("\n") else ""
    return source + separator + line + "\r\n"


def read_dotenv(source: str) -> dict[str, str]:
    """Read-DotEnv of common.ps1 (its pattern, then the quotes around a value removed)."""
    (pattern,) = [value for value in _literals(_function("Read-DotEnv")) if value.startswith("^")]
    values = {}
    for raw in source.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = re.match(pattern, line)
        if match:
            value = match[2].strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            values[match[1].upper()] = value
    return values


def _install_steps() -> list[tuple[str, str]]:
    steps = []
    for command in commands(parse_file(SCRIPTS_DIR / "install-service.ps1")):
        if command.name != "Set-DotEnvText":
            continue
        key = string_value(command.argument_after("Key") or command.node)
        value_node = command.argument_after("Value")
        assert key and value_node is not None
        value = string_value(value_node)
        steps.append((key, value if value is not None else INSTALL_VALUES[text(value_node)]))
    return steps


def test_the_installed_env_reads_as_intended(tmp_path: Path):
    steps = _install_steps()
    assert [key for key, _ in steps] == ["ENV", "HOST", "PORT", "DATA_DIR", "BACKUP_DIR", "SPA_DIR"]
    env_text = (ROOT / ".env.example").read_text(encoding="utf-8")
    for key, value in steps:
        env_text = set_dotenv_text(env_text, key, value)
    for key, value in steps:  # each key set once, where .env.example has it (or appended)
        assert len(re.findall(rf"(?m)^{key}=", env_text)) == 1, key
        assert re.search(rf"(?m)^{key}={re.escape(value)}\r?$", env_text), key
    env_file = tmp_path / ".env"
    env_file.write_text(env_text, encoding="utf-8")
    settings = Settings(_env_file=env_file)  # type: ignore[call-arg]
    assert settings.env == "production"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert str(settings.data_dir) == r"C:\ROA2WEB\data"
    assert settings.spa_dir is None, "IIS serves the web app: an empty SPA_DIR turns the service's copy off"
    assert settings.jwt_secret_key is None, "the secret is roa2web init's file, not a value in the .env"
    if "backup_dir" in Settings.model_fields:
        assert str(getattr(settings, "backup_dir")) == r"C:\ROA2WEB\backups"  # noqa: B009
    read_back = read_dotenv(env_text)
    assert read_back["DATA_DIR"] == r"C:\ROA2WEB\data" and read_back["PORT"] == "8000"


def test_set_dotenv_text_prefers_the_live_line_and_appends_a_missing_key():
    source = "# PORT=1\nPORT=8000\n"
    assert set_dotenv_text(source, "PORT", "9000") == "# PORT=1\nPORT=9000\n"
    assert set_dotenv_text("# A comment\n# BACKUP_DIR=\n", "BACKUP_DIR", "D:\\b") == "# A comment\nBACKUP_DIR=D:\\b\n"
    assert set_dotenv_text("ENV=development", "LOG_FILE", "x") == "ENV=development\r\nLOG_FILE=x\r\n"
    assert set_dotenv_text("DATA_DIR=./data\r\nX=1\r\n", "DATA_DIR", "C:\\d") == "DATA_DIR=C:\\d\r\nX=1\r\n"


def _toml_pattern(key: str) -> re.Pattern[str]:
    prefix, suffix = _literals(_assignment(_function("Read-TomlNumber"), "$pattern"))
    return re.compile(prefix + re.escape(key) + suffix)


@pytest.mark.parametrize(("source", "expected"), [
    ("shutdown_timeout = 45\n", "45"),
    ("shutdown_timeout=50.5  # seconds\n", "50.5"),
    ("# shutdown_timeout = 99\n", None),
    ("lifespan_shutdown_timeout = 7\n", None),
])
def test_read_toml_number_pattern(source: str, expected: str | None):
    match = _toml_pattern("shutdown_timeout").search(source)
    assert (match[1] if match else None) == expected


def test_read_toml_number_finds_the_shipped_timeouts():
    shipped = (SCRIPTS_DIR / "hypercorn.toml").read_text(encoding="utf-8")
    parsed = tomllib.loads(shipped)
    for key in ("graceful_timeout", "shutdown_timeout"):
        match = _toml_pattern(key).search(shipped)
        assert match is not None and float(match[1]) == parsed[key]
