"""National input: one row per school segment of many counties, read into arrays.

:func:`read_national` reads a national table (Parquet through pyarrow, CSV, XLSX, JSON
Lines, or a folder of such files) into a :class:`NationalData`: numpy arrays, one
element per school segment, the class sizes as one flat array with CSR offsets, and
the counties' codes and names.  No Python object per cell is kept, so a national file
of 216,000 school segments and 4.3 million classes loads in seconds.  The columnar
engine builds its frame from it with
:func:`eduint.engine.columnar.national.frame_of`.

Columns are matched as the spreadsheet reader matches them (the same code:
:func:`eduint.data.spreadsheets.header.find_header`): the field registry's Chinese labels
(:func:`eduint.data.spreadsheets.default_headers`), English names and aliases, units in
brackets (``教学仪器设备值（万元）``), the user's ``--mapping`` file, class-size band
columns (``56-65人``).  Class sizes are given as a list column ``班额`` (Parquet/JSONL:
a list of integers; CSV/XLSX: integers separated by ``;``, ``,``, ``、`` or spaces) or
as band counts.  See ``docs/national.md`` for the format and ``docs/limits.md`` for
the limits (``national_*``).

numpy (and pyarrow, when installed and needed) are imported inside the functions: a
single-county run never imports them.
"""

from eduint.data.national.model import NationalData
from eduint.data.national.read import read_national

__all__ = ["NationalData", "read_national"]
