"""The NSSM service the scripts configure: real NSSM 2.24 parameter names, and a stop timeout above the app's.

NSSM 2.24's `nssm set` knows the values below (its settings.cpp at the 2.24 release, 2014-08-31;
`AppKillProcessTree`, `AppRotateDelay`, `AppTimestampLog`, `AppEvents` only came after 2.24).
"""

from __future__ import annotations

import re

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


def test_stop_timeout_is_above_the_apps_graceful_bounds():
    constants = _constants()
    defaults = Settings.model_fields
    assert constants["DefaultQueueShutdownTimeoutS"] == defaults["queue_shutdown_timeout_s"].default
    assert constants["DefaultShutdownTimeoutS"] == defaults["shutdown_timeout_s"].default
    assert constants["StopMarginS"] > 0

    body = text(functions(parse_file(SCRIPTS_DIR / "common.ps1"))["Get-StopTimeoutMs"])
    assert "return [int][Math]::Ceiling(($shutdown + $queue + $StopMarginS) * 1000)" in body
    for key in ("QUEUE_SHUTDOWN_TIMEOUT_S", "SHUTDOWN_TIMEOUT_S"):
        assert f"$EnvValues['{key}']" in body, f"the timeout must follow {key} from the .env"
    stop_ms = (constants["DefaultShutdownTimeoutS"] + constants["DefaultQueueShutdownTimeoutS"]
               + constants["StopMarginS"]) * 1000
    assert stop_ms > defaults["queue_shutdown_timeout_s"].default * 1000

    for path in script_paths():
        tree = parse_file(path)
        consoles = [command for command in commands(tree) if command.name.lower() == "set-nssmvalue"
                    and string_value(command.argument_after("Parameter") or command.node) == "AppStopMethodConsole"]
        for command in consoles:
            assert text(command.argument_after("Value") or command.node) == "([string]$stopMs)"
            assignments = [text(node) for node in walk(tree.root_node) if node.type == "assignment_expression"]
            assert any(line.startswith("$stopMs = Get-StopTimeoutMs") for line in assignments), path.name
