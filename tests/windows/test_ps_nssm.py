"""The NSSM service the scripts configure: real NSSM 2.24 parameter names, and a stop timeout above the app's.

NSSM 2.24's `nssm set` knows the values below (its settings.cpp at the 2.24 release, 2014-08-31;
`AppKillProcessTree`, `AppRotateDelay`, `AppTimestampLog`, `AppEvents` only came after 2.24).
"""

from __future__ import annotations

import math
import re
import tomllib

import pytest
from hypercorn.config import Config

from roa2web.server_config import LIFESPAN_SHUTDOWN_MARGIN_S, hypercorn_config, read_hypercorn_file, resolve_bind
from roa2web.settings import Settings
from tests.windows.powershell_ast import (
    SCRIPTS_DIR,
    array_values,
    commands,
    function_name,
    functions,
    parse_file,
    script_paths,
    string_value,
    text,
    walk,
    where,
)

NSSM_224_PARAMETERS = frozenset({
    "Application", "AppParameters", "AppDirectory", "AppExit", "AppAffinity", "AppEnvironment",
    "AppEnvironmentExtra", "AppNoConsole", "AppPriority", "AppRestartDelay",
    "AppStdin", "AppStdinShareMode", "AppStdinCreationDisposition", "AppStdinFlagsAndAttributes",
    "AppStdout", "AppStdoutShareMode", "AppStdoutCreationDisposition", "AppStdoutFlagsAndAttributes",
    "AppStderr", "AppStderrShareMode", "AppStderrCreationDisposition", "AppStderrFlagsAndAttributes",
    "AppStopMethodSkip", "AppStopMethodConsole", "AppStopMethodWindow", "AppStopMethodThreads", "AppThrottle",
    "AppRotateFiles", "AppRotateOnline", "AppRotateSeconds", "AppRotateBytes", "AppRotateBytesHigh",
    "DependOnGroup", "DependOnService", "Description", "DisplayName", "ImagePath", "ObjectName", "Name",
    "Start", "Type",
})
# nssm.cpp's verbs at 2.24; any other first argument is taken as a service name and opens the GUI.
NSSM_VERBS = frozenset({"install", "remove", "edit", "get", "set", "reset", "unset", "start", "stop", "restart",
                        "pause", "continue", "status", "rotate"})
# What install-service.ps1 must set: restart on failure with a delay, rotated logs, a graceful stop.
REQUIRED = {
    "Application", "AppParameters", "AppDirectory", "AppEnvironmentExtra", "AppExit", "AppRestartDelay",
    "AppThrottle", "AppStdout", "AppStderr", "AppRotateFiles", "AppRotateOnline", "AppRotateBytes",
    "AppStopMethodConsole", "AppStopMethodWindow", "AppStopMethodThreads", "AppNoConsole", "Start",
    "DisplayName", "Description",
}


def _set_calls() -> list[tuple[str, str, str]]:
    """(where, parameter, value text) of every Set-NssmValue call."""
    calls = []
    for path in script_paths():
        for command in commands(parse_file(path)):
            if command.name.lower() != "set-nssmvalue":
                continue
            parameter = command.argument_after("Parameter")
            value = command.argument_after("Value")
            assert parameter is not None and value is not None, f"{path.name}:{where(command.node)}"
            name = string_value(parameter)
            assert name is not None, f"{path.name}:{where(command.node)}: -Parameter must be a literal"
            calls.append((f"{path.name}:{where(command.node)}", name, text(value)))
    return calls


def test_every_nssm_set_uses_a_real_parameter():
    calls = _set_calls()
    unknown = [(place, name) for place, name, _ in calls if name not in NSSM_224_PARAMETERS]
    assert unknown == []
    assert {name for _, name, _ in calls} >= REQUIRED


def test_every_nssm_call_is_a_real_verb_and_set_goes_through_set_nssm_value():
    seen = set()
    for path in script_paths():
        for command in commands(parse_file(path)):
            if command.name.lower() != "invoke-nssm":
                continue
            argument = command.argument_after("NssmArguments")
            assert argument is not None
            values = array_values(argument)
            assert values, f"{path.name}:{where(command.node)}: nssm arguments must be an array literal"
            verb = values[0]
            seen.add(verb)
            assert verb in NSSM_VERBS, f"{path.name}:{where(command.node)}: nssm {verb}"
            if verb == "set":
                assert function_name(command.node) == "Set-NssmValue", f"{path.name}:{where(command.node)}"
            if verb == "remove":
                assert values[-1] == "confirm", "nssm remove asks in a window unless told `confirm`"
    assert {"install", "remove", "set"} <= seen


def test_exit_restart_and_log_rotation_values():
    values = {name: value for _, name, value in _set_calls()}
    assert values["AppExit"] == "'Default', 'Restart'"
    assert values["Start"] == "'SERVICE_AUTO_START'"
    assert values["AppNoConsole"] == "'0'", "CTRL+C needs the console"
    assert int(values["AppRestartDelay"].strip("'")) >= 1000
    assert int(values["AppRotateBytes"].strip("'")) >= 1024 * 1024
    assert "ROA2WEB_ENV_FILE=" in values["AppEnvironmentExtra"]
    assert "'logs'" not in values["AppStdout"] and "$logDir" in values["AppStdout"]


def _constants() -> dict[str, int]:
    source = (SCRIPTS_DIR / "common.ps1").read_text(encoding="ascii")
    return {name: int(value) for name, value in re.findall(r"^\$(\w+) = (\d+)\s*$", source, flags=re.MULTILINE)}


def _script_stop_ms(constants: dict[str, int], env: dict[str, str], toml: dict[str, float]) -> int:
    """Get-StopTimeoutMs of common.ps1, step by step (its text is checked below to say the same)."""
    graceful = float(toml.get("graceful_timeout", constants["DefaultShutdownTimeoutS"]))
    if env.get("SHUTDOWN_TIMEOUT_S"):
        graceful = float(env["SHUTDOWN_TIMEOUT_S"])
    queue = float(env.get("QUEUE_SHUTDOWN_TIMEOUT_S") or constants["DefaultQueueShutdownTimeoutS"])
    lifespan = max(constants["HypercornShutdownTimeoutS"], queue + constants["LifespanMarginS"])
    lifespan = float(toml.get("shutdown_timeout", lifespan))
    return math.ceil((graceful + lifespan + constants["StopMarginS"]) * 1000)


def test_the_script_constants_are_their_sources():
    constants = _constants()
    defaults = Settings.model_fields
    assert constants["DefaultQueueShutdownTimeoutS"] == defaults["queue_shutdown_timeout_s"].default
    assert constants["DefaultShutdownTimeoutS"] == defaults["shutdown_timeout_s"].default
    assert constants["HypercornShutdownTimeoutS"] == Config.shutdown_timeout
    assert constants["LifespanMarginS"] == LIFESPAN_SHUTDOWN_MARGIN_S
    assert constants["StopMarginS"] > 0
    body = text(functions(parse_file(SCRIPTS_DIR / "common.ps1"))["Get-StopTimeoutMs"])
    for line in (
        "$fileGraceful = Read-TomlNumber -Path $ConfigPath -Key 'graceful_timeout'",
        "$graceful = [double]::Parse($EnvValues['SHUTDOWN_TIMEOUT_S'], $culture)",
        "$queue = [double]::Parse($EnvValues['QUEUE_SHUTDOWN_TIMEOUT_S'], $culture)",
        "$lifespan = [Math]::Max($HypercornShutdownTimeoutS, $queue + $LifespanMarginS)",
        "$fileLifespan = Read-TomlNumber -Path $ConfigPath -Key 'shutdown_timeout'",
        "return [int][Math]::Ceiling(($graceful + $lifespan + $StopMarginS) * 1000)",
    ):
        assert line in body, line


@pytest.mark.parametrize(("env", "with_file"), [
    ({}, True), ({}, False),
    ({"SHUTDOWN_TIMEOUT_S": "30", "QUEUE_SHUTDOWN_TIMEOUT_S": "30"}, True),  # what .env.example sets
    ({"QUEUE_SHUTDOWN_TIMEOUT_S": "100"}, False),
    ({"SHUTDOWN_TIMEOUT_S": "50", "QUEUE_SHUTDOWN_TIMEOUT_S": "20"}, True),
])
def test_stop_timeout_covers_the_servers_two_shutdown_phases(env: dict[str, str], with_file: bool):
    """NSSM waits longer than `roa2web serve`'s real Hypercorn bounds: graceful_timeout, then shutdown_timeout."""
    shipped = SCRIPTS_DIR / "hypercorn.toml"
    settings = Settings(_env_file=None, **{key.lower(): value for key, value in env.items()})  # type: ignore[arg-type]
    file = read_hypercorn_file(shipped) if with_file else None
    config = hypercorn_config(resolve_bind(settings, file), file)
    toml = tomllib.loads(shipped.read_text(encoding="utf-8")) if with_file else {}
    stop_ms = _script_stop_ms(_constants(), env, toml)
    margin_s = _constants()["StopMarginS"]
    assert stop_ms == math.ceil((config.graceful_timeout + config.shutdown_timeout + margin_s) * 1000)
    assert config.shutdown_timeout > settings.queue_shutdown_timeout_s
    assert stop_ms > (settings.queue_shutdown_timeout_s + settings.shutdown_timeout_s) * 1000


def test_stop_timeout_with_the_shipped_file_is_90_s():
    toml = tomllib.loads((SCRIPTS_DIR / "hypercorn.toml").read_text(encoding="utf-8"))
    assert _script_stop_ms(_constants(), {}, toml) == 90_000


def test_the_service_stop_uses_the_computed_timeout():
    for path in script_paths():
        tree = parse_file(path)
        consoles = [command for command in commands(tree) if command.name.lower() == "set-nssmvalue"
                    and string_value(command.argument_after("Parameter") or command.node) == "AppStopMethodConsole"]
        for command in consoles:
            assert text(command.argument_after("Value") or command.node) == "([string]$stopMs)"
            assignments = [text(node) for node in walk(tree.root_node) if node.type == "assignment_expression"]
            assert any(line.startswith("$stopMs = Get-StopTimeoutMs") for line in assignments), path.name
