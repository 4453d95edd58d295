"""eduint's pytest plugin: rule-test files (``*.tests.yaml``) run as pytest items.

Registered by the ``pytest11`` entry point ``eduint`` (``pyproject.toml``), so
``pytest rules/provinces/`` runs each case of each test file as one test, with the
failure text ``eduint test`` prints, in Chinese unless ``--eduint-lang=en`` (or the
ini option ``eduint_lang = en``) says English.

A test file that cannot be read (bad YAML, an unknown key, a rule file that does not
check) is one failing item named ``load`` whose failure is eduint's ``file:line``
message, without a traceback: a pytest collection error would stop the whole run
(``Interrupted: 1 error during collection``), and one author's typo must not keep the
other files' cases from running.

Importing it needs neither hypothesis nor anything else beyond eduint's own
dependencies; eduint is imported only when a test file is collected.

It also adds ``--eduint-profile=ci|thorough``, the Hypothesis settings for property
tests of policy logic (:mod:`eduint.testing`): ``ci`` (50 examples, no deadline,
derandomized: the same examples on every run, so a CI failure reproduces) and
``thorough`` (2000 examples, no deadline), loaded after ``conftest.py`` so they win.
Hypothesis is imported only when the option is given.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

__all__ = [
    "PROFILES",
    "RuleTestFile",
    "RuleTestItem",
    "RuleTestLoadError",
    "pytest_addoption",
    "pytest_collect_file",
    "pytest_configure",
]

_SUFFIX = ".tests.yaml"
_LANGS = ("zh", "en")


def pytest_addoption(parser: pytest.Parser) -> None:
    """The plugin's options: the language of failure texts and the Hypothesis profile."""
    group = parser.getgroup("eduint", "eduint rule tests (*.tests.yaml)")
    group.addoption(
        "--eduint-lang",
        dest="eduint_lang",
        choices=_LANGS,
        default=None,
        help="language of rule-test failures: zh (default) or en",
    )
    parser.addini("eduint_lang", "language of rule-test failures: zh (default) or en", default="zh")
    group.addoption(
        "--eduint-profile",
        choices=sorted(PROFILES),
        default=None,
        help="Hypothesis settings for eduint.testing's property tests: "
        "ci (50 examples, derandomized) or thorough (2000 examples)",
    )


def _lang(config: pytest.Config) -> str:
    """``--eduint-lang``, else the ``eduint_lang`` ini value; ``zh`` unless ``en``."""
    chosen = config.getoption("eduint_lang", None) or config.getini("eduint_lang")
    return "en" if str(chosen).strip().lower() == "en" else "zh"


def _where(config: pytest.Config, path: Path, line: int | None) -> str:
    """``path:line``, the path relative to the run's root directory when inside it."""
    try:
        shown = os.path.relpath(path, config.rootpath)
    except ValueError:  # another drive (Windows)
        shown = str(path)
    if shown.startswith(".."):
        shown = str(path)
    return f"{shown}:{line}" if line else shown


#: ``--eduint-profile`` name → Hypothesis settings (registered as ``eduint-NAME``).
PROFILES: dict[str, dict[str, Any]] = {
    "ci": {"max_examples": 50, "deadline": None, "derandomize": True, "print_blob": True},
    "thorough": {"max_examples": 2000, "deadline": None},
}


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
    """A rule-test file: one item per case (one ``load`` item if it cannot be read)."""

    def collect(self) -> Iterator[pytest.Item]:
        """Read the file and check its rule set once; yield its cases."""
        from eduint.authoring.cases import AuthoringError, load_test_file
        from eduint.authoring.runner import rules_of

        try:
            test = load_test_file(self.path)
            ruleset = rules_of(test)
        except AuthoringError as exc:
            yield RuleTestLoadError.from_parent(self, name="load", error=exc)
            return
        for case in test.cases:
            yield RuleTestItem.from_parent(
                self, name=case.name, case=case, ruleset=ruleset, test=test
            )


class RuleTestItem(pytest.Item):
    """One case of a rule-test file."""

    def __init__(self, *, case: Any, ruleset: Any, test: Any, **kw: Any) -> None:
        super().__init__(**kw)
        self.case = case
        self.ruleset = ruleset
        self.test = test

    def runtest(self) -> None:
        """Evaluate the case; fail with every expectation not met, each under its line."""
        from eduint.authoring.runner import check_expectations, data_typos

        lang = _lang(self.config)
        county, typos = data_typos(self.case, self.test, lang)
        lines = [f"    {t}" for t in typos]
        for exp, texts in check_expectations(self.ruleset, self.case, county, lang):
            line = getattr(exp, "line", None) or self.case.line
            sep = ": " if lang == "en" else "："
            lines.append(f"    {_where(self.config, self.path, line)}{sep}{texts[0]}")
            lines += [f"    {t}" for t in texts[1:]]
        if lines:
            raise RuleTestFailure(tuple(lines))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        """The failures as ``eduint test`` prints them, under the case's ``file:line``."""
        from eduint.authoring.messages import msg

        if isinstance(excinfo.value, RuleTestFailure):
            where = _where(self.config, self.path, self.case.line)
            head = msg("case_failed", _lang(self.config), name=self.name, where=where).strip()
            return "\n".join((head, *excinfo.value.failures))
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Where the case is: the test file and the case's line (the failure's header)."""
        line = self.case.line - 1 if self.case.line else None
        return self.path, line, f"{_where(self.config, self.path, self.case.line)} {self.name}"


class RuleTestLoadError(pytest.Item):
    """A test file that cannot be read or whose rule file does not check: fails with
    eduint's ``file:line`` message (see the module's docstring for why not a
    collection error)."""

    def __init__(self, *, error: Any, **kw: Any) -> None:
        super().__init__(**kw)
        self.error = error

    def runtest(self) -> None:
        """Fail with the error."""
        raise self.error

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        """The error in the run's language, without a traceback."""
        text = getattr(excinfo.value, "text", None)
        return str(text(_lang(self.config))) if callable(text) else str(excinfo.value)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """The test file."""
        return self.path, None, _where(self.config, self.path, None)


class RuleTestFailure(Exception):
    """A case whose expectations did not all hold."""

    def __init__(self, failures: tuple[str, ...]) -> None:
        super().__init__("\n".join(failures))
        self.failures = failures
