"""The document's tables beyond the summary: per-entity values, 差异系数, detail,
computation notes, dispositions, data problems, provisional uses and overrides
(see :mod:`eduint.reporting.build`)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from eduint.core.units import PERCENT
from eduint.core.values import Code, Interval, Reason
from eduint.engine.results import (
    Comparison,
    EntityResult,
    Flag,
    ItemResult,
    Outcome,
    ProvisionalUse,
    Report,
    Text,
)
from eduint.reporting._cells import (
    Figures,
    figures,
    is_cv,
    item_flags,
    shown_value,
    title,
)
from eduint.reporting.document import (
    Authored,
    Cell,
    Column,
    Entity,
    Field,
    Flags,
    Lines,
    Num,
    Para,
    Period,
    Plain,
    Problem,
    Section,
    Setting,
    Symbol,
    Table,
    Verdict,
    Why,
    say_cell,
    seq,
)
from eduint.reporting.messages import WORDS

if TYPE_CHECKING:
    from eduint.reporting.build import DataProblemLike, LoadLike

__all__ = [
    "cv_sections",
    "detail_sections",
    "disposition_sections",
    "entity_sections",
    "notices_of",
    "notices_section",
    "overrides_table",
    "problems_section",
    "provisional_cell",
]


def about(reason: Reason, entity: Any) -> Why:
    """A reason in a row that names ``entity``: without the entity when it is the one
    the reason is about."""
    return Why(reason, subject=reason.args[:1] != (entity,))


def _columns(*spec: str) -> tuple[Column, ...]:
    return tuple(Column(k, say_cell(f"h.{k}")) for k in spec)


# ------------------------------------------------------------------ per-entity values

_COUNTED_GROUP = "at_least"


def _counted(e: EntityResult) -> list[Any]:
    return [c for c in e.comparisons if c.group == _COUNTED_GROUP]


def entity_items(report: Report) -> tuple[ItemResult, ...]:
    """The rules whose entities show values of their own (``report`` lines evaluated per
    school, segment or class), in rule-file order."""
    return tuple(r for r in report.items if any(s.name for e in r.entities for s in e.shown))


def entity_sections(report: Report) -> list[Section]:
    """One section per rule of :func:`entity_items`: a row per entity with its values,
    the conditions it meets (``6/7``), its outcome and what it fails."""
    out = []
    for item in entity_items(report):
        table = _entity_table(item, report.display_precision)
        heading = say_cell("t.entities", id=item.id, title=title(item))
        out.append(Section("entities", heading, (table,), say_cell("t.entities_sheet")))
    return out


def _entity_table(item: ItemResult, prec: int) -> Table:
    entities = item.entities
    names = list(dict.fromkeys(s.name for e in entities for s in e.shown if s.name))
    counted = any(_counted(e) for e in entities)
    numbers = not counted and any(e.evidence is not None for e in entities)
    keys = ["entity"] + [f"value:{n}" for n in names]
    keys += ["value", "threshold", "margin"] if numbers else []
    keys += ["count_met"] if counted else []
    keys += ["outcome"] + (["flags"] if any(e.flags for e in entities) else []) + ["note"]
    cols = tuple(
        Column(k, Plain(k[6:]) if k.startswith("value:") else say_cell(f"h.{k}")) for k in keys
    )
    rows = []
    for e in entities:
        f = figures(e.evidence, prec)
        by_name = {s.name: shown_value(s.value, prec) for s in e.shown if s.name}
        cells: dict[str, Cell] = {f"value:{n}": by_name.get(n) for n in names}
        cells |= {
            "entity": Entity(e.entity),
            "value": f.value,
            "threshold": f.bound,
            "margin": f.margin,
            "count_met": _count_cell(e),
            "outcome": Verdict(e.outcome),
            "flags": Flags(e.flags),
            "note": _entity_note(e, prec),
        }
        rows.append(tuple(cells[k] for k in keys))
    return Table(cols, tuple(rows))


def _count_cell(e: EntityResult) -> Cell:
    counted = _counted(e)
    if not counted:
        return None
    met = sum(1 for c in counted if c.met is True)
    undecided = sum(1 for c in counted if c.met is None)
    if undecided:
        return say_cell("undecided", met=met, total=len(counted), n=undecided)
    return Plain(f"{met}/{len(counted)}")


def named_relation(e: EntityResult, c: Comparison, prec: int) -> Cell:
    """A comparison as it came out, named by the shown value it compares when there is
    one (``教学用房：3.825 平方米/人 < 4.5 平方米/人``); its rule text when a side is unknown;
    a floor labelled as one (``…（85% 下限）``, see :func:`floor_share`)."""
    rel = figures(c, prec).relation
    name = c.subject
    cell: Cell = rel if rel is not None else Plain(c.text)
    share = floor_share(e, c)
    if share is not None:
        cell = say_cell("floor", text=cell, pct=share)
    return say_cell("labelled", label=name, text=cell) if name else cell


def _counted_twin(e: EntityResult, c: Comparison) -> Comparison | None:
    """The condition an ``at_least`` counts that compares the same figure the same way
    as ``c`` (outside it) against a larger threshold, if any: ``c`` is then its floor."""
    if c.group is not None or c.left is None or c.right is None or c.figure is None:
        return None
    for g in e.comparisons:
        if g.group == "at_least" and g.op == c.op and g.figure == c.figure and g.right is not None:
            return g
    return None


def floor_share(e: EntityResult, c: Comparison) -> str | None:
    """The share of its counted condition's threshold a floor comparison ``c`` asks
    (``"85"`` for ``L2 >= 85% * 骨干教师标准`` beside ``L2 >= 骨干教师标准`` in an
    ``at_least``), or ``None`` when ``c`` is no such floor (rule 学校达标, 教督〔2017〕6号
    第五条: at least 6 of 7 met, the rest at 85 % of their thresholds)."""
    g = _counted_twin(e, c)
    if g is None or c.right is None or g.right is None:
        return None
    lo, hi = c.right.value, g.right.value
    if isinstance(lo, Interval) or isinstance(hi, Interval) or not hi:
        return None
    ratio = Fraction(lo) / Fraction(hi)
    if not 0 < ratio < 1:
        return None
    pct = ratio * 100
    return str(pct.numerator) if pct.denominator == 1 else f"{float(pct):g}"


def _floor_of(e: EntityResult, g: Comparison) -> Comparison | None:
    """The floor (outside the ``at_least``) of a counted condition ``g``, if any."""
    for c in e.comparisons:
        if c.group is None and floor_share(e, c) is not None and _counted_twin(e, c) is g:
            return c
    return None


def _failed(e: EntityResult, prec: int, *, besides: Comparison | None = None) -> list[Cell]:
    """The comparisons an entity fails (besides ``besides``), each named; a counted
    condition whose floor fails too is shown once, as its floor."""
    cells = []
    for c in e.comparisons:
        if c.met is not False or c == besides:
            continue
        floor = _floor_of(e, c) if c.group == "at_least" else None
        if floor is not None and floor.met is False:
            continue  # the floor's failure says more, and is listed itself
        cells.append(named_relation(e, c, prec))
    return list(dict.fromkeys(cells))


def _passed_despite(e: EntityResult, prec: int) -> Cell:
    """A met entity's counted conditions that fail (``6/7 达到；教学用房：3.825 < 4.5
    平方米/人，在 85% 下限之上``): the note of an entity that passes an ``at_least``."""
    cells: list[Cell] = []
    for c in e.comparisons:
        if c.met is not False:
            continue
        cell = named_relation(e, c, prec)
        floor = _floor_of(e, c) if c.group == "at_least" else None
        share = floor_share(e, floor) if floor is not None and floor.met is True else None
        cells.append(say_cell("above_floor", text=cell, pct=share) if share else cell)
    counted = _counted(e)
    met = sum(1 for c in counted if c.met is True)
    count: Cell = Plain(f"{met}/{len(counted)}") if counted else None
    return say_cell("passed_despite", count=count, list=seq(cells)) if count else seq(cells)


def _entity_note(e: EntityResult, prec: int) -> Cell:
    parts: list[Cell] = []
    if e.outcome is Outcome.MET and any(c.met is False for c in e.comparisons):
        parts.append(_passed_despite(e, prec))
    else:
        failed = _failed(e, prec)
        if failed:
            parts.append(say_cell("failed", list=seq(failed)))
    if e.outcome in (Outcome.NOT_APPLICABLE, Outcome.NO_DATA) or e.outcome is None:
        parts += [Why(r) for r in _specific(e.reasons)]
    return seq(parts)


_GENERIC = frozenset({Code.MISSING_FIGURES, Code.NO_THRESHOLD_IN_FORCE})


def _specific(reasons: Sequence[Reason]) -> list[Reason]:
    """Reasons without the outcome's generic code when specific ones follow it."""
    specific = [r for r in reasons if r.code not in _GENERIC]
    return specific or list(reasons)


# ------------------------------------------------------------------ 差异系数

_CV = _columns(
    "item",
    "requirement",
    "entity",
    "cv",
    "limit",
    "margin",
    "outcome",
    "flags",
    "note",
    "contributors",
)


def cv_sections(report: Report, notices: Sequence[DataProblemLike] = ()) -> list[Section]:
    """The 差异系数 rules: one row per county segment (CV, limit, margin, outcome), and
    the schools weighing most in each failing or borderline one.  When the school list
    is not declared complete (a D040 notice among ``notices``), a line below the table
    says so and how to declare it: it is why every CV is 缺少数据."""
    items = [i for i in report.items if is_cv(i)]
    if not items:
        return []
    prec = report.display_precision
    rows = []
    contributors: list[Cell] = []
    for item in items:
        judged = item.entities or (
            EntityResult(
                item.evidence_entity or _county(report),
                item.computed,
                item.evidence,
                reasons=item.reasons,
                flags=tuple(f for f in item.flags if f in (Flag.APPROXIMATE, Flag.BORDERLINE)),
                notes=item.notes_found,
            ),
        )
        for e in judged:
            f = figures(e.evidence, prec)
            flags = set(e.flags) | ({Flag.PROVISIONAL} if item.provisional else set())
            shares = _shares(e)
            if shares is not None:
                contributors.append(
                    say_cell(
                        "labelled", label=item.id, text=seq([Entity(e.entity), shares], "space")
                    )
                )
            rows.append(
                (
                    Plain(item.id),
                    title(item),
                    Entity(e.entity),
                    f.value,
                    f.bound,
                    f.margin,
                    Verdict(e.outcome),
                    Flags(tuple(x for x in Flag if x in flags)),
                    seq([Why(r) for r in _specific(e.reasons)])
                    if e.outcome is not Outcome.MET and e.outcome is not Outcome.NOT_MET
                    else None,
                    shares,
                )
            )
    blocks: list[Any] = [Table(_CV, tuple(rows), text_omits=("requirement", "contributors"))]
    if any(getattr(n, "code", None) == "D040" for n in notices):
        blocks.append(Para(say_cell("cv.undeclared")))
    out = [Section("cv", say_cell("t.cv"), tuple(blocks), say_cell("t.cv_sheet"))]
    if contributors:
        out.append(
            Section("cv_contributors", say_cell("t.cv_contributors"), (Lines(tuple(contributors)),))
        )
    return out


def _shares(e: EntityResult) -> Cell:
    if e.outcome is not Outcome.NOT_MET and Flag.BORDERLINE not in e.flags:
        return None
    shares = [r for r in e.notes if r.code is Code.CV_SHARES]
    return Why(shares[0]) if shares else None


def _county(report: Report) -> Any:
    from eduint.core.refs import EntityRef

    return EntityRef("county", report.county_code or report.county, report.county)


# ------------------------------------------------------------------ detail and notes

_DETAIL = _columns("item", "entity", "outcome", "evidence", "margin", "note")
_NOTES = _columns("item", "note")


def detail_sections(report: Report) -> list[Section]:
    """The detail (entities not met, missing figures) and the computation notes; text
    shows them with ``--detail``, the other formats always."""
    parents = {r.section[-1] for r in report.items if r.kind == "part" and r.section}
    rows: list[tuple[Cell, ...]] = []
    for item in report.items:
        if item.kind == "item" and item.id in parents:
            continue  # its parts have rows of their own
        rows += _detail_rows(item, report)
    notes = [
        (Plain(item.id), Why(n))
        for item in report.items
        for n in dict.fromkeys([*item.notes_found, *(n for e in item.entities for n in e.notes)])
        if not (n.code is Code.CV_SHARES and not n.args[0])  # a CV of 0 names no share
    ]
    out = []
    if rows:
        out.append(
            Section(
                "detail",
                say_cell("t.detail"),
                (Table(_DETAIL, tuple(rows)),),
                say_cell("t.detail_sheet"),
                detail=True,
            )
        )
    if notes:
        out.append(
            Section(
                "notes",
                say_cell("t.notes"),
                (Table(_NOTES, tuple(notes)),),
                say_cell("t.notes_sheet"),
                detail=True,
            )
        )
    return out


def _evidence_cell(f: Figures) -> Cell:
    if f.relation is not None:
        return f.relation
    return f.bound if f.bound is not None else f.value


def _named_item_evidence(item: ItemResult, f: Figures) -> Cell:
    """An item's failing comparison named by the reported value it compares
    (``超大班额班级数：1 > 0``), as entities' comparisons are (:func:`named_relation`)."""
    cell = _evidence_cell(f)
    c = item.evidence
    if cell is None or c is None or c.left is None:
        return cell
    name = c.subject
    return say_cell("labelled", label=name, text=cell) if name else cell


def _detail_rows(item: ItemResult, report: Report) -> list[tuple[Cell, ...]]:
    """An item's detail rows: entities not met (with the comparison that failed) or
    missing data, the item itself when it fails without entities, its other missing
    figures, shown values that could not be computed, and a row when it has neither an
    answer nor a computed rule."""
    prec = report.display_precision
    ident = Plain(item.id)
    rows: list[tuple[Cell, ...]] = []
    covered: set[Reason] = set()
    for e in item.entities:
        if e.outcome not in (Outcome.NOT_MET, Outcome.NO_DATA):
            continue
        f = figures(e.evidence, prec)
        covered.update(e.reasons)
        shown = _evidence_cell(f)
        if e.outcome is Outcome.NOT_MET:
            note: Cell = seq([Flags(e.flags), *_failed(e, prec, besides=e.evidence)])
            if e.evidence is not None and f.relation is not None:
                shown = named_relation(e, e.evidence, prec)
        else:
            note = seq([about(r, e.entity) for r in _specific(e.reasons)])
        rows.append((ident, Entity(e.entity), Verdict(e.outcome), shown, f.margin, note))
    if not item.entities and item.computed is Outcome.NOT_MET:
        f = figures(item.evidence, prec)
        who: Cell = Entity(item.evidence_entity) if item.evidence_entity else Plain(report.county)
        rows.append(
            (
                ident,
                who,
                Verdict(Outcome.NOT_MET),
                _named_item_evidence(item, f),
                f.margin,
                Flags(item_flags(item)),
            )
        )
    if item.computed is not None and item.computed is not Outcome.MET:
        for r in _specific(item.reasons):
            if r not in covered and item.computed is Outcome.NO_DATA:
                rows.append((ident, None, Verdict(Outcome.NO_DATA), None, None, Why(r)))
                covered.add(r)
    rows += _missing_shown_rows(item, ident, covered)
    if (
        item.headline is Outcome.NO_DATA
        and item.computed is None
        and not item.report_only
        and not item.reasons
    ):
        key = "not_stated" if item.self_status is not None else "no_answer"
        rows.append((ident, None, Verdict(Outcome.NO_DATA), None, None, say_cell(key)))
    return rows


def _missing_shown_rows(
    item: ItemResult, ident: Cell, covered: set[Reason]
) -> list[tuple[Cell, ...]]:
    """The reported values that could not be computed: the values whose reasons are the
    same share one row, and reasons already given above are not repeated (a value whose
    every reason is above says so)."""
    # key None: every reason is given above
    groups: dict[tuple[Reason, ...] | None, list[str]] = {}
    for s in item.shown:
        if s.value is None and s.name:
            rest = tuple(r for r in s.reasons if r not in covered)
            groups.setdefault(rest if rest or not s.reasons else None, []).append(s.name)
    rows: list[tuple[Cell, ...]] = []
    for reasons, names in groups.items():
        label = seq([Plain(n) for n in names], "name_sep")
        if reasons is None:
            why: Cell = say_cell("no_data_above")
        elif reasons:
            why = seq([Why(r) for r in reasons])
        else:
            why = say_cell("no_data_value")
        row = say_cell("labelled", label=label, text=why)
        rows.append((ident, None, Verdict(Outcome.NO_DATA), None, None, row))
    return rows


# ------------------------------------------------------------------ dispositions

_DISPOSITIONS = _columns("entity", "action", "reason", "setting", "into", "share")


def disposition_sections(report: Report) -> list[Section]:
    """Every entity the population pass left out, merged or split, with its reason."""
    if not report.dispositions:
        return []
    # an entity left out is not also listed as split (a 0 % share of a segment without
    # students): one row per entity, the one that says what happened to it
    left_out = {d.entity for d in report.dispositions if d.action == "left_out"}
    rows = tuple(
        (
            Entity(d.entity),
            say_cell(f"action.{d.action}"),
            about(d.reason, d.entity),
            Setting(d.setting) if d.setting else None,
            Entity(d.into) if d.into else None,
            Num(d.share, PERCENT, 2) if d.share is not None else None,
        )
        for d in report.dispositions
        if not (d.action == "split" and d.entity in left_out)
    )
    return [
        Section(
            "dispositions",
            say_cell("t.dispositions"),
            (Table(_DISPOSITIONS, rows),),
            say_cell("t.dispositions_sheet"),
        )
    ]


# ------------------------------------------------------------------ data problems

_PROBLEMS = _columns("code", "file", "location", "field", "value", "problem")


def problems_section(
    problems: Sequence[DataProblemLike], load: LoadLike | None, per_code: int | None = None
) -> Section:
    """The data problems and the rows read, used and rejected.

    Args:
        problems: the data problems, in the load's order.
        load: the load accounting, or ``None``.
        per_code: list at most this many problems of each code, then one row per code
            that says how many more there are and where (``None``: list every one).
            The heading always counts every problem.
    """
    counts = _load_cell(load)
    table = Table(_PROBLEMS, _listed_rows(problems, per_code))
    if not problems and counts is None:
        # text and HTML say "none"; a workbook still has the (empty) sheet
        blocks_none = (Para(say_cell("t.no_problems")), table)
        return Section("problems", None, blocks_none, say_cell("t.problems"))
    blocks: list[Any] = [Para(counts)] if counts is not None else []
    blocks.append(table)
    return Section(
        "problems",
        say_cell("t.problems_count", n=len(problems)),
        tuple(blocks),
        say_cell("t.problems"),
    )


_NOTICES = _columns("code", "file", "location", "field", "value", "note")


def notices_of(load: LoadLike | None) -> tuple[DataProblemLike, ...]:
    """The load's notices (:attr:`eduint.data.loading.LoadResult.notices`: D012,
    D040–D043), or none."""
    return tuple(getattr(load, "notices", None) or ())


def notices_section(load: LoadLike | None, per_code: int | None = None) -> Section | None:
    """The notes of the load that are not problems (a field another rule set declares,
    the school list not declared complete, how figures were read, how the county was
    named), or ``None`` when there are none; ``per_code`` as in :func:`problems_section`."""
    notices = notices_of(load)
    if not notices:
        return None
    return Section(
        "notices",
        say_cell("t.notices", n=len(notices)),
        (Table(_NOTICES, _listed_rows(notices, per_code)),),
        say_cell("t.notices_sheet"),
    )


def _load_cell(load: LoadLike | None) -> Cell:
    if load is None:
        return None
    parts = [
        say_cell(key, n=n)
        for key, n in (
            ("rows_read", load.rows_read),
            ("rows_used", load.rows_used),
            ("rows_rejected", load.rows_rejected),
        )
        if n is not None
    ]
    return seq(parts, "count_sep") if parts else None


def _listed_rows(
    problems: Sequence[DataProblemLike], per_code: int | None
) -> tuple[tuple[Cell, ...], ...]:
    """The rows of a problem table: every problem, or the first ``per_code`` of each code
    followed by one row per code and file that counts the rest (a file whose rows are
    repeated thousands of times gives as many problems; a reader wants the kinds and
    where they are, the full list stays in the JSON, CSV and XLSX reports)."""
    if per_code is None or len(problems) <= per_code:
        return tuple(_problem_row(p) for p in problems)
    shown: dict[str, int] = {}
    rest: dict[tuple[str, str], list[DataProblemLike]] = {}
    rows: list[tuple[Cell, ...]] = []
    for p in problems:
        code = str(getattr(p, "code", "") or "")
        if shown.get(code, 0) < per_code:
            shown[code] = shown.get(code, 0) + 1
            rows.append(_problem_row(p))
        else:
            rest.setdefault((code, p.file), []).append(p)
    rows.extend(_more_row(code, file, left) for (code, file), left in rest.items())
    return tuple(rows)


def _more_row(code: str, file: str, left: Sequence[DataProblemLike]) -> tuple[Cell, ...]:
    """One row for the problems of ``code`` in ``file`` not listed: how many, over which
    rows or lines."""
    places = [n for p in left if (n := p.row if p.row is not None else getattr(p, "line", None))]
    where = say_cell("rows_span", first=min(places), last=max(places)) if places else None
    return (
        Plain(code),
        Plain(file),
        where,
        None,
        Plain(""),
        say_cell("t.more_problems", n=len(left)),
    )


def _problem_row(p: DataProblemLike) -> tuple[Cell, ...]:
    sheet, row, line = p.sheet, p.row, getattr(p, "line", None)
    where: list[Cell] = [Plain(sheet)] if sheet else []
    if row is not None:
        where.append(say_cell("row", n=row))
    elif line is not None:
        where.append(say_cell("line", n=line))
    if p.path:
        where.append(Plain(p.path))
    return (
        Plain(str(getattr(p, "code", "") or "")),
        Plain(p.file),
        seq(where, "space"),
        Field(p.field) if p.field else None,
        Plain(_show_value(p.value)),
        Problem(getattr(p, "code", None), p.message, getattr(p, "hint", None)),
    )


def _show_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:59] + "…"


# ------------------------------------------------------------------ provisional, overrides


def provisional_cell(u: ProvisionalUse) -> Cell:
    """One provisional value, setting, period or rule used, with why it is provisional."""
    name: Cell = Plain(u.name)
    if u.kind == "setting":
        name = Setting(u.name)
    elif u.kind == "key":
        name = Symbol(u.name)  # a keyed value's key: 小学 → primary
        if u.title is not None:
            name = seq([Authored(u.title), name], "dot")
    elif u.title is not None and u.title.en:
        # a value or rule by its name in Chinese (as the rule text writes it), by its
        # English title in English
        name = Authored(Text(u.name, u.title.en))
    text = u.reason
    reason: Cell = Authored(text) if text is not None else say_cell("provisional.no_reason")
    if u.kind == "period" and u.period is not None:
        period = Period(u.period.start, u.period.end)
        return say_cell("provisional.period", name=name, period=period, reason=reason)
    key = f"provisional.{u.kind}"
    return say_cell(
        key if key in _PROVISIONAL_KINDS else "provisional.value", name=name, reason=reason
    )


_PROVISIONAL_KINDS = {
    "provisional.value",
    "provisional.key",
    "provisional.setting",
    "provisional.rule",
}

_OVERRIDES = _columns("name", "kind", "old", "new", "change")


def _override_row(o: object) -> tuple[Cell, ...]:
    """One override (:class:`eduint.checking.overrides.Override`: read by its fields, so
    that reporting does not depend on the override mechanism): what it changed, by label,
    old → new, and how it moves strictness (an uncited loosening said so)."""

    def get(key: str) -> Any:
        return getattr(o, key, None)

    kind = getattr(get("kind"), "value", get("kind"))
    name = str(get("name"))
    shown: Cell = Setting(name) if kind == "setting" else Plain(name)
    if kind != "setting" and get("title"):
        shown = Authored(Text(get("title"), get("title_en")))
    if get("key"):
        shown = seq([shown, Symbol(str(get("key")))], "dot")
    verdict = getattr(get("verdict"), "value", get("verdict"))
    return (
        shown,
        say_cell(f"override.{kind}") if kind in ("setting", "value") else None,
        _rule_value(get("old")),
        _rule_value(get("new")),
        say_cell(f"override.{verdict}") if f"override.{verdict}" in WORDS else None,
    )


def _rule_value(text: object) -> Cell:
    """A value as rule text (``0.40``, ``40 人``); ``true``/``false`` worded (是/否)."""
    if text is None:
        return None
    if text in ("true", "false"):
        return say_cell("yes" if text == "true" else "no")
    return Plain(str(text))


def overrides_table(overrides: Sequence[object]) -> Table | None:
    """The overrides of the run (``--set``), old → new, with their strictness verdict;
    ``None`` when there are none."""
    if not overrides:
        return None
    return Table(_OVERRIDES, tuple(_override_row(o) for o in overrides))
