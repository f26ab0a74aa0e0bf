"""The offline bundles the deploy tests read: built once per session by scripts/build-bundle.sh, unpacked.

Building needs the package index (PyPI on CI); pip's and uv's caches make a second build cheap.
"""

from __future__ import annotations

import pytest

from tests.deploy.bundles import Bundle, build


@pytest.fixture(scope="session")
def windows_bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    """The win_amd64 bundle with every extra."""
    return build("win_amd64", tmp_path_factory.mktemp("bundle-win"))


@pytest.fixture(scope="session")
def linux_bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    """The bundle for this Linux machine with every extra (the one the install test installs)."""
    return build("linux", tmp_path_factory.mktemp("bundle-linux"))
