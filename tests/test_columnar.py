"""The columnar engine (issue 18): engine choice, identical reports, exact verdicts.

* ``eduint.run(..., engine=…)`` and ``eduint check --engine …``: the same reports and
  summary from both engines, the summary coming from the columns;
* a rule the columnar engine cannot compile (``outcome(RULE)``) falls back to the record
  engine, rule by rule, and the result says so;
* a 差异系数 exactly on its limit that float64 puts on the wrong side is decided
  exactly, and the decisions that took the exact path are counted;
* ``eduint check --example baoshan-2018 --engine auto`` (one county) imports no numpy,
  and numpy is imported only inside ``eduint.engine.columnar``.
"""

from __future__ import annotations

import ast
import datetime
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import attrs
import numpy as np
import pytest
from click.testing import CliRunner

import eduint
from eduint import cli
from eduint.data import models
from eduint.data.spreadsheets import write_tables
from eduint.engine.columnar import evaluate_many
from eduint.engine.evaluator import evaluate
from eduint.engine.results import Outcome
from eduint.testing.generators import _cv_county

from ._columnar import compare

REPO = Path(__file__).resolve().parent.parent
BAOSHAN = REPO / "examples" / "baoshan-2018.yaml"
SYNTHETIC = REPO / "examples" / "synthetic-county-2019.yaml"


@pytest.fixture(scope="module")
def two_counties() -> list[models.County]:
    """The two example counties (their own rule sets differ: both are run under one)."""
    a = attrs.evolve(eduint.load_county(BAOSHAN).county, code="310113")
    b = attrs.evolve(eduint.load_county(SYNTHETIC).county, name="另一县", code="999999")
    return [a, b]


@pytest.mark.parametrize("rules", ["youzhi-junheng-2017", "chengxiang-yitihua-2018"])
def test_run_gives_the_same_reports_and_summary_from_both_engines(
    two_counties: list[models.County], rules: str
) -> None:
    """engine="columnar" and "auto" (two counties) give the record engine's reports, and a
    summary from the columns equal to the record engine's."""
    record = eduint.run(rules, two_counties)
    columnar = eduint.run(rules, two_counties, engine="columnar")
    auto = eduint.run(rules, two_counties, engine="auto")
    assert (record.engine, columnar.engine, auto.engine) == ("record", "columnar", "columnar")
    assert record.columnar is None and columnar.columnar is not None
    assert columnar.reports == record.reports == auto.reports
    assert columnar.summary == record.summary
    assert list(columnar.summary.outcomes) == list(record.summary.outcomes)
    res = columnar.columnar
    assert compare(res, list(record.reports)) == []
    assert res.report(1) == record.reports[1]
    assert res.summary().fallback == ()


def test_auto_takes_the_record_engine_for_one_small_county(two_counties: list[models.County]) -> None:
    """One county of a few schools: auto is the record engine; an unknown engine is an error."""
    assert eduint.run("youzhi-junheng-2017", two_counties[0], engine="auto").engine == "record"
    with pytest.raises(eduint.EduintError, match="unknown engine"):
        eduint.run("youzhi-junheng-2017", two_counties[0], engine="fast")


def test_cli_engine_gives_the_same_output(tmp_path: Path, two_counties: list[models.County]) -> None:
    """`eduint check BOOK --engine columnar` prints what --engine record prints, --detail
    included, and exits the same."""
    book = tmp_path / "two.xlsx"
    write_tables(two_counties, book, rules="youzhi_junheng_2017")
    runner = CliRunner()
    outs = {}
    for engine in ("record", "columnar", "auto"):
        r = runner.invoke(cli.main, ["check", str(book), "--detail", "--engine", engine])
        assert r.exception is None or isinstance(r.exception, SystemExit), r.output
        outs[engine] = (r.exit_code, r.output)
    assert outs["record"] == outs["columnar"] == outs["auto"]
    assert "另一县" in outs["record"][1]
    bad = runner.invoke(cli.main, ["check", str(book), "--engine", "fast"])
    assert bad.exit_code == 2


_OUTCOME_RULES = """\
ruleset 复用 "复用结论" { version "1" }
value 班额上限 = 45 人
rule 班额 {
  scope segment [小学, 初中]
  require count(over 班级 where 班额 > 班额上限) == 0
}
rule 复用 {
  scope segment [小学, 初中]
  require outcome(班额) == 达到 and 在校生数 >= 100 人
}
"""


def test_a_rule_that_does_not_compile_falls_back_and_says_so(
    tmp_path: Path, two_counties: list[models.County]
) -> None:
    """outcome(RULE) is evaluated by the record engine, for that rule only; the result
    lists it with why, and the verdicts are the record engine's."""
    path = tmp_path / "reuse.rules"
    path.write_text(_OUTCOME_RULES, encoding="utf-8")
    rs = eduint.load_ruleset(str(path))
    res = evaluate_many(rs, two_counties)
    assert [rid for rid, _ in res.summary().fallback] == ["复用"]
    assert "班额" not in res.fallback
    assert compare(res, [evaluate(rs, c) for c in two_counties]) == []
    book = tmp_path / "two.xlsx"
    write_tables(two_counties, book)
    args = ["check", str(book), "--rules", str(path), "--engine"]
    r = CliRunner().invoke(cli.main, [*args, "columnar"])
    assert "由逐条引擎计算：复用" in r.stderr
    record = CliRunner().invoke(cli.main, [*args, "record"])
    assert "逐条引擎" not in record.stderr
    assert (r.exit_code, r.stdout) == (record.exit_code, record.stdout)


def _float_cv(x: list[float], p: list[float]) -> float:
    """The 差异系数 as perfref's ref_numpy.py computes it in float64."""
    xs, ps = np.asarray(x), np.asarray(p)
    mean = (ps * xs).sum() / ps.sum()
    d = xs - mean
    return float(np.sqrt((ps * (d * d)).sum() / ps.sum()) / mean)


def _two_schools(students: int, above: tuple[int, int]) -> models.County:
    schools = tuple(
        models.School(
            id=f"S{i}", name=f"S{i}", kind=models.SchoolKind.PRIMARY,
            segments=(models.SchoolSegment(
                models.Segment.PRIMARY,
                students=models.Figure.exact(students),
                teachers_above_degree=models.Figure.exact(a),
            ),),
        )
        for i, a in enumerate(above)
    )  # fmt: skip
    return models.County(
        name="临界县", code="100001", schools=schools, schools_complete=True,
        as_of=datetime.date(2020, 9, 1),
    )  # fmt: skip


def test_cvs_on_their_limit_take_the_exact_path_and_float_misjudges_one() -> None:
    """Two schools of 57 students with 3 and 1 高学历教师: the CV of per100 is exactly
    0.5 = its limit (达到), but float64 computes 0.5000000000000001 (未达到).  eduint
    says 达到, as the record engine does, and counts the exact-path decisions."""
    rs = eduint.load_ruleset("youzhi-junheng-2017-resource")
    rule = "差异系数_高学历教师"
    misjudged = _two_schools(57, (3, 1))
    x = [a * 100.0 / 57 for a in (3, 1)]
    assert _float_cv(x, [57.0, 57.0]) > 0.5  # float64's verdict: 未达到
    on_limit = [
        misjudged,
        _cv_county("小学", "teachers_above_degree", Fraction(1, 2), 2),
        _cv_county("初中", "backbone_teachers", Fraction(9, 20), 3),
    ]
    res = evaluate_many(rs, on_limit)
    reports = [evaluate(rs, c) for c in on_limit]
    assert compare(res, reports) == []
    _rows, outcomes = res.entity_outcomes(rule)
    assert outcomes.reshape(-1, 2)[0, 0] == 1  # 达到 (code 1) for the 小学 of county 0
    assert reports[0].item(rule).headline is Outcome.MET
    assert res.stats.near >= 3  # each CV on its limit was within its float bound
    assert res.summary().exact_path == res.stats.near


#: Modules outside the columnar engine that may import numpy (inside functions only):
#: the synthetic national data of eduint synth and the national reader (issue 19), which
#: are numpy arrays.
NUMPY_ALSO = ("testing/synth.py", "testing/_synth_", "data/national/")


def test_numpy_is_imported_only_inside_the_columnar_engine() -> None:
    """No module outside eduint.engine.columnar (and eduint synth's and the national
    reader's) imports numpy, and none at module level."""
    src = REPO / "src" / "eduint"
    for path in src.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        posix = path.as_posix()
        inside = "engine/columnar" in posix or any(m in posix for m in NUMPY_ALSO)
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] == "numpy" for n in names):
                assert inside, f"{path} imports numpy"
        if inside:
            for node in tree.body:  # module level: only under TYPE_CHECKING
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    mod = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                    assert (mod or "").split(".")[0] != "numpy", f"{path} imports numpy eagerly"


def test_check_example_with_engine_auto_imports_no_numpy() -> None:
    """`eduint check --example baoshan-2018 --engine auto` (one county): no numpy."""
    code = (
        "import sys\n"
        "from eduint.cli import main\n"
        "try:\n"
        "    main(['check', '--example', 'baoshan-2018', '--engine', 'auto'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write('NUMPY %s' % ('numpy' in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "宝山区" in proc.stdout
    assert "NUMPY False" in proc.stderr


def test_the_api_doc_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/api.md's columnar example runs as written from the repository root."""
    doc = (REPO / "docs" / "api.md").read_text(encoding="utf-8")
    head = "## Many counties at once: the columnar engine\n\n```python\n"
    code = doc.split(head, 1)[1].split("```", 1)[0]
    monkeypatch.chdir(REPO)
    ns: dict[str, object] = {}
    exec(compile(code, "docs/api.md", "exec"), ns)  # noqa: S102 - our own doc
    result, col = ns["result"], ns["col"]
    assert (result.engine, result.summary.counties) == ("columnar", 2)  # type: ignore[attr-defined]
    assert col.summary().fallback == ()  # type: ignore[attr-defined]
    assert col.report(1) == result.reports[1]  # type: ignore[attr-defined]
    assert len(ns["codes"]) == len(ns["rows"])  # type: ignore[arg-type]


@pytest.mark.parametrize("stem", [r.stem for r in eduint.rulesets()])
def test_every_bundled_rule_set_compiles_fully(stem: str) -> None:
    """No rule of a bundled rule set needs the record engine as a fallback."""
    from eduint.engine.columnar.result import _compiled

    rs = eduint.load_ruleset(stem)
    _comp, programs = _compiled(rs)
    assert [(r.id, programs[id(r)].fallback) for r in rs.rules() if programs[id(r)].fallback] == []


def test_comparisons_whose_products_overflow_int64_are_decided_with_python_integers() -> None:
    """``a/b >= c/d`` with numerators and denominators near 2⁵⁰: the rows whose
    cross-products could overflow int64 are compared with Python integers, the others in
    int64, and every verdict equals the exact Fraction comparison."""
    from eduint.engine.columnar import _values as V

    rng = np.random.default_rng(7)
    size = 200
    big = 2**50
    an = rng.integers(1, big, size, dtype=np.int64)
    ad = rng.integers(1, big, size, dtype=np.int64)
    an[::3] = rng.integers(1, 1000, len(an[::3]))  # small rows: int64 suffices
    ad[::3] = rng.integers(1, 1000, len(ad[::3]))
    bn, bd = an.copy(), ad.copy()
    bn[1::2] += 1  # half the rows differ by one in the numerator: a/b < c/d exactly
    a = V.Num(size, an, ad, int(an.max()), int(ad.max()), True)
    b = V.Num(size, bn, bd, int(bn.max()), int(bd.max()), True)
    stats = V.Stats()
    got = V.compare(">=", a, b, stats)
    exact = [Fraction(int(x), int(y)) >= Fraction(int(z), int(w))
             for x, y, z, w in zip(an, ad, bn, bd, strict=True)]  # fmt: skip
    assert np.asarray(got.v).tolist() == exact
    assert stats.big_compares > 0 and stats.int_compares > 0
    assert stats.big_compares + stats.int_compares == size
