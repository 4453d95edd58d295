"""Problems found in data files (county and school figures), as opposed to rule files.

Two kinds:

* :class:`DataProblem` is a *record*, not an exception.  A bad value in a data
  file never stops a run: the value is treated as missing (``None``), a problem is
  recorded, and loading goes on.  :func:`eduint.data.loading.load_county` returns the
  problems next to the county.
* :class:`DataFileError` is raised only when a file cannot be read or parsed at
  all (not found, not UTF-8, broken YAML/JSON, an unsupported
  ``eduint_data_version``).

:class:`DataValueError` is what the value readers (:func:`eduint.data.loading.parse_figure`
and friends) raise for one bad value; the loader turns it into a :class:`DataProblem`.

Codes (stable; tests assert on them rather than on the English wording):

=====  =============================================================
D001   the file cannot be read or parsed (:class:`DataFileError`)
D002   the file declares an unsupported ``eduint_data_version``
D003   spreadsheets: no data row, or no row used (:class:`DataFileError`)
D004   spreadsheets: physical figures fit both readings (:class:`DataFileError`)
D005   a limit on data files is exceeded (:class:`DataFileError`, :mod:`.limits`)
D006   national input: no 学校代码 or 学段 column, or a county in two files (:class:`DataFileError`)
D010   unknown key or column (with a did-you-mean hint when one is close)
D011   the same field given twice (duplicate key, or name and label)
D012   note: a field another bundled rule set declares
D013   spreadsheets: a mapping-file entry that matched no column
D014   spreadsheets: a file of a folder that no reader claims
D015   spreadsheets: values beyond the header's last column (not read)
D016   note, national input: a known column the national reader does not read
D020   a value of the wrong kind (not a number, not a date, not one of …)
D021   a non-whole number for a whole-number unit (人, 所, 间, 册, 台, 班, 个)
D022   a negative count, area, amount or rate
D023   an ambiguous figure (``10以上``, ``12多``)
D024   spreadsheets: a formula cell without a stored result
D025   a value longer than the ``text`` limit (not read)
D026   national input: a figure that is not exact (``约212``, ``30多``), missing there
D030   a whole entry (school, segment, class …) was left out
D031   statements that contradict each other (a complete list that is absent …)
D040   note: the school list is not declared complete
D041   note: how a long school sheet's physical figures were read
D042   note: a county named after its file or code
D043   note, spreadsheets: a known column not read because the mapping file's ``ignore`` lists it
=====  =============================================================

Notes are :class:`DataProblem` records too, kept apart on
:attr:`eduint.data.loading.LoadResult.notices`.
"""

from __future__ import annotations

from typing import Any

import attrs

from eduint.core.text import clip
from eduint.errors import EduintError

__all__ = ["DataFileError", "DataProblem", "DataValueError"]

#: How much of a long path or value a problem keeps (characters).
_KEEP = 200


def _short(value: Any) -> Any:
    """A long text shortened to its start (see :func:`eduint.core.text.clip`)."""
    return clip(value, _KEEP) if isinstance(value, str) else value


@attrs.frozen
class DataProblem:
    """One problem with one value (or one entry) of a data file.

    The offending value is treated as missing; the run goes on.

    Attributes:
        file: the file name as given to the loader (``"county.yaml"``).
        path: where the value is, in the user's view of the file: keys as written,
            joined with ``.``, and **zero-based** list indexes as in the file
            (``schools[3].segments.小学.students`` is the fourth school).  ``""``
            for the file as a whole.
        field: the model field the value was meant for (``"students"``), or the key
            as written when it names no field.
        value: the offending value as read from the file (``None`` when a value is
            absent, e.g. a missing required ``id``); a text of more than 200 characters
            is kept by its start only, as is a path.
        message: what is wrong, one line (``expected a whole number of 人, got '12.5'``).
        row: for spreadsheet sources, the row number the user sees (1-based); else ``None``.
        sheet: for spreadsheet sources, the sheet name; else ``None``.
        line: for YAML sources, the 1-based line of the value; else ``None``.
        code: the stable code (``D0xx``, see the module docstring).
        hint: what to do about it (``did you mean 'students' (在校生数)?``), or ``None``.
    """

    file: str
    path: str = attrs.field(converter=_short)
    field: str | None = attrs.field(converter=_short)
    value: Any = attrs.field(hash=False, converter=_short)  # may be a list or mapping
    message: str = attrs.field()
    row: int | None = None
    sheet: str | None = None
    line: int | None = attrs.field(default=None, kw_only=True)
    code: str = attrs.field(default="D020", kw_only=True)
    hint: str | None = attrs.field(default=None, kw_only=True)

    def __str__(self) -> str:
        where = self.file
        if self.sheet is not None:
            where += f"[{self.sheet}]"
        if self.row is not None:
            where += f":row {self.row}"
        elif self.line is not None:
            where += f":{self.line}"
        text = f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


class DataValueError(EduintError):
    """One value cannot be read as what its field needs.

    Raised by the value readers; the loader records it as a :class:`DataProblem`
    and treats the value as missing.

    Attributes:
        message: what is wrong (``expected a whole number of 人, got '12.5'``).
        code: the stable code (``D020`` … ``D023``).
        hint: what to do about it, or ``None``.
    """

    def __init__(self, message: str, *, code: str = "D020", hint: str | None = None) -> None:
        self.message = message
        self.code = code
        self.hint = hint
        super().__init__(message)

    def __str__(self) -> str:
        return self.message + (f" (hint: {self.hint})" if self.hint else "")

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_value_error, (self.message, self.code, self.hint))


def _rebuild_value_error(message: str, code: str, hint: str | None) -> DataValueError:
    return DataValueError(message, code=code, hint=hint)


class DataFileError(EduintError):
    """A data file cannot be read or parsed at all.

    Attributes:
        file: the file name as given to the loader.
        message: what is wrong (``cannot parse YAML: expected ',' or ']'``).
        line: 1-based line of the error, or ``None``.
        column: 1-based column (code points) of the error, or ``None``.
        code: ``D001`` (unreadable or unparsable), ``D002`` (unsupported version),
            ``D003`` (no data row used), ``D004`` (figures need ``--figures``) or
            ``D005`` (a limit exceeded).
    """

    def __init__(
        self,
        file: str,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        code: str = "D001",
    ) -> None:
        self.file = file
        self.message = message
        self.line = line
        self.column = column
        self.code = code
        super().__init__(file, message)

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: error[{self.code}]: {self.message}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild_file_error,
            (self.file, self.message, self.line, self.column, self.code),
        )


def _rebuild_file_error(
    file: str, message: str, line: int | None, column: int | None, code: str
) -> DataFileError:
    return DataFileError(file, message, line=line, column=column, code=code)
