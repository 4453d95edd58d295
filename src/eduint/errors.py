"""Every exception eduint raises on purpose.

All derive from :class:`EduintError` (and from :class:`ValueError`, the fitting
built-in), so one ``except eduint.EduintError`` catches every user mistake.  A
Python traceback from eduint that is not one of these is a bug.

Errors that come from a rule file carry structured :class:`~eduint.language.diagnostics.Diagnostic`
records in ``.diagnostics`` and render them, with source lines and carets, in
``str()``.  All are picklable.
"""

from __future__ import annotations

from collections.abc import Sequence

from eduint.language.diagnostics import Diagnostic, render_all

__all__ = [
    "EduintError",
    "MissingDependencyError",
    "RuleCheckError",
    "RuleDiagnosticsError",
    "RuleSyntaxError",
]


class EduintError(ValueError):
    """Base class of every error eduint raises on purpose (a user mistake, not a bug)."""


class MissingDependencyError(EduintError, ImportError):
    """An optional package (pyarrow, pandas) is needed and not installed: an
    :class:`ImportError` for callers of ``to_arrow()``/``to_pandas()``, a user error
    (one line, exit 2) for the command line.  The message says how to install it."""


class RuleDiagnosticsError(EduintError):
    """An error made of one or more diagnostics about rule files.

    Attributes:
        diagnostics: the problems, sorted by file and position.
        sources: file name → file text, used to render source lines.
    """

    def __init__(
        self,
        diagnostics: Sequence[Diagnostic],
        sources: dict[str, str] | None = None,
    ) -> None:
        self.diagnostics: tuple[Diagnostic, ...] = tuple(
            sorted(diagnostics, key=Diagnostic.sort_key)
        )
        self.sources: dict[str, str] = dict(sources or {})
        super().__init__(self.diagnostics, self.sources)

    def __str__(self) -> str:
        return render_all(self.diagnostics, self.sources)

    def __reduce__(self) -> tuple[type[RuleDiagnosticsError], tuple[object, ...]]:
        return (type(self), (self.diagnostics, self.sources))

    @property
    def codes(self) -> tuple[str, ...]:
        """The diagnostic codes in order, e.g. ``("E002", "E101")``."""
        return tuple(d.code for d in self.diagnostics)


class RuleSyntaxError(RuleDiagnosticsError):
    """A rule file does not follow the grammar (codes ``E0xx``)."""


class RuleCheckError(RuleDiagnosticsError):
    """A rule file parses but names, units, scopes or structure are wrong
    (codes ``E1xx``, ``E2xx``, ``E3xx``)."""
