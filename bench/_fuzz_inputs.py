"""The inputs of ``bench/fuzz.py``: mutated bundled rule files and example data.

Every generator takes a :class:`random.Random` and returns an :class:`Input`: a label
saying which mutation made it, and the files to write (name → bytes).  Everything is a
function of the seed, so a run is reproducible, and every input is saved whole when it
finds something.

Rule files (:func:`rule_input`), from the bundled ``rules/*.rules``:

* character mutations: insert, delete or replace characters, from a palette of the
  characters that matter (quotes, brackets, full-width punctuation, digits of other
  scripts, NUL, BOM, line and paragraph separators, combining marks);
* token mutations: delete, repeat or swap tokens; a number replaced by a huge one, by
  one with many decimals or by digits of another script; a name replaced by a very long
  one; keywords where names belong;
* mutations that keep the syntax, so that the checker and the engine see them: another
  number, unit, comparator or name, a line deleted;
* duplications: a rule, block or value repeated (with or without new ids);
* deep nesting: brackets, ``not``, minus signs, long chains of ``+`` and ``and``;
* generated files: the resource block repeated up to the size limit, long value
  chains, values or lets that square each other, values of values twice over.

Data (:func:`data_input`), from the bundled examples (YAML, JSON, the CSV folder, the
workbook):

* value mutations: a figure replaced by a huge, negative, fractional, textual, empty,
  odd-script or very long value, a mapping or a list, a date, true/false;
* deleted keys, entries of the wrong type, schools copied many times over;
* raw text mutations of the YAML and JSON;
* for spreadsheets: cells mutated, rows and columns deleted or repeated, odd headers,
  a far-away cell, many empty rows, files dropped from the folder.
"""

from __future__ import annotations

import copy
import datetime
import io
import json
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import yaml
from rule_scaling import resource_blocks  # bench/ is the script's folder

REPO = Path(__file__).resolve().parents[1]
RULES = sorted((REPO / "rules").glob("*.rules"))
EXAMPLES = REPO / "examples"
#: The rule set each data example is checked against (the bundled ids).
DATA_RULES = {
    "baoshan-2018": "chengxiang_yitihua_2018",
    "synthetic-county-2019": "youzhi_junheng_2017",
}
MAX_CHARS = 1_000_000
#: Largest generated rule file.  Parsing and checking are linear, at 3-5 µs a
#: character on the machine of docs/performance.md: a file of 1,000,000 characters takes
#: 3-5 s to parse and check and about 7 s through ``eduint check`` (compiling and the JSON
#: report included), over the 5 s mark by its size alone.  tests/test_hostile_rules.py
#: measures that size; the fuzz run looks for inputs slow for their size.  The v2 JSON
#: report (issue 12) is larger: a 400,000-character file took 4.7 s of CPU through
#: ``eduint check --format json`` (1.5 s of it the report), too near the mark on a loaded
#: machine, so the generated files stop at 300,000 characters.
GENERATED_CHARS = 300_000


@attrs.frozen
class Input:
    """One fuzz input: what made it, its files, which file is the input proper.

    Attributes:
        kind: ``"rules"`` or ``"data"``.
        label: the mutations applied, e.g. ``"rules:token:huge-number"``.
        files: file name (relative, may hold one folder) → bytes.
        entry: the file or folder the commands are given.
        rules: for data: the bundled rule set to check it against.
    """

    kind: str
    label: str
    files: dict[str, bytes]
    entry: str
    rules: str | None = None


# ------------------------------------------------------------------ palettes

_ODD_CHARS = (
    '"“”「」{}｛｝()（）[]［］:：,，、=＝<>≥≤≠+-*/×÷%‰#\n\t\r '
    "；。．！？＃＂‘’《》【】〔〕—…＊／％＜＞"
    "0123456789３𝟑٣३²①"
    "\x00\ufeff\u2028\u2029\u200b\u0301\u202e\u3000"
    "人元班所间学生数 abcxyz_"
)
_KEYWORDS = (
    "rule item part section block value setting field document require basically report "
    "let scope applies when otherwise source note provisional attested veto margin combine "
    "by dated from until over where if then else and or not in true false ruleset extends "
    "override relax because id title_en"
).split()
_TOKEN = re.compile(r'"[^"\n]*"|“[^”\n]*”|「[^」\n]*」|\d+(?:\.\d+)?|\w+|\S', re.UNICODE)


def _huge_number(rng: random.Random) -> str:
    digits = rng.choice([31, 60, 400, 4_299, 4_301, 20_000])
    if rng.random() < 0.3:
        return "0." + "0" * (digits - 1) + "1"
    return str(rng.randint(1, 9)) + "0" * (digits - 1)


def _foreign_digits(text: str, rng: random.Random) -> str:
    base = rng.choice([0xFF10, 0x0660, 0x0966, 0x1D7CE])  # full-width, Arabic, Devanagari, bold
    return "".join(chr(base + int(c)) if c.isdigit() and c.isascii() else c for c in text)


def _long_name(rng: random.Random) -> str:
    return rng.choice(["名", "x", "学生数"]) * rng.choice([100, 5_000, 100_000])


# ------------------------------------------------------------------ rule files


def _char_mutation(text: str, rng: random.Random) -> tuple[str, str]:
    chars = list(text)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(chars) + 1)
        op = rng.choice(["insert", "delete", "replace"])
        if op == "insert":
            chars.insert(i, rng.choice(_ODD_CHARS))
        elif chars and i < len(chars):
            if op == "delete":
                del chars[i]
            else:
                chars[i] = rng.choice(_ODD_CHARS)
    return "char", "".join(chars)


def _token_mutation(text: str, rng: random.Random) -> tuple[str, str]:
    tokens = [(m.start(), m.end(), m[0]) for m in _TOKEN.finditer(text)]
    if not tokens:
        return "token:none", text
    what = rng.choice(
        ["delete", "repeat", "swap", "huge-number", "foreign-digits", "long-name", "keyword"]
    )
    numbers = [t for t in tokens if t[2][0].isdigit()]
    names = [t for t in tokens if t[2][0].isalpha() or t[2][0] == "_" or ord(t[2][0]) > 0x2E80]
    pool = {"huge-number": numbers, "foreign-digits": numbers, "long-name": names}.get(what)
    start, end, tok = rng.choice(pool or tokens)
    if what == "delete":
        new = ""
    elif what == "repeat":
        new = " ".join([tok] * rng.choice([2, 3, 50]))
    elif what == "swap":
        other = rng.choice(tokens)[2]
        new = other
    elif what == "huge-number" and pool:
        new = _huge_number(rng)
    elif what == "foreign-digits" and pool:
        new = _foreign_digits(tok, rng)
    elif what == "long-name" and pool:
        new = _long_name(rng)
    else:
        new = rng.choice(_KEYWORDS)
    return f"token:{what}", text[:start] + new + text[end:]


_UNITS = ["人", "元", "万元", "%", "‰", "平方米/人", "元/人", "人/百人", "间", "所", "班", "亩"]
_COMPARATORS = [">=", "<=", ">", "<", "==", "!="]


def _semantic_mutation(text: str, rng: random.Random) -> tuple[str, str]:
    """A change that keeps the syntax: another number, unit, comparator or name, or a
    line deleted, so that the checker and the evaluator get to see it."""
    what = rng.choice(["number", "unit", "comparator", "name", "line"])
    if what == "number":
        numbers = list(re.finditer(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])", text))
        if numbers:
            m = rng.choice(numbers)
            new = rng.choice(["0", "0.5", "1", "100", "99999", "9" * 30, "0." + "0" * 29 + "1"])
            return f"sem:{what}", text[: m.start()] + new + text[m.end() :]
    if what == "unit":
        units = list(re.finditer("|".join(re.escape(u) for u in _UNITS), text))
        if units:
            m = rng.choice(units)
            return f"sem:{what}", text[: m.start()] + rng.choice(_UNITS) + text[m.end() :]
    if what == "comparator":
        ops = list(re.finditer(r">=|<=|==|!=|(?<![=<>!-])[<>](?!=)", text))
        if ops:
            m = rng.choice(ops)
            return f"sem:{what}", text[: m.start()] + rng.choice(_COMPARATORS) + text[m.end() :]
    if what == "name":
        names = [m for m in _TOKEN.finditer(text) if m[0][0].isalpha() and m[0] not in _KEYWORDS]
        if len(names) > 1:
            m, other = rng.choice(names), rng.choice(names)
            return f"sem:{what}", text[: m.start()] + other[0] + text[m.end() :]
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    if "{" not in lines[i] and "}" not in lines[i]:
        del lines[i]
    return "sem:line", "\n".join(lines)


_BLOCK = re.compile(r"^(?:  )?(?:rule|value|block|item|section|document)\b.*?^(?:  )?\}\n", re.M | re.S)


def _duplication(text: str, rng: random.Random) -> tuple[str, str]:
    blocks = list(_BLOCK.finditer(text))
    if not blocks:
        return "dup:none", text + text
    m = rng.choice(blocks)
    times = rng.choice([1, 2, 10, 100])
    rename = rng.random() < 0.5
    copies = []
    for k in range(times):
        block = m[0]
        if rename:
            block = re.sub(
                r"^(\s*(?:rule|value|block|document)\s+)(\S+)",
                lambda x, k=k: f"{x[1]}{x[2]}_{k}",
                block,
                count=1,
                flags=re.M,
            )
        copies.append(block)
    label = f"dup:{'renamed' if rename else 'same'}x{times}"
    return label, text[: m.end()] + "".join(copies) + text[m.end() :]


def _nesting(text: str, rng: random.Random) -> tuple[str, str]:
    depth = rng.choice([50, 199, 201, 1_000, 20_000])
    kind = rng.choice(["brackets", "not", "minus", "plus-chain", "and-chain"])
    if kind == "brackets":
        expr = "(" * depth + "1" + ")" * depth
    elif kind == "not":
        expr = "not " * depth + "true"
    elif kind == "minus":
        expr = "-" * depth + "1"
    elif kind == "plus-chain":
        expr = " + ".join(["1"] * depth)
    else:
        expr = " and ".join(["true"] * depth)
    return f"nest:{kind}:{depth}", text + f"\nsetting 嵌套 = {expr}\nvalue 嵌套值 = {expr}\n"


def _generated(rng: random.Random) -> tuple[str, str]:
    kind = rng.choice(
        ["big", "value-chain", "square-values", "square-lets", "diamond", "dated-chain", "huge"]
    )
    n = rng.choice([10, 100, 1_000, 10_000])
    if kind == "big":  # up to 300,000 characters (see GENERATED_CHARS)
        return f"gen:big:{n}", resource_blocks(min(GENERATED_CHARS, max(n * 40, 5_000)))
    if kind == "value-chain":
        n = min(n, 36_000)
        lines = ["value v0 = 1 人"] + [f"value v{i} = v{i - 1} + 1 人" for i in range(1, n)]
        return f"gen:{kind}:{n}", "\n".join(lines) + f"\nrule r {{ scope county report v{n - 1} }}\n"
    if kind in ("square-values", "diamond", "dated-chain"):
        n = min(n, 2_000)
        first = "dated { from 2016-01-01: 3 人 }" if kind != "square-values" else "1000 人"
        step = {"square-values": "v{p} * v{p}", "diamond": "v{p} + v{p}", "dated-chain": "v{p} + 1 人"}
        lines = [f"value v0 = {first}"]
        lines += [f"value v{i} = " + step[kind].format(p=i - 1) for i in range(1, n)]
        return f"gen:{kind}:{n}", "\n".join(lines) + f"\nrule r {{ scope county report v{n - 1} }}\n"
    if kind == "square-lets":
        n = min(n, 1_000)
        lets = " ".join(f"let a{i} = a{i - 1} * a{i - 1}" for i in range(1, n))
        return f"gen:{kind}:{n}", f"rule r {{ scope county let a0 = 1.5 {lets} report a{n - 1} }}\n"
    body = _huge_number(rng)
    return "gen:huge", f"rule r {{ scope county require students >= {body} 人 }}\n"


_RULE_MUTATIONS: list[tuple[float, Callable[[str, random.Random], tuple[str, str]]]] = [
    (0.25, _char_mutation),
    (0.20, _token_mutation),
    (0.35, _semantic_mutation),
    (0.12, _duplication),
    (0.08, _nesting),
]


def rule_input(rng: random.Random, index: int) -> Input:
    """A mutated bundled rule file, or now and then a generated one (5 %)."""
    if rng.random() < 0.05 or index % 97 == 13:
        label, text = _generated(rng)
        return Input("rules", f"rules:{label}", {"r.rules": text.encode("utf-8")}, "r.rules")
    source = rng.choice(RULES)
    text = source.read_text(encoding="utf-8")
    labels = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        roll, acc = rng.random() * sum(w for w, _ in _RULE_MUTATIONS), 0.0
        for weight, mutate in _RULE_MUTATIONS:
            acc += weight
            if roll <= acc:
                label, text = mutate(text, rng)
                labels.append(label)
                break
    text = text[: MAX_CHARS + 10]
    raw = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.02:
        raw = text.encode("gb18030", "replace")
        labels.append("gbk")
    name = f"rules:{source.stem}:{'+'.join(labels)}"
    return Input("rules", name, {"r.rules": raw}, "r.rules")


# ------------------------------------------------------------------ data


_HUGE_INT = "HUGE_INT_SENTINEL"
_HUGE_DIGITS = "1" + "0" * 5_000


def _odd_value(rng: random.Random) -> Any:
    return rng.choice(
        [
            1e400,
            -5,
            12.5,
            0,
            10**30,
            _HUGE_INT,  # written as 5,001 bare digits (Python cannot hold it as text)
            "1" + "0" * 5_000,
            "1E+309",
            "NaN",
            "inf",
            "-0",
            "约",
            "30多",
            "不足10",
            "约212",
            "10²",
            "①",
            "١٢",
            "１２",
            "",
            " ",
            "x" * 100_000,
            "十二",
            None,
            True,
            [1, 2],
            {"a": 1},
            datetime.date(2019, 9, 1),
            "2019-02-30",
            "9999学年",
            "=cmd|' /C calc'!A0",
            "/../../escaped",
            "a\x00b",
        ]
    )


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths(v, (*prefix, i))
    return out


def _mutate_document(doc: Any, rng: random.Random) -> tuple[str, Any]:
    doc = copy.deepcopy(doc)
    labels = []
    for _ in range(rng.choice([1, 1, 2, 5])):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            break
        path = rng.choice(paths)
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        key = path[-1]
        what = rng.choice(["value", "value", "value", "delete", "type", "copy-schools"])
        if what == "value":
            parent[key] = _odd_value(rng)
        elif what == "delete":
            del parent[key]
        elif what == "type":
            parent[key] = rng.choice([[parent[key]], {"x": parent[key]}, str(parent[key]), None])
        elif isinstance(doc, dict) and isinstance(doc.get("schools"), list) and doc["schools"]:
            # at most about 100,000 schools (the largest county)
            times = max(1, min(rng.choice([2, 10, 200]), 100_000 // len(doc["schools"])))
            doc["schools"] = [
                {**s, "id": f"{s.get('id')}-{k}"} if isinstance(s, dict) else s
                for k in range(times)
                for s in doc["schools"]
            ]
            what = f"copy-schools-x{times}"
        labels.append(what)
    if rng.random() < 0.1 and isinstance(doc, dict):
        doc["rules"] = rng.choice(["/etc/passwd", "../x.rules", "/proc/self/status", "nope"])
        labels.append("rules-ref")
    return "+".join(labels), doc


def _yaml_dump(doc: Any) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def _json_dump(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, default=str)


def _document_input(rng: random.Random, stem: str, fmt: str) -> Input:
    doc = yaml.safe_load((EXAMPLES / f"{stem}.yaml").read_text(encoding="utf-8"))
    label, doc = _mutate_document(doc, rng)
    try:
        text = _yaml_dump(doc) if fmt == "yaml" else _json_dump(doc)
    except (ValueError, OverflowError):
        text = _yaml_dump(doc)
        fmt = "yaml"
    text = text.replace(f'"{_HUGE_INT}"', _HUGE_DIGITS).replace(_HUGE_INT, _HUGE_DIGITS)
    if rng.random() < 0.15:
        text = _char_mutation(text, rng)[1]
        label += "+char"
    name = f"d.{fmt}"
    raw = text.encode("utf-8", "surrogatepass")
    return Input("data", f"data:{stem}.{fmt}:{label}", {name: raw}, name, DATA_RULES[stem])


def _read_csv(path: Path) -> tuple[list[list[str]], str]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    import csv

    return [row for row in csv.reader(io.StringIO(text))], encoding


def _mutate_rows(rows: list[list[Any]], rng: random.Random, header_at: int) -> str:
    what = rng.choice(["cell", "cell", "cell", "delete-row", "repeat-rows", "delete-column",
                       "header", "wide-row"])
    body = list(range(header_at + 1, len(rows)))
    if what == "cell" and body:
        r = rng.choice(body)
        if rows[r]:
            rows[r][rng.randrange(len(rows[r]))] = _odd_value(rng)
    elif what == "delete-row" and body:
        del rows[rng.choice(body)]
    elif what == "repeat-rows" and body:
        # at most about 200,000 rows
        times = max(1, min(rng.choice([2, 50, 2_000]), 200_000 // max(len(rows), 1)))
        rows.extend([list(rows[r]) for _ in range(times) for r in body])
        what = f"repeat-rows-x{times}"
    elif what == "delete-column" and rows and rows[header_at]:
        c = rng.randrange(len(rows[header_at]))
        for row in rows:
            if c < len(row):
                del row[c]
    elif what == "header" and len(rows) > header_at and rows[header_at]:
        c = rng.randrange(len(rows[header_at]))
        rows[header_at][c] = rng.choice(["", "在校生数（万人）", "扩展:x", "学校代码", "x" * 5000])
    elif what == "wide-row" and body:
        rows[rng.choice(body)].extend(["1"] * rng.choice([10, 1_000]))
    return what


def _csv_input(rng: random.Random) -> Input:
    import csv

    folder = EXAMPLES / "synthetic-county-2019-csv"
    files: dict[str, bytes] = {}
    labels = []
    for path in sorted(folder.glob("*.csv")):
        rows, encoding = _read_csv(path)
        header_at = next((i for i, r in enumerate(rows) if len(r) > 2), 0)
        if rng.random() < 0.5:
            labels.append(f"{path.stem}:{_mutate_rows(rows, rng, header_at)}")
        if rng.random() < 0.05:
            labels.append(f"{path.stem}:dropped")
            continue
        out = io.StringIO()
        cells = [["" if c is None else _HUGE_DIGITS if c == _HUGE_INT else str(c) for c in r]
                 for r in rows]
        csv.writer(out).writerows(cells)
        try:
            data = out.getvalue().encode(encoding)
        except UnicodeEncodeError:
            data = out.getvalue().encode("utf-8-sig")
        files[f"csv/{path.name}"] = data
    label = "+".join(labels) or "unchanged"
    return Input("data", f"data:csv:{label}", files, "csv", DATA_RULES["synthetic-county-2019"])


def _xlsx_input(rng: random.Random) -> Input:
    import openpyxl

    wb = openpyxl.load_workbook(EXAMPLES / "synthetic-county-2019.xlsx")
    labels = []
    for _ in range(rng.choice([1, 2, 3])):
        ws = rng.choice(wb.worksheets)
        what = rng.choice(["cell", "cell", "cell", "delete-rows", "far-cell", "empty-rows",
                           "delete-sheet", "repeat-rows"])
        if what == "cell" and ws.max_row > 1:
            r, c = rng.randint(1, ws.max_row), rng.randint(1, max(ws.max_column, 1))
            value = _odd_value(rng)
            if isinstance(value, (list, dict)):
                value = str(value)
            if value == _HUGE_INT:
                value = _HUGE_DIGITS
            if isinstance(value, str):
                value = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", value)[:32_000]
            try:
                ws.cell(r, c, value)
            except (AttributeError, ValueError, TypeError):  # a merged cell, a bad value
                what = "cell-refused"
        elif what == "delete-rows" and ws.max_row > 2:
            ws.delete_rows(rng.randint(2, ws.max_row))
        elif what == "far-cell":
            ws.cell(rng.choice([100_000, 1_048_576]), rng.choice([1, 16_384]), 1)
        elif what == "empty-rows" and ws.max_row < 900_000:
            ws.cell(ws.max_row + rng.choice([1_000, 100_000]), 1, None)
            ws.cell(ws.max_row + 1, 1, "x")
        elif what == "delete-sheet" and len(wb.worksheets) > 1:
            wb.remove(ws)
        elif what == "repeat-rows" and 1 < ws.max_row and ws.max_row * ws.max_column < 100_000:
            # (not after a far-away cell: the generator would build the million rows itself)
            rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
            for _ in range(rng.choice([2, 100])):
                for row in rows:
                    ws.append(row)
        labels.append(f"{ws.title}:{what}")
    out = io.BytesIO()
    wb.save(out)
    return Input(
        "data",
        f"data:xlsx:{'+'.join(labels)}",
        {"d.xlsx": out.getvalue()},
        "d.xlsx",
        DATA_RULES["synthetic-county-2019"],
    )


def data_input(rng: random.Random, index: int) -> Input:
    """A mutated example: YAML or JSON (60 %), the CSV folder (20 %), the workbook (20 %)."""
    roll = rng.random()
    if roll < 0.6:
        stem = rng.choice(sorted(DATA_RULES))
        return _document_input(rng, stem, rng.choice(["yaml", "json"]))
    if roll < 0.8:
        return _csv_input(rng)
    return _xlsx_input(rng)
