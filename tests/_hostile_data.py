"""Hostile data files for the load-limit tests and ``bench/data_scale.py``.

Each builder writes a file whose cost to load used to grow with what the file
*declares* rather than with the data it holds (issue 14): a workbook whose school sheet
holds a million empty rows, one whose only extra value sits in cell XFD1048576, a zip
bomb, a YAML county of many schools and one whose name is very long.  The workbooks
are the bundled example ``examples/synthetic-county-2019.xlsx`` with its school sheet's
XML rewritten inside the zip (openpyxl cannot make such files cheaply).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_XLSX = REPO / "examples" / "synthetic-county-2019.xlsx"
EXAMPLE_YAML = REPO / "examples" / "synthetic-county-2019.yaml"
SCHOOL_PART = "xl/worksheets/sheet2.xml"  # the 学校 sheet of the example workbook


def _rewrite(dest: Path, part: str, body: Callable[[bytes], Iterator[bytes]]) -> Path:
    """The example workbook with ``part`` replaced by the chunks ``body`` yields from
    the original part's XML (streamed into the zip: a large part never sits in memory)."""
    import zipfile

    with zipfile.ZipFile(EXAMPLE_XLSX) as src, zipfile.ZipFile(dest, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != part:
                out.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
                continue
            new = zipfile.ZipInfo(info.filename, info.date_time)
            new.compress_type = zipfile.ZIP_DEFLATED
            with out.open(new, "w", force_zip64=True) as w:
                for chunk in body(data):
                    w.write(chunk)
    return dest


def _split(xml: bytes) -> tuple[bytes, bytes]:
    """The sheet XML cut before ``</sheetData>``, its dimension set to A1:XFD1048576
    (what a hostile file declares; read-only openpyxl believes it)."""
    xml = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml)
    cut = xml.index(b"</sheetData>")
    return xml[:cut], xml[cut:]


def empty_rows_xlsx(dest: Path, rows: int = 1_000_000) -> Path:
    """The example workbook whose school sheet holds ``rows`` empty rows after its data:
    each a formatted row (``ht``, ``customHeight``) with one styled empty cell."""

    def body(xml: bytes) -> Iterator[bytes]:
        head, tail = _split(xml)
        yield head
        step = 10_000
        for start in range(100, 100 + rows, step):
            yield b"".join(
                b'<row r="%d" spans="1:45" ht="15" customHeight="1"><c r="A%d" s="1"/></row>'
                % (r, r)
                for r in range(start, min(start + step, 100 + rows))
            )
        yield tail

    return _rewrite(dest, SCHOOL_PART, body)


def many_rows_xlsx(dest: Path, copies: int = 12_500) -> Path:
    """The example workbook whose school sheet holds its 8 school rows ``copies`` times
    (ids made unique, ``SX001`` → ``SX001-k``): 45 columns, ``8 × copies`` rows of
    real data (100,000 rows by default)."""
    cell_ref = re.compile(rb'(<c r="[A-Z]+)\d+(")')
    school_id = re.compile(rb"<t>(SX\d{3})</t>")

    def body(xml: bytes) -> Iterator[bytes]:
        head, tail = _split(xml)
        rows = re.findall(rb'<row r="(\d+)"([^>]*)>(.*?)</row>', head, re.S)
        keep = [r for r in rows if 5 <= int(r[0]) <= 12]
        start = head.index(b'<row r="5"')
        yield head[:start]
        n = 5
        for k in range(copies):
            chunk = []
            for _r, attrs, cells in keep:
                cells = cell_ref.sub(rb"\g<1>%d\g<2>" % n, cells)
                cells = school_id.sub(rb"<t>\1-%d</t>" % k, cells)
                chunk.append(b'<row r="%d"%s>%s</row>' % (n, attrs, cells))
                n += 1
            yield b"".join(chunk)
        yield tail

    return _rewrite(dest, SCHOOL_PART, body)


def far_cell_xlsx(dest: Path, value: bytes = b"42") -> Path:
    """The example workbook with one more value in its school sheet, in cell XFD1048576
    (the last cell a sheet can have), and the sheet's dimension declaring it."""

    def body(xml: bytes) -> Iterator[bytes]:
        head, tail = _split(xml)
        yield head
        yield b'<row r="1048576"><c r="XFD1048576"><v>' + value + b"</v></c></row>"
        yield tail

    return _rewrite(dest, SCHOOL_PART, body)


def zip_bomb_xlsx(dest: Path, declared: int = 2 << 30, *, honest: bool = True) -> Path:
    """The example workbook whose school sheet part expands to ``declared`` bytes of
    blanks inside the sheet XML (a few MB compressed).

    With ``honest=False`` the zip's directory declares the part's true size as 64 KiB
    (a lie; the deflate stream still expands to ``declared`` bytes).  The CRC is not
    computed (nothing should read that far).
    """
    import struct
    import zipfile

    with zipfile.ZipFile(EXAMPLE_XLSX) as src:
        xml = src.read(SCHOOL_PART)
    head, tail = _split(xml)
    chunk = b" " * (1 << 20)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = [comp.compress(head), comp.flush(zlib.Z_FULL_FLUSH)]
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    fill = declared - len(head) - len(tail)
    stream.append(block * (fill // len(chunk)))
    stream.append(comp.compress(b" " * (fill % len(chunk)) + tail) + comp.flush())
    data = b"".join(stream)
    size = declared if honest else 64 << 10
    # A zip written by hand: the other members copied, the bomb's sizes as chosen.
    with zipfile.ZipFile(EXAMPLE_XLSX) as src, zipfile.ZipFile(dest, "w") as out:
        for info in src.infolist():
            if info.filename != SCHOOL_PART:
                out.writestr(info, src.read(info), compress_type=zipfile.ZIP_DEFLATED)
    # Append the bomb member: local header, data, and a rewritten central directory.
    raw = dest.read_bytes()
    with zipfile.ZipFile(dest) as z:
        infos = z.infolist()
        cd_start = z.start_dir
    body = bytearray(raw[:cd_start])
    name = SCHOOL_PART.encode()
    zip64 = size >= 0xFFFFFFFF
    extra = struct.pack("<HHQQ", 1, 16, size, len(data)) if zip64 else b""
    offset = len(body)
    body += struct.pack(
        "<4sHHHHHIIIHH",
        b"PK\x03\x04",
        45 if zip64 else 20,
        0,
        8,
        0,
        0x21,
        0,
        0xFFFFFFFF if zip64 else len(data),
        0xFFFFFFFF if zip64 else size,
        len(name),
        len(extra),
    )
    body += name + extra + data
    central = bytearray()
    for info in infos:
        central += _central_entry(info)
    cextra = struct.pack("<HHQQ", 1, 16, size, len(data)) if zip64 else b""
    central += struct.pack(
        "<4sHHHHHHIIIHHHHHII",
        b"PK\x01\x02",
        45 if zip64 else 20,
        45 if zip64 else 20,
        0,
        8,
        0,
        0x21,
        0,
        0xFFFFFFFF if zip64 else len(data),
        0xFFFFFFFF if zip64 else size,
        len(name),
        len(cextra),
        0,
        0,
        0,
        0,
        offset,
    )
    central += name + cextra
    cd_offset = len(body)
    body += central
    count = len(infos) + 1
    body += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(central), cd_offset, 0)
    dest.write_bytes(bytes(body))
    return dest


def _central_entry(info: object) -> bytes:
    """The central-directory record of an existing (small) member."""
    import struct
    import zipfile

    assert isinstance(info, zipfile.ZipInfo)
    name = info.filename.encode()
    return (
        struct.pack(
            "<4sHHHHHHIIIHHHHHII",
            b"PK\x01\x02",
            20,
            20,
            info.flag_bits & ~0x08,
            info.compress_type,
            0,
            0x21,
            info.CRC,
            info.compress_size,
            info.file_size,
            len(name),
            0,
            0,
            0,
            0,
            0,
            info.header_offset,
        )
        + name
    )


def county_yaml(schools: int, *, classes: bool = False) -> str:
    """A YAML county of ``schools`` schools: the example county's seven schools copied
    with fresh ids (a teaching point's central school follows its copy); their lists of
    classes left out unless ``classes`` (the example lists 17 a school)."""
    data = yaml.safe_load(EXAMPLE_YAML.read_text(encoding="utf-8"))
    base = data["schools"]
    out = []
    k = 0
    while len(out) < schools:
        for s in base:
            c = dict(s)
            c["id"] = f"{s['id']}-{k}"
            if not classes:
                c["segments"] = {
                    seg: {f: v for f, v in body.items() if f not in ("classes", "classes_complete")}
                    for seg, body in s["segments"].items()
                }
            if "central_school" in c:
                c["central_school"] = f"{c['central_school']}-{k}"
            out.append(c)
        k += 1
    data["schools"] = out[:schools]
    return str(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000))


def plain_county_yaml(schools: int) -> str:
    """A YAML county of ``schools`` plain schools, one line of the statistics each: id,
    name, kind, location and one segment's students, teachers and classes (ten values
    a school), written in flow style as a generator would."""
    lines = ["name: 大县", "as_of: 2021-06-30", "schools_complete: true", "schools:"]
    for i in range(schools):
        kind, seg = ("小学", "小学") if i % 3 else ("初中", "初中")
        lines.append(
            f"  - {{id: S{i:06d}, name: 第{i}学校, kind: {kind}, location: "
            f"{'城区' if i % 2 else '乡村'}, segments: {{{seg}: {{students: {300 + i % 700}, "
            f"full_time_teachers: {20 + i % 40}, class_count: {6 + i % 18}}}}}}}"
        )
    return "\n".join(lines) + "\n"


def long_name_yaml(chars: int = 1_000_000) -> str:
    """A county whose name is ``chars`` characters long."""
    return f"name: {'县' * chars}\nas_of: 2021-06-30\nschools: []\n"
