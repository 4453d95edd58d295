"""Defects a provincial author found following the docs (issue 16's follow-up): the
author's own files, under ``tests/authoring/pa/``."""

from __future__ import annotations

from pathlib import Path

from eduint.authoring.cases import load_test_file
from eduint.authoring.coverage import coverage
from eduint.authoring.mutation import mutants, mutation_score
from eduint.authoring.runner import load_rules

PA = Path(__file__).parent / "authoring" / "pa"
PROVINCE = Path(__file__).parents[1] / "rules" / "provinces"


def _load(name: str) -> tuple[object, object]:
    test = load_test_file(PA / name)
    return load_rules(test), test


def test_coverage_names_the_file_that_set_each_element_and_only_its_cells() -> None:
    ruleset, test = _load("样例省.tests.yaml")
    cov = coverage(ruleset, test)  # type: ignore[arg-type]
    lines = len((PA / "样例省.rules").read_text(encoding="utf-8").splitlines())
    for site in cov.sites:
        file, _, line = site.where.rpartition(":")
        assert Path(file).name == "样例省.rules" and int(line) <= lines, site
        for key, period, _side in site.cells:
            assert period is None or not period.startswith("2016"), site
            if "差异系数上限" in site.text:
                assert key == "初中" and period == "…–2025-12-31", site
    # three changes: 班额 (2 keys), 基准定额 from 2020 (小学 only read), CV relax (7 × 初中)
    assert cov.total == 2 * 2 + 2 + 7 * 2


def test_mutants_name_their_file_and_skip_the_inherited_applies() -> None:
    ruleset, _ = _load("w.tests.yaml")
    ms = mutants(ruleset)  # type: ignore[arg-type]
    assert ms and all(Path(m.where.rpartition(":")[0]).name == "w.rules" for m in ms)
    assert not [m for m in ms if m.kind == "conjunct"]  # the applies when is (六)'s own
    texts = [(m.kind, m.where, m.what) for m in ms]
    assert len(texts) == len(set(texts))


def test_conjunct_mutants_name_the_dropped_conjunct() -> None:
    ruleset = load_rules(load_test_file(PA / "样例省.tests.yaml"))
    from eduint.api import load_ruleset

    national = load_ruleset("youzhi_junheng_2017")
    ms = [m for m in mutants(national) if m.kind == "conjunct"]
    assert ms and all("drops " in m.what for m in ms)
    texts = [(m.where, m.what) for m in ms]
    assert len(texts) == len(set(texts))
    assert ruleset.id


def test_unread_key_mutants_are_equivalent() -> None:
    ruleset, test = _load("样例省.tests.yaml")
    res = mutation_score(ruleset, test)  # type: ignore[arg-type]
    unread = [m for m in res.equivalent if m.equivalent == "unread_key"]
    assert [m.what.split(" ")[0] for m in unread] == ["基准定额.[2020-01-01–…].初中"] * 2
    assert not any("初中 920" in m.what for m in res.survived + res.killed)


def test_override_from_and_relax_until_get_boundary_mutants() -> None:
    ruleset, _ = _load("样例省.tests.yaml")
    periods = [m for m in mutants(ruleset) if m.kind == "period"]  # type: ignore[arg-type]
    whats = sorted(m.what for m in periods)
    assert whats == [
        "基准定额: from 2020-01-01 → 2019-12-31",
        "基准定额: from 2020-01-01 → 2020-01-02",
        "差异系数上限: 2025-12-31 → 2025-12-30",
        "差异系数上限: 2025-12-31 → 2026-01-01",
    ]
    assert {Path(m.where).name for m in periods} == {"样例省.rules:20", "样例省.rules:26"}


def test_exact_copy_of_a_dated_keyed_value_passes_e316() -> None:
    from click.testing import CliRunner

    from eduint.cli import main

    ok = CliRunner().invoke(main, ["lint", str(PA / "z.rules")])
    assert ok.exit_code == 0 and "E316" not in ok.output, ok.output
    same = CliRunner().invoke(main, ["lint", "--strictness", str(PA / "z.rules")])
    assert same.exit_code == 0 and same.output.rstrip().endswith("same"), same.output
    # a period keyed by region where the parent's 2017–2019 is keyed by segment still loses keys
    bad = CliRunner().invoke(main, ["lint", str(PA / "y.rules")])
    assert bad.exit_code != 0 and "E316" in bad.output


def test_testgen_with_nothing_to_generate_says_why_and_writes_nothing(tmp_path: Path) -> None:
    import shutil

    from click.testing import CliRunner

    from eduint.cli import main

    rules = tmp_path / "样例省.rules"
    shutil.copy(PA / "样例省.rules", rules)
    r = CliRunner().invoke(main, ["testgen", str(rules)])
    assert r.exit_code == 1
    assert not (tmp_path / "样例省.tests.yaml").exists()
    assert "跳过 (五)：" in r.output and "跳过 (六)：" in r.output
    assert "差异系数_高学历教师：" in r.output and "没有可生成的边界用例" in r.output
    en = CliRunner().invoke(main, ["testgen", str(rules), "--lang", "en"])
    assert en.exit_code == 1 and "skipped (五): only school" in en.output
    assert "no boundary case could be generated" in en.output


def test_testgen_case_names_in_the_users_language(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from eduint.cli import main

    rules = Path(__file__).parents[1] / "rules" / "provinces" / "guangdong-jiben-2012.rules"
    zh = CliRunner().invoke(main, ["testgen", str(rules), "-o", "-"])
    assert "- name: 办学基本标准：边界" in zh.output and "boundaries" not in zh.output
    en = CliRunner().invoke(main, ["testgen", str(rules), "-o", "-", "--lang", "en"])
    assert (
        "- name: '办学基本标准: boundaries'" in en.output or "办学基本标准: boundaries" in en.output
    )


def _run(name: str, *extra: str) -> tuple[int, str]:
    from click.testing import CliRunner

    from eduint.cli import main

    r = CliRunner().invoke(main, ["test", str(PA / "bad" / name), *extra])
    return r.exit_code, r.output


def test_test_file_errors_in_chinese_with_hints() -> None:
    cases = {
        "b.tests.yaml": ("b.tests.yaml:26：错误：未知的结果“合格”", "或英文 met"),
        "c.tests.yaml": ("c.tests.yaml:16：错误：YAML 格式有误", "flow mapping"),
        "d.tests.yaml": ("d.tests.yaml:27：错误：(五) 的期望缺少 outcome", "未达到"),
        "f.tests.yaml": ("f.tests.yaml:4：错误：as_of", "不是有效日期"),
        "g.tests.yaml": ("g.tests.yaml:1：错误：无法载入规则文件 没有.rules", "内置规则集"),
        "h.tests.yaml": ("h.tests.yaml:27：错误：期望中未知的键 “outcom”", "是否应为“outcome”"),
        "k.tests.yaml": ("k.tests.yaml:3：错误：用例中未知的键 “expects”", "“expect”"),
        "l.tests.yaml": ("未知的结果“failed”", "是否应为“failed"),
        "m.tests.yaml": ("用例中未知的键 “date”", "是否应为“as_of”"),
        "n.tests.yaml": ("用例中未知的键 “nam”", "是否应为“name”"),
    }
    for name, (head, hint) in cases.items():
        code, out = _run(name)
        assert code == 2 and head in out, (name, out)
        if name != "l.tests.yaml":
            assert hint in out, (name, out)
    code, out = _run("h.tests.yaml", "--lang", "en")
    assert "error: expectation: unknown key 'outcom' (did you mean 'outcome'?)" in out


def test_wrong_item_id_and_data_typos_fail_the_case() -> None:
    code, out = _run("a.tests.yaml")
    assert code == 1 and "第26行：规则集中没有项目 (5)（是否应为 (五)？）" in out
    code, out = _run("j.tests.yaml")
    assert code == 1 and "j.tests.yaml:13" in out and "students" in out and "studnets" in out


def test_mutate_says_why_when_a_case_fails() -> None:
    code, out = _run("a.tests.yaml", "--mutate")
    assert code == 1 and "变异测试需要全部用例先通过" in out
    assert "变异得分低于" not in out


def test_mutate_output_names_a_setting_by_its_label() -> None:
    """``[设置]`` lines show the registry's label (教学点最少学生数), English under en."""
    from eduint.authoring.mutation import MutationResult
    from eduint.authoring.report import mutation_text
    from eduint.checking.settings import SETTINGS

    test = load_test_file(PROVINCE / "hebei-youzhi-2017-resource.tests.yaml")
    ms = [m for m in mutants(load_rules(test)) if m.kind == "setting"]
    assert ms, "the Hebei file sets teaching_point_min_students"
    result = MutationResult(
        killed=(),
        survived=tuple(m for m in ms if not m.equivalent),
        equivalent=tuple(m for m in ms if m.equivalent),
    )
    spec = SETTINGS["teaching_point_min_students"]
    zh = [x for x in mutation_text(result, "zh") if "[设置]" in x]
    en = [x for x in mutation_text(result, "en") if "[setting]" in x]
    assert len(zh) == len(en) == len(ms)
    assert all(f"[设置] {spec.label} " in x and "teaching_point" not in x for x in zh), zh
    assert all(f"[setting] {spec.label_en} " in x for x in en), en


def test_data_typo_hint_in_the_authors_language() -> None:
    """The loader's did-you-mean (English) is worded in Chinese inside a Chinese line."""
    code, out = _run("j.tests.yaml")
    assert code == 1
    # D010's catalogue text (with its --mapping columns:/ignore: hint), then the guess
    assert "studnets：未知字段，未读取（" in out, out
    assert "ignore:）（是否应为 students（在校生数）？）" in out, out
    assert "did you mean" not in out
    code, out = _run("j.tests.yaml", "--lang", "en")
    assert "(did you mean 'students' (在校生数)?)" in out, out


def test_per_segment_field_hint_in_chinese() -> None:
    from eduint.authoring.runner import _problem
    from eduint.data.loading import read_county

    data = {"name": "县", "region": "东部", "schools": [{"id": "S", "kind": "小学", "students": 5}]}
    _county, problems = read_county(data, file="t.yaml")
    texts = [_problem(p, "zh") for p in problems if p.code == "D010"]
    assert texts and "students 是各学段的数字：写在 segments 下" in texts[0], texts
    assert "is a figure" not in texts[0]
