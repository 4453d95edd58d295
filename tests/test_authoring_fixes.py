"""Defects a provincial author found following the docs (issue 16's follow-up): the
author's own files, under ``tests/authoring/pa/``."""

from __future__ import annotations

from pathlib import Path

from eduint.authoring.cases import load_test_file
from eduint.authoring.coverage import coverage
from eduint.authoring.mutation import mutants, mutation_score
from eduint.authoring.runner import load_rules

PA = Path(__file__).parent / "authoring" / "pa"


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
