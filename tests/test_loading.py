"""Loading county data from YAML and JSON: figures, problems, extras, schema, round trips."""

from __future__ import annotations

import datetime
import enum
import hashlib
import importlib.util
import json
import pickle
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eduint.data import loading, models
from eduint.data.errors import DataFileError, DataProblem, DataValueError
from eduint.data.fields import fields_by_name
from eduint.data.limits import Limits
from eduint.data.loading import (
    WHOLE_NUMBER_UNITS,
    dump_county,
    input_json_schema,
    load_county,
    load_county_text,
    parse_figure,
    read_county,
)
from eduint.data.models import (
    Attestation,
    County,
    CountySegment,
    Figure,
    School,
    SchoolKind,
    SchoolSegment,
    Segment,
    SelfStatus,
)
from eduint.errors import EduintError

REPO = Path(__file__).resolve().parents[1]
D = Decimal


def _script(name: str) -> types.ModuleType:
    """Import ``scripts/<name>.py`` as a module."""
    spec = importlib.util.spec_from_file_location(
        f"_eduint_script_{name}", REPO / "scripts" / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _load(text: str, **kwargs: Any) -> loading.LoadResult:
    """Load YAML text as ``county.yaml``."""
    return load_county_text(text, file="county.yaml", **kwargs)


# --- figures ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "unit", "low", "high", "approximate", "text"),
    [
        (212, "人", "212", "212", False, None),
        (212.5, "平方米", "212.5", "212.5", False, None),
        (0.1, "元", "0.1", "0.1", False, None),
        (D("12.50"), "元", "12.5", "12.5", False, None),
        ("212", "人", "212", "212", False, None),
        (" 212 ", "人", "212", "212", False, None),
        ("1,655", "人", "1655", "1655", False, "1,655"),
        ("1,234,567.25", "元", "1234567.25", "1234567.25", False, "1,234,567.25"),
        ("１２", "人", "12", "12", False, None),
        ("约212", "人", "212", "212", True, "约212"),
        ("大约212", "人", "212", "212", True, "大约212"),
        ("212左右", "人", "212", "212", True, "212左右"),
        ("约 1,655", "人", "1655", "1655", True, "约 1,655"),
        ("30多", "人", "30", "39", False, "30多"),
        ("30余", "人", "30", "39", False, "30余"),
        ("300多", "所", "300", "399", False, "300多"),
        ("310多", "人", "310", "319", False, "310多"),
        ("1,000多", "人", "1000", "1999", False, "1,000多"),
        ("不足10", "人", "0", "9", False, "不足10"),
        ("不到10", "人", "0", "9", False, "不到10"),
        ("少于10", "人", "0", "9", False, "少于10"),
        ("不足10.5", "平方米", "0", "10", False, "不足10.5"),
        ("不足1", "人", "0", "0", False, "不足1"),
        ({"value": 212, "approximate": True}, "人", "212", "212", True, None),
        ({"value": "1,655"}, "人", "1655", "1655", False, None),
        ({"low": 30, "high": 39}, "人", "30", "39", False, None),
        ({"low": "0.5", "high": 2, "approximate": True}, "元", "0.5", "2", True, None),
        ("95%", "%", "95", "95", False, "95%"),
        ("约95.5%", "%", "95.5", "95.5", True, "约95.5%"),
        (95, "%", "95", "95", False, None),
        (0.95, "%", "0.95", "0.95", False, None),
        ("-3.5", None, "-3.5", "-3.5", False, None),
        (Figure(D(3), D(4)), "人", "3", "4", False, None),
    ],
)
def test_figure_written_forms(
    written: object, unit: str | None, low: str, high: str, approximate: bool, text: str | None
) -> None:
    """Every written figure form reads as the exact low, high, approximate flag and text."""
    fig = parse_figure(written, unit=unit)
    assert (D(low), D(high), approximate, text) == (fig.low, fig.high, fig.approximate, fig.text)


@pytest.mark.parametrize(
    ("written", "unit", "code", "message"),
    [
        (12.5, "人", "D021", "expected a whole number of 人, got '12.5'"),
        ("12.5", "班", "D021", "expected a whole number of 班, got '12.5'"),
        ("约12.5", "人", "D021", "expected a whole number of 人, got '约12.5'"),
        ({"low": 1.5, "high": 3}, "所", "D021", "expected a whole number of 所, got a mapping"),
        (-5, "人", "D022", "expected a non-negative whole number of 人, got '-5'"),
        ("-1.5", "平方米", "D022", "expected a non-negative number of 平方米, got '-1.5'"),
        ("-2", "%", "D022", "expected a non-negative per cent figure, got '-2'"),
        ("一百", "人", "D020", "expected a whole number of 人, got '一百'"),
        ("212人", "人", "D020", "expected a whole number of 人, got '212人'"),
        ("abc", None, "D020", "expected a number, got 'abc'"),
        (True, "人", "D020", "expected a whole number of 人, got true"),
        (None, "元", "D020", "expected a number of 元, got null"),
        ([1], "元", "D020", "expected a number of 元, got a list"),
        (float("nan"), "元", "D020", "expected a number of 元, got 'nan'"),
        ("95%", "人", "D020", "'95%' is a per cent figure, but this field is in 人"),
        ("10以上", "人", "D023", None),
        ("超过10", "人", "D023", None),
        ("10以下", "人", "D023", None),
        ("12多", "人", "D023", None),
        ("约30多", "人", "D023", None),
        ("不足0", "人", "D022", "'不足0': no figure is below 0"),
        ({"low": 5, "high": 3}, "人", "D020", "the interval's low 5 is above its high 3"),
        ({"value": 1, "x": 2}, "人", "D020", None),
        ({"value": 1, "approximate": "yes"}, "人", "D020", None),
    ],
)
def test_figure_errors(written: object, unit: str | None, code: str, message: str | None) -> None:
    """Bad, non-whole, negative and ambiguous figures raise DataValueError with their code."""
    with pytest.raises(DataValueError) as info:
        parse_figure(written, unit=unit)
    assert code == info.value.code
    if message is not None:
        assert message == info.value.message


def test_figure_hints() -> None:
    """Common slips get a hint saying what to write instead."""
    hints = {}
    for written in ("一百", "212人", "1.5万", "30-39", "—", "10以上"):
        with pytest.raises(DataValueError) as info:
            parse_figure(written, unit="人")
        hints[written] = info.value.hint
    assert "write the figure in digits (100, not 一百)" == hints["一百"]
    assert "write the number without a unit (this field is in 人)" == hints["212人"]
    assert "write the whole number (15000, not 1.5万)" == hints["1.5万"]
    assert "write a range as a mapping: {low: 30, high: 39}" == hints["30-39"]
    assert "leave a missing figure empty (or null); write 0 when it is zero" == hints["—"]
    assert "write an interval as {low: 10, high: 20}, or the exact figure" == hints["10以上"]


@given(st.integers(min_value=1, max_value=10**6), st.integers(min_value=1, max_value=4))
def test_property_round_number_more(n: int, zeros: int) -> None:
    """``N多`` with N ending in k zeros is the interval N … N + 10**k − 1."""
    base = n * 10**zeros
    base_zeros = len(str(base)) - len(str(base).rstrip("0"))
    fig = parse_figure(f"{base}多", unit="人")
    assert (D(base), D(base + 10**base_zeros - 1)) == (fig.low, fig.high)


@given(st.decimals(min_value=0, max_value=10**12, places=3))
def test_property_written_number_forms(value: Decimal) -> None:
    """A number, its string, its thousands-separated string and ``约`` form read back as itself."""
    assert Figure(value, value) == parse_figure(str(value), unit="元")
    assert Figure(value, value) == parse_figure(f"{value:,}", unit="元")
    assert Figure(value, value, True) == parse_figure(f"约{value}", unit="元")
    assert Figure(value, value, True) == parse_figure({"value": str(value), "approximate": True})


@given(st.text(max_size=12))
def test_property_parse_figure_fails_only_with_data_value_error(text: str) -> None:
    """Any string either reads as a figure or raises DataValueError, never anything else."""
    try:
        fig = parse_figure(text, unit="人")
    except DataValueError as exc:
        assert exc.code in {"D020", "D021", "D022", "D023"}
    else:
        assert fig.low <= fig.high and fig.low >= 0


# --- loading: values, paths and problems --------------------------------------------------

SCHOOLS_YAML = """\
name: 某县
schools:
  - id: "1"
  - id: "2"
  - id: "3"
  - id: "4"
    segments:
      小学:
        students: 一百
        full_time_teachers: 12
"""


def test_bad_value_becomes_missing_with_exact_path() -> None:
    """A bad value is None in the county, and the problem names file, line and user path."""
    result = _load(SCHOOLS_YAML)
    seg = result.county.schools[3].segment(Segment.PRIMARY)  # type: ignore[index]
    assert seg is not None
    assert seg.students is None
    assert Figure.exact(12) == seg.full_time_teachers
    [problem] = result.problems
    assert "schools[3].segments.小学.students" == problem.path
    assert "students" == problem.field
    assert "一百" == problem.value
    assert 9 == problem.line
    assert "D020" == problem.code
    assert (
        "county.yaml:9: schools[3].segments.小学.students: expected a whole number of 人, "
        "got '一百' (hint: write the figure in digits (100, not 一百))"
    ) == str(problem)


def test_whole_number_and_negative_checks_in_files() -> None:
    """Non-whole counts and negative figures are problems; other values are kept."""
    result = _load(
        "name: x\nstudents: 12.5\nfull_time_teachers: -3\nteacher_pay_avg: 80000.5\n"
        "dropout_rate: '0.4%'\n"
    )
    county = result.county
    assert (None, None) == (county.students, county.full_time_teachers)
    assert Figure.exact("80000.5") == county.teacher_pay_avg
    assert Figure.exact("0.4") == county.dropout_rate
    assert [
        ("students", "D021", "expected a whole number of 人, got '12.5'"),
        ("full_time_teachers", "D022", "expected a non-negative whole number of 人, got '-3'"),
    ] == [(p.path, p.code, p.message) for p in result.problems]


def test_yaml_numbers_are_read_from_their_text() -> None:
    """YAML numbers keep their written value: decimals exactly, codes with leading zeros."""
    county = _load("name: 0101\ncode: 0101\nteacher_pay_avg: 123456789.123456789\n").county
    assert ("0101", "0101") == (county.name, county.code)
    assert D("123456789.123456789") == county.teacher_pay_avg.low  # type: ignore[union-attr]


def test_json_numbers_are_exact() -> None:
    """JSON numbers are read as decimals, never floats."""
    text = '{"name": "x", "teacher_pay_avg": 0.1, "code": 110101}'
    county = load_county_text(text, format="json").county
    assert Figure.exact("0.1") == county.teacher_pay_avg
    assert "110101" == county.code


def test_unknown_key_with_did_you_mean() -> None:
    """An unknown key is a D010 problem with a did-you-mean hint over names and labels."""
    result = _load("name: x\nstudnets: 5\nschools:\n  - id: a\n    在校生: 3\n")
    assert [
        (
            "studnets",
            "D010",
            "unknown field 'studnets' for a county",
            "did you mean 'students' (在校生数)?",
        ),
        ("schools[0].在校生", "D010", "unknown field '在校生' for a school", None),
    ] == [(p.path, p.code, p.message, p.hint) for p in result.problems[:2]]
    assert [2, 5] == [p.line for p in result.problems]


def test_unknown_key_that_belongs_to_a_segment() -> None:
    """A segment figure written on the school gets a hint to move it under segments."""
    [problem] = _load("name: x\nschools:\n  - id: a\n    full_time_teachers: 3\n").problems
    assert "D010" == problem.code
    assert (
        "'full_time_teachers' is a figure of each segment: write it under segments, "
        "e.g. segments: {小学: {full_time_teachers: ...}}"
    ) == problem.hint


def test_chinese_label_keys() -> None:
    """Keys may be Chinese labels; the result equals the one written with field names."""
    chinese = _load(
        "县区名称: 某县\n在校生数: 1200\n学校名单完整: 是\nschools:\n"
        "  - 学校代码: a\n    学校类型: 九年一贯制\n    寄宿制: 否\n"
        "    segments: {小学: {在校生数: 300, 专任教师数: 20}}\n"
    )
    english = _load(
        "name: 某县\nstudents: 1200\nschools_complete: true\nschools:\n"
        "  - id: a\n    kind: nine_year\n    boarding: false\n"
        "    segments: {primary: {students: 300, full_time_teachers: 20}}\n"
    )
    assert () == chinese.problems == english.problems
    assert english.county == chinese.county
    assert SchoolKind.NINE_YEAR == chinese.county.schools[0].kind  # type: ignore[index]


def test_field_given_by_name_and_label_is_a_problem() -> None:
    """The same field by name and by label is D011; the first one is used."""
    result = _load("name: x\nstudents: 5\n在校生数: 7\n")
    assert Figure.exact(5) == result.county.students
    assert ["D011"] == [p.code for p in result.problems]


def test_enums_accept_values_and_english_names() -> None:
    """Enums take the Chinese value or the English name in any case; others are D020."""
    result = _load(
        "name: x\nregion: WEST\nschools:\n  - {id: a, kind: Nine-Year, ownership: 公办, location: rural}\n"
        "  - {id: b, location: 农村}\n"
    )
    a, b = result.county.schools  # type: ignore[misc]
    assert (models.Region.WEST, SchoolKind.NINE_YEAR) == (result.county.region, a.kind)
    assert (models.Ownership.PUBLIC, models.Location.RURAL) == (a.ownership, a.location)
    assert b.location is None
    [problem] = result.problems
    assert "schools[1].location" == problem.path
    assert "expected one of 城区, 镇区, 乡村 (or urban, town, rural), got '农村'" == problem.message


def test_dates_and_school_years() -> None:
    """Dates in several spellings; a school year written as as_of goes to school_year."""
    assert datetime.date(2018, 9, 1) == _load("name: x\nas_of: 2018-09-01\n").county.as_of
    assert datetime.date(2018, 9, 1) == _load("name: x\nas_of: 2018年9月1日\n").county.as_of
    for written in ("2018-2019", "2018学年", "2018—19学年", "2018/2019"):
        county = _load(f"name: x\nas_of: {written}\n").county
        assert (None, "2018-2019") == (county.as_of, county.school_year)
    result = _load("name: x\nas_of: 2018-2019\nschool_year: 2019-2020\n")
    assert "2019-2020" == result.county.school_year
    assert ["D031"] == [p.code for p in result.problems]
    result = _load("name: x\nschool_year: 2018\nas_of: 2018-13-01\n")
    assert (None, None) == (result.county.school_year, result.county.as_of)
    assert ["school_year", "as_of"] == [p.path for p in result.problems]


def test_segments_as_mapping_and_as_list() -> None:
    """Segments written as a mapping keyed by segment equal those written as a list."""
    mapping = _load(
        "name: x\nsegments:\n  小学: {students: 10}\n  junior: {students: 20}\n"
        "schools:\n  - id: a\n    segments: {小学: {students: 3}, 初中: }\n"
    )
    listed = _load(
        "name: x\nsegments:\n  - {segment: 小学, students: 10}\n  - {segment: 初中, students: 20}\n"
        "schools:\n  - id: a\n    segments:\n      - {segment: primary, students: 3}\n"
        "      - {学段: 初中}\n"
    )
    assert () == mapping.problems == listed.problems
    assert listed.county == mapping.county
    junior = mapping.county.segment(Segment.JUNIOR)
    assert junior == CountySegment(Segment.JUNIOR, students=Figure.exact(20))


def test_keyed_entries_left_out_with_problems() -> None:
    """Unknown, contradicting and repeated segment keys leave the entry out, with D030/D031."""
    result = _load(
        "name: x\nsegments:\n  幼儿园: {students: 1}\n  小学: {segment: 初中}\n  初中: {}\n"
        "  junior: {students: 5}\n"
    )
    assert (CountySegment(Segment.JUNIOR),) == result.county.segments
    assert [
        ("segments.幼儿园", "D030"),
        ("segments.小学", "D031"),
        ("segments.junior", "D030"),
    ] == [(p.path, p.code) for p in result.problems]
    assert (
        "segment '初中' appears twice (also at segments.初中); this county segment is left out"
        == result.problems[2].message
    )


def test_attestations_as_mapping_and_list() -> None:
    """Attestations as item → status, item → mapping, or a list, all read the same."""
    mapping = _load(
        "name: x\nattestations:\n  12: 达到\n  12.10: {status: 基本达到, actor: 县, evidence: 见报告}\n"
    )
    listed = _load(
        "name: x\nattestations:\n  - {item: '12', status: met}\n"
        "  - {item: '12.10', status: 基本达到, actor: county, evidence: 见报告}\n"
    )
    assert () == mapping.problems == listed.problems
    assert listed.county == mapping.county
    assert (
        Attestation("12", SelfStatus.MET),
        Attestation("12.10", SelfStatus.BASICALLY_MET, "见报告", models.Actor.COUNTY),
    ) == mapping.county.attestations


def test_attestation_shorthand_with_a_bad_status() -> None:
    """A bad status in the shorthand `item: status` is reported at the item and left out."""
    result = _load("name: x\nattestations:\n  '12': 完成\n  '13': 达到\n")
    assert (Attestation("13", SelfStatus.MET),) == result.county.attestations
    [problem] = result.problems
    assert ("attestations.12", "D030", 3) == (problem.path, problem.code, problem.line)
    assert {problem} == set(result.problems)  # problems are hashable


def test_empty_list_versus_missing_list() -> None:
    """An absent list is None (not listed); an empty list is () (there are none)."""
    absent = _load("name: x\n").county
    empty = _load("name: x\nschools: []\n").county
    assert (None, ()) == (absent.schools, empty.schools)
    schools = _load("name: x\nschools:\n  - id: a\n  - id: b\n    segments: []\n").county.schools
    assert schools is not None
    assert (None, ()) == (schools[0].segments, schools[1].segments)
    seg = _load("name: x\nschools: [{id: a, segments: {小学: {classes: []}}}]\n").county
    assert () == seg.schools[0].segments[0].classes  # type: ignore[index]


def test_schools_complete() -> None:
    """schools_complete is kept with a list; without one it is a D031 problem and ignored."""
    county = _load("name: x\nschools_complete: true\nschools: []\n").county
    assert (True, ()) == (county.schools_complete, county.schools)
    result = _load("name: x\nschools_complete: true\n")
    assert False is result.county.schools_complete
    [problem] = result.problems
    assert ("schools_complete", "D031") == (problem.path, problem.code)
    result = _load("name: x\nschools: [{id: a, segments: {小学: {classes_complete: true}}}]\n")
    assert ["schools[0].segments.小学.classes_complete"] == [p.path for p in result.problems]


def test_school_without_id_is_left_out_with_a_problem() -> None:
    """A school without id, or with a repeated id, is left out and a D030 problem says so."""
    result = _load("name: x\nschools:\n  - id: a\n  - name: 无名\n  - id: a\n  - 5\n  - id: [1]\n")
    assert ("a",) == tuple(s.id for s in result.county.schools or ())
    assert [
        ("schools[1]", "D030", "no usable 'id' (学校代码); this school is left out"),
        (
            "schools[2]",
            "D030",
            "id 'a' appears twice (also at schools[0]); this school is left out",
        ),
        (
            "schools[3]",
            "D030",
            "expected a mapping of school fields, got '5'; this school is left out",
        ),
        ("schools[4].id", "D020", "expected text, got a list"),
        ("schools[4]", "D030", "no usable 'id' (学校代码); this school is left out"),
    ] == [(p.path, p.code, p.message) for p in result.problems]


def test_county_without_name_is_kept() -> None:
    """A county without a name is still loaded (name ''), with a problem."""
    result = _load("students: 3\n")
    assert ("", Figure.exact(3)) == (result.county.name, result.county.students)
    assert ["name"] == [p.path for p in result.problems]


def test_size_bands_and_classes() -> None:
    """Size bands need low and high (null: and over); bad bands are left out, and
    then the remaining bands are not used (they would no longer count every class)."""
    result = _load(
        "name: x\nschools:\n  - id: a\n    segments:\n      小学:\n        size_bands:\n"
        "          - {low: 56, high: 65, count: 3}\n          - {low: 66, high: null, count: 1}\n"
        "          - {low: 66}\n          - {low: 50, high: 40}\n"
        "        classes:\n          - {name: 一(1)班, grade: 1, size: 58}\n"
        "          - {grade: 一年级, size: 约40}\n"
    )
    seg = result.county.schools[0].segments[0]  # type: ignore[index]
    assert seg.size_bands is None
    assert (
        models.Class(name="一(1)班", grade=1, size=Figure.exact(58)),
        models.Class(size=Figure(D(40), D(40), True)),
    ) == seg.classes
    assert [
        ("schools[0].segments.小学.size_bands[2]", "D030"),
        ("schools[0].segments.小学.size_bands[3]", "D030"),
        ("schools[0].segments.小学.classes[1].grade", "D020"),
        ("schools[0].segments.小学.size_bands", "D031"),
    ] == [(p.path, p.code) for p in result.problems]


def test_duplicate_keys_are_problems() -> None:
    """A key repeated in one YAML or JSON mapping is D011; the last value is used."""
    result = _load("name: x\nstudents: 1\nstudents: 2\n")
    assert Figure.exact(2) == result.county.students
    assert [("students", "D011", 3)] == [(p.path, p.code, p.line) for p in result.problems]
    result = load_county_text('{"name": "x", "students": 1, "students": 2}', format="json")
    assert [("students", "D011", 1)] == [(p.path, p.code, p.line) for p in result.problems]
    merged = _load("name: x\nbase: &b {students: 5}\n")  # `base` is unknown; the anchor is fine
    assert ["D010"] == [p.code for p in merged.problems]
    assert () == _load("name: x\n<<: {students: 5}\nstudents: 6\n").problems


# --- extra fields --------------------------------------------------------------------------

EXTRAS = {
    "county": {"公办幼儿园数": "unit:所", "growth": "number", "备注": "text", "试点县": "flag"},
    "school": {"食堂面积": "unit:平方米"},
    "class": {"女生数": "unit:人"},
}


def test_extra_fields() -> None:
    """Declared extra fields at the top level or under extra: go into extra, typed by kind."""
    result = _load(
        "name: x\n公办幼儿园数: 约12\ngrowth: -3.5\n备注: 0101\nextra: {试点县: 是, 其它: 4, 说明: 见附件}\n"
        "schools:\n  - id: a\n    extra: {食堂面积: 300多}\n"
        "    segments: {小学: {classes: [{女生数: 20}]}}\n",
        extra_fields=EXTRAS,
    )
    assert () == result.problems
    county = result.county
    assert {
        "公办幼儿园数": Figure(D(12), D(12), True),
        "growth": Figure.exact("-3.5"),
        "备注": "0101",
        "试点县": True,
        "其它": Figure.exact(4),
        "说明": "见附件",
    } == dict(county.extra)
    school = county.schools[0]  # type: ignore[index]
    assert {"食堂面积": Figure(D(300), D(399))} == dict(school.extra)
    assert {"女生数": Figure.exact(20)} == dict(school.segments[0].classes[0].extra)  # type: ignore[index]


def test_extra_field_problems() -> None:
    """Bad extra values are problems; undeclared top-level keys are unknown; repeats are D011."""
    result = _load(
        "name: x\n公办幼儿园数: 1.5\n公办幼儿院数: 3\n试点县: maybe\n"
        "extra: {公办幼儿园数: 2, list: [1]}\n",
        extra_fields=EXTRAS,
    )
    assert {} == dict(result.county.extra)
    assert [
        ("公办幼儿园数", "D021"),
        ("公办幼儿院数", "D010"),
        ("试点县", "D020"),
        ("extra.公办幼儿园数", "D011"),
        ("extra.list", "D020"),
    ] == [(p.path, p.code) for p in result.problems]
    assert "did you mean '公办幼儿园数'?" == result.problems[1].hint


@pytest.mark.parametrize(
    "declarations",
    [
        {"kindergarten": {"x": "number"}},
        {"county": {"x": "unit:斤"}},
        {"county": {"x": "integer"}},
        {"county": {"students": "number"}},
        {"county": {"在校生数": "number"}},
        {"county": {"x": "unit:"}},
    ],
)
def test_bad_extra_declarations_raise(declarations: dict[str, dict[str, str]]) -> None:
    """Malformed declarations are a programming error: ValueError, before any reading."""
    with pytest.raises(ValueError):
        _load("name: x\n", extra_fields=declarations)


# --- files and file errors ----------------------------------------------------------------


def test_load_county_file_result(tmp_path: Path) -> None:
    """load_county returns source, the SHA-256 of the bytes and the rules key."""
    path = tmp_path / "county.yaml"
    data = "eduint_data_version: 1\nrules: national/基本均衡\nname: 某县\n".encode()
    path.write_bytes(b"\xef\xbb\xbf" + data)
    result = load_county(path)
    assert (str(path), "national/基本均衡", "某县") == (
        result.source,
        result.rules,
        result.county.name,
    )
    assert hashlib.sha256(b"\xef\xbb\xbf" + data).hexdigest() == result.sha256
    (tmp_path / "county.json").write_text('{"name": "某县", "$schema": "x"}', encoding="utf-8")
    assert () == load_county(tmp_path / "county.json").problems


def test_unreadable_yaml_names_file_and_line(tmp_path: Path) -> None:
    """Broken YAML raises DataFileError with the file name and the 1-based line and column."""
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\nschools:\n  - id: [a, b\n  - id: c\n", encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_county(path)
    err = info.value
    assert (str(path), 4, "D001") == (err.file, err.line, err.code)
    assert str(err).startswith(f"{path}:4:")
    assert isinstance(err, EduintError)
    again = pickle.loads(pickle.dumps(err))
    assert (str(err), err.line) == (str(again), again.line)


@pytest.mark.parametrize(
    ("text", "fmt", "message"),
    [
        ('{"name": "x",}', "json", "<string>:1:14: error[D001]: cannot parse JSON"),
        ("", "yaml", "<string>: error[D001]: the file is empty"),
        ("- a\n", "yaml", "<string>: error[D001]: the top level must be a mapping"),
        ("name: x\n---\nname: y\n", "yaml", "<string>:2:1: error[D001]: cannot parse YAML"),
        ("name: !!python/object:os.system x\n", "yaml", "<string>:1:7: error[D001]"),
        ("a: &a [*a]\n", "yaml", "<string>:1:8: error[D001]: a YAML alias refers"),
        ("eduint_data_version: 2\nname: x\n", "yaml", "<string>:1: error[D002]"),
    ],
)
def test_file_errors(text: str, fmt: typing.Literal["yaml", "json"], message: str) -> None:
    """Files that cannot be read as a data file at all raise DataFileError."""
    with pytest.raises(DataFileError) as info:
        load_county_text(text, format=fmt)
    assert str(info.value).startswith(message)


def test_unsupported_version_message() -> None:
    """An unknown eduint_data_version is refused clearly."""
    with pytest.raises(DataFileError) as info:
        load_county_text("eduint_data_version: 2\nname: x\n", file="c.yaml")
    assert (
        "c.yaml:1: error[D002]: eduint_data_version '2' is not supported; "
        "this eduint reads eduint_data_version 1"
    ) == str(info.value)


def test_missing_non_utf8_and_unknown_suffix_files(tmp_path: Path) -> None:
    """A missing file, a GBK file and an unknown suffix raise DataFileError."""
    with pytest.raises(DataFileError, match="cannot read the file"):
        load_county(tmp_path / "nope.yaml")
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes("name: x\nname2: 某县\n".encode("gbk"))
    with pytest.raises(DataFileError, match="not UTF-8") as info:
        load_county(gbk)
    assert 2 == info.value.line
    (tmp_path / "c.csv").write_text("name\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="unknown data file type '.csv'"):
        load_county(tmp_path / "c.csv")


def test_alias_bomb_is_refused() -> None:
    """YAML aliases that expand to too many values make the file unreadable, quickly."""
    levels = "".join(
        f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 9)
    )
    bomb = "name: x\nextra:\n  a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + levels
    with pytest.raises(DataFileError, match="more than the limit values=10,000") as info:
        load_county_text(bomb, limits=Limits(values=10_000))
    assert "D005" == info.value.code and info.value.line is not None


def test_data_problem_rendering() -> None:
    """DataProblem renders line, row and sheet forms."""
    base = DataProblem("c.yaml", "schools[0].students", "students", "x", "bad")
    assert "c.yaml: schools[0].students: bad" == str(base)
    assert "c.xlsx[学校]:row 14: schools[0].students: bad" == str(
        attrs.evolve(base, file="c.xlsx", row=14, sheet="学校")
    )
    assert "c.yaml: bad (hint: h)" == str(attrs.evolve(base, path="", hint="h"))


# --- the JSON Schema -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    """A validator for the generated input schema."""
    schema = input_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


VALID_EXAMPLE: dict[str, Any] = {
    "$schema": "urn:eduint:schema:eduint-data-v1",
    "eduint_data_version": 1,
    "rules": "national",
    "县区名称": "某县",
    "as_of": "2018-2019",
    "students": "1,655",
    "dropout_rate": "0.5%",
    "segments": {"小学": {"students": "约1200", "schools": "30多"}, "junior": None},
    "attestations": {"12": "达到", "12.1": {"status": "basically_met", "actor": "县"}},
    "declared_counts": [{"kind": "小学", "total": 6, "rural": {"low": 1, "high": 2}}],
    "schools_complete": True,
    "schools": [
        {
            "学校代码": 3301,
            "kind": "NINE_YEAR",
            "boarding": "否",
            "sports_area": 1200.5,
            "extra": {"anything": "text", "n": -1.5, "f": {"low": 1, "high": 2}, "b": True},
            "segments": [
                {
                    "segment": "小学",
                    "students": {"value": 600, "approximate": True},
                    "classes": [{"name": "一(1)班", "grade": 1, "size": "不足50"}],
                    "size_bands": [{"low": 66, "high": None, "count": 0}],
                }
            ],
        }
    ],
}


def test_schema_accepts_a_valid_example(validator: jsonschema.Draft202012Validator) -> None:
    """The valid example passes the schema and loads without problems."""
    assert [] == [e.message for e in validator.iter_errors(VALID_EXAMPLE)]
    assert () == read_county(VALID_EXAMPLE)[1]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("studnets",), 5),
        (("students",), -1),
        (("students",), 12.5),
        (("students",), "10以上"),
        (("students",), "12多"),
        (("students",), "95%"),
        (("region",), "north"),
        (("eduint_data_version",), 2),
        (("segments", "幼儿园"), {}),
        (("schools", 0, "segments", 0, "segment"), None),
        (("schools", 0, "unknown"), 1),
        (("schools", 0, "extra", "anything"), [1, 2]),
        (("schools", 0, "segments", 0, "classes", 0, "size"), {"value": 1, "x": 2}),
    ],
)
def test_schema_rejects_invalid_examples(
    validator: jsonschema.Draft202012Validator, path: tuple[str | int, ...], value: Any
) -> None:
    """Unknown keys, negative or non-whole counts, ambiguous figures and bad enums fail."""
    data = json.loads(json.dumps(VALID_EXAMPLE))
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    assert not validator.is_valid(data)


def test_schema_file_is_up_to_date() -> None:
    """docs/schema/eduint-data-v1.schema.json is what scripts/gen_schema.py writes."""
    gen = _script("gen_schema")
    on_disk = (REPO / "docs" / "schema" / "eduint-data-v1.schema.json").read_text(encoding="utf-8")
    assert gen.render() == on_disk, "run: python scripts/gen_schema.py"
    schema = json.loads(on_disk)
    assert "v1" in schema["$id"]
    assert 1 == schema["properties"]["eduint_data_version"]["const"]


def test_schema_with_extra_fields(validator: jsonschema.Draft202012Validator) -> None:
    """With declarations, declared extra fields become known properties."""
    data = {"name": "x", "公办幼儿园数": 3}
    assert not validator.is_valid(data)
    with_extras = jsonschema.Draft202012Validator(input_json_schema(extra_fields=EXTRAS))
    assert with_extras.is_valid(data)
    assert not with_extras.is_valid({"name": "x", "公办幼儿园数": 1.5})


def test_data_model_doc_example_loads_cleanly() -> None:
    """The example data file at the top of docs/data-model.md loads without problems."""
    doc = (REPO / "docs" / "data-model.md").read_text(encoding="utf-8")
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    result = load_county_text(example, file="data-model.md")
    assert () == result.problems
    county = result.county
    assert ("某县", "chengxiang_yitihua_2018", datetime.date(2018, 9, 1)) == (
        county.name,
        result.rules,
        county.as_of,
    )
    assert Figure(D(800), D(800), True) == county.full_time_teachers


def test_data_model_doc_is_up_to_date() -> None:
    """docs/data-model.md's generated tables match the models (scripts/gen_data_model_doc.py)."""
    gen = _script("gen_data_model_doc")
    on_disk = (REPO / "docs" / "data-model.md").read_text(encoding="utf-8")
    assert gen.render(on_disk) == on_disk, "run: python scripts/gen_data_model_doc.py"
    for cls in loading.MODELS:
        for a in attrs.fields(cls):
            assert f"| `{a.name}` |" in on_disk


# --- round trips ------------------------------------------------------------------------

_TEXT = (
    st.text(alphabet="abnulyesof~:#-'\" 0123.小学一二", min_size=1, max_size=8)
    .map(str.strip)
    .filter(bool)
)
_DECIMALS = st.decimals(
    min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False
)
_WRITTEN = ["约212", "212左右", "30多", "300余", "不足10", "1,655", "大约7"]


def _figures(unit: str | None) -> st.SearchStrategy[Figure]:
    """Figures valid for ``unit``: exact, approximate, intervals and written forms."""
    whole = unit in WHOLE_NUMBER_UNITS
    base = st.integers(0, 10**9).map(Decimal) if whole else _DECIMALS
    if unit is None:
        base = st.decimals(min_value=-1000, max_value=1000, places=2)
    written = list(_WRITTEN) + (["95%", "约3.5%"] if unit == "%" else [])
    return st.one_of(
        base.map(lambda d: Figure(d, d)),
        base.map(lambda d: Figure(d, d, True)),
        st.tuples(base, base).map(sorted).map(lambda p: Figure(p[0], p[1], False)),
        st.sampled_from(written).map(lambda s: parse_figure(s, unit=unit)),
    )


_EXTRA_VALUES: st.SearchStrategy[models.ExtraValue] = st.one_of(
    st.none(), st.booleans(), _TEXT, _figures(None)
)


def _unwrap(tp: Any) -> tuple[Any, bool]:
    """``X | None`` → (X, True); anything else → (tp, False)."""
    args = typing.get_args(tp)
    if type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return rest[0], True
    return tp, False


def _entities(cls: type) -> st.SearchStrategy[Any]:
    """Any valid instance of a model, built from its attrs fields (small collections)."""
    hints = typing.get_type_hints(cls)
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for a in attrs.fields(cls):
        tp, optional = _unwrap(hints[a.name])
        strat: st.SearchStrategy[Any]
        if tp is Figure:
            strat = _figures(a.metadata[models.UNIT])
        elif a.name == "school_year":
            strat = st.integers(1990, 2100).map(lambda y: f"{y}-{y + 1}")
        elif tp is str:
            strat = _TEXT
        elif tp is bool:
            strat = st.booleans()
        elif tp is int:
            strat = st.integers(0, 100)
        elif tp is datetime.date:
            strat = st.dates(datetime.date(1990, 1, 1), datetime.date(2100, 12, 31))
        elif isinstance(tp, type) and issubclass(tp, enum.Enum):
            strat = st.sampled_from(list(tp))
        elif typing.get_origin(tp) is tuple:
            item = typing.get_args(tp)[0]
            key = loading.KEYED_COLLECTIONS.get((cls, a.name)) or {School: "id"}.get(item)
            unique: Callable[[Any], Any] = (lambda x, k=key: getattr(x, k)) if key else id
            strat = st.lists(
                st.deferred(lambda item=item: _entities(item)), max_size=2, unique_by=unique
            ).map(tuple)
        elif a.name == "extra":
            strat = st.dictionaries(_TEXT, _EXTRA_VALUES, max_size=2)
        else:  # pragma: no cover
            raise AssertionError(f"no strategy for {cls.__name__}.{a.name}")
        required = a.default is attrs.NOTHING or (a.default is None and not optional)
        fields[a.name] = (
            st.none() | strat if optional or not required and a.default is None else strat
        )
    built = st.fixed_dictionaries(fields).map(lambda kw: cls(**kw))
    if cls is models.SizeBand:
        return built.filter(lambda b: b.high is None or b.high >= b.low)
    if cls in (County, SchoolSegment):
        flag, items = (
            ("schools_complete", "schools") if cls is County else ("classes_complete", "classes")
        )
        return built.map(
            lambda e: attrs.evolve(e, **{flag: getattr(e, flag) and getattr(e, items) is not None})
        )
    return built


_ROUND_TRIP = settings(
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], deadline=None
)


@pytest.mark.slow
@_ROUND_TRIP
@given(_entities(County))
def test_property_dump_and_load_round_trip(county: County) -> None:
    """A county dumped to YAML and to JSON loads back equal, without problems."""
    data = dump_county(county)
    as_yaml = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    from_yaml = load_county_text(as_yaml)
    assert () == from_yaml.problems
    assert county == from_yaml.county
    from_json = load_county_text(json.dumps(data, ensure_ascii=False), format="json")
    assert () == from_json.problems
    assert county == from_json.county


@pytest.mark.slow
@_ROUND_TRIP
@given(_entities(County))
def test_property_dumped_data_matches_the_schema(county: County) -> None:
    """Whatever dump_county writes is valid against the input schema."""
    validator = jsonschema.Draft202012Validator(input_json_schema())
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(dump_county(county))]
    assert [] == errors


@pytest.mark.slow
@_ROUND_TRIP
@given(st.lists(_entities(School), min_size=1, max_size=3, unique_by=lambda s: s.id))
def test_property_schools_round_trip(schools: list[School]) -> None:
    """Schools with segments, classes and size bands survive dump and load (YAML) unchanged."""
    county = County(name="x", schools=tuple(schools), schools_complete=True)
    data = yaml.safe_dump(dump_county(county), allow_unicode=True, sort_keys=False)
    result = load_county_text(data)
    assert () == result.problems
    assert county == result.county


_KEYS = sorted(
    {k for cls in loading.MODELS for k in fields_by_name(cls)}
    | {"segments", "小学", "初中", "extra", "12", "low", "high", "value", "公办幼儿园数"}
)
_JUNK: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=6)
    | st.sampled_from(["约12", "30多", "-1", "2018-2019", "是", "小学", "primary"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(_KEYS) | st.text(max_size=4), children, max_size=4)
    ),
    max_leaves=25,
)


@pytest.mark.slow
@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.dictionaries(st.sampled_from(_KEYS), _JUNK, max_size=6))
def test_property_bad_values_never_stop_the_run(data: dict[str, Any]) -> None:
    """Any nested junk under known keys loads into a County with problems, never an exception."""
    county, problems = read_county(data, extra_fields=EXTRAS)
    assert isinstance(county, County)
    assert all(isinstance(p, DataProblem) and str(p) for p in problems)


# --- lazy imports ---------------------------------------------------------------------------


def test_heavy_modules_are_imported_only_when_needed() -> None:
    """``import eduint`` imports neither openpyxl nor cattrs nor PyYAML; loading a YAML file
    imports PyYAML and cattrs but never openpyxl (issue 11: lazy heavy imports)."""
    import subprocess
    import sys

    code = (
        "import sys, eduint\n"
        "print(sorted(m for m in ('openpyxl', 'cattrs', 'yaml') if m in sys.modules))\n"
        f"eduint.load_county({str(REPO / 'examples' / 'baoshan-2018.yaml')!r})\n"
        "print(sorted(m for m in ('openpyxl', 'cattrs', 'yaml') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert ["[]", "['cattrs', 'yaml']"] == out
