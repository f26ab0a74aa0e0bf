"""The offline bundles the deploy tests read: built once per test run by scripts/build-bundle.sh, unpacked.

Building needs the package index (PyPI on CI); pip's and uv's caches make a second build cheap.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.deploy.bundles import Bundle, build_once


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This run's temporary folder: under pytest-xdist the one above each worker's own, which all of them share."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def windows_bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    """The win_amd64 bundle with every extra."""
    return build_once("win_amd64", run_folder(tmp_path_factory))


@pytest.fixture(scope="session")
def linux_bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    """The bundle for this Linux machine with every extra (the one the install test installs)."""
    return build_once("linux", run_folder(tmp_path_factory))
