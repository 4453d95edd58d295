"""The input template of a rule set (``eduint template``): :func:`write_template`.

Every column comes from the field registry (:mod:`eduint.data.fields`): the columns
that identify rows are registry fields (行政区划代码, 县区名称, 数据日期, 学校代码 …),
and the figure columns are the fields the rule set reads
(:meth:`~eduint.checking.ruleset.RuleSet.fields_read`, whose schema is built from the
registry) and the extra fields it declares.  openpyxl is imported only here, only
when a template is written.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

import attrs

from eduint.data.derived import DERIVED
from eduint.data.fields import SCOPES, FieldDef, field_def, model_fields
from eduint.data.models import (
    Actor,
    Attestation,
    Class,
    County,
    Location,
    School,
    SchoolKind,
    SchoolSegment,
    Segment,
    SelfStatus,
)
from eduint.data.spreadsheets.mapping import Layout
from eduint.data.spreadsheets.write import header_text


class _Scope(Protocol):
    @property
    def value(self) -> str: ...


class FieldInfo(Protocol):
    """What the template needs of a field a rule set reads (the checker's ``FieldInfo``;
    described here so the data layer does not import the checking layer)."""

    @property
    def name(self) -> str: ...
    @property
    def scope(self) -> _Scope: ...
    @property
    def unit(self) -> object: ...
    @property
    def label(self) -> str | None: ...
    @property
    def label_en(self) -> str | None: ...
    @property
    def extra(self) -> bool: ...
    @property
    def derived(self) -> bool: ...


class TemplateWords(Protocol):
    """The words of a template (its notes, its 说明 sheet): the message catalogue's
    ``template.*`` entries in one language (:func:`eduint.reporting.template_words`;
    passed in, so that the data layer does not import reporting)."""

    def __call__(self, key: str, /, **args: object) -> str:
        """The entry ``key`` with its placeholders filled from ``args``."""
        ...


class RuleSet(Protocol):
    """What the template needs of a checked rule set (:class:`eduint.checking.ruleset.RuleSet`)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str | None: ...
    @property
    def extra_fields(self) -> tuple[FieldInfo, ...]: ...
    def fields_read(self) -> frozenset[Any]: ...


__all__ = ["TemplateColumn", "TemplateWords", "template_columns", "write_template"]

#: The segments a compulsory-education template has columns and choices for.
_SEGMENTS = [s.value for s in (Segment.PRIMARY, Segment.JUNIOR)]
# Identity columns a filled-in template needs whatever the rules read; the county's
# declaration that the school list is complete (without it every 差异系数 is 缺少数据).
_COUNTY_IDS = ("code", "name", "as_of", "schools_complete")
# The key fields of lists, never columns of their own scope's figures.
_KEYS = {"segment": ("segment",), "county_segment": ("segment",), "school": ("id",)}
_SCHOOL_IDS = ("id", "name", "kind", "location")
_CLASS_IDS = ("name", "grade")
_ATTESTATION_COLUMNS = ("item", "status", "evidence", "actor")
# What a note adds to a field's label: an example of what to write (data, not words).
_EXAMPLES: dict[tuple[type, str], str] = {
    (County, "as_of"): "2018-09-01",
    (Attestation, "item"): "12, 12.1",
    (Attestation, "actor"): "县/区/市/省",
    (School, "location"): "城区/镇区/乡村",
}
# Notes that say more than the label: catalogue keys (template.*).
_NOTES: dict[tuple[type, str], str] = {
    (County, "schools_complete"): "template.schools_complete",
    (SchoolSegment, "classes_complete"): "template.classes_complete",
}


def _no_words(key: str, /, **args: object) -> str:
    """No words: :func:`template_columns` without a catalogue gives empty notes."""
    return ""


@attrs.frozen
class TemplateColumn:
    """One column of a template sheet.

    Attributes:
        header: the header without its unit (a registry field's header, or a declared
            extra field's name), prefixed by a segment in the wide layout.
        unit: the unit of its cells, or ``None``.
        note: what to write (the label in the template's language, Chinese with its
            English in Chinese templates; choices, an example), or ``""`` when the
            columns were made without words.
        field: the field it fills (English name).
    """

    header: str
    unit: str | None
    note: str
    field: str

    def prefixed(self, prefix: str) -> TemplateColumn:
        """The same column under a prefixed header (``小学`` + ``在校生数``)."""
        return attrs.evolve(self, header=prefix + self.header)


def _label(words: TemplateWords, label: str | None, label_en: str | None, name: str) -> str:
    """A field as a template note words it: ``在校生数（students enrolled）`` in Chinese,
    ``students enrolled`` in English."""
    return words("template.field", label=label or name, label_en=label_en or name)


def _note(fd: FieldDef, words: TemplateWords) -> str:
    """A field's note: its label, an example (``item or part (12, 12.1)``), or what the
    catalogue says more."""
    note = _label(words, fd.label or fd.header, fd.label_en, fd.name)
    if (fd.model, fd.name) in _NOTES:
        return words(_NOTES[(fd.model, fd.name)], field=note)
    example = _EXAMPLES.get((fd.model, fd.name))
    return words("template.example", note=note, example=example) if example else note


def _field_column(
    model: type, name: str, words: TemplateWords, note: str | None = None
) -> TemplateColumn:
    """The column of a registry field (its header and unit; ``note`` overrides the note)."""
    fd = field_def(model, name)
    unit = fd.unit or None
    return TemplateColumn(fd.header, unit, note if note is not None else _note(fd, words), fd.name)


def _read_column(f: FieldInfo, words: TemplateWords) -> TemplateColumn:
    """The column of a field the rule set reads (a model field or a declared extra)."""
    header = f.name if f.extra else (f.label or f.name)
    if f.extra and not f.label_en:
        note = words("template.declared")
    else:
        note = _label(words, header, f.label_en, f.name)
    return TemplateColumn(header, str(f.unit) if f.unit else None, note, f.name)


def _read_fields(ruleset: RuleSet, words: TemplateWords) -> dict[str, list[TemplateColumn]]:
    """scope → the columns of the data fields the rule set reads (a derived field's
    inputs in its place: 教学及辅助用房面积 and 室内体育用房面积 for 教学及辅助用房计算面积)
    and of its extra fields, by name; a list's key field (学段) is not a column here."""
    read = list(ruleset.fields_read()) + list(ruleset.extra_fields)
    wanted: set[tuple[str, str]] = set()
    columns: dict[tuple[str, str], TemplateColumn] = {}
    for f in read:
        if not f.derived:
            wanted.add((f.scope.value, f.name))
            columns[(f.scope.value, f.name)] = _read_column(f, words)
            continue
        for decl in DERIVED:
            if (decl.scope, decl.name) == (f.scope.value, f.name):
                wanted.update(decl.inputs)
    by_scope: dict[str, list[TemplateColumn]] = {}
    for scope, name in sorted(wanted):
        if name in _KEYS.get(scope, ()):
            continue
        col = columns.get((scope, name)) or _field_column(SCOPES[scope], name, words)
        by_scope.setdefault(scope, []).append(col)
    return by_scope


def template_columns(
    ruleset: RuleSet, layout: Layout = "long", words: TemplateWords | None = None
) -> dict[str, list[TemplateColumn]]:
    """The sheets and columns of the template of ``ruleset`` (without the 说明 sheet).

    Args:
        ruleset: the checked rule set.
        layout: ``"long"`` (a row per segment, with 学段) or ``"wide"`` (segment
            columns prefixed 小学/初中).
        words: the catalogue's words in the template's language (``None``: columns
            without notes).

    Returns:
        Sheet name (县区, 学校, 班级 when a rule reads classes, 自评) → its columns.
    """
    w = words or _no_words
    by_scope = _read_fields(ruleset, w)
    county = [_field_column(County, n, w) for n in _COUNTY_IDS]
    county += [c for c in by_scope.get("county", []) if c.field not in _COUNTY_IDS]
    county_seg = by_scope.get("county_segment", [])
    school = [_field_column(School, n, w) for n in _SCHOOL_IDS]
    school += [c for c in by_scope.get("school", []) if c.field not in _SCHOOL_IDS]
    school_seg = by_scope.get("segment", [])
    if "class" in by_scope:  # a class list counts only when declared complete
        school_seg = [*school_seg, _field_column(SchoolSegment, "classes_complete", w)]
    segment = _field_column(SchoolSegment, "segment", w)
    sheets: dict[str, list[TemplateColumn]] = {}
    if layout == "long":
        county_headers = {c.header for c in county}
        school_labels = {fd.label for fd in model_fields(School)}
        sheets["县区"] = (
            county[:2]
            + [attrs.evolve(segment, note=w("template.county_segment", note=segment.note))]
            + county[2:]
            + [c for c in county_seg if c.header not in county_headers]
        )
        sheets["学校"] = (
            school
            + [segment]
            + [c.prefixed(segment.header) if c.header in school_labels else c for c in school_seg]
        )
    else:
        sheets["县区"] = county + [c.prefixed(s) for s in _SEGMENTS for c in county_seg]
        sheets["学校"] = school + [c.prefixed(s) for s in _SEGMENTS for c in school_seg]
    if "class" in by_scope:
        sheets["班级"] = (
            [_field_column(School, "id", w), segment]
            + [_field_column(Class, n, w) for n in _CLASS_IDS]
            + [c for c in by_scope["class"] if c.field not in _CLASS_IDS]
        )
    sheets["自评"] = [_field_column(Attestation, n, w) for n in _ATTESTATION_COLUMNS] + [
        # answers belong to a rule set (issue 12): blank means the one this template is for
        _field_column(Attestation, "ruleset", w, w("template.ruleset", id=ruleset.id))
    ]
    return sheets


def _choices() -> dict[str, list[str]]:
    """Header → the values of its drop-down list."""
    return {
        field_def(SchoolSegment, "segment").header: _SEGMENTS,
        field_def(School, "kind").header: [k.value for k in SchoolKind],
        field_def(School, "location").header: [loc.value for loc in Location],
        field_def(Attestation, "status").header: [s.value for s in SelfStatus],
        field_def(Attestation, "actor").header: [a.value for a in Actor],
    }


def _sheet(
    wb: Any, name: str, columns: list[TemplateColumn], explain: list[list[str]], w: TemplateWords
) -> Any:
    """A sheet with one header row: units in the header and in a note on each cell;
    drop-down lists where a column has choices; each column listed in ``explain``."""
    from openpyxl.comments import Comment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = wb.create_sheet(name)
    choices = _choices()
    for c, col in enumerate(columns, start=1):
        cell = ws.cell(1, c, header_text(col.header, col.unit))
        text = w("template.unit", unit=col.unit) + "\n" + col.note if col.unit else col.note
        cell.comment = Comment(text or col.header, "eduint")
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = max(12, len(col.header) * 2 + 4)
        explain.append(
            [name, header_text(col.header, col.unit), col.field, col.unit or "", col.note]
        )
        values: Iterable[str] | None = choices.get(col.header)
        if values is not None and not (name == "县区" and col.field != "segment"):
            dv = DataValidation(
                type="list", formula1='"' + ",".join(values) + '"', allow_blank=True
            )
            dv.add(f"{letter}2:{letter}1000")
            ws.add_data_validation(dv)
    return ws


def write_template(
    ruleset: RuleSet,
    path: str | os.PathLike[str],
    *,
    words: TemplateWords,
    layout: Layout = "long",
) -> Path:
    """Write the XLSX input template of a rule set (``eduint template``).

    Sheets: 县区 (county and county-segment fields the rule set reads), 学校 (school
    and segment fields; ``layout`` long or wide), 班级 (when a rule reads classes),
    自评 (items, answers and 规则集, the rule set answered: blank for this one), and
    说明 (every column: sheet, header, field, unit, what it is).  Units are in the header text and in a note on each header cell; 学校类型,
    城乡分类, 学段 and 自评 have drop-down lists.  Columns that identify rows (行政区划代码,
    县区名称, 学校代码, 学校名称, 学校类型, 城乡分类, 学段) are always present.  The columns
    are :func:`template_columns`.

    Args:
        ruleset: the checked rule set (its :meth:`~eduint.checking.ruleset.RuleSet.fields_read`
            and extra fields decide the columns).
        path: the ``.xlsx`` file to write.
        words: the catalogue's words in the template's language
            (:func:`eduint.reporting.template_words`): the notes and the 说明 sheet.
        layout: ``"long"`` or ``"wide"``.

    Returns:
        The file written.

    Raises:
        OSError: the file cannot be written.
    """
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    explain: list[list[str]] = []
    for name, columns in template_columns(ruleset, layout, words).items():
        _sheet(wb, name, columns, explain, words)
        if name == "班级":
            explain.append(
                ["学校", "46-50人班数 … 66人以上班数", "size_bands", "班", words("template.bands")]
            )
    ws = wb.create_sheet("说明", 0)
    ws.append([words("template.title", title=ruleset.title or ruleset.id)])
    ws.append([words("template.guide")])
    ws.append([words(f"template.h.{k}") for k in ("sheet", "header", "field", "unit", "note")])
    for row in explain:
        ws.append(row)
    for letter, width in zip("ABCDE", (10, 30, 26, 10, 60), strict=True):
        ws.column_dimensions[letter].width = width
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return target
