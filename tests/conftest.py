"""Shared pytest configuration: Hypothesis profiles, the ``--update-golden`` option, and a
note of unmarked slow tests.

Hypothesis profiles, chosen by the ``HYPOTHESIS_PROFILE`` environment variable:

* ``ci``: 200 examples per test, no deadline (CI machines are slow and shared), and a
  failure prints the blob that reproduces it (``@reproduce_failure``). ``.ci/run``
  exports ``HYPOTHESIS_PROFILE=ci``; it is also the default when ``CI=true``.
* ``dev``: 100 examples per test. The default otherwise.
* ``fast``: 20 examples per test, for a quick local loop (also chosen by ``FAST=1``).

A test that sets ``max_examples`` itself keeps its own number (the spreadsheet round
trip writes files, so it runs 15).

Tests that take seconds rather than milliseconds are marked ``@pytest.mark.slow``
(pyproject.toml): property tests over generated counties, data files or rule texts,
building a wheel, LibreOffice. ``pytest -m "not slow"`` is the fast set; ``.ci/run`` runs
it on the second Python version and everything on the main one. So that new slow tests
get marked, the end of a run lists the unmarked tests slower than
``EDUINT_SLOW_SECONDS`` (default 2) seconds; the list informs and fails nothing, since
timings on a shared machine vary.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("ci", max_examples=200, deadline=None, print_blob=True)
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


@pytest.fixture(autouse=True)
def _no_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """``eduint check`` fits its tables to ``COLUMNS`` when it is set; the tests (and their
    golden files) see the width of output that is not a terminal, 100 columns, whatever
    the shell running pytest exports."""
    monkeypatch.delenv("COLUMNS", raising=False)


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


# ------------------------------------------------------------------ unmarked slow tests

_SLOW_UNMARKED: list[tuple[float, str]] = []


def _slow_limit() -> float:
    try:
        return float(os.environ.get("EDUINT_SLOW_SECONDS", "2"))
    except ValueError:
        return 2.0


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Note a passing test that is not marked slow but took longer than the limit."""
    if report.when == "call" and report.passed and "slow" not in report.keywords:
        if report.duration > _slow_limit():
            _SLOW_UNMARKED.append((report.duration, report.nodeid))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """List the unmarked slow tests, slowest first (nothing when there are none)."""
    if not _SLOW_UNMARKED:
        return
    terminalreporter.section(f"tests slower than {_slow_limit():g} s not marked slow")
    for duration, nodeid in sorted(_SLOW_UNMARKED, reverse=True):
        terminalreporter.write_line(f"{duration:6.2f}s  {nodeid}")
    terminalreporter.write_line('mark them @pytest.mark.slow (deselected by -m "not slow")')

# A provincial author's test files, some broken on purpose (tests/test_authoring_fixes.py
# runs them through the CLI): not collected by eduint's pytest plugin.
collect_ignore_glob = ["authoring/pa/*"]
