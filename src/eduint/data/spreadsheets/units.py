"""The units a spreadsheet source is read in: a workbook, or CSV files forming one.

A single file is one unit.  In a folder, each workbook (``.xlsx``/``.xlsm``) is a
unit named by its file stem, and CSV files are grouped by name: ``县区.csv``,
``学校.csv`` … form one unit (named by the folder), and ``甲县-县区.csv``,
``甲县-学校.csv`` another (named ``甲县``).  A file no reader claims, a CSV file not
named like a sheet or a file of another kind, is a problem line (D014), never skipped
silently.  Inside a unit every sheet has a role by its name
(:data:`~eduint.data.spreadsheets.mapping.SHEET_NAMES`); a unit's lone sheet with
another name is a school sheet.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import attrs

from eduint.data.errors import DataFileError, DataProblem
from eduint.data.limits import Limits
from eduint.data.spreadsheets.mapping import SHEET_NAMES, norm
from eduint.data.spreadsheets.sources import Budget, Sheet, read_csv, sources

__all__ = ["Unit", "read_units", "role_prefix"]

_XLSX = (".xlsx", ".xlsm")


@attrs.define
class Unit:
    """A workbook, or the CSV files that form one.

    Attributes:
        name: the file stem, the CSV files' common prefix, or the folder's name.
        sheets: (role, sheet) for each sheet with a role (the 说明 sheet left out).
        file: the file as shown (a group of CSV files: the first one's).
    """

    name: str
    sheets: list[tuple[str, Sheet]]
    file: str = ""


def role_prefix(name: str) -> tuple[str | None, str]:
    """A sheet's (or CSV file stem's) role and the prefix before the role's name:
    ``甲县-学校`` → (``schools``, ``甲县``), ``县区`` → (``county``, ``""``), or
    (``None``, name) for a name that says nothing it holds."""
    n = norm(name)
    for role, names in SHEET_NAMES.items():
        for candidate in names:
            c = norm(candidate)
            if n == c:
                return role, ""
            if n.endswith(c):
                return role, n[: -len(c)].rstrip("-_.·")
    return None, name


def _unclaimed(file: str, message: str, sheet: str | None = None) -> DataProblem:
    """A file no reader claims (D014): a problem with the whole file, so no row."""
    return DataProblem(file, "", None, sheet, message, None, sheet, code="D014")


def _roles(sheets: list[Sheet], problems: list[DataProblem]) -> list[tuple[str, Sheet]]:
    """The sheets of a workbook with their roles; a sheet with none is a problem."""
    out = []
    for sheet in sheets:
        role, _prefix = role_prefix(sheet.name or "")
        if role is None and len(sheets) == 1:
            role = "schools"
        if role is None:
            problems.append(
                DataProblem(
                    sheet.file,
                    "",
                    None,
                    sheet.name,
                    "the sheet's name says nothing it holds (县区, 学校, 班级, 自评, 学校数); "
                    "it is not read",
                    sheet.rows[0][0] if sheet.rows else 1,  # the whole sheet: its first row
                    sheet.name,
                    code="D010",
                )
            )
        elif role != "explain":
            out.append((role, sheet))
    return out


def read_units(
    root: Path, shown_root: str, encoding: str | None, limits: Limits | None = None
) -> tuple[list[Unit], str, list[DataProblem]]:
    """Read every file of a file or folder into units, within ``limits`` (the rows and
    cells holding data of all the files together).

    Returns:
        The units (in file order), the SHA-256 of the bytes of the files read, and the
        problems with files or sheets that are not read.

    Raises:
        DataFileError: a file cannot be read or decoded, a single file is neither a
            workbook nor CSV, no file holds a sheet with a known role, or a limit is
            exceeded (D005).
    """
    budget = Budget(limits or Limits())
    digest = hashlib.sha256()
    problems: list[DataProblem] = []
    units: list[Unit] = []
    csv_groups: dict[str, Unit] = {}
    folder = root.is_dir()
    for file in sources(root):
        shown = str(file) if folder else shown_root
        suffix = file.suffix.lower()
        if suffix in _XLSX:
            # the workbook reader only for a workbook: a national Parquet run reads none
            from eduint.data.spreadsheets.xlsx import read_xlsx

            sheets, raw = read_xlsx(file, shown, budget)
            units.append(Unit(file.stem, _roles(sheets, problems), shown))
        elif suffix == ".csv":
            role, prefix = role_prefix(file.stem)
            if role is None and folder:
                problems.append(
                    _unclaimed(
                        shown,
                        "the CSV file's name says nothing it holds (县区, 学校, 班级, 自评, "
                        "学校数, or 甲县-学校 …); it is not read",
                    )
                )
                continue
            sheet, raw = read_csv(file, shown, encoding, budget)
            digest.update(raw)
            if role == "explain":
                continue
            name = prefix or (root.name if folder else file.stem)
            unit = csv_groups.get(name)
            if unit is None:
                unit = csv_groups[name] = Unit(name, [], shown)
                units.append(unit)
            unit.sheets.append((role or "schools", sheet))
            continue
        elif folder:
            problems.append(
                _unclaimed(shown, "eduint reads .xlsx, .xlsm and .csv files; this one is not read")
            )
            continue
        else:
            raise DataFileError(shown, "expected an .xlsx or .csv file (or a folder of them)")
        digest.update(raw)
    if not any(unit.sheets for unit in units):
        raise DataFileError(shown_root, "no sheet named 县区, 学校, 班级, 自评 or 学校数")
    return [u for u in units if u.sheets], digest.hexdigest(), problems
