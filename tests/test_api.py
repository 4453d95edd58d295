"""The check job as a library call (issue 12, item 5): :func:`eduint.rulesets`,
:func:`eduint.load_ruleset` and :func:`eduint.run` with its overrides; the CLI's
``--set`` is the same mechanism."""

from __future__ import annotations

import pickle
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

import eduint
from eduint import api, cli
from eduint.checking.overrides import OverrideKind
from eduint.checking.resolver import RuleResolver, UnknownRuleSetError
from eduint.checking.strictness import Strictness
from eduint.data.spreadsheets import write_tables
from eduint.engine.evaluator import evaluate
from eduint.engine.results import Outcome
from eduint.errors import RuleCheckError, RuleSyntaxError

REPO = Path(__file__).resolve().parents[1]
BAOSHAN = REPO / "examples" / "baoshan-2018.yaml"
SYNTHETIC = REPO / "examples" / "synthetic-county-2019.yaml"
RESOURCE = "youzhi_junheng_2017_resource"


# ------------------------------------------------------------------ rule sets


def test_rulesets_lists_the_bundled_ones() -> None:
    """Every bundled rule set with its id, stem, titles, version and file."""
    found = {r.id: r for r in eduint.rulesets()}
    assert set(found) == {
        "chengxiang_yitihua_2018",
        "jiben_junheng_2012",
        "youzhi_junheng_2017",
        "youzhi_junheng_2017_resource",
        "guangdong_jiben_2012",
        "guangdong_youzhi_2017",
        "hebei_youzhi_2017_resource",
    }
    one = found["youzhi_junheng_2017"]
    assert (one.stem, one.file, one.version) == (
        "youzhi-junheng-2017",
        "youzhi-junheng-2017.rules",
        "2017.1",
    )
    assert one.title == "县域义务教育优质均衡发展督导评估" and one.title_en


@pytest.mark.parametrize(
    "name",
    [
        "youzhi-junheng-2017",
        "youzhi_junheng_2017",
        str(REPO / "rules" / "youzhi-junheng-2017.rules"),
    ],
)
def test_load_ruleset_by_stem_id_or_path(name: str) -> None:
    """A bundled stem, a bundled id and a file path give the same checked rule set."""
    assert eduint.load_ruleset(name).id == "youzhi_junheng_2017"


def test_an_unknown_rule_set_suggests_the_closest() -> None:
    """An unknown name is eduint's own error, with a did-you-mean and the bundled list;
    it pickles."""
    with pytest.raises(UnknownRuleSetError) as info:
        eduint.load_ruleset("youzhi_junheng_2071")
    err = info.value
    assert isinstance(err, eduint.EduintError)
    assert err.suggestion == "youzhi_junheng_2017"
    assert "youzhi-junheng-2017 (id youzhi_junheng_2017)" in str(err)
    assert str(pickle.loads(pickle.dumps(err))) == str(err)


def test_a_resolver_of_ones_own(tmp_path: Path) -> None:
    """A resolver over another directory finds its files by stem and id (tests and
    ``extends`` pass their own); it reads nothing outside its roots."""
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "mine.rules").write_text(
        'ruleset my_rules "我的" {\n}\nrule r {\n  require 在校生数 >= 1 人\n}\n', encoding="utf-8"
    )
    outside = tmp_path / "outside.rules"
    outside.write_text("rule r { require 在校生数 >= 1 人 }\n", encoding="utf-8")
    resolver = RuleResolver(tmp_path / "rules", (tmp_path / "rules",))
    assert eduint.load_ruleset("my_rules", resolver=resolver).id == "my_rules"
    assert eduint.load_ruleset("mine", resolver=resolver).id == "my_rules"
    with pytest.raises(UnknownRuleSetError):
        eduint.load_ruleset(outside, resolver=resolver)
    assert [r.id for r in eduint.rulesets(resolver=resolver)] == ["my_rules"]


def test_rules_that_do_not_check_are_a_check_error(tmp_path: Path) -> None:
    """A rule file with a mistake raises RuleCheckError rendered with carets."""
    bad = tmp_path / "bad.rules"
    bad.write_text('rule r "r" {\n  require studnets >= 1 人\n}\n', encoding="utf-8")
    with pytest.raises(RuleCheckError, match="E101"):
        eduint.load_ruleset(bad)


# ------------------------------------------------------------------ run


def test_run_uses_the_rule_set_the_data_names() -> None:
    """Without rules, the data's own rule set is used; the report equals a direct
    evaluation; the provenance names the bundled file, both hashes and the version."""
    result = eduint.run(None, BAOSHAN, name="baoshan-2018.yaml")
    assert result.ruleset.id == "chengxiang_yitihua_2018"
    assert not result.rules_differ and result.rules_named_by_data == "chengxiang_yitihua_2018"
    (one,) = result.counties
    assert one.load is not None
    assert one.report == evaluate(result.ruleset, one.load.county)
    assert one.provenance.rules_file == "bundled:chengxiang-yitihua-2018.rules"
    assert one.provenance.data_file == "baoshan-2018.yaml"
    assert one.provenance.data_sha256 == one.load.sha256
    assert result.provenance is not None
    assert result.provenance.rules_sha256 == one.provenance.rules_sha256
    assert result.provenance.data == (("baoshan-2018.yaml", one.load.sha256),)
    assert result.provenance.eduint_version == eduint.__version__
    assert one.report.overrides == () and result.overrides == ()


def test_rules_given_win_and_say_so() -> None:
    """A rule set given wins over the data's own; the result says they differ."""
    result = eduint.run("jiben-junheng-2012", BAOSHAN)
    assert result.ruleset.id == "jiben_junheng_2012"
    assert result.rules_differ and result.rules_named_by_data == "chengxiang_yitihua_2018"


def test_run_takes_counties_as_objects() -> None:
    """A County, or a sequence of counties, is evaluated as given, in order, with a
    summary across them."""
    ruleset = eduint.load_ruleset("chengxiang-yitihua-2018")
    county = eduint.load_county(BAOSHAN).county
    other = attrs.evolve(county, name="另一县", code="999999", attestations=())
    one = eduint.run(ruleset, county)
    assert one.reports == (evaluate(ruleset, county),)
    both = eduint.run(ruleset, [county, other])
    assert [r.county for r in both.reports] == [county.name, "另一县"]
    s = both.summary
    assert s.counties == 2 and s.problems == 0 and s.rows_read is None
    assert s.overall == tuple(r.overall for r in both.reports)
    assert s.met + s.not_met <= 2
    assert sum(s.outcomes["1"].values()) == 2
    assert both.exit_code() == max(r.exit_code() for r in both.reports)
    assert both.counties[0].load is None and both.counties[0].problems == ()


def test_a_workbook_of_counties_in_sheet_order(tmp_path: Path) -> None:
    """A workbook of two counties: two results in the workbook's order, rows accounted."""
    county = attrs.evolve(eduint.load_county(BAOSHAN).county, code="310113")
    other = attrs.evolve(county, name="另一县", code="999999")
    book = tmp_path / "two.xlsx"
    write_tables([county, other], book, rules="chengxiang_yitihua_2018")
    result = eduint.run(None, book)
    assert [c.report.county for c in result.counties] == [county.name, "另一县"]
    assert result.summary.rows_read is not None and result.summary.rows_read > 0
    assert [name for name, _ in result.provenance.data] == [str(book), str(book)]  # type: ignore[union-attr]


def test_user_mistakes(tmp_path: Path) -> None:
    """No rule set at all, a data file naming an unknown one, and dated rules without a
    date are JobErrors whose text is the CLI's message."""
    data = tmp_path / "county.yaml"
    data.write_text("name: 某县\n", encoding="utf-8")
    with pytest.raises(api.JobError, match=r"^error: x\.yaml: no rule set"):
        eduint.run(None, data, name="x.yaml")
    odd = tmp_path / "odd.yaml"
    odd.write_text("rules: 不存在\nname: 某县\n", encoding="utf-8")
    with pytest.raises(api.JobError, match="names the rule set '不存在'"):
        eduint.run(None, odd)
    with pytest.raises(api.JobError, match="as-of"):
        eduint.run("chengxiang-yitihua-2018", data)


# ------------------------------------------------------------------ overrides


def _headline(result: eduint.RunResult, rule_id: str) -> Outcome | None:
    return result.reports[0].item(rule_id).headline


def test_a_keyed_value_override_changes_the_verdicts_it_should() -> None:
    """``差异系数上限.小学=0.51`` lets the 小学 CV 0.5008 of 骨干教师 pass: looser, an
    uncited relaxation; ``.初中=0.40`` is stricter and not flagged; both are listed on
    every report."""
    plain = eduint.run(RESOURCE, SYNTHETIC)
    assert _headline(plain, "差异系数_骨干教师") is Outcome.NOT_MET
    looser = eduint.run(RESOURCE, SYNTHETIC, values={"差异系数上限.小学": "0.51"})
    assert _headline(looser, "差异系数_骨干教师") is Outcome.MET
    (o,) = looser.overrides
    assert (o.kind, o.name, o.key, o.old, o.new) == (
        OverrideKind.VALUE,
        "差异系数上限",
        "小学",
        "0.50",
        "0.51",
    )
    assert o.verdict is Strictness.LOOSER and o.uncited
    assert (o.title, o.title_en) == ("校际差异系数上限", "inter-school CV limit")
    assert looser.reports[0].overrides == (o,)
    stricter = eduint.run(RESOURCE, SYNTHETIC, values=["差异系数上限.初中=0.40"])
    (s,) = stricter.overrides
    assert s.verdict is Strictness.STRICTER and not s.uncited
    # the other key is untouched
    assert stricter.ruleset.values["差异系数上限"].value.entries[0].keys == ("小学",)  # type: ignore[union-attr]


def test_a_setting_override_changes_the_verdicts_it_should() -> None:
    """``cv_over_available=true`` computes the CV of 仪器设备 over the schools that have
    the figure: 缺少数据 becomes 达到; a method change, so an uncited relaxation.  The
    Chinese label names the same setting."""
    plain = eduint.run(RESOURCE, SYNTHETIC)
    assert _headline(plain, "差异系数_仪器设备") is Outcome.NO_DATA
    for given in ({"cv_over_available": True}, {"差异系数按有数据学校计算": "true"}):
        changed = eduint.run(RESOURCE, SYNTHETIC, settings=given)
        assert _headline(changed, "差异系数_仪器设备") is Outcome.MET
        (o,) = changed.overrides
        assert (o.kind, o.name, o.old, o.new) == (
            OverrideKind.SETTING,
            "cv_over_available",
            "false",
            "true",
        )
        assert o.verdict is Strictness.METHOD and o.uncited
        assert o.title == "差异系数按有数据学校计算"


@pytest.mark.parametrize(
    ("argument", "verdict"),
    [
        ("室内体育用房扣除=false", Strictness.LOOSER),
        ("subtract_indoor_sports=true", Strictness.SAME),
        ("display_precision=2", Strictness.SAME),
        ("teaching_points=不计入", Strictness.METHOD),
        ("班额上限=40", Strictness.STRICTER),
        ("班额上限=60 人", Strictness.LOOSER),
        ("班额上限.初中=45 人", Strictness.STRICTER),
        ("学校规模上限=2500", Strictness.LOOSER),
        ("高学历教师标准.小学=5 人/百人", Strictness.STRICTER),
        ("小规模学校核定人数=120", Strictness.STRICTER),
        ("认可度标准=80%", Strictness.LOOSER),
        ("质量监测差异率上限=0.1", Strictness.STRICTER),
        ("基准定额=700 元/人", Strictness.LOOSER),
        ("培训经费比例下限=5%", Strictness.SAME),
    ],
)
def test_override_verdicts(argument: str, verdict: Strictness) -> None:
    """Each override's verdict: a setting by its direction, a value by the comparisons
    that use it (a floor raised is stricter, a ceiling raised looser; applicability
    widened is stricter); a bare number takes the value's unit."""
    ruleset = eduint.load_ruleset("youzhi_junheng_2017")
    changed, (o,) = eduint.checking.overrides.apply_overrides(ruleset, [argument])
    assert o.verdict is verdict
    assert o.uncited == (verdict in (Strictness.LOOSER, Strictness.METHOD, Strictness.UNDECIDED))
    assert o.argument == argument
    if o.kind is OverrideKind.VALUE and o.key is None:
        assert changed.values[o.name].sources[0].text == f"--set {argument}"


@pytest.mark.parametrize(
    ("argument", "code", "column"),
    [
        ("差异系数上限.高中=0.4", "E106", 8),
        ("基准定额.小学=3 元/人", "E106", 6),
        ("班额上限=40 元", "E201", 6),
        ("差异系数上限.初中=0.4 人", "E201", 11),
        ("室内体育用房扣除=3", "E309", 10),
        ("差异系数上线=0.4", "E107", 1),
    ],
)
def test_override_mistakes_are_diagnostics_on_the_argument(
    argument: str, code: str, column: int
) -> None:
    """A bad override is a check error whose position is in the ``--set`` argument."""
    ruleset = eduint.load_ruleset("youzhi_junheng_2017")
    with pytest.raises(RuleCheckError) as info:
        eduint.checking.overrides.apply_overrides(ruleset, [argument])
    (d,) = info.value.diagnostics
    assert (d.code, d.span.file, d.span.column) == (code, "--set", column)  # type: ignore[union-attr]
    assert argument in str(info.value)


def test_override_syntax_errors() -> None:
    """A value that does not parse is a syntax error on the argument; a request without
    ``=`` is eduint's error naming it; a Python value that is not rule text is refused."""
    ruleset = eduint.load_ruleset("youzhi_junheng_2017")
    with pytest.raises(RuleSyntaxError) as info:
        eduint.checking.overrides.apply_overrides(ruleset, ["班额上限=40 ("])
    assert info.value.diagnostics[0].span.column == 9  # type: ignore[union-attr]
    with pytest.raises(eduint.EduintError, match="expected NAME=VALUE"):
        eduint.checking.overrides.apply_overrides(ruleset, ["班额上限"])
    with pytest.raises(eduint.EduintError, match="cannot write"):
        eduint.run(RESOURCE, SYNTHETIC, values={"差异系数上限": object()})
    with pytest.raises(RuleCheckError, match="unknown value"):
        eduint.run(RESOURCE, SYNTHETIC, values={"cv_over_available": "true"})


# ------------------------------------------------------------------ the CLI


def _cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli.main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_cli_set_is_run_with_overrides() -> None:
    """``eduint check --set`` gives what ``eduint.run`` gives with the same overrides:
    the JSON report lists them."""
    import json

    code, out, _ = _cli(
        "check",
        str(SYNTHETIC),
        "--rules",
        RESOURCE,
        "--format",
        "json",
        "--set",
        "差异系数上限.小学=0.51",
        "--set",
        "cv_over_available=true",
    )
    doc = json.loads(out)
    assert [(o["name"], o["verdict"], o["uncited"]) for o in doc["overrides"]] == [
        ("差异系数上限", "looser", True),
        ("cv_over_available", "method", True),
    ]
    heads = {i["id"]: i["headline"] for i in doc["items"]}
    assert heads["差异系数_骨干教师"] == "达到" and heads["差异系数_仪器设备"] == "达到"
    result = eduint.run(
        RESOURCE, SYNTHETIC, overrides=["差异系数上限.小学=0.51", "cv_over_available=true"]
    )
    assert code == result.exit_code()


def test_cli_set_mistake_exits_2_with_the_diagnostic() -> None:
    """A bad --set: exit 2, the diagnostic on the argument, nothing evaluated."""
    code, out, err = _cli(
        "check", str(SYNTHETIC), "--rules", RESOURCE, "--set", "差异系数上限.高中=1"
    )
    assert code == 2 and out == ""
    assert "--set:1:8: error[E106]" in err
    assert err.rstrip().endswith("error: --set: the override does not check; nothing was evaluated")
    code, _, err = _cli("check", str(SYNTHETIC), "--rules", RESOURCE, "--set", "nothing")
    assert code == 2 and "expected NAME=VALUE" in err


# ------------------------------------------------------------------ docs/api.md


def test_the_api_doc_documents_run_first_and_its_example_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """docs/api.md's first section is ``eduint.run``; its example runs as written from the
    repository root and gives what its comments say."""
    doc = (REPO / "docs" / "api.md").read_text(encoding="utf-8")
    first = next(line for line in doc.splitlines() if line.startswith("## "))
    assert first == "## The job: `eduint.run`"
    code = doc.split(first + "\n\n```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(REPO)
    ns: dict[str, object] = {}
    exec(compile(code, "docs/api.md", "exec"), ns)  # noqa: S102 - our own doc
    result, report, override = ns["result"], ns["report"], ns["override"]
    assert isinstance(result, eduint.RunResult) and isinstance(report, eduint.Report)
    assert report.item("差异系数_骨干教师").headline is Outcome.MET
    assert [(e.name, e.segment) for e in report.item("学校达标").failing] == [  # type: ignore[attr-defined]
        ("石桥乡中心小学", "小学"),
        ("河西乡寄宿制初级中学", "初中"),
    ]
    assert (override.old, override.new, override.verdict) == ("0.50", "0.51", Strictness.LOOSER)  # type: ignore[attr-defined]
    assert override.uncited  # type: ignore[attr-defined]
    assert ns["county"].problems == ()  # type: ignore[attr-defined]
    assert [n.code for n in ns["county"].load.notices] == ["D012", "D012"]  # type: ignore[attr-defined]
    assert ns["county"].provenance.rules_file == "bundled:youzhi-junheng-2017-resource.rules"  # type: ignore[attr-defined]
    assert (result.summary.counties, result.exit_code()) == (1, 1)


def test_affected_rules() -> None:
    """The rules an override may change: a value's readers (through other values), every
    computing rule for a method setting, none for a display setting."""
    from eduint.checking.overrides import affected_rules, apply_overrides

    ruleset = eduint.load_ruleset("youzhi_junheng_2017")

    def ids(argument: str) -> frozenset[str]:
        changed, (o,) = apply_overrides(ruleset, [argument])
        return affected_rules(changed, o)

    assert ids("班额上限=40") == {"(五)"}
    assert ids("基准定额=700 元/人") == {"(六)"}
    assert ids("差异系数上限.初中=0.40") == {
        r.id for r in ruleset.rules() if r.id.startswith("差异系数_")
    }
    assert ids("display_precision=2") == frozenset()
    assert ids("teaching_points=不计入") == {r.id for r in ruleset.rules() if r.computed}
