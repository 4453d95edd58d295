"""Shared pytest configuration: Hypothesis profiles and the ``--update-golden`` option.

Hypothesis profiles, chosen by the ``HYPOTHESIS_PROFILE`` environment variable:

* ``ci``: 200 examples per test, no deadline (CI machines are slow and shared). The
  default when ``CI=true``.
* ``dev``: 100 examples per test. The default otherwise.
* ``fast``: 20 examples per test, for a quick local loop (also chosen by ``FAST=1``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("ci", max_examples=200, deadline=None)
settings.register_profile("dev", max_examples=100)
settings.register_profile("fast", max_examples=20)


def _default_profile() -> str:
    """Pick the Hypothesis profile for this run from the environment.

    Returns:
        ``$HYPOTHESIS_PROFILE`` if set; else ``"fast"`` if ``FAST=1``; else ``"ci"`` if
        ``CI=true``; else ``"dev"``.
    """
    explicit = os.environ.get("HYPOTHESIS_PROFILE")
    if explicit:
        return explicit
    if os.environ.get("FAST") == "1":
        return "fast"
    if os.environ.get("CI", "").lower() == "true":
        return "ci"
    return "dev"


settings.load_profile(_default_profile())


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--update-golden``: rewrite golden files instead of comparing against them."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the expected files under tests/golden/ from the current output "
        "(review the diff like code)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether this run should rewrite golden files (``pytest --update-golden``)."""
    return bool(request.config.getoption("update_golden"))


@pytest.fixture(autouse=True, scope="session")
def _session_eduint_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Point eduint's per-user cache (``eduint._cache``) at a directory of this session.

    The suite then neither reads nor fills the cache in the user's home, and every
    session starts cold once, so both the cache's miss and hit paths run.
    """
    directory = tmp_path_factory.mktemp("eduint-cache")
    directory.chmod(0o700)  # the cache refuses a directory others can read or write
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EDUINT_CACHE_DIR", str(directory))
        mp.delenv("EDUINT_NO_CACHE", raising=False)
        yield directory
