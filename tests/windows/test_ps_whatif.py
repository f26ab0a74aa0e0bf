"""-WhatIf changes nothing: every state-changing call in scripts/windows goes through ShouldProcess.

A call is guarded when it sits in the branch of `if ($PSCmdlet.ShouldProcess(...))`, or follows an
`if (-not $PSCmdlet.ShouldProcess(...)) { return }` in its function, or says `-WhatIf:$false` on purpose
(a temporary file). Native programs run through Invoke-Native: they count as changes except in the
functions that only probe (python and nssm versions).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tree_sitter import Node, Tree

from tests.windows.powershell_ast import (
    commands,
    function_name,
    functions,
    parse,
    parse_file,
    script_paths,
    text,
    walk,
    where,
)

STATE_CHANGING_CMDLETS = frozenset({
    "new-item", "remove-item", "copy-item", "move-item", "rename-item", "set-content", "add-content",
    "out-file", "expand-archive", "compress-archive", "start-service", "stop-service", "restart-service",
    "set-service", "new-service", "set-itemproperty", "new-itemproperty", "remove-itemproperty", "set-acl",
    "invoke-native",
})
STATE_CHANGING_METHODS = ("WriteAllText", "WriteAllBytes", "WriteAllLines", "AppendAllText", "::Delete", "::Move",
                          "::Copy", "CreateDirectory")
READ_ONLY_FUNCTIONS = frozenset({"Invoke-Native", "Find-Python", "Find-Nssm", "Get-IndexVersion",
                                 "Get-InstalledVersion"})
ENTRY_SCRIPTS = ("install-service.ps1", "uninstall-service.ps1", "upgrade.ps1")


def _condition(node: Node) -> str:
    for child in node.named_children:
        if child.type not in ("statement_block", "elseif_clauses", "else_clause"):
            return text(child)
    return ""


def _in_should_process_branch(node: Node) -> bool:
    parent = node.parent
    while parent is not None:
        owner = parent.parent
        if parent.type == "statement_block" and owner is not None and owner.type in ("if_statement", "elseif_clause"):
            condition = _condition(owner).replace(" ", "")
            if ".ShouldProcess(" in condition and not condition.startswith("-not"):
                return True
        parent = owner
    return False


def _after_early_return_guard(node: Node, tree: Tree) -> bool:
    scope = next((parent for parent in _ancestors(node) if parent.type == "function_statement"), tree.root_node)
    for candidate in walk(scope):
        if candidate.type != "if_statement" or candidate.start_byte >= node.start_byte:
            continue
        condition = _condition(candidate).replace(" ", "")
        if condition.startswith("-not$PSCmdlet.ShouldProcess(") and "return" in text(candidate):
            return True
    return False


def _ancestors(node: Node) -> list[Node]:
    found = []
    while node.parent is not None:
        node = node.parent
        found.append(node)
    return found


def unguarded_changes(tree: Tree) -> list[str]:
    """State-changing calls that -WhatIf would not stop, as `line:col call`."""
    suspects: list[Node] = []
    for command in commands(tree):
        name = command.name.lower()
        if name not in STATE_CHANGING_CMDLETS or command.has_switch("WhatIf", "$false"):
            continue
        if name == "invoke-native" and function_name(command.node) in READ_ONLY_FUNCTIONS:
            continue
        suspects.append(command.node)
    for node in walk(tree.root_node):
        if node.type == "invokation_expression" and any(method in text(node) for method in STATE_CHANGING_METHODS):
            suspects.append(node)
    return [
        f"{where(node)} {text(node).splitlines()[0][:70]}"
        for node in suspects
        if not (_in_should_process_branch(node) or _after_early_return_guard(node, tree))
    ]


@pytest.mark.parametrize("path", script_paths(), ids=lambda path: path.name)
def test_every_change_goes_through_should_process(path: Path):
    assert unguarded_changes(parse_file(path)) == []


@pytest.mark.parametrize("name", ENTRY_SCRIPTS)
def test_entry_scripts_support_whatif(name: str):
    tree = parse_file(next(path for path in script_paths() if path.name == name))
    top = next(node for node in tree.root_node.named_children if node.type == "param_block")
    assert "SupportsShouldProcess = $true" in text(top)


@pytest.mark.parametrize("path", script_paths(), ids=lambda path: path.name)
def test_functions_that_ask_should_process_declare_it(path: Path):
    for name, function in functions(parse_file(path)).items():
        source = text(function)
        if "$PSCmdlet.Should" in source:
            assert "[CmdletBinding(SupportsShouldProcess = $true)]" in source, name


def test_an_unguarded_change_is_flagged():
    sample = (
        "function Write-Config {\n    [CmdletBinding(SupportsShouldProcess = $true)]\n    param([string]$Path)\n"
        "    if ($PSCmdlet.ShouldProcess($Path, 'Write')) {\n"
        "        Set-Content -LiteralPath $Path -Value 'ok'\n    }\n"
        "    else {\n        Remove-Item -LiteralPath $Path\n    }\n    New-Item -ItemType Directory -Path $Path\n"
        "    [IO.File]::WriteAllText($Path, 'x')\n"
        "    Invoke-Native -FilePath 'nssm.exe' -ArgumentList @('remove', 'x')\n}\n"
    )
    flagged = unguarded_changes(parse(sample))
    assert [line.split(" ", 1)[1].split(" ")[0] for line in flagged] == [
        "Remove-Item", "New-Item", "Invoke-Native", "[IO.File]::WriteAllText($Path,"
    ]


def test_an_early_return_guard_counts():
    sample = (
        "function Remove-Thing {\n    [CmdletBinding(SupportsShouldProcess = $true)]\n    param([string]$Path)\n"
        "    if (-not $PSCmdlet.ShouldProcess($Path, 'Remove')) {\n        return\n    }\n"
        "    Remove-Item -LiteralPath $Path\n}\n"
    )
    assert unguarded_changes(parse(sample)) == []
