"""Defaults the command line needs before any report module is imported.

``eduint check --problems-per-code`` shows its default in ``--help``, and the option is
declared when :mod:`eduint.cli` is imported: defining the number here keeps that import
from loading the report builder (docs/performance.md, "Start-up").
"""

from __future__ import annotations

__all__ = ["LISTED_PER_CODE"]

#: How many data problems of one code a text or HTML report lists before it counts the
#: rest (a sheet whose rows are repeated thousands of times gives as many problems; the
#: JSON, CSV and XLSX reports list every one).  ``eduint check --problems-per-code``.
LISTED_PER_CODE = 50
