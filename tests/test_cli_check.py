"""``eduint check``, ``eduint rules`` and ``eduint examples``: output, files and exit codes.

Exit codes of ``check``: 0 when no verdict is 未达到; 1 when one is (with ``--strict``
also 基本达到 or 缺少数据); 2 for a user error (rules that do not check, a file that
cannot be read, a bad command line), never with a traceback; 3 for a bug.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import openpyxl
import pytest
from click.testing import CliRunner, Result
from wcwidth import wcswidth

from eduint import api, cli
from eduint.checking.resolver import default_resolver
from eduint.data.errors import DataProblem
from eduint.data.models import County

REPO = Path(__file__).resolve().parents[1]
TINY_RULES = REPO / "tests" / "golden" / "reports" / "tiny.rules"
SCHEMA = json.loads(
    (REPO / "docs" / "schema" / "eduint-report-v2.schema.json").read_text(encoding="utf-8")
)

# The tiny county of tests/test_reporting.py as a data file: school B fails item 1,
# the county's 约98 teachers fail 2.2, and one value is bad (a data problem).
FAILING = """\
eduint_data_version: 1
rules: tiny.rules
name: 示例县
code: "000001"
as_of: 2019-09-01
full_time_teachers: 约98
attestations:
  "1": {status: 达到, evidence: 生师比均达标}
  "2.1": {status: 试行, evidence: 已出台试行办法}
  "3": 未说明
schools_complete: true
schools:
  - id: A
    name: 育人小学
    segments:
      小学: {students: 400, full_time_teachers: 25, classes_complete: true, classes: [{size: 58}]}
  - id: B
    name: 明德小学
    segments:
      小学: {students: 500, full_time_teachers: 20, classes_complete: true, classes: [{size: 45}]}
  - id: C
    name: 新星小学
    segments:
      小学: {students: 约300, full_time_teachers: 十二}
"""

# Nothing 未达到: 2.1 is 试行 (基本达到) and 3 is 未说明 (缺少数据), so only --strict fails.
PASSING = """\
rules: tiny.rules
name: 示例县
as_of: 2019-09-01
full_time_teachers: 120
attestations:
  "2.1": 试行
  "3": 未说明
schools_complete: true
schools:
  - id: A
    name: 育人小学
    segments:
      小学: {students: 400, full_time_teachers: 25, classes_complete: true, classes: [{size: 40}]}
"""

# Everything 达到: exits 0 even with --strict.
ALL_MET = """\
rules: tiny.rules
name: 示例县
as_of: 2019-09-01
full_time_teachers: 120
attestations:
  "2.1": 达到
  "3": 达到
schools_complete: true
schools:
  - id: A
    name: 育人小学
    segments:
      小学: {students: 400, full_time_teachers: 25, classes_complete: true, classes: [{size: 40}]}
"""


def _write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding tiny.rules and the data files, made current."""
    (tmp_path / "tiny.rules").write_text(TINY_RULES.read_text(encoding="utf-8"), encoding="utf-8")
    _write(tmp_path, "failing.yaml", FAILING)
    _write(tmp_path, "passing.yaml", PASSING)
    _write(tmp_path, "all_met.yaml", ALL_MET)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    """Run ``eduint ARGS`` in-process, stdout and stderr kept apart (``COLUMNS`` unset,
    so text is fitted to 100 columns unless ``env`` says otherwise)."""
    return CliRunner().invoke(
        cli.main, list(args), prog_name="eduint", env={"COLUMNS": None, **(env or {})}
    )


def _no_traceback(result: Result) -> None:
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr


# ------------------------------------------------------------------ exit codes


def test_failing_county_exits_1_with_table(workdir: Path) -> None:
    """A county with a 未达到 verdict exits 1; the default output is the summary table, the
    overall verdict, every data problem and the warnings."""
    result = run("check", "failing.yaml")
    assert result.exit_code == 1, result.output
    out = result.stdout
    header = next(ln for ln in out.splitlines() if ln.startswith("章节"))
    assert header.split() == [
        "章节",
        "项目",
        "要求",
        "自评",
        "核算",
        "结论",
        "数值",
        "标准",
        "依据",
        "标记",
    ]
    assert "总体结论：未达到（示例县；tiny_report 0.1；截至 2019-09-01，数据注明）" in out
    assert "数据问题（共 1 条）" in out
    assert "D020" in out and "十二" in out and "取值类型不对，按缺少处理" in out
    assert "注意" in out and "由约数计算，按所填数值使用" in out
    # not a terminal: the tables are fitted to 100 columns
    assert max(wcswidth(ln) for ln in out.splitlines()) <= 100
    wide = run("check", "failing.yaml", env={"COLUMNS": "300"}).stdout
    assert "第24行 schools[2].segments.小学.full_time_teachers" in wide


def test_no_not_met_exits_0_and_strict_exits_1(workdir: Path) -> None:
    """基本达到 and 缺少数据 verdicts exit 0, but 1 with --strict."""
    assert run("check", "passing.yaml").exit_code == 0
    strict = run("check", "passing.yaml", "--strict")
    assert strict.exit_code == 1
    assert "基本达到" in strict.stdout and "缺少数据" in strict.stdout


def test_all_met_exits_0_even_with_strict(workdir: Path) -> None:
    """When every verdict is 达到 (or report-only), --strict still exits 0."""
    result = run("check", "all_met.yaml", "--strict")
    assert result.exit_code == 0, result.output
    assert "总体结论：达到" in result.stdout


def test_missing_data_file_exits_2_without_traceback(workdir: Path) -> None:
    """A data file that does not exist: exit 2, one clear message naming it, no traceback."""
    result = run("check", "nope.yaml", "--rules", "tiny.rules")
    assert result.exit_code == 2
    assert "nope.yaml" in result.stderr
    assert "cannot read" in result.stderr or "No such file" in result.stderr
    assert result.stdout == ""
    _no_traceback(result)


def test_rules_that_do_not_check_exit_2(workdir: Path) -> None:
    """Rules with an error: the diagnostics are printed, nothing is evaluated, exit 2."""
    _write(workdir, "bad.rules", 'item 1 "x" {\n  scope county\n  require 学生人数 >= 1 人\n}\n')
    result = run("check", "failing.yaml", "--rules", "bad.rules")
    assert result.exit_code == 2
    assert "bad.rules:3:" in result.stderr and "error[E" in result.stderr
    assert "nothing was evaluated" in result.stderr
    _no_traceback(result)


def test_unexpected_exception_is_exit_3(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug inside check is an internal error (exit 3) with its traceback."""
    import eduint.engine.evaluator

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(eduint.engine.evaluator, "evaluate", boom)
    result = run("check", "failing.yaml")
    assert result.exit_code == 3
    assert "internal error in eduint" in result.stderr and "RuntimeError: boom" in result.stderr


def test_help_documents_exit_codes() -> None:
    """check --help lists the exit codes and the options."""
    result = run("check", "--help")
    assert result.exit_code == 0
    for text in ("Exit codes:", "--strict", "--rules", "--as-of", "--format", "--example"):
        assert text in result.stdout
    assert "未达到" in result.stdout


# ------------------------------------------------------------------ choosing the rules


def test_rules_named_by_the_data_file_are_relative_to_it(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``rules: tiny.rules`` in a data file is found next to the data file."""
    sub = workdir / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)
    result = run("check", "../failing.yaml")
    assert result.exit_code == 1, result.output
    assert "tiny_report" in result.stdout


def test_no_rules_anywhere_lists_bundled(workdir: Path) -> None:
    """A data file naming no rules, and no --rules: exit 2, listing the bundled rule sets."""
    _write(workdir, "norules.yaml", "name: 某县\nas_of: 2019-09-01\n")
    result = run("check", "norules.yaml")
    assert result.exit_code == 2
    assert "--rules" in result.stderr
    assert "chengxiang-yitihua-2018 (id chengxiang_yitihua_2018)" in result.stderr
    _no_traceback(result)


@pytest.mark.parametrize("name", ["chengxiang-yitihua-2018", "chengxiang_yitihua_2018"])
def test_bundled_rules_by_stem_or_id(workdir: Path, name: str) -> None:
    """--rules matches a bundled rule file by file stem or by ruleset id."""
    _write(workdir, "county.yaml", "name: 宝山区\nas_of: 2018-12-31\nregion: 中部\n")
    result = run("check", "county.yaml", "--rules", name)
    assert result.exit_code in (0, 1), result.output
    assert "城乡义务教育一体化改革发展专项督导自查清单" in result.stdout


def test_unknown_rules_name_exits_2(workdir: Path) -> None:
    """An unknown --rules name: exit 2, the bundled rule sets listed."""
    result = run("check", "failing.yaml", "--rules", "no-such-rules")
    assert result.exit_code == 2
    assert "no-such-rules" in result.stderr and "chengxiang-yitihua-2018" in result.stderr


def test_data_file_naming_unknown_rules_exits_2(workdir: Path) -> None:
    """A data file whose ``rules:`` names nothing known: exit 2 with the name in the message."""
    _write(workdir, "odd.yaml", "rules: 不存在的规则\nname: 某县\n")
    result = run("check", "odd.yaml")
    assert result.exit_code == 2
    assert "不存在的规则" in result.stderr
    _no_traceback(result)


def test_rules_option_overrides_data_file(workdir: Path) -> None:
    """--rules wins over the data file's rules, with a note on stderr."""
    (workdir / "copy.rules").write_text(TINY_RULES.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("check", "failing.yaml", "--rules", "copy.rules")
    assert result.exit_code == 1
    assert "说明：采用命令行指定的规则集 copy.rules；数据文件指定的是 tiny.rules" in result.stderr
    en = run("check", "failing.yaml", "--rules", "copy.rules", "--lang", "en")
    assert "note: --rules copy.rules is used; the data file names 'tiny.rules'" in en.stderr


def test_resolve_rules() -> None:
    """The resolver finds bundled files by stem, relative path and id, and None otherwise."""
    resolver = default_resolver()
    by_stem = resolver.find("chengxiang-yitihua-2018")
    assert by_stem is not None and by_stem.name == "chengxiang-yitihua-2018.rules"
    assert resolver.find("chengxiang_yitihua_2018") == by_stem
    assert resolver.find("chengxiang-yitihua-2018.rules") == by_stem
    assert resolver.find("nothing-like-it") is None


def test_unknown_rules_name_suggests_the_closest(workdir: Path) -> None:
    """A misspelt --rules name: the message keeps its form and adds a did-you-mean."""
    result = run("check", "failing.yaml", "--rules", "chengxiang-yitihua-2081")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "error: --rules chengxiang-yitihua-2081: no such rule file or bundled rule set "
        "(did you mean 'chengxiang-yitihua-2018'?); bundled rule sets: "
    )


# ------------------------------------------------------------------ --as-of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018-12-31", datetime.date(2018, 12, 31)),
        ("2018-2019", datetime.date(2018, 9, 1)),
        ("2018/2019", datetime.date(2018, 9, 1)),
        ("2018学年", datetime.date(2018, 9, 1)),
        ("2018-2019学年", datetime.date(2018, 9, 1)),
        ("２０１８学年", datetime.date(2018, 9, 1)),
    ],
)
def test_parse_as_of(text: str, expected: datetime.date) -> None:
    """A date is itself; a school year means 1 September of its first year."""
    assert cli.parse_as_of(text) == expected


@pytest.mark.parametrize("text", ["2018-2020", "2018-13-01", "2018", "soon", ""])
def test_parse_as_of_rejects(text: str) -> None:
    """Non-consecutive years, impossible dates, a bare year and words are refused."""
    with pytest.raises(ValueError):
        cli.parse_as_of(text)


def test_as_of_option(workdir: Path) -> None:
    """--as-of is used for the evaluation (basis 'argument'); a bad value is a usage error."""
    result = run("check", "failing.yaml", "--as-of", "2018-2019", "--format", "json")
    doc = json.loads(result.stdout)
    assert (doc["as_of"], doc["as_of_basis"]) == ("2018-09-01", "argument")
    bad = run("check", "failing.yaml", "--as-of", "2018-2020")
    assert bad.exit_code == 2
    assert "--as-of" in bad.stderr and "consecutive" in bad.stderr


# ------------------------------------------------------------------ formats


def test_json_format_validates_and_cites_the_files(workdir: Path) -> None:
    """--format json writes the versioned document with data problems and provenance
    (checksums of the exact files used)."""
    result = run("check", "failing.yaml", "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, SCHEMA)
    assert len(doc["data_problems"]) == 1
    assert doc["data_problems"][0]["value"] == "十二"
    prov = doc["provenance"]
    assert prov["data_file"] == "failing.yaml"
    assert (
        prov["data_sha256"] == hashlib.sha256((workdir / "failing.yaml").read_bytes()).hexdigest()
    )
    assert prov["rules_sha256"] == hashlib.sha256((workdir / "tiny.rules").read_bytes()).hexdigest()
    assert prov["ruleset_id"] == "tiny_report"


@pytest.mark.parametrize("fmt", ["simple", "github", "grid", "plain"])
def test_text_formats(workdir: Path, fmt: str) -> None:
    """Every text format prints the summary and the overall verdict."""
    result = run("check", "failing.yaml", "--format", fmt, "--lang", "en")
    assert result.exit_code == 1
    assert "self-assessment" in result.stdout
    assert "Overall verdict: not met" in result.stdout


def test_detail_option(workdir: Path) -> None:
    """--detail adds the failing schools and the missing figures."""
    result = run("check", "failing.yaml", "--detail")
    assert "明细：未达到的对象与缺少的数据" in result.stdout
    assert "明德小学 小学" in result.stdout
    assert "明细" not in run("check", "failing.yaml").stdout


def test_html_format(workdir: Path) -> None:
    """--format html writes a page."""
    result = run("check", "failing.yaml", "--format", "html")
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert "<table>" in result.stdout


def test_output_option_writes_the_file(workdir: Path) -> None:
    """--output writes the report to a file and says so."""
    result = run("check", "failing.yaml", "--output", "out.txt")
    assert result.exit_code == 1
    assert "已写入 out.txt" in result.stdout
    assert "章节" in (workdir / "out.txt").read_text(encoding="utf-8")


def test_csv_default_name_with_bom_and_provenance(workdir: Path) -> None:
    """--format csv without --output writes DATA-STEM-report.csv here, with its provenance;
    data problems go to stderr since the CSV has no place for them."""
    result = run("check", "failing.yaml", "--format", "csv")
    assert result.exit_code == 1
    assert "已写入 failing-report.csv" in result.stdout
    assert "已写入 failing-report.provenance.json" in result.stdout
    assert (workdir / "failing-report.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    prov = json.loads((workdir / "failing-report.provenance.json").read_text(encoding="utf-8"))
    assert prov["data_file"] == "failing.yaml"
    assert "十二" in result.stderr


def test_xlsx_output(workdir: Path) -> None:
    """--format xlsx --output writes the workbook with its sheets and frozen headers."""
    result = run("check", "failing.yaml", "--format", "xlsx", "-o", "r.xlsx", "--lang", "zh")
    assert result.exit_code == 1
    assert "已写入 r.xlsx" in result.stdout
    wb = openpyxl.load_workbook(workdir / "r.xlsx")
    assert {"汇总", "明细", "数据问题", "来源"} <= set(wb.sheetnames)
    assert all(ws.freeze_panes == "A2" for ws in wb.worksheets)
    assert wb["数据问题"].max_row == 2


def test_output_to_missing_directory_exits_2(workdir: Path) -> None:
    """An output file that cannot be written is a user error (exit 2), not a traceback."""
    result = run("check", "failing.yaml", "--output", "no/such/dir/out.txt")
    assert result.exit_code == 2
    _no_traceback(result)


# ------------------------------------------------------------------ data problems, seam


def test_every_data_problem_and_row_counts_are_printed(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """All data problems are printed, with rows read/used/rejected when the loader counts them."""
    real = api._load_data

    @attrs.frozen
    class Counted:
        county: County
        problems: tuple[DataProblem, ...]
        source: str
        sha256: str
        rules: str | None
        rows_read: int = 12
        rows_used: int = 10
        rows_rejected: int = 2

    def fake(path: Path, extra: Any, limits: Any = None) -> Any:
        loaded = real(path, extra, limits)
        many = tuple(
            DataProblem("failing.yaml", f"schools[{i}].students", "students", f"坏{i}", "bad")
            for i in range(25)
        )
        return Counted(loaded.county, many, loaded.source, loaded.sha256, loaded.rules)

    monkeypatch.setattr(api, "_load_data", fake)
    result = run("check", "failing.yaml")
    assert "数据问题（共 25 条）" in result.stdout
    assert "读取 12 行，采用 10 行，拒绝 2 行" in result.stdout
    for i in range(25):
        assert f"坏{i} " in result.stdout or result.stdout.rstrip().endswith(f"坏{i}")


# ------------------------------------------------------------------ usage errors


def test_data_and_example_together_is_a_usage_error(workdir: Path) -> None:
    """DATA and --example are exclusive; giving neither is also a usage error."""
    both = run("check", "failing.yaml", "--example", "x")
    assert both.exit_code == 2 and "not both" in both.stderr
    neither = run("check")
    assert neither.exit_code == 2 and "--example" in neither.stderr


def test_unknown_example_exits_2(workdir: Path) -> None:
    """An unknown example name: exit 2, naming it."""
    result = run("check", "--example", "no-such-example")
    assert result.exit_code == 2
    assert "unknown example 'no-such-example'" in result.stderr


def test_example_option_runs_a_bundled_example(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--example NAME runs the bundled example with that file stem."""
    monkeypatch.setattr(cli, "bundled_examples", lambda: [workdir / "failing.yaml"])
    result = run("check", "--example", "failing", "--format", "json")
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["provenance"]["data_file"] == "failing.yaml"


def test_evaluation_without_a_date_exits_2(workdir: Path) -> None:
    """Dated rules and a data file with no date: exit 2 asking for --as-of."""
    _write(workdir, "nodate.yaml", "name: 宝山区\n")
    result = run("check", "nodate.yaml", "--rules", "chengxiang-yitihua-2018")
    assert result.exit_code == 2
    assert "--as-of" in result.stderr
    _no_traceback(result)


# ------------------------------------------------------------------ rules, examples


def test_rules_command_lists_bundled_rule_sets() -> None:
    """eduint rules lists each bundled rule set with id, title, version and file."""
    result = run("rules")
    assert result.exit_code == 0
    line = next(ln for ln in result.stdout.splitlines() if "chengxiang_yitihua_2018" in ln)
    assert "城乡义务教育一体化改革发展专项督导自查清单" in line
    assert "2018.1" in line and "chengxiang-yitihua-2018.rules" in line


def test_examples_command(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """eduint examples lists the bundled examples by name, or says there are none."""
    monkeypatch.setattr(cli, "bundled_examples", lambda: [])
    assert run("examples").stdout == "no bundled examples\n"
    example = tmp_path / "某县.yaml"
    example.write_text("name: 某县\n", encoding="utf-8")
    monkeypatch.setattr(cli, "bundled_examples", lambda: [example])
    monkeypatch.setattr(cli, "resource_dir", lambda kind: tmp_path)
    result = run("examples")
    assert result.exit_code == 0
    assert "某县" in result.stdout and "某县.yaml" in result.stdout


def test_wrap_option(workdir: Path) -> None:
    """--wrap N wraps wide cells in text tables; a too small N is a usage error."""
    result = run("check", "failing.yaml", "--format", "grid", "--wrap", "12")
    assert result.exit_code == 1
    assert "小学生师比不高于上限" not in result.stdout  # wrapped over two lines
    assert "小学生师比不" in result.stdout
    assert run("check", "failing.yaml", "--wrap", "3").exit_code == 2
