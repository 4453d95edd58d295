"""Example-based tests of :mod:`eduint.language.parser`: trees, spans, and syntax errors.

Trees are compared with hand-built frozen nodes (spans are not part of
equality).  Errors are checked by code and position, not by English wording;
the exact rendered text is pinned by the golden files (``test_golden.py``).
"""

from __future__ import annotations

import datetime
import pickle
import traceback
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import eduint
from eduint.errors import EduintError, RuleDiagnosticsError, RuleSyntaxError
from eduint.language import nodes as n
from eduint.language.diagnostics import Diagnostic, Span
from eduint.language.parser import (
    MAX_CHARS,
    MAX_DEPTH,
    MAX_ERRORS,
    find_comments,
    keywords,
    parse,
    parse_file,
)
from eduint.language.printer import unparse


def _decl(text: str) -> n.Decl:
    """Parse a file of one declaration and return it."""
    tree = parse(text)
    assert tree.header is None
    assert len(tree.decls) == 1
    return tree.decls[0]


def _expr(text: str) -> n.Expr:
    """Parse ``text`` as the value of a setting."""
    decl = _decl(f"setting x = {text}")
    assert isinstance(decl, n.Setting)
    return decl.value


def _error(text: str) -> RuleSyntaxError:
    """Parse ``text`` as ``bad.rules``, expecting a RuleSyntaxError, and return it."""
    with pytest.raises(RuleSyntaxError) as info:
        parse(text, file="bad.rules")
    return info.value


def P(*parts: str) -> n.Path:
    """A Path node: ``P("school", "students")``."""
    return n.Path(parts)


def N(text: str, unit: str | None = None) -> n.Number:
    """A Number node: ``N("45", "人")``."""
    return n.Number(text, unit)


# --------------------------------------------------------------- trees


class TestTrees:
    """Parsed trees equal hand-built ones."""

    def test_empty_file(self) -> None:
        """An empty file (or one of white space and comments) is a valid, empty rule file."""
        assert n.RuleFile(None, ()) == parse("")
        assert n.RuleFile(None, ()) == parse("  \n\t# only a comment\n\u3000\n")

    def test_setting_with_meta(self) -> None:
        """A setting keeps its value and its meta annotations in order."""
        expected = n.Setting(
            "教学点下限",
            N("50", "人"),
            (n.Source("冀教督", "第三条"), n.Provisional(None), n.Note("河北")),
        )
        text = 'setting 教学点下限 = 50 人 source 冀教督 "第三条" provisional note "河北"'
        assert expected == _decl(text)

    def test_header_and_rule(self) -> None:
        """Header, rule and rule properties become the documented nodes."""
        text = """
        ruleset 优质均衡 "县域义务教育优质均衡" {
          version "1"
          extends "national.rules"
        }
        rule 班额 "班额不超过标准" {
          scope class [小学, 初中]
          applies when 学生数 > 0 otherwise "空班"
          require 学生数 <= 45 人
          report 超额 = 学生数 - 45 人
          attested
        }
        """
        expected = n.RuleFile(
            n.RulesetHeader(
                "优质均衡",
                "县域义务教育优质均衡",
                (n.Version("1"), n.Extends("national.rules")),
            ),
            (
                n.Rule(
                    "班额",
                    "班额不超过标准",
                    (
                        n.Scope(("class",), ("小学", "初中")),
                        n.Applies(n.Compare(">", P("学生数"), N("0")), "空班"),
                        n.Require(n.Compare("<=", P("学生数"), N("45", "人"))),
                        n.Report("超额", n.BinOp("-", P("学生数"), N("45", "人"))),
                        n.Attested(),
                    ),
                ),
            ),
        )
        assert expected == parse(text)

    def test_item_with_parts(self) -> None:
        """An item keeps parts and its own properties interleaved in source order."""
        text = 'item "(三)" "专用教室" { combine worst part 1 { require a } veto }'
        expected = n.Item(
            n.Label("(三)"),
            "专用教室",
            (
                n.Combine(P("worst")),
                n.Part(n.Label("1"), None, (n.Require(P("a")),)),
                n.Veto(),
            ),
        )
        item = _decl(text)
        assert expected == item
        assert isinstance(item, n.Item)
        assert (expected.members[1],) == item.parts

    def test_section_labels(self) -> None:
        """Section labels may be Chinese numerals, numbers or text; gaps are kept."""
        tree = parse(
            'section 一 {} section 二 {} section 十一 {} section 12.1 {} section "（十五）" {}'
        )
        labels = [d.label.text for d in tree.decls if isinstance(d, n.Section)]
        assert ["一", "二", "十一", "12.1", "（十五）"] == labels

    def test_keyed_and_dated(self) -> None:
        """``by`` and ``dated`` values become Keyed and Dated nodes with their meta."""
        text = """dated {
          until 2015-12-31: report_only,
          from 2016-01-01: by region { 东部: 650 元/人, 中部, 西部: 600 元/人 provisional }
        }"""
        expected = n.Dated(
            (
                n.Period(None, datetime.date(2015, 12, 31), None),
                n.Period(
                    datetime.date(2016, 1, 1),
                    None,
                    n.Keyed(
                        "region",
                        (
                            n.KeyedEntry(("东部",), N("650", "元/人")),
                            n.KeyedEntry(("中部", "西部"), N("600", "元/人"), (n.Provisional(),)),
                        ),
                    ),
                ),
            )
        )
        value = _expr(text)
        assert expected == value
        assert isinstance(value, n.Dated)
        assert [True, False] == [p.report_only for p in value.periods]

    def test_field_declarations(self) -> None:
        """Each field type becomes a FieldType of the right kind."""
        tree = parse(
            "field school.a: 平方米 field school.b: number field school.c: text "
            'field school.d: flag "标签" { label_en "label" }'
        )
        expected = (
            n.FieldDecl("school", "a", n.FieldType("unit", "平方米"), None),
            n.FieldDecl("school", "b", n.FieldType("number"), None),
            n.FieldDecl("school", "c", n.FieldType("text"), None),
            n.FieldDecl("school", "d", n.FieldType("flag"), "标签", (n.LabelEn("label"),)),
        )
        assert expected == tree.decls

    def test_layering(self) -> None:
        """``override`` and ``relax ... because`` are parsed into their layering nodes."""
        tree = parse('override 12.1 { require a } relax 四 { veto } because "答复"')
        expected = (
            n.Override(n.Label("12.1"), (n.Require(P("a")),)),
            n.Relax(n.Label("四"), (n.Veto(),), n.Because(None, "答复")),
        )
        assert expected == tree.decls

    def test_layering_values_settings_drop(self) -> None:
        """Per-key and per-period value overrides, settings, relaxations with a cited
        document and an expiry, and drops each parse into their own node."""
        tree = parse(
            "override value 上限.初中 = 0.40\n"
            'override value 定额 from 2020-01-01 until 2020-12-31 = 700 元/人 source 粤 "三"\n'
            'relax setting teaching_point_min_students = 50 人 because 粤 "五" until 2025-12-31\n'
            'drop 差异系数 because "文件"\n'
        )
        day = datetime.date
        assert tree.decls == (
            n.ValueOverride("value", "上限", ("初中",), None, None, N("0.40")),
            n.ValueOverride(
                "value",
                "定额",
                (),
                day(2020, 1, 1),
                day(2020, 12, 31),
                N("700", "元/人"),
                (n.Source("粤", "三"),),
            ),
            n.ValueOverride(
                "setting",
                "teaching_point_min_students",
                (),
                None,
                None,
                N("50", "人"),
                (),
                n.Because("粤", "五", day(2025, 12, 31)),
            ),
            n.Drop(n.Label("差异系数"), n.Because(None, "文件")),
        )

    def test_extends_by_name_or_path_and_placeholder(self) -> None:
        """``extends`` takes a bare id or a quoted path; ``placeholder`` marks a rule or a
        value, with an optional reason and its English variant."""
        tree = parse(
            'ruleset 省 { extends youzhi_junheng_2017 extends "../国家.rules" }\n'
            'rule 标准 { require a placeholder "省定" en "provincial" }\n'
            "value 省定 = 1 placeholder\n"
        )
        assert tree.header is not None
        assert tree.header.props == (n.Extends("youzhi_junheng_2017"), n.Extends("../国家.rules"))
        assert tree.decls[0] == n.Rule(
            "标准", None, (n.Require(P("a")), n.Placeholder("省定", reason_en="provincial"))
        )
        assert tree.decls[1] == n.ValueDecl("省定", None, N("1"), (n.Placeholder(),))

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("1 + 2 * 3", n.BinOp("+", N("1"), n.BinOp("*", N("2"), N("3")))),
            ("(1 + 2) * 3", n.BinOp("*", n.BinOp("+", N("1"), N("2")), N("3"))),
            ("10 - 4 - 3", n.BinOp("-", n.BinOp("-", N("10"), N("4")), N("3"))),
            ("-a * b", n.BinOp("*", n.Neg(P("a")), P("b"))),
            ("not a and b", n.BoolOp("and", n.Not(P("a")), P("b"))),
            ("a or b and c", n.BoolOp("or", P("a"), n.BoolOp("and", P("b"), P("c")))),
            ("not a >= 1", n.Not(n.Compare(">=", P("a"), N("1")))),
            (
                "a + 1 >= b * 2",
                n.Compare(">=", n.BinOp("+", P("a"), N("1")), n.BinOp("*", P("b"), N("2"))),
            ),
            ("x in [1, 2]", n.In(P("x"), n.ListExpr((N("1"), N("2"))))),
            ("if a then 1 else 2 + 3", n.IfExpr(P("a"), N("1"), n.BinOp("+", N("2"), N("3")))),
            ("85% * 阈值", n.BinOp("*", N("85", "%"), P("阈值"))),
            ("school.students", P("school", "students")),
            ('"文字"', n.String("文字")),
            ("true", n.Bool(True)),
            ("[]", n.ListExpr(())),
            ("f()", n.Call("f", ())),
            ("count(over 学校)", n.Call("count", (), "学校")),
            (
                "sum(学生数 over 学校 where 位置 == 乡村)",
                n.Call("sum", (P("学生数"),), "学校", n.Compare("==", P("位置"), P("乡村"))),
            ),
            ("mean(a where b)", n.Call("mean", (P("a"),), None, P("b"))),
            ("ratio(a, b)", n.Call("ratio", (P("a"), P("b")))),
        ],
    )
    def test_expressions(self, text: str, expected: n.Expr) -> None:
        """Operators bind as documented: if < or < and < not < comparison < +- < */ < unary minus."""
        assert expected == _expr(text)

    def test_number_keeps_its_digits(self) -> None:
        """A number keeps the digits as written; its value is an exact Decimal."""
        number = _expr("1.10")
        assert N("1.10") == number
        assert N("1.1") != number
        assert isinstance(number, n.Number)
        assert Decimal("1.10") == number.value

    @pytest.mark.parametrize(
        ("text", "unit"),
        [
            ("4.5 平方米", "平方米"),
            ("4.5 ㎡", "㎡"),
            ("4.5 m²", "m²"),
            ("45人", "人"),
            ("85 %", "%"),
        ],
    )
    def test_units_are_kept_as_written(self, text: str, unit: str) -> None:
        """The parser keeps a unit's spelling (平方米, ㎡ and m² stay distinct; the
        checker treats them as one unit)."""
        assert N(text.rstrip("平方米㎡m²人% "), unit) == _expr(text)

    def test_unit_after_operator_is_a_name(self) -> None:
        """``96 平方米/间`` is one number with a per-unit; ``96 平方米 / 间`` divides by a name."""
        assert N("96", "平方米/间") == _expr("96 平方米/间")
        assert n.BinOp("/", N("96", "平方米"), P("间")) == _expr("96 平方米 / 间")

    def test_comments_are_kept_but_not_compared(self) -> None:
        """Comments are kept on the tree for the printer and left out of equality."""
        tree = parse("# top\nsetting a = 1 # tail\n")
        assert (n.Comment(1, "# top", True), n.Comment(2, "# tail", False)) == tree.comments
        assert parse("setting a = 1") == tree

    def test_find_comments_ignores_hash_in_text(self) -> None:
        """A ``#`` inside any of the three kinds of quotes is text, not a comment."""
        text = 'note "#a" note “#b” note 「#c」 # real'
        assert [n.Comment(1, "# real", False)] == find_comments(text)

    def test_find_comments_counts_lines_like_the_parser(self) -> None:
        """Only ``\\n`` ends a line: a form feed or carriage return inside text or
        white space does not shift the comments' line numbers."""
        text = 'setting a = "x\ry" # one\n\x0csetting b = 1 # two\n'
        tree = parse(text)
        assert [1, 2] == [c.line for c in tree.comments]
        assert "# one" in unparse(tree).split("\n")[0]


# --------------------------------------------------------------- spans


class TestSpans:
    """Spans are present and correct, and never part of equality."""

    TEXT = "rule 班额 {\n  require 学生数 <= 45 人\n}"

    def test_spans_are_one_based_code_points(self) -> None:
        """Lines and columns are one-based and count code points (a Chinese
        character is one column); the end column is one past the last character."""
        tree = parse(self.TEXT, file="x.rules")
        rule = tree.decls[0]
        assert isinstance(rule, n.Rule)
        require = rule.props[0]
        assert isinstance(require, n.Require)
        cond = require.cond
        assert isinstance(cond, n.Compare)
        assert Span("x.rules", 1, 1, 3, 2) == rule.span
        assert Span("x.rules", 2, 3, 2, 22) == require.span
        assert Span("x.rules", 2, 11, 2, 14) == cond.left.span
        assert Span("x.rules", 2, 18, 2, 22) == cond.right.span
        assert "x.rules" == tree.file

    def test_every_node_has_a_span(self) -> None:
        """Every node of a parsed tree carries a span in the parsed file."""
        text = (Path(__file__).parent / "golden" / "parse" / "rule_props.rules").read_text("utf-8")
        stack: list[object] = [parse(text, file="r.rules")]
        count = 0
        while stack:
            node = stack.pop()
            if isinstance(node, tuple):
                stack.extend(node)
            elif attrs.has(type(node)) and not isinstance(node, n.Comment | Span):
                span = node.span  # type: ignore[attr-defined]
                assert isinstance(span, Span), node
                assert "r.rules" == span.file
                count += 1
                stack.extend(getattr(node, f.name) for f in attrs.fields(type(node)))
        assert count > 50

    def test_layout_does_not_affect_equality(self) -> None:
        """The same rule laid out differently parses to equal trees with different spans."""
        compact = parse("rule 班额{require 学生数<=45人}")
        spread = parse(self.TEXT)
        assert compact == spread
        assert hash(compact) == hash(spread)
        assert compact.decls[0].span != spread.decls[0].span

    def test_bom_is_not_content(self) -> None:
        """A UTF-8 byte-order mark is dropped and does not shift columns."""
        with_bom = parse("\ufeffsetting x = 1")
        assert parse("setting x = 1") == with_bom
        assert 1 == with_bom.decls[0].span.column  # type: ignore[union-attr]

    def test_parse_file_reads_utf8_with_bom_and_crlf(self, tmp_path: Path) -> None:
        """parse_file accepts a UTF-8 file with a BOM and Windows line endings; the
        file name as given is used in spans."""
        path = tmp_path / "win.rules"
        path.write_bytes("rule 班额 {\r\n  require 学生数 <= 45 人\r\n}\r\n".encode("utf-8-sig"))
        tree = parse_file(path)
        assert parse(self.TEXT) == tree
        assert str(path) == tree.file
        assert 2 == tree.decls[0].props[0].span.line  # type: ignore[union-attr]


# ---------------------------------------------------------- full width


@pytest.mark.parametrize(
    ("wide", "narrow"),
    [
        ("setting x ＝ 1", "setting x = 1"),
        ("rule r ｛ require a ≥ 1 ｝", "rule r { require a >= 1 }"),
        ("rule r { require a ≤ 1 and b ≠ 2 }", "rule r { require a <= 1 and b != 2 }"),
        ("rule r { require a ＞＝ 1 and b ＜＝ 2 }", "rule r { require a >= 1 and b <= 2 }"),
        ("rule r { require a ＞ 1 and b ＜ 2 }", "rule r { require a > 1 and b < 2 }"),
        ("setting x = （a ＋ b） × c ÷ d － e", "setting x = (a + b) * c / d - e"),
        ("setting x = f（a，b）", "setting x = f(a, b)"),
        ("setting x = ［1，2、3］", "setting x = [1, 2, 3]"),
        ("setting x = by segment ｛ 小学：1 ｝", "setting x = by segment { 小学: 1 }"),
        ("note “中文引号”", 'note "中文引号"'),
        ("note 「直角引号」", 'note "直角引号"'),
        ("rule r {\u3000require a }", "rule r { require a }"),
        ("field school.a：人", "field school.a: 人"),
    ],
)
def test_fullwidth_forms_parse_equal_to_ascii(wide: str, narrow: str) -> None:
    """Punctuation a Chinese IME produces (：，、（）［］｛｝＝“”「」≥≤≠×÷＋－ and the
    ideographic space) parses to the same tree as its ASCII twin."""
    if wide.startswith("note"):
        wide, narrow = f"section 1 {{ {wide} }}", f"section 1 {{ {narrow} }}"
    assert parse(narrow) == parse(wide)


# --------------------------------------------------------------- keywords


def test_keywords() -> None:
    """keywords() is the set of reserved words, and it contains the layering words."""
    words = keywords()
    assert isinstance(words, frozenset)
    assert {"ruleset", "rule", "require", "and", "not", "override", "relax", "because"} <= words
    assert all(w.isidentifier() and w.isascii() for w in words)


def test_keyword_is_a_name_where_only_a_name_can_stand() -> None:
    """Keywords are reserved only where the keyword itself could stand: after
    ``rule``, ``let`` or a ``.`` only a name can follow, so a keyword is read as a
    name there.  (The language reference documents this.)"""
    assert n.Rule("note", None, ()) == _decl("rule note { }")
    assert P("a", "date") == _expr("a.date")
    assert _error("rule r { require if > 1 }").codes == ("E002",)


# --------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("setting x = 5；", [("E001", 1, 14)]),
        ("setting x = 5 $", [("E001", 1, 15)]),
        ("rule r { require a b }", [("E002", 1, 20)]),
        ("rule r { require 学生数 学生数 }", [("E002", 1, 22)]),
        ("setting x =", [("E003", 1, 12)]),
        ("rule r { require a >= 1\n\n   \n", [("E003", 1, 24)]),
        ("rule 班额 {\n  require 学生数 >= 1", [("E003", 2, 19)]),
        (
            "setting x = " + "(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1),
            [("E004", 1, 13 + MAX_DEPTH)],
        ),
        ('document d "t" { date 2016-02-30 }', [("E006", 1, 23)]),
        ('setting x = "abc', [("E007", 1, 13)]),
        ("setting x = “abc", [("E007", 1, 13)]),
        (
            "setting a = 1；\nrule r { require a b }\nsetting c = 《x》",
            [("E001", 1, 14), ("E002", 2, 20), ("E001", 3, 13)],
        ),
    ],
)
def test_error_codes_and_positions(text: str, expected: list[tuple[str, int, int]]) -> None:
    """Each syntax error carries its stable code and one-based line and column;
    several errors in one file are reported together, sorted by position."""
    exc = _error(text)
    actual = [(d.code, d.span.line, d.span.column) for d in exc.diagnostics if d.span]
    assert expected == actual
    assert all(d.hint for d in exc.diagnostics)
    assert all(d.span is not None and d.span.file == "bad.rules" for d in exc.diagnostics)


def test_end_of_file_points_one_past_the_last_character() -> None:
    """An error at the end of the file points one past its last non-blank
    character, not at the last token."""
    exc = _error("rule 班额 {\n  require 学生数 <= 45 人\n\n")
    (diag,) = exc.diagnostics
    assert ("E003", 2, 22) == (diag.code, diag.span.line, diag.span.column)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text",
    [
        "setting x = " + "(" * 3000 + "1" + ")" * 3000,
        "setting x = " + "-" * 3000 + "1",
        "setting x = " + "not " * 3000 + "a",
        "setting x = " + "f(" * 3000 + ")" * 3000,
        "section 1 { " * 3000 + "}" * 3000,
        "setting x = " + " + ".join(["1"] * 3000),
    ],
    ids=["brackets", "minus", "not", "calls", "sections", "long-sum"],
)
def test_deep_nesting_is_a_clean_error(text: str) -> None:
    """Input nested thousands of levels deep is rejected with E004 and no
    RecursionError (the parser and the tree conversion are iterative).  A very
    long chain of one operator counts as nesting too."""
    exc = _error(text)
    assert ("E004",) == exc.codes


def test_file_too_large() -> None:
    """A text over MAX_CHARS is refused with E005 before any parsing."""
    exc = _error("#" * (MAX_CHARS + 1))
    assert ("E005",) == exc.codes
    assert parse("#" * MAX_CHARS) == n.RuleFile(None, ())


def test_not_utf8(tmp_path: Path) -> None:
    """parse_file refuses a file that is not UTF-8 (here GBK) with E000 on the
    line of the first bad byte."""
    path = tmp_path / "gbk.rules"
    path.write_bytes("setting a = 1\nrule 班额 { }\n".encode("gbk"))
    with pytest.raises(RuleSyntaxError) as info:
        parse_file(path)
    (diag,) = info.value.diagnostics
    assert ("E000", 2) == (diag.code, diag.span.line)  # type: ignore[union-attr]
    assert str(path) == diag.span.file  # type: ignore[union-attr]


def test_error_cap() -> None:
    """At most MAX_ERRORS syntax errors are collected from one file."""
    text = "\n".join(f"setting x{i} = 1；" for i in range(MAX_ERRORS + 10))
    exc = _error(text)
    assert MAX_ERRORS == len(exc.diagnostics)
    assert list(range(1, MAX_ERRORS + 1)) == [d.span.line for d in exc.diagnostics]  # type: ignore[union-attr]


def test_error_hierarchy() -> None:
    """RuleSyntaxError is an EduintError and a ValueError, and is exported from eduint."""
    assert issubclass(RuleSyntaxError, RuleDiagnosticsError)
    assert issubclass(RuleSyntaxError, EduintError)
    assert issubclass(RuleSyntaxError, ValueError)
    assert eduint.RuleSyntaxError is RuleSyntaxError
    assert eduint.EduintError is EduintError


def test_error_codes_property() -> None:
    """``.codes`` lists the diagnostic codes in position order."""
    exc = _error("rule r { require a b }\nsetting a = 1；")
    assert ("E002", "E001") == exc.codes


def test_end_of_file_error_after_another_is_dropped() -> None:
    """After a first error, lark's recovery often ends in a spurious "unexpected
    end of file"; it is not reported, so one mistake gives one diagnostic."""
    assert ("E001",) == _error("setting a = 1；\nsetting b =").codes
    assert ("E003",) == _error("setting b =").codes


@pytest.mark.parametrize(
    "text",
    [
        "setting x = 5；",
        "rule r { require a b }",
        "setting x =",
        'document d "t" { date 2016-02-30 }',
    ],
)
def test_errors_pickle(text: str) -> None:
    """A syntax error survives a pickle round trip with its diagnostics,
    sources and rendered text."""
    exc = _error(text)
    back = pickle.loads(pickle.dumps(exc))
    assert type(exc) is type(back)
    assert exc.diagnostics == back.diagnostics
    assert exc.sources == back.sources
    assert str(exc) == str(back)


BAD_TEXTS = {
    "E001": "setting x = 5；",
    "E002": "rule r { require a b }",
    "E003": "setting x =",
    "E004": "setting x = " + "-" * 3000 + "1",
    "E005": "#" * (MAX_CHARS + 1),
    "E006": 'document d "t" { date 2016-02-30 }',
    "E007": 'setting x = "abc',
}


@pytest.mark.parametrize("code", sorted(BAD_TEXTS))
def test_lark_never_leaks(code: str) -> None:
    """The exception raised is ours: no lark exception as cause or shown
    context, no lark frame or name in the formatted traceback, no lark object
    in the error's data."""
    try:
        parse(BAD_TEXTS[code])
    except Exception as exc:  # the type is what is tested
        assert type(exc) is RuleSyntaxError
        assert (code,) == exc.codes
        assert exc.__cause__ is None
        assert exc.__context__ is None or exc.__suppress_context__
        frames = traceback.extract_tb(exc.__traceback__)
        assert not [f.filename for f in frames if "lark" in Path(f.filename).parts]
        shown = "".join(traceback.format_exception(exc))
        assert "lark." not in shown
        assert "Unexpected" not in shown
        for diag in exc.diagnostics:
            assert type(diag) is Diagnostic
            assert all(
                type(v).__module__ in {"builtins", "eduint.language.diagnostics"}
                for v in attrs.astuple(diag, recurse=False)
            )
    else:
        pytest.fail("no error raised")
