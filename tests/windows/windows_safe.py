"""An `ast` check for what runs on Linux but fails on Windows (DESIGN.md §11): one rule per mistake.

Rules (each a `Finding.rule`):
- posix-os: `os.fork`, `os.setsid`, `os.getuid` and the other POSIX-only functions of `os`;
- posix-module: importing a POSIX-only module (`fcntl`, `pwd`, `resource`, `termios`, ...);
- process-workers: `multiprocessing`, `ProcessPoolExecutor`, a Huey consumer with `worker_type` other
  than "thread" (the queue's state, caches and OCR engines live in this one process);
- add-signal-handler: `loop.add_signal_handler` outside a `try` that catches `NotImplementedError`
  (the Windows event loops do not implement it);
- posix-signal: a signal other than SIGINT, SIGTERM, SIGABRT, SIGFPE, SIGILL, SIGSEGV (SIGHUP, SIGKILL,
  SIGUSR1, ...; also Windows' own SIGBREAK and CTRL_* events, absent on Linux), or a POSIX-only function
  of `signal` (`alarm`, `setitimer`, ...), unless behind `hasattr`/`getattr`/`sys.platform`/`os.name`
  (in an `if`, a conditional expression or an `and`) or inside a `try` that catches AttributeError;
- posix-path: a string literal that is a POSIX absolute path (`/tmp`, `/var/...`, `/etc/...`,
  `/dev/null`, `/usr/...`; docstrings aside): use `tempfile`, `os.devnull`, the settings' folders;
- uvloop: importing uvloop or asking Hypercorn for it (`worker_class="uvloop"`): no uvloop on Windows.

A line may carry `# windows-safe: <why>` to keep a finding on purpose (the reason is required).
The same guards that make posix-os and posix-module safe: `hasattr`/`sys.platform`/`os.name` tests,
or a `try` catching AttributeError (posix-os) or ImportError (posix-module).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

POSIX_OS = frozenset({
    "fork", "forkpty", "register_at_fork", "setsid", "getsid", "setpgid", "getpgid", "setpgrp", "getpgrp",
    "getuid", "geteuid", "getgid", "getegid", "setuid", "seteuid", "setgid", "setegid", "setreuid", "setregid",
    "getresuid", "getresgid", "getgroups", "setgroups", "initgroups", "getlogin_r", "chown", "lchown", "fchown",
    "chroot", "mkfifo", "mknod", "nice", "killpg", "wait", "wait3", "wait4", "waitid", "getloadavg", "uname",
    "sync", "pipe2", "posix_spawn", "posix_spawnp", "statvfs", "fstatvfs", "sched_setaffinity", "sched_setscheduler",
    "sched_getscheduler",
    "sched_getaffinity", "openpty", "getpriority", "setpriority", "ttyname", "ctermid", "sysconf", "pathconf",
    "fpathconf", "confstr", "lockf", "posix_fadvise", "posix_fallocate", "sendfile",
})
POSIX_MODULES = frozenset({"fcntl", "termios", "tty", "pty", "resource", "pwd", "grp", "spwd", "posix", "crypt",
                           "syslog", "nis", "readline"})
PORTABLE_SIGNALS = frozenset({"SIGINT", "SIGTERM", "SIGABRT", "SIGFPE", "SIGILL", "SIGSEGV"})
POSIX_SIGNAL_FUNCTIONS = frozenset({"alarm", "pause", "setitimer", "getitimer", "siginterrupt", "pthread_kill",
                                    "pthread_sigmask", "sigpending", "sigwait", "sigwaitinfo", "sigtimedwait"})
POSIX_PATH = re.compile(r"^/(tmp|var|etc|dev|usr|opt|home|proc|run|srv|bin|sbin|lib|mnt|root|sys)(/|$)")
PRAGMA = re.compile(r"#\s*windows-safe:\s*(\S.*)$")


@dataclass(frozen=True)
class Finding:
    """One use of something Windows lacks."""

    path: str
    line: int
    rule: str
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: [{self.rule}] {self.what}"


def _names(node: ast.expr | None) -> set[str]:
    """Exception class names an `except` clause catches."""
    if node is None:
        return {"BaseException"}
    if isinstance(node, ast.Tuple):
        return set().union(*(_names(element) for element in node.elts))
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, ast.Attribute):
        return {node.attr}
    return set()


def _is_platform_test(node: ast.AST) -> bool:
    """Whether an expression asks what the platform has: hasattr/getattr, sys.platform, os.name."""
    for inner in ast.walk(node):
        if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id in {"hasattr", "getattr"}:
            return True
        if isinstance(inner, ast.Attribute) and (inner.attr, getattr(inner.value, "id", None)) in {
                ("platform", "sys"), ("name", "os")}:
            return True
    return False


class _Checker(ast.NodeVisitor):
    def __init__(self, path: str, tree: ast.Module) -> None:
        self.path = path
        self.findings: list[Finding] = []
        self.parents: dict[ast.AST, ast.AST] = {child: parent for parent in ast.walk(tree)
                                               for child in ast.iter_child_nodes(parent)}
        self.docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                           if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                           and node.body and isinstance(node.body[0], ast.Expr)
                           and isinstance(node.body[0].value, ast.Constant)}
        self.aliases: dict[str, str] = {}  # local name -> module (import signal as sig)

    def _ancestors(self, node: ast.AST) -> Iterator[tuple[ast.AST, ast.AST]]:
        """(ancestor, the child of it on the way to `node`), nearest first."""
        child = node
        while child in self.parents:
            parent = self.parents[child]
            yield parent, child
            child = parent

    def _guarded(self, node: ast.AST, catches: set[str]) -> bool:
        for parent, child in self._ancestors(node):
            if isinstance(parent, ast.If | ast.IfExp | ast.While) and child is not parent.test \
                    and _is_platform_test(parent.test):
                return True
            if isinstance(parent, ast.BoolOp) and isinstance(parent.op, ast.And):
                earlier = parent.values[: parent.values.index(child)] if child in parent.values else []
                if any(_is_platform_test(value) for value in earlier):
                    return True
            if isinstance(parent, ast.Try) and child in parent.body and any(
                    _names(handler.type) & catches for handler in parent.handlers):
                return True
        return False

    def _add(self, node: ast.AST, rule: str, what: str) -> None:
        self.findings.append(Finding(self.path, getattr(node, "lineno", 0), rule, what))

    def _module(self, name: ast.expr) -> str | None:
        return self.aliases.get(name.id, name.id) if isinstance(name, ast.Name) else None

    # --- imports
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.aliases[alias.asname or alias.name.split(".")[0]] = alias.name
            self._imported(node, alias.name, None)
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        for alias in node.names:
            self._imported(node, module, alias.name)
        self.generic_visit(node)

    def _imported(self, node: ast.stmt, module: str, name: str | None) -> None:
        top = module.split(".")[0]
        if top == "uvloop":
            self._add(node, "uvloop", "uvloop does not exist on Windows")
        elif top == "multiprocessing" or name == "ProcessPoolExecutor":
            self._add(node, "process-workers", f"{name or module}: process workers; use threads in this process")
        elif top in POSIX_MODULES and not self._guarded(node, {"ImportError", "ModuleNotFoundError"}):
            self._add(node, "posix-module", f"`{module}` exists only on POSIX")
        elif top == "os" and name in POSIX_OS and not self._guarded(node, {"AttributeError", "ImportError"}):
            self._add(node, "posix-os", f"os.{name} exists only on POSIX")
        elif top == "signal" and name is not None:
            self._signal_name(node, name)

    # --- attributes and calls
    def visit_Attribute(self, node: ast.Attribute) -> None:
        module = self._module(node.value)
        if module == "os" and node.attr in POSIX_OS and not self._guarded(node, {"AttributeError"}):
            self._add(node, "posix-os", f"os.{node.attr} exists only on POSIX")
        elif module == "signal":
            self._signal_name(node, node.attr)
        elif node.attr == "ProcessPoolExecutor":
            self._add(node, "process-workers", "ProcessPoolExecutor: process workers; use threads in this process")
        self.generic_visit(node)

    def _signal_name(self, node: ast.AST, name: str) -> None:
        unportable = (name.startswith(("SIG", "CTRL_")) and not name.startswith("SIG_")
                      and name not in PORTABLE_SIGNALS) or name in POSIX_SIGNAL_FUNCTIONS
        if unportable and not self._guarded(node, {"AttributeError"}):
            self._add(node, "posix-signal", f"signal.{name} is not on every platform: guard it with hasattr/getattr")

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Attribute) and node.func.attr == "add_signal_handler" \
                and not self._guarded_by_try(node, "NotImplementedError"):
            self._add(node, "add-signal-handler",
                      "loop.add_signal_handler without a `try` catching NotImplementedError (Windows lacks it)")
        for keyword in node.keywords:
            value = keyword.value.value if isinstance(keyword.value, ast.Constant) else None
            if keyword.arg == "worker_type" and value not in (None, "thread"):
                self._add(node, "process-workers", f'worker_type="{value}": use "thread"')
            if keyword.arg == "worker_class" and value == "uvloop":
                self._add(node, "uvloop", 'worker_class="uvloop": uvloop does not exist on Windows')
        self.generic_visit(node)

    def _guarded_by_try(self, node: ast.AST, exception: str) -> bool:
        return any(isinstance(parent, ast.Try) and child in parent.body
                   and any(exception in _names(handler.type) for handler in parent.handlers)
                   for parent, child in self._ancestors(node))

    # --- literals
    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and id(node) not in self.docstrings and POSIX_PATH.match(node.value):
            self._add(node, "posix-path", f"{node.value!r} is a POSIX path: use tempfile, os.devnull or settings")


def check_source(source: str, path: str = "<source>") -> list[Finding]:
    """Every finding in `source`, less the lines that keep theirs with `# windows-safe: <why>`."""
    tree = ast.parse(source, filename=path)
    checker = _Checker(path, tree)
    checker.visit(tree)
    lines = source.splitlines()
    return [finding for finding in checker.findings
            if not (0 < finding.line <= len(lines) and PRAGMA.search(lines[finding.line - 1]))]


def check_files(paths: list[Path], root: Path) -> list[Finding]:
    """Every finding in `paths`, named relative to `root`."""
    findings: list[Finding] = []
    for path in paths:
        findings += check_source(path.read_text(encoding="utf-8"), path.relative_to(root).as_posix())
    return findings
