"""The issue's "Done means" for layering: a provincial file that extends
``youzhi-junheng-2017-resource`` and overrides its rules and values is refused where the
strictness proof finds it looser (with its file:line:col, both values and a verified
counterexample), passes where it is stricter, and passes with ``relax … because`` where
a document allows it, the relaxation recorded with its citation and expiry.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest

import eduint
from eduint.checking.changes import ChangeKind
from eduint.data.loading import load_county_text
from eduint.engine.evaluator import evaluate
from eduint.engine.results import Outcome
from eduint.errors import RuleCheckError

HEADER = """\
ruleset 广东资源 "广东省资源配置（示例）" {
  extends youzhi_junheng_2017_resource
}

document 粤教督2020 "广东省实施办法（示例）" {
  number "粤教督〔2020〕1号"
}

"""
CV = "require cv(per100(高于规定学历教师数, 在校生数) over 学段) <= {}"
INDICATORS = {
    "高学历教师标准": ("4.2", "5.3", "人/百人"),
    "骨干教师标准": ("1", "1", "人/百人"),
    "体艺教师标准": ("0.9", "0.9", "人/百人"),
    "教学用房标准": ("4.5", "5.8", "平方米/人"),
    "体育场馆标准": ("7.5", "10.2", "平方米/人"),
    "仪器设备标准": ("2000", "2500", "元/人"),
    "多媒体教室标准": ("2.3", "2.4", "间/百人"),
}
LETS = dict(
    zip(
        INDICATORS,
        ("L1", "L2", "L3", "L4", "L5", "L6", "L7"),
        strict=True,
    )
)


def _load(tmp_path: Path, body: str) -> eduint.RuleSet:
    path = tmp_path / "guangdong.rules"
    path.write_text(HEADER + body, encoding="utf-8")
    return eduint.load_ruleset(path)


def _six_of_seven(k: int, band: str, factor: str = "") -> str:
    """学校达标's requirement with ``k`` of 7 and the floor band at ``band``."""
    scale = f"{factor} * " if factor else ""
    met = ", ".join(f"{LETS[v]} >= {scale}{v}" for v in INDICATORS)
    floors = " and ".join(f"{LETS[v]} >= {band} * {scale}{v}" for v in INDICATORS)
    return f"override 学校达标 {{\n  require at_least({k}, [{met}]) and {floors}\n}}\n"


def test_a_cv_limit_raised_to_060_is_refused_with_both_values_and_a_county_segment(
    tmp_path: Path,
) -> None:
    with pytest.raises(RuleCheckError) as exc:
        _load(tmp_path, "override 差异系数_高学历教师 {\n  " + CV.format("0.60") + "\n}\n")
    (d,) = exc.value.diagnostics
    assert d.code == "E317" and d.span is not None
    assert (d.span.file.endswith("guangdong.rules"), d.span.line, d.span.column) == (True, 9, 1)
    assert "小学: 0.5 → 0.6" in d.message and "初中: 0.45 → 0.6" in d.message
    assert d.detail is not None and "figures that meet this file and fail" in d.detail
    assert d.detail.count("- id: S") == 2  # a county segment of two schools
    assert "relax 差异系数_高学历教师 { … } because" in (d.hint or "")


def test_the_same_change_relaxed_passes_and_its_counterexample_is_real(tmp_path: Path) -> None:
    """With ``relax … because … until`` it passes and is recorded: the citation, the
    expiry, the verdict and a counterexample that the engine confirms (the parent fails
    it, the child meets it)."""
    rs = _load(
        tmp_path,
        "relax 差异系数_高学历教师 {\n  "
        + CV.format("0.60")
        + '\n} because 粤教督2020 "第七条" until 2025-12-31\n',
    )
    (change,) = rs.changes
    assert (change.kind, change.verdict) == (ChangeKind.RELAX, "looser")
    assert str(change.because) == "粤教督〔2020〕1号 第七条"
    assert change.until == datetime.date(2025, 12, 31)
    assert change.counterexample is not None
    county = load_county_text(change.counterexample, file="cx.yaml").county
    parent = eduint.load_ruleset("youzhi_junheng_2017_resource")
    day = county.as_of or datetime.date(2021, 9, 1)
    assert evaluate(parent, county).item("差异系数_高学历教师").computed is Outcome.NOT_MET
    assert evaluate(rs, county, as_of=day).item("差异系数_高学历教师").computed is Outcome.MET


def test_a_cv_limit_lowered_to_040_passes_as_stricter(tmp_path: Path) -> None:
    rs = _load(tmp_path, "override 差异系数_高学历教师 {\n  " + CV.format("0.40") + "\n}\n")
    (change,) = rs.changes
    assert (change.kind, change.verdict) == (ChangeKind.OVERRIDE, "stricter")
    assert [p[3] for p in change.parts] == ["stricter", "stricter"]


def test_thresholds_up_10_percent_with_the_band_at_80_percent_is_proved_stricter(
    tmp_path: Path,
) -> None:
    """All seven values +10 % (per key) and the band lowered to 80 % in the override of
    学校达标: 1.1 × 80 % = 88 % ≥ 85 %, so every change is stricter and the file passes."""
    values = "".join(
        f"override value {name} = by segment {{ 小学: {Decimal(a) * Decimal('1.1')} {u}, "
        f"初中: {Decimal(b) * Decimal('1.1')} {u} }}\n"
        for name, (a, b, u) in INDICATORS.items()
    )
    rs = _load(tmp_path, values + _six_of_seven(6, "80%"))
    assert len(rs.changes) == 8
    assert {c.verdict for c in rs.changes} == {"stricter"}


def test_five_of_seven_with_a_95_percent_band_is_refused_with_a_school(tmp_path: Path) -> None:
    with pytest.raises(RuleCheckError) as exc:
        _load(tmp_path, _six_of_seven(5, "95%"))
    (d,) = exc.value.diagnostics
    assert d.code == "E317" and "学校达标" in d.message
    assert d.detail is not None
    assert d.detail.count("- id: S") == 1  # one school
    assert re.search(r"segments:\n\s+(小学|初中):", d.detail)


def test_the_language_reference_example_checks() -> None:
    """The provincial example of docs/language.md (Layering) checks: its overrides are
    proved stricter, its relaxation is recorded."""
    text = (Path(__file__).parents[1] / "docs" / "language.md").read_text(encoding="utf-8")
    block = text.split("```eduint\nruleset 广东资源", 1)[1].split("```", 1)[0]
    rs = eduint.check_text("ruleset 广东资源" + block, file="language.md")
    kinds = [(c.kind, c.where, c.verdict) for c in rs.changes]
    assert kinds == [
        (ChangeKind.OVERRIDE, "差异系数_高学历教师", "stricter"),
        (ChangeKind.OVERRIDE, "仪器设备标准.初中", "stricter"),
        (ChangeKind.RELAX, "差异系数上限.初中", "looser"),
    ]


def _lint(*args: str) -> tuple[int, str]:
    from click.testing import CliRunner

    from eduint import cli

    result = CliRunner().invoke(cli.main, ["lint", *args], prog_name="eduint")
    return result.exit_code, result.output


def test_lint_strictness_of_a_file_that_extends_marks_its_relaxations(tmp_path: Path) -> None:
    """``eduint lint --strictness FILE``: every change of the file against its parent; a
    relaxed one is marked and passes (exit 0), an override the proof refuses is shown
    with its counterexample and fails (exit 1), though the file does not check."""
    path = tmp_path / "guangdong.rules"
    relaxed = (
        "relax 差异系数_高学历教师 {\n  " + CV.format("0.60") + '\n} because 粤教督2020 "第七条"\n'
    )
    path.write_text(HEADER + relaxed, encoding="utf-8")
    code, out = _lint("--strictness", str(path))
    assert code == 0, out
    assert "looser (relaxed)" in out and "1 relaxed with a citation" in out
    assert "against youzhi-junheng-2017-resource.rules (youzhi_junheng_2017_resource)" in out
    path.write_text(HEADER + relaxed.replace("relax", "override").split("} because")[0] + "}\n")
    code, out = _lint("--strictness", str(path))
    assert code == 1, out
    assert "looser" in out and "(relaxed)" not in out and "verified with the engine" in out


STRICTNESS_GOLDEN = Path(__file__).parent / "golden" / "strictness"


@pytest.mark.parametrize("name", ["keyed_value", "setting_loosened", "dated_value"])
def test_lint_strictness_of_a_layered_file_golden(
    name: str, monkeypatch: pytest.MonkeyPatch, update_golden: bool
) -> None:
    """``eduint lint --strictness NAME.layered.rules`` (a file that ``extends
    "parent.rules"``): a keyed value with one key tightened and one loosened, a setting
    changed in its loosening direction and a value loosened in one dated period each get
    their verdict per key and period (loosened ones with a verified counterexample),
    printed as NAME.layered.txt; exit 1 since none is relaxed."""
    monkeypatch.chdir(STRICTNESS_GOLDEN)
    code, out = _lint("--strictness", f"{name}.layered.rules")
    path = STRICTNESS_GOLDEN / f"{name}.layered.txt"
    if update_golden:
        path.write_text(out, encoding="utf-8")
    assert out == path.read_text(encoding="utf-8")
    assert code == 1 and "looser" in out and "(relaxed)" not in out
