"""Issue 20, Explain: ``eduint explain`` and ``Report.explain`` — from the data's cells to a
rule's verdict, built from the evaluation trace the record engine keeps on request.

On the bundled synthetic county (the workbook and the folder of CSV files) with
``youzhi-junheng-2017-resource``: a failing school's explanation names the cell (file,
sheet, row, column, text) of every input figure of the rule; the intermediate values
recompute the verdict and the report's value; a 差异系数 lists its schools, weights and
CV; a provincial file's override is named as what set the threshold; Chinese and
English; and a report evaluated without ``trace=True`` holds no trace.
"""

from __future__ import annotations

import json
import re
import string
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import eduint
from eduint import cli
from eduint.core import values as v
from eduint.engine import evaluator
from eduint.engine.explain import ExplainError, Explanation, Step
from eduint.engine.results import Outcome, Quantity, Report
from eduint.reporting.explain import EXPLAIN_WORDS, explain_json, explain_text

ROOT = Path(__file__).parents[1]
XLSX = ROOT / "examples" / "synthetic-county-2019.xlsx"
CSV = ROOT / "examples" / "synthetic-county-2019-csv"
RULES = "youzhi-junheng-2017-resource"
FAILING = "SX005"  # 石桥乡中心小学: 骨干教师 0.735 < 0.85 人/百人 (85 % of 1)

PROVINCE = """\
ruleset 省资源 "某省资源配置（示例）" {
  extends youzhi_junheng_2017_resource
}

document 省办法 "某省实施办法（示例）" {
  number "某教督〔2020〕1号"
}

override value 骨干教师标准 = by segment {
  小学: 1.2 人/百人,
  初中: 1.2 人/百人
} source 省办法 "第三条"

override 差异系数_骨干教师 {
  require cv(per100(县级以上骨干教师数, 在校生数) over 学段) <= 0.40
}
"""


def _traced(data: Path, rules: str = RULES) -> tuple[Report, Report]:
    """The report ``eduint.run`` gives, and the same county evaluated with a trace."""
    result = eduint.run(rules, data)
    county = result.counties[0]
    assert county.load is not None
    traced = evaluator.evaluate(
        result.ruleset, county.load.county, trace=True, cells=county.load.provenance
    )
    return county.report, traced


@pytest.fixture(scope="module", params=[XLSX, CSV], ids=["xlsx", "csv"])
def reports(request: pytest.FixtureRequest) -> tuple[Path, Report, Report]:
    data: Path = request.param
    plain, traced = _traced(data)
    return data, plain, traced


def _cli(*args: str) -> Any:
    return CliRunner().invoke(cli.main, ["explain", *args])


# ------------------------------------------------------------------ the trace


def test_the_trace_is_off_by_default(reports: tuple[Path, Report, Report]) -> None:
    """A report evaluated normally holds no trace and cannot be explained; one evaluated
    with ``trace=True`` is the same report (every result equal) and holds one."""
    _, plain, traced = reports
    assert plain.trace is None
    assert traced.trace is not None
    assert plain == traced
    with pytest.raises(ExplainError, match="trace=True"):
        plain.explain("学校达标")


# ------------------------------------------------------- cells of every figure


def _leaves(x: Explanation) -> list[Step]:
    return [s for s in x.steps if s.kind in ("figure", "weight")]


def test_a_failing_school_names_the_cell_of_every_input(
    reports: tuple[Path, Report, Report],
) -> None:
    """Every input figure of 学校达标 for the failing school has its file, sheet, row,
    column and the cell's text, re-read from the file, which is the figure; and every figure the report lists for that school is among them."""
    data, plain, traced = reports
    x = traced.explain("学校达标", FAILING)
    assert x.entity is not None and x.entity.key == f"{FAILING}/小学"
    assert x.choice == "given" and x.outcome is Outcome.NOT_MET
    figures = x.figures()
    assert len(figures) >= 9  # 7 indicators' figures, 在校生数, the indoor sports area
    for f in figures:
        src = f.source
        assert src is not None, f
        assert Path(src.file).name in (data.name, "学校.csv")
        assert src.row > 1 and src.column >= 1
        assert re.fullmatch(r"[A-Z]+\d+", src.cell) and src.cell.endswith(str(src.row))
        # the cell's text, re-read from the file, is the figure (the example's 教学仪器设备值
        # column is headed 万元: the figure is in 元)
        assert src.raw is not None and isinstance(f.value, Quantity)
        scale = 10000 if f.field.name == "equipment_value" else 1
        assert Decimal(src.raw.replace(",", "")) * scale == f.value.value, (src, f)
    listed = {(i.entity, i.field) for i in plain.item("学校达标").inputs}
    mine = {
        (i.entity, i.field)
        for i in plain.item("学校达标").inputs
        if i.entity.key.split("/")[0] == FAILING
    }
    assert mine and mine <= {(f.entity, f.field) for f in figures} <= listed


def test_the_command_prints_row_and_column_of_every_figure() -> None:
    """``eduint explain`` on the failing school prints, for each figure, its row, its
    column letter and its cell text."""
    result = _cli(str(XLSX), "--rules", RULES, "学校达标", "--entity", FAILING)
    assert result.exit_code == 0, result.output
    _, traced = _traced(XLSX)
    x = traced.explain("学校达标", FAILING)
    for f in x.figures():
        assert f.source is not None
        col = f.source.cell.rstrip("0123456789")
        line = f"第 {f.source.row} 行，第 {col} 列（{f.source.cell}），原文“{f.source.raw}”"
        assert line in result.stdout, line


# ---------------------------------------------------- values recompute the verdict


def _number(q: object) -> Any:
    assert isinstance(q, Quantity), q
    return q.value


def _recompute(x: Explanation, s: Step) -> Any:
    """A step's value computed again from the values of the steps it uses."""
    vals = [x.steps[i].value for i in s.uses]
    if s.kind == "compare":
        return v.compare(s.op or "", _number(vals[0]), _number(vals[1]))
    a, b = _number(vals[0]), _number(vals[1])
    if s.op == "per100":
        return v.div(v.mul(a, 100), b)
    return {"+": v.add, "-": v.sub, "*": v.mul, "/": v.div}[s.op or ""](a, b)


def test_the_values_recompute_the_verdict(reports: tuple[Path, Report, Report]) -> None:
    """Every ratio, per-100 figure, product and comparison equals what its operands
    give; the requirement's step is false and the report's verdict 未达到; the
    comparisons are the report's, with the same values, in the same order."""
    _, plain, traced = reports
    x = traced.explain("学校达标", FAILING)
    checked = 0
    for s in x.steps:
        if s.kind in ("arith", "compare") or s.op == "per100":
            assert _recompute(x, s) == (_number(s.value) if s.kind != "compare" else s.value)
            checked += 1
    # the 7 indicators, then the and-chain as evaluated: at_least's 7 comparisons, and
    # the 85 % floors up to the first that fails (L2: ``and`` stops there)
    assert checked == 7 + 7 + 2 * 2
    assert x.result is not None and x.steps[x.result].value is False
    shown = next(e for e in plain.item("学校达标").entities if e.entity == x.entity)
    assert shown.outcome is Outcome.NOT_MET == x.outcome
    ours = [(x.steps[i].value, x.steps[x.steps[i].uses[0]].value) for i in x.comparisons]
    theirs = [(c.met, c.left) for c in shown.comparisons]
    assert ours == theirs
    assert x.evidence == shown.evidence


def test_without_entity_the_first_failing_one_is_explained(
    reports: tuple[Path, Report, Report],
) -> None:
    """Without an entity, a rule per school segment lists its entities with their
    outcomes and explains the first 未达到, and says so."""
    _, plain, traced = reports
    x = traced.explain("每所学校（学段）7项指标至少6项达到、其余不低于85%")  # by its title
    assert x.rule == "学校达标" and x.choice == "first_failing"
    assert [e for e, _ in x.entities] == [e.entity for e in plain.item("学校达标").entities]
    first = next(e for e, o in x.entities if o is Outcome.NOT_MET)
    assert x.entity == first
    assert "未指定对象：说明第一个未达到的对象" in explain_text(x, "zh")
    assert "no entity given: the first one not met is explained" in explain_text(x, "en")


# ---------------------------------------------------------------- 差异系数


def test_a_cv_explanation_lists_schools_weights_and_the_cv(
    reports: tuple[Path, Report, Report],
) -> None:
    """The 小学 差异系数 of 骨干教师: each 小学 with its figure, its weight (在校生数, from
    its cell) and its share of the variance; the mean, variance and CV² recomputed from
    them are the evaluated CV's; the comparison with 0.50 fails, as the report says."""
    _, plain, traced = reports
    x = traced.explain("差异系数_骨干教师", "小学")
    cv_steps = [s for s in x.steps if s.kind == "cv"]
    assert len(cv_steps) == 1 and cv_steps[0].cv is not None
    s, d = cv_steps[0], cv_steps[0].cv
    segments = [e for e in plain.item("学校达标").entities if e.entity.segment == "小学"]
    assert [m.entity for m in d.members] == [e.entity for e in segments]
    weights = {st.entity: st for st in x.steps if st.kind == "weight"}
    for m in d.members:
        w = weights[m.entity]
        assert w.value == m.weight and w.figures and w.figures[0].source is not None
        assert w.figures[0].field.name == "students"
    assert sum(m.share for m in d.members) == 1
    # recompute from the members: mean = ΣPX/ΣP, variance = ΣP(X-mean)²/ΣP
    ps = [Fraction(m.weight.value) for m in d.members]  # type: ignore[arg-type]
    xs = [Fraction(m.value.value) for m in d.members]  # type: ignore[arg-type]
    mean = sum(p * x for p, x in zip(ps, xs, strict=True)) / sum(ps)
    var = sum(p * (x - mean) ** 2 for p, x in zip(ps, xs, strict=True)) / sum(ps)
    assert d.mean is not None and d.mean.value == mean and d.variance == var
    cv = s.value
    assert isinstance(cv, Quantity) and isinstance(cv.value, v.Interval)
    assert cv.value.square == d.square == var / mean**2
    (i,) = x.comparisons
    assert x.steps[i].value is False and x.outcome is Outcome.NOT_MET
    assert x.steps[x.steps[i].uses[0]] is s
    text = explain_text(x, "zh")
    for m in d.members:
        assert m.entity.name is not None and m.entity.name in text
    assert "差异系数 = 标准差 ÷ 平均 = 0.5008" in text


# ------------------------------------------------------------ layered rules


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("province") / "prov.rules"
    path.write_text(PROVINCE, encoding="utf-8")
    return path


def test_a_provincial_override_is_named_as_what_set_the_threshold(province: Path) -> None:
    """A provincial file that overrides 骨干教师标准 (1.2 人/百人) and the 骨干教师 CV
    rule (≤ 0.40): the explanation names the provincial file (and line) as what set
    those thresholds, with its citation, and the national file for the others."""
    _, traced = _traced(XLSX, str(province))
    x = traced.explain("学校达标", FAILING)
    by_name = {
        x.steps[i].threshold.name: x.steps[i].threshold  # type: ignore[union-attr]
        for i in x.comparisons
    }
    ours = by_name["骨干教师标准"]
    assert ours is not None and ours.set_by is not None
    assert Path(ours.set_by.file).name == "prov.rules" and ours.set_by.line == 10
    assert ours.layer == "own" and ours.key == ("小学",)
    assert [str(c) for c in ours.sources] == ["某教督〔2020〕1号 第三条"]
    national = by_name["高学历教师标准"]
    assert national is not None and national.set_by is not None
    assert national.set_by.file == "bundled:youzhi-junheng-2017-resource.rules"
    assert national.layer == "extended"
    text = explain_text(x, "zh")
    assert "prov.rules:10（本省文件 省资源）" in text
    assert "bundled:youzhi-junheng-2017-resource.rules:28（所扩展的上级文件" in text

    cv = traced.explain("差异系数_骨干教师", "小学")
    (i,) = cv.comparisons
    t = cv.steps[i].threshold
    assert t is not None and t.name is None and t.set_by is not None
    assert Path(t.set_by.file).name == "prov.rules" and t.layer == "own"
    assert "this provincial file, 省资源" in explain_text(cv, "en")


# ------------------------------------------------------------------ languages


def test_chinese_and_english() -> None:
    """The same explanation in both languages: the headings and verdict words of each,
    the English text without the Chinese catalogue words; every entry of the
    catalogue has both texts with the same placeholders and no ideograph in English."""
    _, traced = _traced(XLSX)
    x = traced.explain("学校达标", FAILING)
    zh, en = explain_text(x, "zh"), explain_text(x, "en")
    assert "一、输入数据" in zh and "来源：" in zh and "未达到" in zh
    assert "1. Input figures" in en and "from: " in en and "not met" in en
    for word in ("来源", "输入数据", "计算过程", "成立", "设定于", "未达到"):
        assert word not in en
    for key, m in EXPLAIN_WORDS.items():
        assert m.zh and m.en, key
        names = {n for _, n, _, _ in string.Formatter().parse(m.zh) if n}
        assert names == {n for _, n, _, _ in string.Formatter().parse(m.en) if n}
        assert not re.search(r"[\u3400-\u9fff]", m.en), key


def test_json() -> None:
    """``--format json``: the structured explanation, numbers with their exact form."""
    result = _cli(str(XLSX), "--rules", RULES, "差异系数_骨干教师", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["rule"] == "差异系数_骨干教师" and doc["choice"] == "first_failing"
    (cv,) = [s for s in doc["steps"] if s["kind"] == "cv"]
    assert len(cv["cv"]["members"]) == 5 and cv["cv"]["cv"]["bracket"] is True
    _, traced = _traced(XLSX)
    assert doc == json.loads(json.dumps(explain_json(traced.explain("差异系数_骨干教师"))))


# ------------------------------------------------------------------ mistakes


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["学校达", "--entity", FAILING], ["no rule '学校达'", "near names: 学校达标"]),
        (["学校达标", "--entity", "SX0O5"], ["no entity 'SX0O5'", "near names:", "SX005/小学"]),
        (["资源配置"], ["no rule '资源配置'"]),
    ],
)
def test_mistakes_are_one_line_with_near_names(args: list[str], words: list[str]) -> None:
    """An unknown rule or entity: exit 2, one line on stderr naming near names, no
    traceback."""
    result = _cli(str(XLSX), "--rules", RULES, *args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for w in words:
        assert w in lines[0]
    assert "Traceback" not in result.output


# ------------------------------------------------------- every bundled rule set


@pytest.mark.parametrize(
    "rules",
    [
        "youzhi-junheng-2017",
        "jiben-junheng-2012",
        "chengxiang-yitihua-2018",
        "guangdong-youzhi-2017",
    ],
)
def test_a_traced_evaluation_gives_the_same_report(rules: str) -> None:
    """With every bundled rule set, the traced evaluation's report equals the ordinary
    one, and every rule with a requirement and entities explains in both languages with
    its requirement's value matching the report's outcome (true: 达到; false: 未达到 or
    基本达到; unknown: 缺少数据 or 不适用)."""
    plain, traced = _traced(ROOT / "examples" / "synthetic-county-2019.yaml", rules)
    assert plain == traced
    explained = 0
    for item in plain.items:
        try:
            x = traced.explain(item.id)
        except ExplainError:
            continue
        explain_text(x, "zh")
        explain_text(x, "en")
        if x.result is None:  # not evaluated: the rule does not apply to the entity
            assert x.applies is not None and x.steps[x.applies].value is False
            assert x.outcome is Outcome.NOT_APPLICABLE
            assert "适用条件" in explain_text(x, "zh")
            continue
        value = x.steps[x.result].value
        expected = {
            True: {Outcome.MET},
            False: {Outcome.NOT_MET, Outcome.BASICALLY_MET},
        }.get(value, {Outcome.NO_DATA, Outcome.NOT_APPLICABLE})  # type: ignore[call-overload]
        assert x.outcome in expected, (item.id, value, x.outcome)
        explained += 1
    assert explained >= 4


def test_a_class_names_its_row_of_the_class_sheet() -> None:
    """A rule per class (班额): the class's size comes from its row of the 班级 sheet, and
    the cell there holds the class's size; 120 classes are listed as a dozen and counts."""
    _, traced = _traced(XLSX, "youzhi-junheng-2017")
    x = traced.explain("(五)")
    assert x.entity is not None and x.entity.scope == "class" and x.outcome is Outcome.NOT_MET
    (f,) = x.figures()
    assert f.source is not None and f.source.sheet == "班级"
    assert isinstance(f.value, Quantity) and f.source.raw == str(f.value.value)
    text = explain_text(x, "zh")
    assert "……另 108 个未列出" in text and len(text.splitlines()) < 40


def test_a_rule_the_county_answers_has_nothing_to_explain() -> None:
    """A rule without a requirement (the county's own answer, 自评): one line, exit 2."""
    result = _cli(str(XLSX), "--rules", "chengxiang-yitihua-2018", "2.1")
    assert result.exit_code == 2
    assert "computes no verdict from the data" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_docs_show_real_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/explain.md shows what ``eduint explain`` prints for the synthetic county's
    小学 差异系数 of 骨干教师, line for line."""
    monkeypatch.chdir(ROOT)
    result = _cli("examples/synthetic-county-2019.xlsx", "--rules", RULES, "差异系数_骨干教师")
    assert result.exit_code == 0, result.output
    doc = (ROOT / "docs" / "explain.md").read_text(encoding="utf-8")
    assert "```\n" + result.stdout + "```\n" in doc
