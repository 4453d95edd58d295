"""An :class:`~eduint.engine.explain.Explanation` in words (``eduint explain``), Chinese or
English, and as JSON.

The text has five parts: the rule, the entity explained (and, for a rule per entity,
the others with their outcomes), the input figures with the cell each came from, the
computation step by step (each step names the steps it uses, ``#3``), the comparisons
with the verdict, and the thresholds with their citation, period and the file that set
them.  Numbers print as in reports (:mod:`eduint.reporting.numbers`); a comparison prints
with as many places as keep its printed sides from contradicting its verdict.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from eduint.engine.explain import CvDetail, Explanation, Figure, Step, Threshold
from eduint.engine.results import Quantity
from eduint.reporting._message import Lang, Message
from eduint.reporting.jsonfmt import _Writer
from eduint.reporting.numbers import agreeing_places, decimal_text, number_text
from eduint.reporting.words import (
    author_text,
    entity_name,
    field_name,
    outcome_word,
    period_text,
    reason_text,
)

__all__ = ["EXPLAIN_WORDS", "explain_json", "explain_text"]

LISTED = 12
"""The most entities the head of an explanation lists (then it counts them by outcome)."""

PLACES = 3
"""Decimal places of the values an explanation prints (comparisons add what they need)."""


def _m(zh: str, en: str) -> Message:
    return Message(zh, en)


#: The words of an explanation, Chinese and English.
EXPLAIN_WORDS: dict[str, Message] = {
    "rule": _m("规则 {id}「{title}」", "Rule {id} ({title})"),
    "requirement": _m("要求：{text}", "Requirement: {text}"),
    "entity": _m("对象：{name}", "Entity: {name}"),
    "county": _m("对象：全县（县级规则）", "Entity: the county (a county rule)"),
    "choice.first_failing": _m(
        "（未指定对象：说明第一个未达到的对象）",
        " (no entity given: the first one not met is explained)",
    ),
    "choice.first": _m(
        "（未指定对象，且没有未达到的对象：说明第一个对象）",
        " (no entity given, and none is not met: the first one is explained)",
    ),
    "choice.several_first_failing": _m(
        "（“{name}”对应 {n} 个对象：说明其中第一个未达到的对象）",
        " ('{name}' matches {n} entities: the first one not met is explained)",
    ),
    "choice.several_first": _m(
        "（“{name}”对应 {n} 个对象，均未“未达到”：说明第一个）",
        " ('{name}' matches {n} entities, none of them not met: the first is explained)",
    ),
    "entities": _m("本规则的对象（{n} 个）：", "The rule's entities ({n}):"),
    "more": _m("……另 {n} 个未列出（全部：{tally}）", "… {n} more not listed (all: {tally})"),
    "outcome": _m(
        "结论：{outcome}（本规则结论：{headline}）；截至 {as_of}",
        "Outcome: {outcome} (the rule's: {headline}); as of {as_of}",
    ),
    "s.inputs": _m(
        "一、输入数据（每个数字来自哪个单元格）", "1. Input figures (the cell each came from)"
    ),
    "s.steps": _m("二、计算过程", "2. Computation"),
    "s.compare": _m("三、比较", "3. Comparisons"),
    "s.thresholds": _m("四、标准及其出处", "4. Thresholds and where they come from"),
    "cell": _m(
        "来源：{file}，工作表「{sheet}」，第 {row} 行，第 {col} 列（{cell}），原文“{raw}”",
        "from: {file}, sheet '{sheet}', row {row}, column {col} ({cell}), cell text \"{raw}\"",
    ),
    "cell.csv": _m(
        "来源：{file}，第 {row} 行，第 {col} 列（{cell}），原文“{raw}”",
        'from: {file}, line {row}, column {col} ({cell}), cell text "{raw}"',
    ),
    "cell.none": _m(
        "来源：数据文件（非表格，无单元格）", "from: the data file (not a spreadsheet: no cell)"
    ),
    "derived": _m("由以下数据计算：", "computed from:"),
    "uses": _m("用到", "uses"),
    "holds": _m("成立", "holds"),
    "fails": _m("不成立", "does not hold"),
    "undecided": _m("无法判定", "undecided"),
    "count": _m(
        "{n} 项中 {k} 项成立（至少需要 {need} 项）", "{k} of {n} hold (at least {need} needed)"
    ),
    "cv.head": _m(
        "差异系数（学生数加权，总体公式）：对象、数值、权重（在校生数）、占方差比例",
        "CV (student-weighted, population form): entity, value, weight (students), share of variance",
    ),
    "cv.stats": _m(
        "加权平均 = {mean}；标准差 = {sd}；CV² = {square}；差异系数 = 标准差 ÷ 平均 = {cv}",
        "weighted mean = {mean}; standard deviation = {sd}; CV² = {square}; CV = sd ÷ mean = {cv}",
    ),
    "cv.left_out": _m("未计入：{names}", "left out: {names}"),
    "result": _m("要求 #{i} → {holds} → {outcome}", "requirement #{i} → {holds} → {outcome}"),
    "applies": _m("适用条件：{text}", "applies when: {text}"),
    "no_result": _m("要求未求值：{outcome}", "the requirement was not evaluated: {outcome}"),
    "th.value": _m("{name}「{title}」= {value}", "{name} ({title}) = {value}"),
    "th.written": _m("规则中直接写出的数字", "a number written in the requirement itself"),
    "th.key": _m("取值键：{key}", "keyed entry: {key}"),
    "th.sources": _m("依据：{sources}", "source: {sources}"),
    "th.rule_sources": _m("依据（规则）：{sources}", "source (the rule's): {sources}"),
    "th.period": _m("施行期间：{period}", "in force: {period}"),
    "th.no_period": _m("施行期间：不分期（始终适用）", "in force: not dated (always)"),
    "th.set_by": _m("设定于：{file}（{level}）", "set by: {file} ({level})"),
    "th.provisional": _m("暂定", "provisional"),
    "level.own": _m("本省文件 {id}", "this provincial file, {id}"),
    "level.extended": _m("所扩展的上级文件 {id}", "the file it extends, {id}"),
    "level.single": _m("{id}", "{id}"),
    "set_by.rule": _m(
        "本规则及其标准设定于：{files}", "The rule and its thresholds were set by: {files}"
    ),
    "none": _m("无", "none"),
}


def _say(name: str, lang: Lang, /, **args: object) -> str:
    text = EXPLAIN_WORDS[name].text(lang)
    return text.format(**args) if args else text


def _num(q: Quantity | bool | str | None, lang: Lang, places: int = PLACES) -> str:
    if q is None:
        return "?"
    if isinstance(q, bool):
        return _say("holds" if q else "fails", lang)
    if isinstance(q, str):
        return q
    return number_text(q.value, q.unit, places, approx="约" if lang == "zh" else "~")


def _truth(x: Quantity | bool | str | None, lang: Lang) -> str:
    if isinstance(x, bool):
        return _say("holds" if x else "fails", lang)
    return _say("undecided", lang)


class _Text:
    """The lines of one explanation in one language."""

    def __init__(self, x: Explanation, lang: Lang) -> None:
        self.x = x
        self.lang = lang
        self.lines: list[str] = []
        self.alias = _aliases(x)
        self.let_of = {i: name for name, i in x.lets}

    def ref(self, i: int) -> str:
        return f"#{self.alias.get(i, i)}"

    def head(self) -> None:
        x, lang = self.x, self.lang
        title = author_text(x.title, lang) if x.title else x.rule
        self.lines.append(_say("rule", lang, id=x.rule, title=title))
        if x.requirement:
            self.lines.append(_say("requirement", lang, text=x.requirement))
        if x.entity is None:
            self.lines.append(_say("county", lang))
        else:
            line = _say("entity", lang, name=entity_name(x.entity, lang))
            if x.choice in ("first_failing", "first") and x.asked is None:
                line += _say(f"choice.{x.choice}", lang)
            elif x.choice in ("first_failing", "first"):
                line += _say(f"choice.several_{x.choice}", lang, name=x.asked, n=len(x.entities))
            self.lines.append(line)
        if x.entities and x.choice != "given":
            self.entities()
        as_of = x.as_of.isoformat() if x.as_of else "-"
        self.lines.append(
            _say(
                "outcome",
                lang,
                outcome=outcome_word(x.outcome, lang),
                headline=outcome_word(x.headline, lang),
                as_of=as_of,
            )
        )
        if x.set_by:
            files = "; ".join(str(o) for o in x.set_by)
            self.lines.append(_say("set_by.rule", lang, files=files))

    def entities(self) -> None:
        """The rule's entities with their outcomes: all of a short list; of a long one
        (a rule per class) the first few and the one explained, then the counts."""
        x, lang = self.x, self.lang
        self.lines.append("  " + _say("entities", lang, n=len(x.entities)))
        shown = 0
        for ref, o in x.entities:
            if shown >= LISTED and ref != x.entity:
                continue
            shown += 1
            mark = "→ " if ref == x.entity else "  "
            self.lines.append(f"    {mark}{entity_name(ref, lang)}：{outcome_word(o, lang)}")
        if shown < len(x.entities):
            counts: dict[str, int] = {}
            for _, o in x.entities:
                word = outcome_word(o, lang)
                counts[word] = counts.get(word, 0) + 1
            tally = ("，" if lang == "zh" else ", ").join(f"{w} {n}" for w, n in counts.items())
            self.lines.append("    " + _say("more", lang, n=len(x.entities) - shown, tally=tally))

    def inputs(self) -> None:
        self.lines += ["", _say("s.inputs", self.lang)]
        for s in self.x.steps:
            if s.kind not in ("figure", "weight") or s.index in self.alias:
                continue
            who = entity_name(s.figures[0].entity if s.figures else s.entity, self.lang)
            label = s.text if self.lang == "zh" or not s.figures else _label(s, self.lang)
            self.lines.append(f"  #{s.index}  {label}（{who}） = {_num(s.value, self.lang)}")
            if len(s.figures) > 1:
                self.lines.append("      " + _say("derived", self.lang))
            for f in s.figures:
                self.figure(f, indent="      " if len(s.figures) == 1 else "        ")
            for n in (*s.reasons, *s.notes):
                self.lines.append("        " + reason_text(n, self.lang))

    def figure(self, f: Figure, indent: str) -> None:
        lang = self.lang
        if len(indent) > 6:
            name = f"{field_name(f.field, lang)}（{entity_name(f.entity, lang)}） = {_num(f.value, lang)}"
            self.lines.append(indent + name)
        src = f.source
        if src is None:
            self.lines.append(indent + "  " + _say("cell.none", lang))
            return
        key = "cell" if src.sheet and not src.file.lower().endswith(".csv") else "cell.csv"
        raw = src.raw if src.raw is not None else (f.text or "")
        col = src.cell.rstrip("0123456789")
        self.lines.append(
            indent
            + "  "
            + _say(
                key,
                lang,
                file=src.file,
                sheet=src.sheet,
                row=src.row,
                col=col,
                cell=src.cell,
                raw=raw,
            )
        )

    def steps(self) -> None:
        self.lines += ["", _say("s.steps", self.lang)]
        for s in self.x.steps:
            if s.kind in ("arith", "function", "aggregate", "cv", "if"):
                self.step(s)

    def step(self, s: Step) -> None:
        lang = self.lang
        name = self.let_of.get(s.index)
        lhs = f"{name} = {s.text}" if name else s.text
        line = f"  #{s.index}  {lhs} = {_num(s.value, lang)}"
        formula = self.formula(s)
        if formula:
            line += f" = {formula}" if s.op != "at_least" else f"：{formula}"
        who = entity_name(s.entity, lang)
        if s.entity is not None and s.entity != self.x.entity:
            line += f"（{who}）"
        if s.uses:
            used = ", ".join(self.ref(i) for i in self.operands(s))
            if used:
                line += f"  [{_say('uses', lang)} {used}]"
        self.lines.append(line)
        for r in s.reasons:
            self.lines.append("      " + reason_text(r, lang))
        if s.cv is not None:
            self.cv(s.cv)

    def operands(self, s: Step) -> list[int]:
        """The steps ``s`` uses as the text names them: a list's members for the list,
        constants left out (they are written in the step's own text)."""
        out: list[int] = []
        for i in s.uses:
            u = self.x.steps[i]
            if u.kind == "list":
                out += u.uses
            elif u.kind != "const":
                out.append(i)
        return out

    def formula(self, s: Step) -> str:
        steps, lang = self.x.steps, self.lang
        vals = [steps[i].value for i in s.uses]
        if s.op == "at_least" and len(s.uses) == 2:
            items = [steps[i].value for i in steps[s.uses[1]].uses]
            need = vals[0]
            k = sum(1 for v in items if v is True)
            need_text = _num(need, lang) if isinstance(need, Quantity) else "?"
            return _say("count", lang, n=len(items), k=k, need=need_text)
        if len(vals) != 2 or not all(isinstance(v, Quantity) for v in vals):
            return ""
        a, b = (_num(v, lang, PLACES + 1) for v in vals)
        if s.op == "per100":
            return f"{a} × 100 ÷ {b}"
        if s.op == "ratio":
            return f"{a} ÷ {b}"
        if s.op in ("+", "-", "*", "/"):
            return f"{a} {dict(zip('*/', '×÷', strict=True)).get(s.op, s.op)} {b}"
        return ""

    def cv(self, d: CvDetail) -> None:
        lang = self.lang
        self.lines.append("      " + _say("cv.head", lang))
        for m in d.members:
            share = decimal_text(m.share * 100, 1) + "%"
            self.lines.append(
                f"        {entity_name(m.entity, lang)}：{_num(m.value, lang, PLACES + 1)}；"
                f"{_num(m.weight, lang)}；{share}"
            )
        if d.left_out:
            names = "、".join(entity_name(e, lang) for e in d.left_out)
            self.lines.append("        " + _say("cv.left_out", lang, names=names))
        if d.mean is not None and d.square is not None:
            self.lines.append(
                "      "
                + _say(
                    "cv.stats",
                    lang,
                    mean=_num(d.mean, lang, PLACES + 1),
                    sd=_num(d.deviation, lang, PLACES + 1),
                    square=decimal_text(d.square, 6),
                    cv=_num(d.cv, lang, 4),
                )
            )

    def compare(self) -> None:
        x, lang = self.x, self.lang
        self.lines += ["", _say("s.compare", lang)]
        for i in x.comparisons:
            s = x.steps[i]
            left, right = (x.steps[j].value for j in s.uses[:2])
            sides = ""
            if isinstance(left, Quantity) and isinstance(right, Quantity):
                met = s.value if isinstance(s.value, bool) else None
                p = agreeing_places(
                    left.value, right.value, s.op or "", met, left.unit, PLACES, right.unit
                )
                sides = f"{_num(left, lang, p)} {s.op} {_num(right, lang, p)}"
            uses = ", ".join(self.ref(j) for j in s.uses[:2])
            self.lines.append(f"  #{i}  {s.text}：{sides} → {_truth(s.value, lang)}  [{uses}]")
            for r in s.reasons:
                self.lines.append("      " + reason_text(r, lang))
        if x.applies is not None:
            a = x.steps[x.applies]
            self.lines.append(
                f"  #{a.index}  {_say('applies', lang, text=a.text)} → {_truth(a.value, lang)}"
            )
        if x.result is not None:
            req = x.steps[x.result]
            self.lines.append(
                "  "
                + _say(
                    "result",
                    lang,
                    i=x.result,
                    holds=_truth(req.value, lang),
                    outcome=outcome_word(x.outcome, lang),
                )
            )
        else:
            self.lines.append("  " + _say("no_result", lang, outcome=outcome_word(x.outcome, lang)))

    def thresholds(self) -> None:
        x, lang = self.x, self.lang
        self.lines += ["", _say("s.thresholds", lang)]
        seen: set[Any] = set()
        for i in x.comparisons:
            s = x.steps[i]
            t = s.threshold
            if t is None or (t.name, t.key, t.period) in seen:
                continue
            seen.add((t.name, t.key, t.period))
            value = x.steps[s.uses[1]].value if len(s.uses) > 1 else None
            named = next((st for st in x.steps if st.kind == "value" and st.threshold == t), None)
            if named is not None:
                self.threshold(t, named.value, f"#{named.index}  ")
            else:
                self.threshold(t, value, "")

    def threshold(self, t: Threshold, value: Quantity | bool | str | None, num: str) -> None:
        lang, x = self.lang, self.x
        if t.name is None:
            head = f"{_say('th.written', lang)}：{_num(value, lang)}"
        else:
            title = author_text(t.title, lang) if t.title else t.name
            head = num + _say("th.value", lang, name=t.name, title=title, value=_num(value, lang))
        if t.provisional:
            head += f"（{_say('th.provisional', lang)}）"
        self.lines.append("  " + head)
        if t.key:
            self.lines.append("    " + _say("th.key", lang, key="、".join(t.key)))
        cites = t.sources
        key = "th.sources"
        if not cites:
            cites, key = x.sources, "th.rule_sources"
        none = _say("none", lang)
        self.lines.append("    " + _say(key, lang, sources="; ".join(map(str, cites)) or none))
        if t.period is None:
            self.lines.append("    " + _say("th.no_period", lang))
        else:
            period = period_text(t.period.start, t.period.end, lang)
            self.lines.append("    " + _say("th.period", lang, period=period))
        if t.set_by is not None:
            o = t.set_by
            where = f"{o.file}:{o.line}" if o.line is not None else o.file
            level = _say(f"level.{t.layer}", lang, id=o.ruleset)
            self.lines.append("    " + _say("th.set_by", lang, file=where, level=level))


def _label(s: Step, lang: Lang) -> str:
    if len(s.figures) == 1:
        return field_name(s.figures[0].field, lang)
    return s.text


def _aliases(x: Explanation) -> dict[int, int]:
    """Steps shown as another: a ``let`` read as its definition, a figure read again as
    its first reading."""
    out: dict[int, int] = {}
    first: dict[tuple[Any, ...], int] = {}
    for s in x.steps:
        if s.kind == "let" and s.uses:
            out[s.index] = s.uses[0]
        elif s.kind in ("figure", "weight", "value"):
            # a weight is the 在校生数 figure read again: one line for both
            kind = "value" if s.kind == "value" else "figure"
            key = (kind, s.entity, s.name, s.figures, s.threshold)
            if key in first:
                out[s.index] = first[key]
            else:
                first[key] = s.index
    return out


def explain_text(x: Explanation, lang: str = "zh") -> str:
    """The explanation in words, in ``lang`` (``"zh"`` or ``"en"``), ending in a newline."""
    lg: Lang = "en" if lang == "en" else "zh"
    t = _Text(x, lg)
    t.head()
    t.inputs()
    t.steps()
    t.compare()
    t.thresholds()
    text = "\n".join(t.lines) + "\n"
    if lg == "en":
        text = text.replace("（", " (").replace("）", ")").replace("：", ": ").replace("；", "; ")
        text = text.replace("、", ", ")
    return text


def explain_json(x: Explanation, lang: str = "zh") -> dict[str, Any]:
    """The explanation as JSON-ready data: every field of :class:`Explanation`, numbers
    as the JSON report writes them (``value``, ``exact``, ``unit``), reasons worded in
    ``lang`` beside their codes."""
    lg: Lang = "en" if lang == "en" else "zh"
    out: dict[str, Any] = _Writer(lg).json(x)
    return out


def dump(x: Explanation, lang: str, write: Callable[[str], Any]) -> None:
    """Write :func:`explain_json` as indented JSON through ``write``."""
    write(json.dumps(explain_json(x, lang), ensure_ascii=False, indent=2, default=_default) + "\n")


def _default(x: object) -> object:
    if isinstance(x, Fraction):
        return str(x)
    return str(x)
