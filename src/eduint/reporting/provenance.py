"""Where a report came from: rule set, data, eduint version, the date used."""

from __future__ import annotations

import datetime
from typing import Any

import attrs

from eduint._version import __version__
from eduint.engine.results import AsOfBasis, Report

__all__ = ["Provenance"]


@attrs.frozen(kw_only=True)
class Provenance:
    """Where a report came from: enough to reproduce it.

    Built by the job (or any caller) from the rule file, the data file and the report,
    never by :func:`eduint.engine.evaluator.evaluate`, which does no I/O.  Where each
    entity's figures are in the data (``schools[2].segments.小学``) is provenance too:
    the JSON report lists it here (``locations``), apart from the results, so that the
    order of the input changes nothing else.

    Attributes:
        ruleset_id: the rule set's id.
        ruleset_version: its ``version``, or ``None``.
        eduint_version: the eduint version that evaluated and rendered the report.
        as_of: the date the evaluation used.
        as_of_basis: how that date was chosen.
        data_file: the data file's name as given, or ``None``.
        data_sha256: hex SHA-256 of the data file's bytes, or ``None``.
        rules_file: the rule file's name, or ``None``.
        rules_sha256: hex SHA-256 of the rule file's bytes, or ``None``.
    """

    ruleset_id: str
    ruleset_version: str | None
    eduint_version: str
    as_of: datetime.date | None
    as_of_basis: AsOfBasis
    data_file: str | None = None
    data_sha256: str | None = None
    rules_file: str | None = None
    rules_sha256: str | None = None

    @classmethod
    def of(
        cls,
        report: Report,
        *,
        eduint_version: str | None = None,
        data_file: str | None = None,
        data_sha256: str | None = None,
        rules_file: str | None = None,
        rules_sha256: str | None = None,
    ) -> Provenance:
        """The provenance of a report, taking the rule set and date from it.

        Args:
            report: the evaluated report.
            eduint_version: the eduint version; ``None`` means the running one.
            data_file: the data file's name as given.
            data_sha256: hex SHA-256 of the data file (``LoadResult.sha256``).
            rules_file: the rule file's name.
            rules_sha256: hex SHA-256 of the rule file's bytes.
        """
        return cls(
            ruleset_id=report.ruleset_id,
            ruleset_version=report.ruleset_version,
            eduint_version=__version__ if eduint_version is None else eduint_version,
            as_of=report.as_of,
            as_of_basis=report.as_of_basis,
            data_file=data_file,
            data_sha256=data_sha256,
            rules_file=rules_file,
            rules_sha256=rules_sha256,
        )

    def to_dict(self) -> dict[str, Any]:
        """The provenance as JSON-ready data (the date in ISO form, the basis by value)."""
        out = attrs.asdict(self)
        out["as_of"] = self.as_of.isoformat() if self.as_of else None
        out["as_of_basis"] = self.as_of_basis.value
        return out
