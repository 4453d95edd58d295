"""eduint's pytest plugin: rule-test files (``*.tests.yaml``) run as pytest items.

Registered by the ``pytest11`` entry point ``eduint`` (``pyproject.toml``), so
``pytest rules/provinces/`` runs each case of each test file as one test, with the
failure text ``eduint test`` prints.  Importing it needs neither hypothesis nor
anything else beyond eduint's own dependencies; eduint is imported only when a test
file is collected.

It also adds ``--eduint-profile=ci|thorough``, the Hypothesis settings for property
tests of policy logic (:mod:`eduint.testing`): ``ci`` (50 examples, no deadline,
derandomized: the same examples on every run, so a CI failure reproduces) and
``thorough`` (2000 examples, no deadline), loaded after ``conftest.py`` so they win.
Hypothesis is imported only when the option is given.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

__all__ = [
    "PROFILES",
    "RuleTestFile",
    "RuleTestItem",
    "pytest_addoption",
    "pytest_collect_file",
    "pytest_configure",
]

_SUFFIX = ".tests.yaml"

#: ``--eduint-profile`` name → Hypothesis settings (registered as ``eduint-NAME``).
PROFILES: dict[str, dict[str, Any]] = {
    "ci": {"max_examples": 50, "deadline": None, "derandomize": True, "print_blob": True},
    "thorough": {"max_examples": 2000, "deadline": None},
}


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--eduint-profile``."""
    parser.addoption(
        "--eduint-profile",
        choices=sorted(PROFILES),
        default=None,
        help="Hypothesis settings for eduint.testing's property tests: "
        "ci (50 examples, derandomized) or thorough (2000 examples)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Load the Hypothesis profile ``--eduint-profile`` names, if any."""
    name = config.getoption("--eduint-profile", default=None)
    if not name:
        return
    from hypothesis import HealthCheck, settings

    settings.register_profile(
        f"eduint-{name}", suppress_health_check=[HealthCheck.too_slow], **PROFILES[name]
    )
    settings.load_profile(f"eduint-{name}")


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    """Collect ``NAME.tests.yaml`` files."""
    if file_path.name.endswith(_SUFFIX):
        return RuleTestFile.from_parent(parent, path=file_path)
    return None


class RuleTestFile(pytest.File):
    """A rule-test file: one item per case."""

    def collect(self) -> Iterator[pytest.Item]:
        """Read the file and check its rule set once; yield its cases."""
        from eduint.authoring.cases import load_test_file
        from eduint.authoring.runner import counties_of, load_rules

        test = load_test_file(self.path)
        ruleset = load_rules(test)
        for case, county in zip(test.cases, counties_of(test), strict=True):
            yield RuleTestItem.from_parent(
                self, name=case.name, case=case, ruleset=ruleset, county=county
            )


class RuleTestItem(pytest.Item):
    """One case of a rule-test file."""

    def __init__(self, *, case: Any, ruleset: Any, county: Any, **kw: Any) -> None:
        super().__init__(**kw)
        self.case = case
        self.ruleset = ruleset
        self.county = county

    def runtest(self) -> None:
        """Evaluate the case; fail with every expectation not met."""
        from eduint.authoring.runner import check_case

        failures = check_case(self.ruleset, self.case, self.county)
        if failures:
            raise RuleTestFailure(failures)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        """The failures as ``eduint test`` prints them."""
        if isinstance(excinfo.value, RuleTestFailure):
            return "\n".join(excinfo.value.failures)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Where the case is: the test file and the case's line."""
        line = self.case.line - 1 if self.case.line else None
        return self.path, line, f"case: {self.name}"


class RuleTestFailure(Exception):
    """A case whose expectations did not all hold."""

    def __init__(self, failures: tuple[str, ...]) -> None:
        super().__init__("\n".join(failures))
        self.failures = failures
