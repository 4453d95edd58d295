"""The published 差异系数 cases of ``/work/shared/data``, reproduced to their published precision.

Each case goes through :mod:`eduint.core.statistics` here AND through a rule file evaluated
by :func:`eduint.evaluate` (the scenarios of ``tests/scenarios/evaluator/
statistics-handouts.yaml``), and the two agree to the last digit shown:

* ``cv_worked_example_books_5schools`` (REFERENCE §3.2): 5 primary schools, books per
  student, student-weighted population CV 0.5153 at 4 dp, published as 0.52. The wrong
  methods, computed here with plain fractions, give other values when compared unrounded:
  unweighted population 0.4888, unweighted sample 0.5465, weighted with an N−1 divisor
  0.5161 (which also prints as 0.52: only the unrounded value tells it apart).
* ``split_nine_year_school_books`` (REFERENCE §3.3): 23,226 books of a 九年一贯制 school
  with 166 小学 and 210 初中 students, split 1 : 1.1 per student: 9711.63 / 13514.37 (the
  source, rounding the per-student value to 58.5 first, publishes 9711 / 13515: within one
  book).
* ``composite_cv_basic_balance_tables`` (2012 基本均衡): each row's composite is the mean of
  its 8 single CVs, equal to the published composite at 3 dp, and passes 0.65 / 0.55.
* The 2017 per-indicator test at its edge (REFERENCE §1.3, §6 #4): a CV of exactly
  0.501787 against ≤ 0.50 is 未达到, although rounding it to 2 dp first would pass.

The CSV files are embedded below, byte for byte; when ``/work/shared/data`` is present a
test checks that the copies are still identical to it.
"""

from __future__ import annotations

import csv
import io
import math
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import pytest

from eduint.core import statistics

SHARED = Path("/work/shared/data")

# ------------------------------------------------------------ published data (verbatim)

BOOKS_5_CSV = """\
学校(school),在校生数(students; 人),图书册数(books; 册),生均图书册数_公布值(books_per_student_published; 册/生; 2dp)
S1,45,279,6.20
S2,37,137,3.70
S3,89,935,10.51
S4,76,160,2.11
S5,55,402,7.31
总计(total),302,1913,6.33
"""

SPLIT_CSV = """\
项目(item),值(value),单位(unit)
小学部在校生数(primary_students; A),166,人
初中部在校生数(junior_students; B),210,人
全校在校生数(total_students),376,人
全校图书总册数(total_books),23226,册
折算系数_初中生(junior_weight_factor),1.1,比例(1 primary : 1.1 junior)
公布_小学部生均图书(published_primary_books_per_student),58.5,册/生
公布_小学部图书册数(published_primary_books),9711,册
公布_初中部图书册数(published_junior_books),13515,册
"""

COMPOSITE_CSV = """\
来源(source),省(province),区县(county),学段(level),CV1_生均教学及辅助用房面积(teaching_aux_floor_area_per_student),CV2_生均体育运动场馆面积(sports_area_per_student),CV3_生均教学仪器设备值(equipment_value_per_student),CV4_每百名学生拥有计算机台数(computers_per_100),CV5_生均图书册数(books_per_student),CV6_师生比(teacher_student_ratio),CV7_生均高于规定学历教师数(above_required_degree_teachers_per_student),CV8_生均中级及以上专业技术职务教师数(mid_or_senior_title_teachers_per_student),综合差异系数_公布(composite_cv_published)
book118,安徽,C1(合肥市庐阳区),小学(primary),0.881,1.299,0.977,0.379,0.170,0.334,0.286,0.408,0.592
book118,安徽,C1(合肥市庐阳区),初中(junior),0.353,0.784,0.146,0.491,0.037,0.226,0.223,0.253,0.314
book118,安徽,C2(合肥市蜀山区),小学(primary),0.711,0.649,0.472,0.338,0.235,0.274,0.260,0.396,0.417
book118,安徽,C2(合肥市蜀山区),初中(junior),0.505,0.484,0.325,0.275,0.199,0.715,0.421,1.021,0.493
wenke99,吉林,C3(长春市南关区),小学(primary),0.393,0.578,0.372,0.246,0.208,0.311,0.311,0.455,0.359
wenke99,吉林,C3(长春市南关区),初中(junior),0.433,0.464,0.334,0.318,0.433,0.362,0.368,0.335,0.381
wenke99,吉林,C4(长春市宽城区),小学(primary),0.251,0.426,0.267,0.227,0.127,0.318,0.302,0.440,0.295
wenke99,吉林,C4(长春市宽城区),初中(junior),0.285,0.373,0.243,0.333,0.224,0.391,0.355,0.569,0.347
wenke99,吉林,C5(长春市朝阳区),小学(primary),0.380,0.605,0.352,0.362,0.101,0.301,0.295,0.415,0.351
wenke99,吉林,C5(长春市朝阳区),初中(junior),0.320,0.431,0.291,0.223,0.095,0.400,0.386,0.431,0.322
wenke99,吉林,C6(长春市二道区),小学(primary),0.246,0.471,0.388,0.299,0.189,0.475,0.479,0.533,0.385
wenke99,吉林,C6(长春市二道区),初中(junior),0.441,0.494,0.495,0.311,0.388,0.365,0.236,0.493,0.403
wenke99,吉林,C7(长春市绿园区),小学(primary),0.280,0.819,0.315,0.206,0.104,0.353,0.343,0.406,0.353
wenke99,吉林,C7(长春市绿园区),初中(junior),0.362,0.446,0.324,0.402,0.362,0.372,0.342,0.496,0.388
"""

EMBEDDED = {
    "cv_worked_example_books_5schools.csv": BOOKS_5_CSV,
    "split_nine_year_school_books.csv": SPLIT_CSV,
    "composite_cv_basic_balance_tables.csv": COMPOSITE_CSV,
}


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))[1:]


FIVE = _rows(BOOKS_5_CSV)[:-1]
STUDENTS = [int(r[1]) for r in FIVE]
BOOKS = [int(r[2]) for r in FIVE]
SPLIT = {r[0].split("(")[1].split(";")[0].rstrip(")"): r[1] for r in _rows(SPLIT_CSV)}


# ------------------------------------------------------------ helpers


def _round(x: Fraction | Decimal | str, places: int) -> Decimal:
    """Round half up to ``places`` decimals (the handouts' convention), exactly."""
    d = Decimal(x) if isinstance(x, str) else x
    if isinstance(d, Fraction):
        with localcontext() as ctx:
            ctx.prec = 60
            d = Decimal(d.numerator) / Decimal(d.denominator)
    return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _sqrt(x: Fraction) -> Fraction:
    """A square root to 50 significant digits (more than any comparison here needs)."""
    with localcontext() as ctx:
        ctx.prec = 50
        return Fraction((Decimal(x.numerator) / Decimal(x.denominator)).sqrt())


def _sq(x: Fraction) -> Fraction:
    return x * x


# ============================================================ (a) the 5-school example


def test_published_inputs_match_their_printed_per_student_values() -> None:
    """The CSV's printed per-student books (2 dp) and totals (302, 1913, 6.33) follow from
    its students and books: the inputs are read correctly."""
    for row, n, b in zip(FIVE, STUDENTS, BOOKS, strict=True):
        assert _round(Fraction(b, n), 2) == Decimal(row[3]), row
    total = _rows(BOOKS_5_CSV)[-1]
    assert (sum(STUDENTS), sum(BOOKS)) == (int(total[1]), int(total[2])) == (302, 1913)
    assert _round(Fraction(1913, 302), 2) == Decimal(total[3])


def test_weighted_cv_reproduces_0_5153_and_the_published_0_52() -> None:
    """``statistics.weighted_cv`` on the 5 schools: mean = 1913 / 302 exactly (the county
    aggregate), Σ terms 10.6528, CV 0.5153 at 4 dp and 0.52 at 2 dp, as published; the
    contributions sum to 1 and S3 and S4 carry most of the variance (5.13 and 4.50 of the
    printed 10.65)."""
    ratios = [Fraction(b, n) for b, n in zip(BOOKS, STUDENTS, strict=True)]
    result = statistics.weighted_cv(ratios, STUDENTS)
    assert result.mean == Fraction(1913, 302)
    assert _round(result.variance, 4) == Decimal("10.6528")
    assert _round(result.cv, 4) == Decimal("0.5153")
    assert _round(result.cv, 2) == Decimal("0.52")
    assert sum(result.contributions) == 1
    printed_terms = ["0.003", "0.85", "5.13", "4.50", "0.17"]
    for share, printed in zip(result.contributions, printed_terms, strict=True):
        term = share * result.variance
        assert _round(term, len(printed.split(".")[1])) == Decimal(printed)
    # the square root is good to far more than the 4 published places
    assert abs(_sq(result.cv * result.mean) - result.variance) < Fraction(1, 10**30)


def test_wrong_methods_give_other_values_when_compared_unrounded() -> None:
    """Unweighted population 0.4888, unweighted sample 0.5465, weighted with an N−1
    divisor 0.5161 (computed here with fractions, not with eduint): each differs from the
    weighted population 0.5153 unrounded; the N−1 variant even prints 0.52 at 2 dp, so a
    2-dp comparison would not catch it; the unweighted ones would be judged otherwise
    against 0.50 (0.4888 passes). Pre-rounding each school to the printed 2 dp shifts the
    CV to 0.5157 (REFERENCE §6 #12)."""
    xs = [Fraction(b, n) for b, n in zip(BOOKS, STUDENTS, strict=True)]
    k, total = len(xs), sum(STUDENTS)
    plain_mean = sum(xs, Fraction(0)) / k
    squares = sum((_sq(x - plain_mean) for x in xs), Fraction(0))
    unweighted_pop = _sqrt(squares / k) / plain_mean
    unweighted_sample = _sqrt(squares / (k - 1)) / plain_mean
    mean = Fraction(sum(BOOKS), total)
    spread = sum((n * _sq(x - mean) for x, n in zip(xs, STUDENTS, strict=True)), Fraction(0))
    weighted_n1 = _sqrt(spread / (total - 1)) / mean
    printed = [Fraction(r[3]) for r in FIVE]
    pre_rounded = _sqrt(
        sum(
            (n * _sq(x - Fraction("6.33")) for x, n in zip(printed, STUDENTS, strict=True)),
            Fraction(0),
        )
        / total
    ) / Fraction("6.33")

    right = statistics.weighted_cv(xs, STUDENTS).cv
    assert _round(unweighted_pop, 4) == Decimal("0.4888")
    assert _round(unweighted_sample, 4) == Decimal("0.5465")
    assert _round(weighted_n1, 4) == Decimal("0.5161")
    assert _round(pre_rounded, 4) == Decimal("0.5157")
    for wrong in (unweighted_pop, unweighted_sample, weighted_n1, pre_rounded):
        assert wrong != right
        assert abs(wrong - right) > Fraction(1, 10**4)
    assert _round(weighted_n1, 2) == _round(right, 2) == Decimal("0.52")
    assert unweighted_pop <= Fraction("0.50") < right  # judged differently against 0.50
    # and the statistics module is not any of them
    assert _round(right, 4) not in {Decimal("0.4888"), Decimal("0.5465"), Decimal("0.5161")}


def test_the_5_school_cv_at_12_places_is_the_one_its_scenario_pins() -> None:
    """``weighted_cv`` of the 5 schools, at 12 places, is the figure the scenarios
    ``five_school_example_*_at_12_places`` (tests/scenarios/evaluator/
    statistics-handouts.yaml) expect the evaluator to show."""
    exact = statistics.weighted_cv(
        [Fraction(b, n) for b, n in zip(BOOKS, STUDENTS, strict=True)], STUDENTS
    )
    assert _round(exact.cv, 12) == Decimal("0.515256629884")


# ============================================================ (b) the one-through split


def test_split_shares_reproduce_the_published_split() -> None:
    """``split_shares`` with 1 : 1.1: 小学 23226 × 166 / 397 = 9711.63, 初中 13514.37 (2 dp);
    the published 9711 / 13515 are within one book (the source rounds 58.5 per student
    first); per student 58.50 and 64.35; the shares sum to the school's books."""
    a, b = int(SPLIT["primary_students"]), int(SPLIT["junior_students"])
    books = int(SPLIT["total_books"])
    assert a + b == int(SPLIT["total_students"]) == 376
    shares = statistics.split_shares(
        {"小学": a, "初中": b}, {"小学": 1, "初中": SPLIT["junior_weight_factor"]}
    )
    primary, junior = books * shares["小学"], books * shares["初中"]
    assert primary + junior == books
    assert primary == Fraction(23226 * 166, 397)
    assert (_round(primary, 2), _round(junior, 2)) == (Decimal("9711.63"), Decimal("13514.37"))
    assert abs(primary - int(SPLIT["published_primary_books"])) < 1
    assert abs(junior - int(SPLIT["published_junior_books"])) < 1
    assert _round(primary / a, 1) == Decimal(SPLIT["published_primary_books_per_student"])
    assert (_round(primary / a, 2), _round(junior / b, 2)) == (Decimal("58.50"), Decimal("64.35"))
    # the source's round-first step gives its published figures exactly
    assert 58.5 * 166 == 9711 and books - 9711 == 13515


# ============================================================ (c) the 2012 composite


COMPOSITE = _rows(COMPOSITE_CSV)
LIMITS = {"小学(primary)": Fraction("0.65"), "初中(junior)": Fraction("0.55")}


@pytest.mark.parametrize("row", COMPOSITE, ids=[f"{r[2][:2]}-{r[3][:2]}" for r in COMPOSITE])
def test_composite_cv_equals_the_published_composite(row: list[str]) -> None:
    """For each of the 14 county-by-level rows: ``composite_cv`` of the 8 printed CVs,
    rounded half up to 3 dp, equals the published composite exactly; the verdict against
    0.65 (小学) / 0.55 (初中) is 达到 for every row, as published, although some single CVs
    exceed 0.65 (a per-indicator test would wrongly fail those counties)."""
    cvs = row[4:12]
    assert len(cvs) == 8
    composite = statistics.composite_cv(cvs)
    assert composite == sum(Fraction(c) for c in cvs) / 8
    assert _round(composite, 3) == Decimal(row[12])
    limit = LIMITS[row[3]]
    assert composite <= limit
    assert Fraction(row[12]) <= limit


def test_single_cvs_over_the_limit_do_not_fail_the_2012_composite() -> None:
    """C1 小学 (sports area 1.299) and C2 初中 (titled teachers 1.021) have single CVs above
    0.65, yet their composites 0.592 and 0.493 pass: under the 2012 rules only the
    composite decides (REFERENCE §6 #6)."""
    over = [(r[2], r[3]) for r in COMPOSITE if max(Fraction(c) for c in r[4:12]) > LIMITS[r[3]]]
    assert ("C1(合肥市庐阳区)", "小学(primary)") in over
    assert ("C2(合肥市蜀山区)", "初中(junior)") in over
    for r in COMPOSITE:
        assert statistics.composite_cv(r[4:12]) <= LIMITS[r[3]]


def test_composite_cv_needs_a_cv() -> None:
    """An empty list has no mean: ``composite_cv`` refuses it rather than returning 0."""
    with pytest.raises(ValueError, match="no CVs"):
        statistics.composite_cv([])


# ============================================================ (d) 0.501787 against 0.50

# Two segments of 100 students each: per-student 1.501787 and 0.498213 元. With equal
# weights the CV of {1 + c, 1 − c} is exactly c.


def test_the_edge_data_has_a_cv_of_exactly_0_501787() -> None:
    """REFERENCE §1.3 / §6 #4: the data of the scenario ``a_cv_of_0_501787_fails_0_50_unrounded``
    (per-student 1.501787 and 0.498213 元, 100 students each) has a CV of exactly 0.501787
    (and the mirror case 0.498213); rounded to 2 dp first it would be 0.50 and pass ≤ 0.50,
    which the scenario shows the evaluator does not do."""
    exact = statistics.weighted_cv([Fraction("1.501787"), Fraction("0.498213")], [100, 100])
    assert exact.cv == Fraction("0.501787")
    mirror = statistics.weighted_cv([Fraction("1.498213"), Fraction("0.501787")], [100, 100])
    assert mirror.cv == Fraction("0.498213")
    assert _round(Fraction("0.501787"), 2) <= Decimal("0.50")  # the rounding that would pass
    assert Fraction("0.501787") > Fraction("0.50")


# ============================================================ the copies


@pytest.mark.skipif(not SHARED.is_dir(), reason="/work/shared/data not present")
@pytest.mark.parametrize("name", sorted(EMBEDDED))
def test_embedded_copies_match_the_shared_data(name: str) -> None:
    """The CSVs embedded above are byte for byte the published files (if present)."""
    assert (SHARED / name).read_text(encoding="utf-8") == EMBEDDED[name]


def test_sqrt_helper_is_exact_enough() -> None:
    """The test's own square root agrees with :func:`math.sqrt` (a guard on the guard)."""
    assert abs(float(_sqrt(Fraction(2))) - math.sqrt(2)) < 1e-15
