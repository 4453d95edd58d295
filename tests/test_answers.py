"""Answers (自评) belong to a rule set (issue 12, item 6): the data format, the loaders,
the spreadsheet 自评 sheet's 规则集 column, the template, and the migrated example."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

import eduint
from eduint import reporting
from eduint.data.answers import serves, split_answers
from eduint.data.loading import dump_county, read_county, ruleset_key
from eduint.data.models import Attestation, SelfStatus
from eduint.data.spreadsheets import read_tables, write_tables
from eduint.data.spreadsheets.template import template_columns

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "synthetic-county-2019.yaml"
BUNDLED = sorted((REPO / "rules").glob("*.rules"))


def _load(text: str) -> eduint.LoadResult:
    return eduint.load_county_text(text, file="a.yaml")


def test_answers_under_attestations_belong_to_the_files_rule_set() -> None:
    """``attestations:`` answer the rule set ``rules:`` names (its id, or a path's stem)."""
    one = _load('name: x\nrules: youzhi_junheng_2017\nattestations:\n  "1": 达到\n')
    assert [a.ruleset for a in one.county.attestations] == ["youzhi_junheng_2017"]
    path = _load('name: x\nrules: ../省/广东.rules\nattestations:\n  "1": 达到\n')
    assert [a.ruleset for a in path.county.attestations] == ["广东"]


def test_answers_without_a_declared_rule_set_serve_any() -> None:
    """Without ``rules:`` an answer names no rule set, and serves whatever is run."""
    loaded = _load('name: x\nattestations:\n  "1": 达到\n')
    (answer,) = loaded.county.attestations
    assert answer.ruleset is None
    assert serves(answer, ("anything", None))


def test_answers_to_other_rule_sets_name_them() -> None:
    """``answers: {RULESET: {item: answer}}`` holds answers to other rule sets; the same
    item may be answered for each rule set, and each answer keeps its own."""
    loaded = _load(
        'name: x\nrules: a\nattestations:\n  "1": 达到\n'
        'answers:\n  b:\n    "1": 未达到\n    "2": {status: 基本达到, evidence: e}\n'
    )
    assert not loaded.problems
    got = [(a.ruleset, a.item, a.status) for a in loaded.county.attestations]
    assert got == [
        ("a", "1", SelfStatus.MET),
        ("b", "1", SelfStatus.NOT_MET),
        ("b", "2", SelfStatus.BASICALLY_MET),
    ]


def test_an_item_answered_twice_for_one_rule_set_keeps_the_first() -> None:
    """An answer under ``attestations:`` that names rule set b clashes with ``answers: b``
    for the same item: the first is kept, with a D030 problem."""
    loaded = _load(
        'name: x\nattestations:\n  "1": {status: 达到, ruleset: b}\n'
        'answers:\n  b:\n    "1": 未达到\n'
    )
    assert [(a.ruleset, a.status) for a in loaded.county.attestations] == [("b", SelfStatus.MET)]
    assert [p.code for p in loaded.problems] == ["D030"]


def test_bad_answers_shape_is_a_problem_not_a_crash() -> None:
    """``answers:`` that is not a mapping of rule sets, or a rule set whose answers are not
    a mapping or list, is a data problem; the run goes on."""
    loaded = _load("name: x\nanswers: [1, 2]\n")
    assert [p.code for p in loaded.problems] == ["D020"]
    loaded = _load("name: x\nanswers:\n  b: 3\n")
    assert [p.path for p in loaded.problems] == ["answers.b"]


def test_ruleset_key() -> None:
    """A ``rules:`` value is recorded as an id or a file stem."""
    assert ruleset_key("youzhi_junheng_2017") == "youzhi_junheng_2017"
    assert ruleset_key("rules/youzhi-junheng-2017.rules") == "youzhi-junheng-2017"
    assert ruleset_key("C:\\rules\\x.rules") == "x"
    assert ruleset_key("national/基本均衡") == "基本均衡"


def test_split_answers_counts_the_foreign_ones() -> None:
    """split_answers keeps the answers of the rule set (by id or stem, or naming none) and
    counts the others by rule set."""
    answers = (
        Attestation("1", SelfStatus.MET, ruleset="a"),
        Attestation("2", SelfStatus.MET, ruleset="a-file"),
        Attestation("3", SelfStatus.MET),
        Attestation("1", SelfStatus.MET, ruleset="b"),
        Attestation("2", SelfStatus.MET, ruleset="b"),
        Attestation("9", SelfStatus.MET, ruleset="c"),
    )
    used, foreign = split_answers(answers, ruleset_id="a", file_stem="a-file")
    assert [a.item for a in used] == ["1", "2", "3"]
    assert foreign == (("b", 2), ("c", 1))


def test_dump_round_trips_answers() -> None:
    """dump_county keeps each answer's rule set, in order, and reads back to the same
    county; the same item answered for two rule sets makes a list."""
    county = eduint.load_county(EXAMPLE).county
    dumped = dump_county(county)
    assert dumped["attestations"]["1"]["ruleset"] == "chengxiang_yitihua_2018"
    assert dumped["attestations"]["政府工作"]["ruleset"] == "jiben_junheng_2012"
    again, problems = read_county(dumped)
    assert problems == () and again == county
    twice = attrs.evolve(
        county,
        attestations=(
            Attestation("1", SelfStatus.MET, ruleset="b"),
            Attestation("1", SelfStatus.NOT_MET),
        ),
    )
    listed = dump_county(twice)["attestations"]
    assert [a.get("ruleset") for a in listed] == ["b", None]
    assert read_county(dump_county(twice))[0] == twice


def test_the_spreadsheet_forms_carry_the_rule_set_column(tmp_path: Path) -> None:
    """The 自评 sheet has a 规则集 column: blank for the county sheet's rule set, the rule
    set's id for another; both spreadsheet forms read back to the YAML's answers."""
    county = eduint.load_county(EXAMPLE).county
    write_tables(county, tmp_path / "t.xlsx", rules="chengxiang_yitihua_2018")
    back = read_tables(tmp_path / "t.xlsx")[0]
    assert back.rules == "chengxiang_yitihua_2018"
    assert back.county.attestations == county.attestations
    import openpyxl

    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["自评"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][-1] == "规则集"
    assert rows[1][0] == "1" and rows[1][-1] is None
    assert ("政府工作", "jiben_junheng_2012") in {(r[0], r[-1]) for r in rows[1:]}
    for name in ("synthetic-county-2019.xlsx", "synthetic-county-2019-csv"):
        shipped = read_tables(REPO / "examples" / name)[0].county
        assert shipped.attestations == county.attestations, name


def test_a_spreadsheet_answers_one_item_for_two_rule_sets(tmp_path: Path) -> None:
    """Item 1 answered for the county's rule set and for another: two answers, no clash."""
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "县区.csv").write_text("县区名称,规则\n某县,a\n", encoding="utf-8")
    (folder / "自评.csv").write_text(
        "项目,自评,规则集\n1,达到,\n1,未达到,b\n1,基本达到,b\n", encoding="utf-8"
    )
    loaded = read_tables(folder)[0]
    got = [(a.ruleset, a.item, a.status.value) for a in loaded.county.attestations]
    assert got == [("a", "1", "达到"), ("b", "1", "未达到")]
    assert [p.code for p in loaded.problems] == ["D011"]


def test_the_template_asks_for_the_rule_set() -> None:
    """``eduint template``'s 自评 sheet ends with the 规则集 column, explained with the id."""
    ruleset = eduint.check_text(BUNDLED[0].read_text(encoding="utf-8"), file=str(BUNDLED[0]))
    col = template_columns(ruleset, words=reporting.template_words("zh"))["自评"][-1]
    assert (col.header, col.field) == ("规则集", "ruleset")
    assert ruleset.id in col.note and "本规则集" in col.note


@pytest.mark.parametrize("rules", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_the_migration_changes_no_verdict_and_no_answer(rules: Path) -> None:
    """Evaluating the migrated example with only the rule set's own answers (as the engine
    does, issue 12) gives every item the verdict, 核算 and 自评 it had when every answer
    served every rule set (the example before the migration)."""
    ruleset = eduint.check_text(rules.read_text(encoding="utf-8"), file=str(rules))
    loaded = eduint.load_county(EXAMPLE, extra_fields=ruleset.extra_field_kinds() or None)
    county = loaded.county
    before = attrs.evolve(
        county, attestations=tuple(attrs.evolve(a, ruleset=None) for a in county.attestations)
    )
    used, _ = split_answers(county.attestations, ruleset_id=ruleset.id, file_stem=rules.stem)
    after = attrs.evolve(county, attestations=used)
    old, new = eduint.evaluate(ruleset, before), eduint.evaluate(ruleset, after)

    def shown(report: eduint.Report) -> list[tuple[object, ...]]:
        return [
            (i.id, i.headline, i.computed, i.self_status, i.self_outcome, i.self_evidence)
            for i in report.items
        ]

    assert shown(new) == shown(old)
    assert new.overall == old.overall
    assert any(i.self_status is not None for i in new.items) or not any(
        r.attested for r in ruleset.rules()
    )


def test_baoshan_answers_do_not_serve_a_one_item_class_size_rule_set(tmp_path: Path) -> None:
    """Issue 12's case: the Baoshan answers belong to chengxiang_yitihua_2018, so none of
    them serves a one-item class-size rule set; with the answers the engine may use (the
    rule set's own, ``split_answers``), item 1 is 缺少数据 (Baoshan lists no classes),
    no 自评 is taken, and ``--strict`` would exit 1.  (The engine side, one
    FOREIGN_ANSWERS warning, is issue 12's results work.)"""
    rules = tmp_path / "class-size.rules"
    rules.write_text(
        'ruleset class_size "班额" {\n}\n\nitem 1 "班额不超过40人" {\n  scope class\n'
        "  require 班额 <= 40 人\n}\n",
        encoding="utf-8",
    )
    ruleset = eduint.load_ruleset(rules)
    county = eduint.load_county(REPO / "examples" / "baoshan-2018.yaml").county
    assert {a.ruleset for a in county.attestations} == {"chengxiang_yitihua_2018"}
    used, foreign = split_answers(county.attestations, ruleset_id=ruleset.id, file_stem=rules.stem)
    assert used == ()
    assert foreign == (("chengxiang_yitihua_2018", len(county.attestations)),)
    report = eduint.evaluate(ruleset, attrs.evolve(county, attestations=used))
    item = report.item("1")
    assert (item.headline, item.self_status) == (eduint.Outcome.NO_DATA, None)
    assert report.exit_code(strict=True) == 1


def test_a_bad_cell_of_another_rule_sets_answer_is_located(tmp_path: Path) -> None:
    """A bad 主体 in a 自评 row answering another rule set is reported at its cell."""
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "县区.csv").write_text("县区名称,规则\n某县,a\n", encoding="utf-8")
    (folder / "自评.csv").write_text(
        "项目,自评,主体,规则集\n1,达到,县,\n1,未达到,火星,b\n", encoding="utf-8"
    )
    loaded = read_tables(folder)[0]
    (p,) = loaded.problems
    assert (p.sheet, p.row, p.path, p.value) == ("自评", 3, "主体", "火星")
    assert [(a.ruleset, a.actor) for a in loaded.county.attestations][1] == ("b", None)
