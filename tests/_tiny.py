"""The tiny county and rule set the report tests render (``tests/golden/reports/``)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

import eduint
from eduint.data.errors import DataProblem
from eduint.data.models import (
    Actor,
    Attestation,
    Class,
    County,
    DateBasis,
    Figure,
    School,
    SchoolSegment,
    Segment,
    SelfStatus,
)
from eduint.engine.evaluator import evaluate
from eduint.engine.results import Report

GOLDEN = Path(__file__).resolve().parent / "golden" / "reports"

F = Figure.exact


def _about(n: int, text: str) -> Figure:
    return Figure(Decimal(n), Decimal(n), True, text)


def tiny_county() -> County:
    """Three primary schools (one failing the ratio, one missing a figure), approximate
    county teachers, answers 达到 / 试行 / 未说明."""
    return County(
        name="示例县",
        code="000001",
        as_of=datetime.date(2019, 9, 1),
        date_basis=DateBasis.STATED,
        full_time_teachers=_about(98, "约98"),
        attestations=(
            Attestation("1", SelfStatus.MET, "生师比均达标"),
            Attestation("2.1", SelfStatus.IN_TRIAL, "已出台试行办法", Actor.COUNTY),
            Attestation("3", SelfStatus.NOT_STATED),
        ),
        schools=(
            School(
                id="A",
                name="育人小学",
                segments=(
                    SchoolSegment(
                        Segment.PRIMARY,
                        students=F(400),
                        full_time_teachers=F(25),
                        classes=(Class(size=F(58)), Class(size=F(40))),
                        classes_complete=True,
                    ),
                ),
            ),
            School(
                id="B",
                name="明德小学",
                segments=(
                    SchoolSegment(
                        Segment.PRIMARY,
                        students=F(500),
                        full_time_teachers=F(20),
                        classes=(Class(size=F(45)),),
                        classes_complete=True,
                    ),
                ),
            ),
            School(
                id="C",
                name="新星小学",
                segments=(SchoolSegment(Segment.PRIMARY, students=_about(300, "约300")),),
            ),
        ),
        schools_complete=True,
    )


@attrs.frozen
class PlainProblem:
    """A data problem that is not a DataProblem: only the attributes reporting needs."""

    file: str
    path: str
    field: str | None
    value: Any
    message: str
    row: int | None = None
    sheet: str | None = None


PROBLEMS = (
    DataProblem(
        "tiny.yaml",
        "schools[2].segments.小学.full_time_teachers",
        "full_time_teachers",
        "十二",
        "expected a whole number of 人, got '十二'",
        line=24,
        code="D021",
        hint="write the figure in digits",
    ),
    PlainProblem("学校.xlsx", "schools[3].students", "students", "<12>", "not a number", 5, "学校"),
)

PROVENANCE_SHA = "0123456789abcdef" * 4


def tiny_report() -> Report:
    """The tiny rule set evaluated for the tiny county."""
    ruleset = eduint.check_text(
        (GOLDEN / "tiny.rules").read_text(encoding="utf-8"), file="tiny.rules"
    )
    return evaluate(ruleset, tiny_county())


def report_of(rules: str, county: County) -> Report:
    """A rule text evaluated for a county."""
    return evaluate(eduint.check_text(rules, file="t.rules"), county)
