"""eduint's pytest plugin: rule-test files (``*.tests.yaml``) run as pytest items.

Registered by the ``pytest11`` entry point ``eduint`` (``pyproject.toml``), so
``pytest rules/provinces/`` runs each case of each test file as one test, with the
failure text ``eduint test`` prints.  Importing it needs neither hypothesis nor
anything else beyond eduint's own dependencies; eduint is imported only when a test
file is collected.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

__all__ = ["RuleTestFile", "RuleTestItem", "pytest_collect_file"]

_SUFFIX = ".tests.yaml"


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
