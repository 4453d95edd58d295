"""One date and school-year syntax (eduint.core.dates) for the CLI's --as-of and data files."""

from __future__ import annotations

import datetime

import pytest

from eduint import cli
from eduint.core import dates
from eduint.data.loading import load_county_text

D = datetime.date

DATES = [
    ("2018-09-01", D(2018, 9, 1)),
    ("2018/9/1", D(2018, 9, 1)),
    ("2018.9.1", D(2018, 9, 1)),
    ("2018年9月1日", D(2018, 9, 1)),
    ("2018 - 12 - 31", D(2018, 12, 31)),
    ("２０１８－１２－３１", D(2018, 12, 31)),
]
SCHOOL_YEARS = [
    ("2018-2019", "2018-2019"),
    ("2018/2019", "2018-2019"),
    ("2018—19", "2018-2019"),
    ("2018–2019", "2018-2019"),
    ("2018~2019", "2018-2019"),
    ("2018至2019", "2018-2019"),
    ("2018-2019学年", "2018-2019"),
    ("2018学年", "2018-2019"),
    ("2018学年度", "2018-2019"),
    ("２０１８学年", "2018-2019"),
]
REFUSED = ["2018", "2018-2020", "2018-13-01", "2018-02-30", "0500学年", "soon", "", "10²"]


@pytest.mark.parametrize(("text", "day"), DATES)
def test_a_date_means_the_same_day_everywhere(text: str, day: datetime.date) -> None:
    """The CLI and a data file's as_of read every date spelling as the same day."""
    assert day == cli.parse_as_of(text)
    county = load_county_text(f"name: x\nas_of: '{text}'\n").county
    assert day == county.as_of


@pytest.mark.parametrize(("text", "year"), SCHOOL_YEARS)
def test_a_school_year_is_read_alike_everywhere(text: str, year: str) -> None:
    """A school year is its first 1 September on the CLI, and the school year in a file."""
    assert D(int(year[:4]), 9, 1) == cli.parse_as_of(text)
    assert dates.school_year_start(text) == cli.parse_as_of(text)
    result = load_county_text(f"name: x\nas_of: '{text}'\n")
    assert () == result.problems
    assert (None, year) == (result.county.as_of, result.county.school_year)
    result = load_county_text(f"name: x\nschool_year: '{text}'\n")
    assert year == result.county.school_year


@pytest.mark.parametrize("text", REFUSED)
def test_refused_everywhere(text: str) -> None:
    """A bare year, non-consecutive years, impossible dates, implausible years and words
    are refused by the CLI and reported by the loader (the value is missing, never guessed)."""
    with pytest.raises(ValueError):
        cli.parse_as_of(text)
    result = load_county_text(f"name: x\nas_of: '{text}'\n")
    if text:
        assert ["as_of"] == [p.path for p in result.problems]
    assert (None, None) == (result.county.as_of, result.county.school_year)


def test_bare_year_gets_a_hint() -> None:
    """A bare year is refused with a hint saying how to write a school year."""
    with pytest.raises(dates.DateSyntaxError) as info:
        dates.parse_as_of("2018")
    assert info.value.hint is not None and "2018-2019" in info.value.hint
    problems = load_county_text("name: x\nschool_year: 2018\n").problems
    assert [p.hint for p in problems] == [info.value.hint]


def test_date_errors_are_value_errors_with_messages() -> None:
    """The parser's errors say what is wrong: a date not in the calendar, years that are
    not consecutive."""
    with pytest.raises(dates.DateSyntaxError, match="not a date in the calendar"):
        dates.parse_as_of("2018-02-30")
    with pytest.raises(dates.DateSyntaxError, match="consecutive"):
        dates.parse_as_of("2018-2020")
    with pytest.raises(dates.DateSyntaxError, match="without a time"):
        dates.parse_date(datetime.datetime(2018, 9, 1, 8, 0))
