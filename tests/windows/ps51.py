"""What Windows PowerShell 5.1 (the PowerShell every Windows Server has) cannot run, found in a syntax tree.

PowerShell 7 added `??`, `?.`, the ternary `a ? b : c`, pipeline chains `a && b`, `ForEach-Object
-Parallel` and a few parameters; 5.1 refuses them at parse time or at the call. Under `Set-StrictMode
-Version Latest` reading `$IsWindows` (a 6+ variable) throws. A `using` statement must come first. And
5.1 passes a native argument holding a double quote without escaping it, so the program gets it split.
"""

from __future__ import annotations

from tree_sitter import Node, Tree

from tests.windows.powershell_ast import array_values, commands, string_value, syntax_errors, text, walk, where

PS7_OPERATORS = frozenset({"??", "??=", "?.", "?[", "&&", "||"})
PS6_VARIABLES = frozenset({"$iswindows", "$islinux", "$ismacos", "$iscoreclr"})
PS6_COMMANDS = frozenset({"test-json", "get-error", "remove-service", "join-string", "get-uptime"})
# cmdlet -> parameters it only has from PowerShell 6 on
PS6_PARAMETERS = {
    "foreach-object": {"-parallel", "-throttlelimit", "-asjob"},
    "convertfrom-json": {"-ashashtable", "-depth", "-noenumerate"},
    "convertto-json": {"-asarray", "-enumsasstrings", "-escapehandling"},
    "join-path": {"-additionalchildpath"},
    "get-content": {"-asbytestream"},
    "set-content": {"-asbytestream"},
    "invoke-webrequest": {"-skiphttperrorcheck", "-skipcertificatecheck", "-statuscodevariable"},
    "invoke-restmethod": {"-skiphttperrorcheck", "-skipcertificatecheck", "-statuscodevariable"},
    "select-object": {"-skipindex"},
    "get-childitem": {"-followsymlink"},
}
PS6_ENCODINGS = frozenset({"utf8nobom", "utf8bom"})
# Functions of scripts/windows/common.ps1 whose array argument becomes a native program's command line.
NATIVE_ARGUMENT_PARAMETERS = {"invoke-native": "ArgumentList", "invoke-nssm": "NssmArguments",
                              "invoke-roa2web": "CliArguments"}


def _inside(node: Node, types: tuple[str, ...]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.type in types:
            return True
        parent = parent.parent
    return False


def _operator_problems(tree: Tree) -> list[str]:
    problems = []
    for node in walk(tree.root_node):
        if node.type == "pipeline_chain_tail":
            problems.append(f"{where(node)} pipeline chain {text(node)!r} (PowerShell 7): use if ($LASTEXITCODE ...)")
        elif node.type == "variable" and text(node).lower() in PS6_VARIABLES:
            problems.append(f"{where(node)} {text(node)} does not exist in 5.1 (StrictMode throws on it)")
        elif node.child_count == 0 and node.type != "command_name" and not _inside(node, ("string_literal", "comment")):
            token = text(node).strip()
            if token in PS7_OPERATORS - {"&&", "||"} or token == "?":
                problems.append(f"{where(node)} operator {token!r} (PowerShell 7: ??, ?., ternary)")
    return problems


def _command_problems(tree: Tree) -> list[str]:
    problems = []
    first_statement_seen = False
    for command in commands(tree):
        name = command.name.lower()
        if name == "using":
            if first_statement_seen:
                problems.append(f"{where(command.node)} `using` after other statements (5.1 refuses it)")
            continue
        first_statement_seen = True
        if name in PS6_COMMANDS:
            problems.append(f"{where(command.node)} {command.name} is not in Windows PowerShell 5.1")
        parameters = [text(element).lower().split(":")[0] for element in command.elements
                      if element.type == "command_parameter"]
        for parameter in parameters:
            if parameter in PS6_PARAMETERS.get(name, set()):
                problems.append(f"{where(command.node)} {command.name} {parameter} needs PowerShell 6+")
        encoding = command.argument_after("Encoding")
        if encoding is not None and (string_value(encoding) or text(encoding)).lower() in PS6_ENCODINGS:
            problems.append(f"{where(command.node)} -Encoding {text(encoding)} needs PowerShell 6+")
        if name in ("invoke-webrequest", "iwr") and "-usebasicparsing" not in parameters:
            problems.append(f"{where(command.node)} Invoke-WebRequest needs -UseBasicParsing on Server Core (5.1)")
        if name == "join-path":
            positional = [element for element in command.elements if element.type != "command_parameter"]
            named = [element for element in command.elements if element.type == "command_parameter"]
            if len(positional) > 2 and not named:
                problems.append(f"{where(command.node)} Join-Path with more than two parts needs PowerShell 6+")
        parameter = NATIVE_ARGUMENT_PARAMETERS.get(name)
        argument = command.argument_after(parameter) if parameter else None
        if argument is not None:
            for value in array_values(argument) or []:
                if '"' in value:
                    problems.append(f"{where(command.node)} native argument {value!r} holds a double quote, "
                                    "which 5.1 passes unescaped")
    return problems


def ps51_problems(tree: Tree) -> list[str]:
    """Every construct of a script that Windows PowerShell 5.1 cannot run, one line each."""
    return syntax_errors(tree) + _operator_problems(tree) + _command_problems(tree)
