"""Read county data from spreadsheets (XLSX, CSV) and write spreadsheets to fill in.

Reading (:func:`read_tables`) turns a workbook, a CSV file or a folder of them into one
:class:`~eduint.data.loading.LoadResult` per county.  It only *assembles* the mapping of the
YAML/JSON input format (``docs/data-model.md``) from the cells and hands it to
:func:`eduint.data.loading.read_county`, so every value is read exactly as in a YAML file
(figures such as ``约212``, ``30多``, ``"1,655"``, ``96.5%``; enums by Chinese value;
是/否 flags).  The problems the loader finds are mapped back to the cell they came from:
file, sheet, the row number the user sees, the column header and the value as written.

Sheets (or CSV files, named by their stem) have roles, found by name:

* ``县区`` (county-level figures; rows with a ``学段`` are the county's segments),
* ``学校`` (schools: *long* layout, one row per school segment with a ``学段`` column,
  or *wide* layout, one row per school with ``小学在校生数``, ``初中在校生数`` …),
* ``班级`` (classes: 学校代码, 学段, 班级, 年级, 班额),
* ``自评`` (attestations: 项目, 自评, 依据, 主体, 备注, 规则集),
* ``学校数`` (declared counts of schools by 学校类型).

See ``docs/spreadsheets.md`` for the column mapping, the awkward features handled (title
rows, two-row merged headers, 合计/小计 rows, blank rows, numbers stored as text,
percent-formatted cells, 万元 and 亩 columns), the encodings and the accounting of rows.

Writing: :func:`write_tables` writes counties as a workbook or a folder of CSV files
(optionally as an awkward "export", for tests and examples); :func:`write_template`
writes the input template of a rule set (``eduint template``).

Modules: :mod:`~eduint.data.spreadsheets.mapping` (sheet roles, headers → fields, the
user's mapping file), :mod:`~eduint.data.spreadsheets.sources` (raw CSV and XLSX
cells), :mod:`~eduint.data.spreadsheets.rows` (a row → its county's input mapping),
:mod:`~eduint.data.spreadsheets.read` (:func:`read_tables`),
:mod:`~eduint.data.spreadsheets.tables` and :mod:`~eduint.data.spreadsheets.write`
(:func:`write_tables`), :mod:`~eduint.data.spreadsheets.template`
(:func:`write_template`).  Every header and column comes from the field registry
(:mod:`eduint.data.fields`); openpyxl is imported only when a workbook is read or
written.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from eduint.data.spreadsheets.mapping import COLUMN_UNITS as COLUMN_UNITS
    from eduint.data.spreadsheets.mapping import SHEET_NAMES as SHEET_NAMES
    from eduint.data.spreadsheets.mapping import TableMapping as TableMapping
    from eduint.data.spreadsheets.mapping import default_headers as default_headers
    from eduint.data.spreadsheets.mapping import load_mapping as load_mapping
    from eduint.data.spreadsheets.read import read_tables as read_tables
    from eduint.data.spreadsheets.template import write_template as write_template
    from eduint.data.spreadsheets.write import write_tables as write_tables

# Public name -> its module, imported on first use (PEP 562): a reader that needs the
# header mapping only does not import the template and table writers, nor YAML's emitter
# (docs/performance.md, "Start-up").
_LAZY: dict[str, str] = {
    "COLUMN_UNITS": "eduint.data.spreadsheets.mapping",
    "SHEET_NAMES": "eduint.data.spreadsheets.mapping",
    "TableMapping": "eduint.data.spreadsheets.mapping",
    "default_headers": "eduint.data.spreadsheets.mapping",
    "load_mapping": "eduint.data.spreadsheets.mapping",
    "read_tables": "eduint.data.spreadsheets.read",
    "write_tables": "eduint.data.spreadsheets.write",
    "write_template": "eduint.data.spreadsheets.template",
}


def __getattr__(name: str) -> object:
    """Import a public name on first use and keep it in the module (PEP 562).

    Raises:
        AttributeError: ``name`` is not one of the names of :data:`__all__`.
    """
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'eduint.data.spreadsheets' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next access is an ordinary attribute
    return value


def __dir__() -> list[str]:
    """The module's names, the public ones included before they are imported."""
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "COLUMN_UNITS",
    "SHEET_NAMES",
    "TableMapping",
    "default_headers",
    "load_mapping",
    "read_tables",
    "write_tables",
    "write_template",
]
