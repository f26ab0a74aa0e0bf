"""The code runs on Windows: no fork, POSIX-only signals or paths, process workers or uvloop (DESIGN.md §11).

`tests/windows/windows_safe.py` reads roa2web/ and scripts/ with `ast`; each rule is first shown to
catch a small bad sample (and to let its guarded form pass), so a pass over the code means something.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.windows.windows_safe import check_files, check_source

ROOT = Path(__file__).resolve().parents[2]


def rules(source: str) -> list[str]:
    return [finding.rule for finding in check_source(textwrap.dedent(source))]


@pytest.mark.parametrize(("bad", "rule"), [
    ("import os\nos.fork()\n", "posix-os"),
    ("import os\nos.setsid()\n", "posix-os"),
    ("import os as system\nuid = system.getuid()\n", "posix-os"),
    ("from os import forkpty\n", "posix-os"),
    ("import os\nos.killpg(1, 2)\n", "posix-os"),
    ("import fcntl\n", "posix-module"),
    ("import pwd\n", "posix-module"),
    ("import resource\n", "posix-module"),
    ("import multiprocessing\n", "process-workers"),
    ("from multiprocessing import Pool\n", "process-workers"),
    ("from concurrent.futures import ProcessPoolExecutor\n", "process-workers"),
    ("import concurrent.futures\nconcurrent.futures.ProcessPoolExecutor()\n", "process-workers"),
    ("Consumer(huey, workers=2, worker_type='process')\n", "process-workers"),
    ("loop.add_signal_handler(signal.SIGTERM, stop)\n", "add-signal-handler"),
    ("try:\n    loop.add_signal_handler(2, stop)\nexcept ValueError:\n    pass\n", "add-signal-handler"),
    ("import signal\nsignal.signal(signal.SIGHUP, reload)\n", "posix-signal"),
    ("import signal\nos.kill(pid, signal.SIGKILL)\n", "posix-signal"),
    ("import signal\nsignal.signal(signal.SIGUSR1, dump)\n", "posix-signal"),
    ("from signal import SIGQUIT\n", "posix-signal"),
    ("import signal\nsignal.signal(signal.SIGBREAK, stop)\n", "posix-signal"),  # Windows-only: absent on Linux
    ("import signal\nsignal.alarm(5)\n", "posix-signal"),
    ("scratch = '/tmp/roa2web'\n", "posix-path"),
    ("open('/dev/null', 'w')\n", "posix-path"),
    ("LOG = Path('/var/log/roa2web.log')\n", "posix-path"),
    ("CONF = '/etc/roa2web/.env'\n", "posix-path"),
    ("PY = f'/usr/bin/python{version}'\n", "posix-path"),
    ("import uvloop\n", "uvloop"),
    ("from uvloop import EventLoopPolicy\n", "uvloop"),
    ("Config.from_mapping(worker_class='uvloop')\n", "uvloop"),
])
def test_each_rule_catches_its_bad_sample(bad: str, rule: str):
    assert rules(bad) == [rule]


@pytest.mark.parametrize("good", [
    "import os\nif hasattr(os, 'fork'):\n    os.fork()\n",
    "import os, sys\nif sys.platform != 'win32':\n    os.setsid()\n",
    "import os\ntry:\n    uid = os.getuid()\nexcept AttributeError:\n    uid = None\n",
    "try:\n    import fcntl\nexcept ImportError:\n    fcntl = None\n",
    "from concurrent.futures import ThreadPoolExecutor\n",
    "Consumer(huey, workers=2, worker_type='thread')\n",
    "try:\n    loop.add_signal_handler(2, stop)\nexcept NotImplementedError:\n    signal.signal(2, handler)\n",
    "import signal\nsignal.signal(signal.SIGINT, stop)\nsignal.signal(signal.SIGTERM, stop)\n",
    "import signal\nfor name in ('SIGINT', 'SIGTERM', 'SIGBREAK'):\n"
    "    if hasattr(signal, name):\n        signal.signal(getattr(signal, name), stop)\n",
    "import signal\nif hasattr(signal, 'SIGHUP'):\n    signal.signal(signal.SIGHUP, reload)\n",
    "import signal\nhup = hasattr(signal, 'SIGHUP') and signal.SIGHUP\n",
    "import signal\nsignal.signal(signal.SIGINT, signal.SIG_DFL)\n",
    "def scratch():\n    '''Writes under /tmp on Linux: tempfile decides.'''\n",
    "ROUTE = '/api/reports/dashboard'\n",
    "STATIC = '/assets/app.js'\n",
    "LINUX = '/usr/share/fonts'  # windows-safe: tried only when present\n",
])
def test_the_guarded_or_portable_form_passes(good: str):
    assert rules(good) == []


def test_a_pragma_without_a_reason_keeps_nothing():
    assert rules("scratch = '/tmp/x'  # windows-safe:\n") == ["posix-path"]


def test_roa2web_and_scripts_are_windows_safe():
    paths = sorted((ROOT / "roa2web").rglob("*.py")) + sorted((ROOT / "scripts").rglob("*.py"))
    assert len(paths) > 100  # the whole package, not an empty glob
    findings = check_files(paths, ROOT)
    assert not findings, "\n".join(str(finding) for finding in findings)
