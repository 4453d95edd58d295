"""The HTML report's charts, its self-containment, the many-county page, and the notebook
fragments (issue 21).

The page must open offline on a government network: no byte of it may name a URL, a
protocol-relative address, a font to download or a script.  The charts are inline SVG
drawn by eduint (reporting/svg.py), each with a text alternative, labelled in Chinese.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import eduint
from eduint import cli
from eduint.reporting import charts, html
from eduint.reporting.svg import BarRow, bar_chart, histogram

from ._html import RESOURCE, largest_county

ROOT = Path(__file__).resolve().parents[1]
COUNTY = ROOT / "examples" / "synthetic-county-2019.yaml"
MB = 1_000_000

#: What a self-contained page may not hold (case-insensitive): any URL or address, a
#: font or style import, a script.
FORBIDDEN = (b"http", b"//", b"@font-face", b"@import", b"url(", b"<script", b"<link", b"src=")


def forbidden_in(page: bytes) -> list[bytes]:
    """The forbidden strings found in a page."""
    low = page.lower()
    return [f for f in FORBIDDEN if f in low]


def svgs(page: str) -> list[str]:
    """Every inline ``<svg>`` element of a page."""
    return re.findall(r"<svg\b.*?</svg>", page, flags=re.S)


@pytest.fixture(scope="module")
def county_report() -> eduint.Report:
    return eduint.run("youzhi_junheng_2017", COUNTY).reports[0]


def test_county_page_has_its_charts_and_nothing_external(county_report: eduint.Report) -> None:
    page = html.html_report(county_report)
    raw = page.encode("utf-8")
    assert [] == forbidden_in(raw)
    assert len(raw) < MB
    found = svgs(page)
    # 学校达标: one chart per indicator (7), then one 差异系数 chart per county segment (2)
    assert len(found) == 9
    titles = [re.search(r"<title>(.*?)</title>", s).group(1) for s in found]  # type: ignore[union-attr]
    assert titles[:7] == [
        f"学校达标：{n}"
        for n in (
            "高学历教师",
            "骨干教师",
            "体艺教师",
            "教学用房",
            "体育场馆",
            "仪器设备",
            "多媒体教室",
        )
    ]
    assert titles[7:] == ["差异系数：示例县（合成数据） 小学", "差异系数：示例县（合成数据） 初中"]
    for s in found:
        assert 'role="img"' in s and "<desc>" in s
    # one bar row per school segment (8), with the 85 % band where the floor was compared
    first = found[0]
    assert first.count("城关第一小学 小学") >= 1 and first.count('class="thr"') == 8
    assert 'class="band"' in first
    # the font stack is in the CSS, no font is loaded
    assert f"font-family:{html.FONT_STACK}" in page and '"WenQuanYi Micro Hei"' in page


def test_failing_school_is_red_and_met_blue(county_report: eduint.Report) -> None:
    chart = charts.indicator_charts(county_report)[0]
    rows = re.findall(r'<rect class="(b-[a-z]+)"[^>]*><title>([^<]*)</title>', chart.svg)
    by_name = {name.split(":")[0]: css for css, name in rows}
    item = county_report.item("学校达标")
    for e in item.entities:
        c = next(c for c in e.comparisons if c.subject == "高学历教师")
        name = f"{e.entity.name} {e.entity.segment}"
        assert (by_name[name] == "b-ok") == bool(c.met and c.right is not None)


def test_charts_are_escaped_and_missing_values_are_not_zero() -> None:
    svg = bar_chart(
        [BarRow("<甲&乙>", None, 1.0), BarRow("丙", 2.0, 1.0, met=True)],
        title="a<b",
        desc="x&y",
    )
    assert "&lt;甲&amp;乙&gt;" in svg and "<title>a&lt;b</title>" in svg
    assert "缺少数据" in svg and svg.count('<rect class="b-') == 1
    hist = histogram([0.1, 0.2, float("nan"), 0.6], [(0.5, "限值 0.5")], title="t", desc="d")
    assert hist.count('class="lim"') == 1 and "3 个" not in hist
    assert sum(int(n) for n in re.findall(r": (\d+) 个</title>", hist)) == 3


def test_english_page_has_english_chart_words(county_report: eduint.Report) -> None:
    page = html.html_report(county_report, lang="en")
    assert "Charts: each school&#39;s indicators" in page or "Charts: each school's" in page
    assert "Coefficients of variation:" in page


def test_rules_without_named_indicators_have_no_indicator_chart() -> None:
    report = eduint.run(None, COUNTY).reports[0]  # 城乡一体化: no rule names indicators
    assert charts.indicator_charts(report) == []
    assert "<svg" not in html.html_report(report)


def test_report_repr_html_is_a_fragment(county_report: eduint.Report) -> None:
    frag = county_report._repr_html_()
    assert frag is not None and frag.startswith('<div class="eduint-report">')
    assert "<html" not in frag and "<script" not in frag.lower() and "<table>" in frag
    assert [] == forbidden_in(frag.encode("utf-8"))
    assert "学校达标" in frag


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("numpy")
    pytest.importorskip("pyarrow")
    path = tmp_path_factory.mktemp("synth") / "s1.parquet"
    r = CliRunner().invoke(
        cli.main, ["synth", "--scale", "0.01", "--seed", "1", "--output", str(path)]
    )
    assert r.exit_code == 0, r.output
    return path


def test_many_counties_page(national: Path, tmp_path: Path) -> None:
    out = tmp_path / "many.html"
    r = CliRunner().invoke(
        cli.main,
        ["check", str(national), *RESOURCE, "--summary", "--format", "html", "-o", str(out)],
    )
    assert r.exit_code in (0, 1), r.output
    raw = out.read_bytes()
    assert [] == forbidden_in(raw) and len(raw) < MB
    page = raw.decode("utf-8")
    found = svgs(page)
    assert len(found) == 7  # one histogram per 差异系数 rule
    assert all('class="lim"' in s and "<desc>" in s for s in found)
    assert "差异系数_高学历教师：各县域学段差异系数分布" in page
    assert page.count("<tr>") >= 28  # a row per county


def test_largest_county_page_is_under_a_megabyte(national: Path, tmp_path: Path) -> None:
    code, n = largest_county(national)
    assert n >= 70
    out = tmp_path / "county.html"
    r = CliRunner().invoke(
        cli.main,
        [
            "check",
            str(national),
            *RESOURCE,
            "--summary",
            "--county",
            code,
            "--format",
            "html",
            "-o",
            str(out),
        ],
    )
    assert r.exit_code in (0, 1), r.output
    raw = out.read_bytes()
    assert [] == forbidden_in(raw)
    assert len(raw) < MB, f"{len(raw)} bytes for {n} schools"
    assert len(svgs(raw.decode("utf-8"))) >= 7


def test_columnar_result_repr_html() -> None:
    import datetime

    pytest.importorskip("numpy")

    from eduint.engine.columnar import evaluate_many

    counties = [eduint.load_county(COUNTY).county] * 2
    res = evaluate_many(
        eduint.load_ruleset("youzhi_junheng_2017"), counties, datetime.date(2021, 6, 30)
    )
    from eduint.reporting import notebook

    assert notebook.html_fragment(res) is not None  # registered as eduint.run would

    frag = res._repr_html_()
    assert frag is not None and frag.startswith('<div class="eduint-report">')
    assert "各县区汇总" in frag and frag.count("示例县（合成数据）") >= 2
    assert "<html" not in frag and "<script" not in frag.lower()


def test_gaps_html_is_the_report_with_its_gap_list(tmp_path: Path) -> None:
    """`eduint gaps --format html`: the county's page, charts included, with the 整改清单
    section listing what `eduint gaps` prints."""
    out = tmp_path / "gaps.html"
    args = ["gaps", str(COUNTY), "--rules", "youzhi_junheng_2017"]
    r = CliRunner().invoke(cli.main, [*args, "--format", "html", "-o", str(out)])
    assert r.exit_code == 1, r.output
    page = out.read_text(encoding="utf-8")
    assert [] == forbidden_in(page.encode("utf-8")) and len(svgs(page)) == 9
    section = page[page.index('<section class="gaps">') :]
    text = CliRunner().invoke(cli.main, args).output
    first_fix = next(x for x in text.splitlines() if "→" in x).strip()
    assert "<h2>整改清单</h2>" in section and first_fix in section.replace("&gt;", ">")
    assert '<section class="gaps">' not in html.html_report(
        eduint.run("youzhi_junheng_2017", COUNTY).reports[0]
    )
