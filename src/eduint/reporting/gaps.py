"""The 整改清单 in words: a text list, a JSON document and a workbook a bureau can hand out.

Renders :class:`eduint.engine.gaps.GapList` values; computes nothing.  Amounts are
shown in the unit a bureau plans in: whole persons (名), rooms (间), classes (个班),
square metres, and money in 万元 (the search resolution is 0.1 万元); every fix listed
has passed its re-check (:mod:`eduint.engine.gaps`), and the re-check is shown beside it.
The words of this list live here, in Chinese and English (:data:`WORDS`), beside the
layouts that use them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from eduint.core.refs import EntityRef
from eduint.core.values import Interval
from eduint.engine.gaps import ClassSplit, Fix, Gap, GapList, Share
from eduint.engine.gaps._model import Change
from eduint.engine.results import Comparison
from eduint.reporting.messages import Lang
from eduint.reporting.numbers import decimal_text, number_text
from eduint.reporting.words import entity_name, symbol_word

__all__ = ["JSON_VERSION", "WORDS", "amount_text", "gaps_json", "gaps_text", "write_gaps_xlsx"]

#: The version of the JSON document (``eduint_gaps_version``).
JSON_VERSION = 1

#: Every word the gap list prints: key → (Chinese, English).
WORDS: dict[str, tuple[str, str]] = {
    "title": ("整改清单：{county}（{ruleset}）", "Gap list: {county} ({ruleset})"),
    "as_of": ("评估日期：{date}", "Evaluated at: {date}"),
    "none": ("没有未达到的规则。", "No rule is not met."),
    "county": ("县域", "County"),
    "failed": (
        "未达到：{text}：{left}，要求 {op} {right}",
        "Not met: {text}: {left}, required {op} {right}",
    ),
    "fix": ("整改：", "Fix: "),
    "or": ("或：", "Or: "),
    "fix_set": (
        "整改（补齐 {n} 项，取相对差距最小者）：",
        "Fix (bring up {n}, the smallest relative shortfalls):",
    ),
    "plan": (
        "整改方案（低于县域均值的学校补足到同一水平）：",
        "Plan (schools below the county mean raised to one level): ",
    ),
    "plans": (
        "整改方案（各项差异系数压到同一上限，每项低于县域均值的学校补足）：",
        "Plan (every CV capped at one level, schools below the mean raised): ",
    ),
    "total": ("合计 {amount}", "total {amount}"),
    "check": ("复核：整改后达到", "Re-check: met after the fix"),
    "check_less": ("；少一个单位仍未达到", "; one unit less is still not met"),
    "check_grade": ("；任一年级少一个班仍未达到", "; one class fewer in any grade is not met"),
    "check_cv": (
        "复核：整改后差异系数 {cv} {op} {limit}，达到",
        "Re-check: CV after the plan {cv} {op} {limit}: met",
    ),
    "shares": ("各校方差占比：", "Shares of the variance: "),
    "shared": ("（全校数，按学段分摊）", " (whole-school figure, split by segment)"),
    "grade": ("{grade}年级", "grade {grade}"),
    "classes": (
        "{grade}：{before} 个班 {students} 人 → {after} 个班，每班 {sizes} 人（增加 {added} 个班）",
        "{grade}: {before} classes, {students} students → {after} classes of {sizes} (+{added})",
    ),
    "classes_same": (
        "{grade}：{before} 个班 {students} 人，不增班，重新分班为每班 {sizes} 人",
        "{grade}: {before} classes, {students} students: no class added, re-formed into "
        "classes of {sizes}",
    ),
    "classes_total": ("合计增加 {n} 个班", "{n} classes added in all"),
    "classes_failing": ("（超额班级 {n} 个）", " ({n} classes over the limit)"),
    "reason": ("无整改方案：{why}", "No fix: {why}"),
    "set_yes": ("{label}：否 → 是", "{label}: no → yes"),
    "not_actionable": (
        "该项只读取教育行政部门不能直接调整的数据（{fields}），没有可列出的整改量",
        "the rule reads only figures no bureau can act on ({fields}): there is no input to change",
    ),
    "not_exact": (
        "可调整的数据缺失、为区间或约数，无法计算确切的整改量",
        "the figures to change are missing, ranges or approximate: no exact amount",
    ),
    "no_fix_found": (
        "改变单项可调整数据（至多 2³² 个单位）均不能使其达到",
        "no change of one actionable figure (up to 2³² units) meets it",
    ),
    "not_verified": (
        "算出的整改量未通过复核，不予列出",
        "the amount computed did not pass its re-check and is not listed",
    ),
    "classes_not_listed": (
        "班级只按班额段给出，未列出各班，无法重新分班",
        "classes are given only as size bands, not one by one: they cannot be re-formed",
    ),
    "not_supported": (
        "该项的要求形式（引用其他规则的结果、差异系数与其他条件同时未达到等）暂不计算整改量",
        "requirements of this shape (another rule's outcome, a CV failing together with "
        "other terms) are not worked out",
    ),
    # xlsx headers
    "h_rule": ("规则", "rule"),
    "h_title": ("项目", "title"),
    "h_entity": ("对象", "entity"),
    "h_failed": ("未达到的比较", "failing comparison"),
    "h_kind": ("整改类型", "kind of fix"),
    "h_where": ("调整对象", "changed at"),
    "h_field": ("调整数据", "figure"),
    "h_unit": ("单位", "unit"),
    "h_before": ("现值", "now"),
    "h_delta": ("调整量", "change"),
    "h_after": ("调整后", "after"),
    "h_check": ("复核", "re-check"),
    "h_note": ("说明", "note"),
    "h_share": ("方差占比(%)", "share of variance (%)"),
    "h_value": ("指标值", "indicator"),
    "h_students": ("在校生数", "students"),
    "k_lever": ("单项调整", "one figure"),
    "k_indicators": ("补齐指标", "indicators"),
    "k_plan": ("差异系数方案", "CV plan"),
    "k_plans": ("综合差异系数方案", "composite CV plan"),
    "k_classes": ("重新分班", "re-form classes"),
    "k_total": ("合计", "total"),
    "k_share": ("方差占比", "variance share"),
    "k_reason": ("无整改方案", "no fix"),
    "met": ("达到", "met"),
    "met_less": ("达到；少一个单位未达到", "met; one unit less not met"),
}

_MEASURE = {"人": "名", "班": "个班"}
_EN_UNIT = {"平方米": "m²", "元": "yuan", "万元": "10k yuan", "%": "percentage points"}


def _w(key: str, lang: Lang, **args: object) -> str:
    zh, en = WORDS[key]
    text = en if lang == "en" else zh
    return text.format(**args) if args else text


def _why(g: Gap, lang: Lang) -> str:
    """The words of a gap's reason (the figures read, for ``not_actionable``)."""
    assert g.reason is not None
    if g.reason != "not_actionable":
        return _w(g.reason, lang)
    sep = ", " if lang == "en" else "、"
    names = sep.join(
        (f.label_en or f.name) if lang == "en" else (f.label or f.name) for f in g.reads
    )
    return _w("not_actionable", lang, fields=names or "-")


def _num(x: Decimal | Fraction | int) -> str:
    return decimal_text(Fraction(x), 3)


def _money(yuan: Decimal) -> str:
    """元 in 万元: one decimal at the search's 0.1 万元, more when the amount has them."""
    wan = Fraction(yuan) / 10000
    return decimal_text(wan, 4)


def _short_label(label: str, unit: str) -> str:
    """The label after an amount: ``高于规定学历教师数`` → ``高于规定学历教师``,
    ``教学仪器设备值`` → ``教学仪器设备``, ``图书册数`` (册) → ``图书``."""
    for end in (f"{unit}数", "面积", "数", "值"):
        if label.endswith(end) and len(label) > len(end) + 1:
            return label[: -len(end)]
    return label


def amount_text(ch: Change, lang: Lang, delta: Decimal | None = None) -> str:
    """``+3 名 高于规定学历教师``, ``+412 平方米 教学及辅助用房``, ``+8.6 万元 教学仪器设备``,
    ``+1 间 网络多媒体教室`` (English: ``+3 teachers above the required degree``)."""
    if ch.flag:
        label = (
            (ch.field.label_en or ch.field.name)
            if lang == "en"
            else (ch.field.label or ch.field.name)
        )
        return _w("set_yes", lang, label=label)
    d = ch.delta if delta is None else delta
    sign = "+" if d >= 0 else "−"
    mag = abs(d)
    if lang == "en":
        label = ch.field.label_en or ch.field.name
        if ch.unit == "元":
            return f"{sign}{_money(mag)} 10k yuan {label}"
        unit = _EN_UNIT.get(ch.unit, "" if ch.whole else ch.unit)
        return f"{sign}{_num(mag)} {unit + ' ' if unit else ''}{label}"
    label = _short_label(ch.field.label or ch.field.name, ch.unit)
    if ch.unit == "元":
        return f"{sign}{_money(mag)} 万元 {label}"
    if ch.unit == "%":
        return f"{sign}{_num(mag)} 个百分点 {label}"
    return f"{sign}{_num(mag)} {_MEASURE.get(ch.unit, ch.unit)} {label}"


def _figure(x: Decimal, unit: str) -> str:
    if unit == "元":
        return f"{_money(x)} 万元"
    return f"{_num(x)} {unit}".rstrip() if unit != "%" else f"{_num(x)}%"


def _side(q: Any) -> str:
    if q is None:
        return "-"
    places = 4 if isinstance(q.value, Interval) and q.value.bracket else 3
    return number_text(q.value, q.unit, places)


def _school_key(e: EntityRef) -> str | None:
    """The school an entity belongs to (its id), or ``None`` for the county's own."""
    if e.scope in ("county", "county_segment"):
        return None
    return e.key.split("/")[0]


def _change_line(ch: Change, gap: Gap, lang: Lang) -> str:
    where = "" if ch.entity.key == gap.entity.key else f"{entity_name(ch.entity, lang)}："
    if lang == "en" and where:
        where = f"{entity_name(ch.entity, lang)}: "
    shared = _w("shared", lang) if ch.shared else ""
    if ch.flag:
        return f"{where}{amount_text(ch, lang)}"
    arrow = f"（{_figure(ch.before, ch.unit)} → {_figure(ch.after, ch.unit)}）"
    if lang == "en":
        arrow = f" ({_figure(ch.before, ch.unit)} → {_figure(ch.after, ch.unit)})"
    return f"{where}{amount_text(ch, lang)}{shared}{arrow}"


def _grade(s: ClassSplit, lang: Lang) -> str:
    seg = symbol_word(s.entity.segment, lang) if s.entity.segment else ""
    g = _w("grade", lang, grade=s.grade) if s.grade is not None else ""
    return " ".join(x for x in (seg, g) if x)


def _split_line(s: ClassSplit, lang: Lang) -> str:
    lo, hi = min(s.parts), max(s.parts)
    sizes = str(lo) if lo == hi else f"{lo}–{hi}"
    return _w(
        "classes" if s.added else "classes_same",
        lang,
        grade=_grade(s, lang),
        before=len(s.before),
        students=sum(s.before),
        after=len(s.parts),
        sizes=sizes,
        added=s.added,
    )


def _check_line(fix: Fix, lang: Lang) -> str:
    c = fix.check
    if fix.kind in ("plan", "plans") and c.after is not None:
        return _w(
            "check_cv", lang, cv=_side(c.after.left), op=c.after.op, limit=_side(c.after.right)
        )
    return _w("check", lang) + (_w("check_less", lang) if c.one_less_fails else "")


def _sep(lang: Lang) -> str:
    return "; " if lang == "en" else "；"


def _fix_lines(gap: Gap, lang: Lang) -> list[str]:
    out: list[str] = []
    sep = _sep(lang)
    for i, fix in enumerate(gap.fixes):
        if fix.kind == "classes":
            continue  # grouped by grade (see _class_lines)
        items = [_change_line(ch, gap, lang) for ch in fix.changes]
        if fix.kind in ("plan", "plans"):
            total = amount_text(fix.changes[0], lang, fix.total) if fix.total is not None else ""
            tail = sep + _w("total", lang, amount=total) if total else ""
            out.append(_w(fix.kind, lang) + sep.join(items) + tail)
        elif fix.kind == "indicators":
            out.append(_w("fix_set", lang, n=len(fix.changes)))
            out.extend(
                f"  {t}：{x}" if lang == "zh" else f"  {t}: {x}"
                for t, x in zip(fix.targets, items, strict=False)
            )
        else:
            out.append(_w("fix" if i == 0 else "or", lang) + sep.join(items))
        out.append("  " + _check_line(fix, lang))
    return out


def _shares_line(shares: Sequence[Share], lang: Lang) -> str:
    sep = ", " if lang == "en" else "，"
    return _w("shares", lang) + sep.join(
        f"{entity_name(s.entity, lang)} {decimal_text(s.share * 100, 1)}%" for s in shares
    )


def _failed_line(gap: Gap, lang: Lang) -> str | None:
    ev: Comparison | None = gap.evidence
    if ev is None:
        return None
    return _w("failed", lang, text=ev.text, left=_side(ev.left), op=ev.op, right=_side(ev.right))


def _title(gap: Gap, lang: Lang) -> str:
    title = gap.title_en if lang == "en" and gap.title_en else gap.title
    return f"{gap.rule} {title}" if title and title != gap.rule else gap.rule


def _gap_block(gap: Gap, lang: Lang) -> list[str]:
    lines = [f"  {_title(gap, lang)} · {entity_name(gap.entity, lang)}"]
    failed = _failed_line(gap, lang)
    if failed:
        lines.append(f"    {failed}")
    if gap.shares:
        lines.append(f"    {_shares_line(gap.shares, lang)}")
    lines.extend(f"    {x}" for x in _fix_lines(gap, lang))
    if gap.reason is not None:
        lines.append("    " + _w("reason", lang, why=_why(gap, lang)))
    return lines


def _class_lines(gaps: Sequence[Gap], lang: Lang) -> list[str]:
    """Class-size gaps of one school and rule, one line per grade re-formed."""
    out: list[str] = []
    seen: dict[ClassSplit, int] = {}
    for g in gaps:
        for f in g.fixes:
            for s in f.splits:
                seen[s] = seen.get(s, 0) + 1
    first = gaps[0]
    out.append(f"  {_title(first, lang)}")
    for s, n in seen.items():
        failing = _w("classes_failing", lang, n=n) if first.entity.scope == "class" else ""
        out.append(f"    {_split_line(s, lang)}{failing}")
    added = sum(s.added for s in seen)
    if len(seen) > 1:
        out.append("    " + _w("classes_total", lang, n=added))
    less = _w("check_grade", lang) if first.entity.scope == "class" else ""
    out.append("    " + _w("check", lang) + less)
    for g in gaps:
        if g.reason is not None:
            out.append(
                f"    {entity_name(g.entity, lang)}：" + _w("reason", lang, why=_why(g, lang))
            )
    return out


def _grouped(gl: GapList) -> list[tuple[str | None, list[Gap]]]:
    """Gaps by school (in the documented entity order), then the county's own."""
    by: dict[str | None, list[Gap]] = {}
    for g in gl.gaps:
        by.setdefault(_school_key(g.entity), []).append(g)
    schools = sorted((k for k in by if k is not None), key=lambda k: by[k][0].entity.sort_key())
    return [(k, by[k]) for k in schools] + ([(None, by[None])] if None in by else [])


def _section(gaps: list[Gap], lang: Lang) -> list[str]:
    lines: list[str] = []
    by_rule: dict[str, list[Gap]] = {}
    for g in gaps:
        by_rule.setdefault(g.rule, []).append(g)
    for rule_gaps in by_rule.values():
        if rule_gaps[0].kind == "class_size":
            lines.extend(_class_lines(rule_gaps, lang))
        else:
            for g in rule_gaps:
                lines.extend(_gap_block(g, lang))
    return lines


def gaps_text(lists: Iterable[GapList], lang: Lang = "zh") -> str:
    """The gap lists as text, school by school and then the county's own (county rules
    and 差异系数), one block per county."""
    out: list[str] = []
    for gl in lists:
        ruleset = (
            (gl.ruleset_title_en if lang == "en" else None) or gl.ruleset_title or gl.ruleset_id
        )
        out.append(_w("title", lang, county=gl.county, ruleset=ruleset))
        if gl.as_of is not None:
            out.append(_w("as_of", lang, date=gl.as_of.isoformat()))
        if not gl.gaps:
            out.append(_w("none", lang))
        for key, gaps in _grouped(gl):
            e = gaps[0].entity
            head = f"{e.name or key}（{key}）" if key is not None else _w("county", lang)
            if lang == "en" and key is not None:
                head = f"{e.name or key} ({key})"
            out.append("")
            out.append(f"【{head}】" if lang == "zh" else f"[{head}]")
            out.extend(_section(gaps, lang))
        out.append("")
    return "\n".join(out)


# ------------------------------------------------------------------ JSON


def _jnum(x: Decimal | Fraction | int | None) -> int | float | None:
    """A number for JSON: an integer as such, else the nearest float (the exact value
    is in ``*_exact`` where it matters)."""
    if x is None:
        return None
    if isinstance(x, Decimal) and x == x.to_integral_value():
        return int(x)
    if isinstance(x, int) or (isinstance(x, Fraction) and x.denominator == 1):
        return int(x)
    return float(x)


def _jentity(e: EntityRef) -> dict[str, Any]:
    return {"scope": e.scope, "key": e.key, "name": e.name, "segment": e.segment, "part": e.part}


def _jside(q: Any) -> Any:
    if q is None:
        return None
    v = q.value
    if isinstance(v, Interval):
        return {"low": float(v.lo), "high": float(v.hi), "unit": str(q.unit)}
    return {"value": _jnum(Fraction(v) / q.unit.scale), "unit": str(q.unit)}


def _jcmp(c: Comparison | None) -> Any:
    if c is None:
        return None
    return {
        "text": c.text,
        "op": c.op,
        "left": _jside(c.left),
        "right": _jside(c.right),
        "met": c.met,
    }


def _jchange(ch: Change, lang: Lang) -> dict[str, Any]:
    return {
        "entity": _jentity(ch.entity),
        "field": ch.field.name,
        "label": ch.field.label,
        "unit": ch.unit,
        "before": _jnum(ch.before),
        "delta": _jnum(ch.delta),
        "after": _jnum(ch.after),
        "step": _jnum(ch.step),
        "whole": ch.whole,
        "shared": ch.shared,
        "text": amount_text(ch, lang),
    }


def _jfix(f: Fix, lang: Lang) -> dict[str, Any]:
    return {
        "kind": f.kind,
        "changes": [_jchange(c, lang) for c in f.changes],
        "targets": list(f.targets),
        "splits": [
            {
                "entity": _jentity(s.entity),
                "grade": s.grade,
                "before": list(s.before),
                "after": list(s.parts),
                "added": s.added,
            }
            for s in f.splits
        ],
        "total": _jnum(f.total),
        "check": {
            "met": f.check.met,
            "one_less_fails": f.check.one_less_fails,
            "after": _jcmp(f.check.after),
        },
    }


def _jgap(g: Gap, lang: Lang) -> dict[str, Any]:
    return {
        "rule": g.rule,
        "title": g.title,
        "title_en": g.title_en,
        "kind": g.kind,
        "entity": _jentity(g.entity),
        "evidence": _jcmp(g.evidence),
        "fixes": [_jfix(f, lang) for f in g.fixes],
        "reason": g.reason,
        "reason_text": _why(g, lang) if g.reason else None,
        "reads": [f.name for f in g.reads],
        "shares": [
            {
                "entity": _jentity(s.entity),
                "value": float(s.value),
                "students": _jnum(s.students),
                "share": float(s.share),
            }
            for s in g.shares
        ],
    }


def gaps_json(lists: Iterable[GapList], lang: Lang = "zh") -> str:
    """The gap lists as one JSON document (``eduint_gaps_version`` 1): per county the
    rule set, the date and every gap with its fixes (changes with before, change and
    after as numbers, the re-check) or its reason code."""
    doc = {
        "eduint_gaps_version": JSON_VERSION,
        "counties": [
            {
                "county": gl.county,
                "county_code": gl.county_code,
                "ruleset": gl.ruleset_id,
                "as_of": gl.as_of.isoformat() if gl.as_of else None,
                "gaps": [_jgap(g, lang) for g in gl.gaps],
            }
            for gl in lists
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


# ------------------------------------------------------------------ XLSX

_HEADERS = (
    "h_rule",
    "h_title",
    "h_entity",
    "h_failed",
    "h_kind",
    "h_where",
    "h_field",
    "h_unit",
    "h_before",
    "h_delta",
    "h_after",
    "h_check",
    "h_note",
    "h_value",
    "h_share",
)


def _cell(x: Decimal | Fraction | int | None) -> int | float | None:
    return _jnum(x)


def _share_rows(g: Gap, base: list[Any], lang: Lang) -> list[list[Any]]:
    """One row per school of a 差异系数: its indicator and share of the variance (%)."""
    return [
        [
            *base,
            _w("k_share", lang),
            entity_name(sh.entity, lang),
            "",
            "",
            None,
            None,
            None,
            "",
            "",
            float(sh.value),
            float(sh.share * 100),
        ]
        for sh in g.shares
    ]


def _rows(gaps: Sequence[Gap], lang: Lang) -> list[list[Any]]:
    """One row per change, grade re-formed, school share or reason."""
    rows: list[list[Any]] = []
    done: set[ClassSplit] = set()
    for g in gaps:
        base = [g.rule, _title(g, lang), entity_name(g.entity, lang), _failed_line(g, lang) or ""]
        for f in g.fixes:
            kind = _w(f"k_{f.kind}", lang)
            check = _w("met_less" if f.check.one_less_fails else "met", lang)
            if f.kind in ("plan", "plans") and f.check.after is not None:
                check = _check_line(f, lang)
            targets = f.targets if f.kind == "indicators" else ("",) * len(f.changes)
            for ch, target in zip(f.changes, targets, strict=False):
                note = amount_text(ch, lang) + (_w("shared", lang) if ch.shared else "")
                rows.append(
                    [
                        *base,
                        kind,
                        entity_name(ch.entity, lang),
                        ch.field.label or ch.field.name,
                        ch.unit,
                        _cell(ch.before),
                        _cell(ch.delta),
                        _cell(ch.after),
                        check,
                        f"{target}：{note}" if target else note,
                    ]
                )
            if f.kind == "plan" and f.total is not None:
                rows.append(
                    [
                        *base,
                        _w("k_total", lang),
                        "",
                        f.changes[0].field.label,
                        f.changes[0].unit,
                        None,
                        _cell(f.total),
                        None,
                        check,
                        amount_text(f.changes[0], lang, f.total),
                    ]
                )
            for s in f.splits:
                if s in done:
                    continue
                done.add(s)
                rows.append(
                    [
                        *base,
                        kind,
                        entity_name(s.entity, lang),
                        _grade(s, lang) or "班级数",
                        "班",
                        len(s.before),
                        s.added,
                        len(s.parts),
                        check,
                        _split_line(s, lang),
                    ]
                )
        rows.extend(_share_rows(g, base, lang))
        if g.reason is not None:
            rows.append(
                [*base, _w("k_reason", lang), "", "", "", None, None, None, "", _why(g, lang)]
            )
    return rows


def _sheet_name(name: str, used: set[str]) -> str:
    base = "".join("_" if c in "[]:*?/\\" else c for c in name)[:28] or "sheet"
    out, n = base, 2
    while out in used:
        out, n = f"{base[:25]}-{n}", n + 1
    used.add(out)
    return out


def write_gaps_xlsx(lists: Iterable[GapList], path: Path, lang: Lang = "zh") -> None:
    """Write the gap lists as a workbook: one sheet per school that has a gap (its
    changes, grades re-formed and reasons, numbers as numbers), then one sheet of the
    county's own gaps (county rules, each 差异系数 with every school's share and the
    plan); several counties get their sheets one after the other.

    Raises:
        OSError: the file cannot be written.
    """
    import openpyxl  # imported here: only the workbook needs it
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    assert wb.active is not None
    wb.remove(wb.active)
    used: set[str] = set()
    lists = list(lists)
    for gl in lists:
        # several counties: each school's sheet names its county too
        prefix = f"{gl.county}-" if len(lists) > 1 else ""
        for key, gaps in _grouped(gl):
            name = (
                prefix + (gaps[0].entity.name or key or "")
                if key is not None
                else f"{gl.county}{_w('county', lang)}"
            )
            ws = wb.create_sheet(_sheet_name(name, used))
            ws.append([_w(h, lang) for h in _HEADERS])
            for c in ws[1]:
                c.font = Font(bold=True)
            for row in _rows(gaps, lang):
                ws.append(row)
            ws.freeze_panes = "A2"
        if not gl.gaps:
            ws = wb.create_sheet(_sheet_name(gl.county, used))
            ws.append([_w("none", lang)])
    if not wb.sheetnames:
        wb.create_sheet("-")
    wb.save(path)
