"""The Windows scripts (scripts/windows/*.ps1) as syntax trees, parsed by tree-sitter's PowerShell grammar.

No PowerShell runs on this machine, so the tests read the scripts: syntax errors, constructs Windows
PowerShell 5.1 lacks, the `roa2web` and `nssm` command lines they build, and their -WhatIf guards.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import tree_sitter_powershell
from tree_sitter import Language, Node, Parser, Tree

SCRIPTS_DIR = Path(__file__).resolve().parents[2] / "scripts" / "windows"
PLACEHOLDER_PATH = r"C:\ROA2WEB\placeholder"


def script_paths() -> list[Path]:
    """Every PowerShell file shipped in scripts/windows."""
    return sorted(SCRIPTS_DIR.glob("*.ps1"))


@cache
def _parser() -> Parser:
    return Parser(Language(tree_sitter_powershell.language()))


def parse(source: str | bytes) -> Tree:
    """The syntax tree of a script's text."""
    return _parser().parse(source.encode("utf-8") if isinstance(source, str) else source)


@cache
def parse_file(path: Path) -> Tree:
    """The syntax tree of a script file (cached: the tests share it)."""
    return parse(path.read_bytes())


def walk(node: Node) -> Iterator[Node]:
    """The node and all its descendants, depth first, in source order."""
    yield node
    for child in node.children:
        yield from walk(child)


def text(node: Node) -> str:
    """The source text of a node."""
    return (node.text or b"").decode("utf-8")


def where(node: Node) -> str:
    """`line:column` (1-based) of a node, for messages."""
    return f"{node.start_point[0] + 1}:{node.start_point[1] + 1}"


def syntax_errors(tree: Tree) -> list[str]:
    """Every ERROR or MISSING node, as `line:col type 'text'`."""
    return [
        f"{where(node)} {'MISSING' if node.is_missing else 'ERROR'} {text(node)[:60]!r}"
        for node in walk(tree.root_node)
        if node.is_error or node.is_missing
    ]


@dataclass(frozen=True)
class Command:
    """One command invocation: its name and its elements (parameters and arguments, in order)."""

    node: Node
    name: str
    elements: tuple[Node, ...]

    def argument_after(self, parameter: str) -> Node | None:
        """The argument node that follows `-parameter` (case-insensitive), or None."""
        for index, element in enumerate(self.elements):
            if element.type == "command_parameter" and text(element).lower() == f"-{parameter.lower()}":
                return self.elements[index + 1] if index + 1 < len(self.elements) else None
        return None

    def has_switch(self, parameter: str, value: str) -> bool:
        """Whether the command says `-parameter:value` (e.g. `-WhatIf:$false`)."""
        return f"-{parameter}:{value}".lower() in text(self.node).lower()


def commands(tree: Tree) -> Iterator[Command]:
    """Every command invocation of a script (cmdlets, functions, native programs)."""
    for node in walk(tree.root_node):
        if node.type != "command":
            continue
        name = node.child_by_field_name("command_name")
        elements_node = node.child_by_field_name("command_elements")
        elements = tuple(
            child
            for child in (elements_node.named_children if elements_node else [])
            if child.type != "command_argument_sep"
        )
        yield Command(node, text(name) if name else "", elements)


def _unwrap(node: Node) -> Node:
    """The innermost node of a chain of single-child wrappers (expressions nest deeply in this grammar)."""
    while node.named_child_count == 1 and node.type not in ("string_literal", "variable", "array_expression"):
        node = node.named_children[0]
    return node


def _array_items(array: Node) -> list[Node]:
    """The elements of `@( a, b, c )`: the nodes between its commas."""
    body = [child for child in walk(array) if child.type == "array_literal_expression"]
    if not body:
        return []
    outer = body[0]
    items: list[Node] = []
    stack = [outer]
    while stack:  # `a, b, c` nests as (a, (b, c)) or flat, depending on the grammar's version
        current = stack.pop(0)
        parts = [child for child in current.named_children]
        if current.type == "array_literal_expression" and len(parts) > 1:
            stack = parts + stack
        else:
            items.append(current)
    return items


def string_value(node: Node) -> str | None:
    """The value of a string literal ('…' or "…" without interpolation), or None for anything else."""
    inner = _unwrap(node)
    if inner.type == "string_literal":
        inner = inner.named_children[0] if inner.named_children else inner
    raw = text(inner)
    if inner.type == "verbatim_string_characters" and raw.startswith("'"):
        return raw[1:-1].replace("''", "'")
    if inner.type == "expandable_string_literal" and "$" not in raw and "`" not in raw:
        return raw[1:-1]
    return None


def array_values(node: Node, placeholder: str = PLACEHOLDER_PATH) -> list[str] | None:
    """The strings of an array literal `@(...)`; a variable or expression element becomes `placeholder`
    (a variable whose name says port becomes 8000). None when the node is not an array literal."""
    array = _unwrap(node)
    if array.type == "parenthesized_expression":
        array = _unwrap(array.named_children[0])
    if array.type == "additive_expression":  # `@('set', $name) + $values`: the literal part, then the rest
        first, *rest = array.named_children
        head = array_values(first, placeholder)
        return None if head is None else head + [placeholder] * len(rest)
    if array.type != "array_expression":
        return None
    values: list[str] = []
    for item in _array_items(array):
        value = string_value(item)
        if value is None:
            name = text(_unwrap(item)).lower()
            value = "8000" if name.startswith("$") and "port" in name else placeholder
        values.append(value)
    return values


def enclosing(node: Node, node_type: str) -> Iterator[Node]:
    """The ancestors of `node` of one type, innermost first."""
    parent = node.parent
    while parent is not None:
        if parent.type == node_type:
            yield parent
        parent = parent.parent


def function_name(node: Node) -> str | None:
    """The name of the function a node is written in, or None at script level."""
    for function in enclosing(node, "function_statement"):
        name = function.child_by_field_name("function_name") or next(
            (child for child in function.children if child.type == "function_name"), None
        )
        return text(name) if name else None
    return None


def functions(tree: Tree) -> dict[str, Node]:
    """The functions a script defines, by name."""
    found: dict[str, Node] = {}
    for node in walk(tree.root_node):
        if node.type == "function_statement":
            name = next((child for child in node.children if child.type == "function_name"), None)
            if name is not None:
                found[text(name)] = node
    return found
