"""English variants of author text (issue 12, item 3, the rules language's side):
``note "…" en "…"``, ``provisional "…" en "…"``, ``otherwise "…" en "…"``,
``value X "标题" en "title"``, carried by the checker into the checked rule set; and every
bundled rule file gives every element its English title and every note and provisional
marker its English variant."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import eduint
from eduint.checking.ruleset import CheckedRule, Container, DatedValue, KeyedValue
from eduint.errors import RuleSyntaxError
from eduint.language import nodes as n

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "golden" / "parse" / "english_variants.rules"
BUNDLED = sorted((REPO / "rules").rglob("*.rules"))


def test_english_variants_reach_the_checked_rule_set() -> None:
    """Each ``en "…"`` of the golden file is on the checked element it belongs to, beside
    its Chinese text; a note without one has ``None`` in its place."""
    rs = eduint.check_text(GOLDEN.read_text(encoding="utf-8"), file=str(GOLDEN))
    assert rs.notes == ("数字均为示例。",) and rs.notes_en == ("The figures are examples.",)
    assert rs.derived_from_en == "a district's self-check report"
    assert rs.documents["文件"].notes_en == ("The annex was not seen.",)
    assert rs.settings["subtract_indoor_sports"].provisional_en == "subtraction to be verified"
    value = rs.values["班额上限"]
    assert (value.title, value.title_en) == ("班额上限", "class-size limit")
    assert value.notes_en == ("The national standard.",)
    assert isinstance(value.value, KeyedValue)
    assert value.value.entries[0].provisional_en == "provincial standard not verified"
    assert value.value.entries[1].provisional_en is None
    assert rs.values["无题"].title_en is None and rs.values["无题"].provisional == ""
    rule = rs.find("班额")
    assert rule is not None
    assert rule.notes == ("逐班判断，不取平均。", "只有中文的注释。")
    assert rule.notes_en == ("Every class, not the average.", None)
    assert rule.provisional_en == "national wording to be verified"
    assert (rule.otherwise, rule.otherwise_en) == ("班级无学生", "the class has no pupils")


def test_a_dated_period_keeps_its_english_reason() -> None:
    """A dated period's provisional marker keeps its English variant."""
    rs = eduint.check_text(
        'value 定额 = dated { from 2017-01-01: 650 元/人 provisional "待核" en "to check" }'
    )
    dated = rs.values["定额"].value
    assert isinstance(dated, DatedValue)
    assert dated.periods[0].provisional_en == "to check"


def test_en_only_after_author_text() -> None:
    """``en`` follows the text it translates: alone, or after a bare ``provisional``, it
    is a syntax error."""
    for text in ('rule r { require 1 > 0  en "x" }', 'value v = 1 provisional en "x"'):
        with pytest.raises(RuleSyntaxError):
            eduint.parse(text)


def test_english_variants_print_back() -> None:
    """The printer writes each variant back after its text (round trip)."""
    tree = eduint.parse(GOLDEN.read_text(encoding="utf-8"))
    printed = eduint.unparse(tree)
    assert 'note "逐班判断，不取平均。" en "Every class, not the average."' in printed
    assert eduint.parse(printed) == tree
    assert tree.decls[2] == n.ValueDecl(
        "班额上限",
        "班额上限",
        tree.decls[2].value,
        tree.decls[2].meta,  # type: ignore[union-attr]
        title_en="class-size limit",
    )


# ------------------------------------------------------------ the bundled rule files


def _elements(ruleset: eduint.RuleSet) -> list[tuple[str, str, str | None]]:
    """(kind, id, English title) of every section, block, item, part, rule and value."""
    out: list[tuple[str, str, str | None]] = []
    stack: list[Container | CheckedRule] = list(ruleset.members)
    while stack:
        m = stack.pop()
        out.append((m.kind, m.id, m.title_en))
        stack.extend(m.parts if isinstance(m, CheckedRule) else m.members)
    out.extend(("value", v.name, v.title_en) for v in ruleset.values.values())
    return out


def _annotations(tree: n.RuleFile) -> list[tuple[str, str, str | None]]:
    """(kind, Chinese text, English variant) of every note, provisional reason and
    ``otherwise`` reason in a parsed file (any depth)."""
    out: list[tuple[str, str, str | None]] = []
    stack: list[object] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, n.Note):
            out.append(("note", node.text, node.text_en))
        elif isinstance(node, n.Provisional):
            out.append(("provisional", node.reason or "", node.reason_en))
        elif isinstance(node, n.Applies) and node.otherwise is not None:
            out.append(("otherwise", node.otherwise, node.otherwise_en))
        elif isinstance(node, n.DerivedFrom):
            out.append(("derived_from", node.text, node.text_en))
        if isinstance(node, tuple):
            stack.extend(node)
        elif hasattr(type(node), "__attrs_attrs__"):
            stack.extend(getattr(node, a.name) for a in type(node).__attrs_attrs__)
    return out


#: Chinese text: at least one CJK character (REFERENCE tags, ids and numbers may follow).
_CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_every_bundled_element_has_an_english_title(path: Path) -> None:
    """Every section, block, item, part, rule and value of a bundled rule set has its
    ``title_en`` (and the rule set its own)."""
    rs = eduint.check_text(path.read_text(encoding="utf-8"), file=str(path))
    assert rs.title_en
    missing = [(kind, id_) for kind, id_, en in _elements(rs) if not en]
    assert missing == []


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_every_bundled_note_is_chinese_with_an_english_variant(path: Path) -> None:
    """Every note, provisional marker (with a reason), ``otherwise`` reason and
    ``derived_from`` of a bundled file is written in Chinese and has its English variant."""
    tree = eduint.parse(path.read_text(encoding="utf-8"), file=str(path))
    found = _annotations(tree)
    assert found
    untranslated = [(k, zh) for k, zh, en in found if zh and not en]
    assert untranslated == []
    not_chinese = [(k, zh) for k, zh, _ in found if zh and not _CJK.search(zh)]
    assert not_chinese == []
