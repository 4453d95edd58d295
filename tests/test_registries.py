"""The field registry (eduint.data.fields) is the one reflection of the data models: the
checker's schema, the loader's accepted keys, the spreadsheet headers and the template's
columns all come from it, and every field carries its direction, actionability and count."""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any

import attrs
import pytest

import eduint
from eduint.checking.schema import ScopeKind, build_schema
from eduint.core.units import parse_unit
from eduint.data import fields, models
from eduint.data.extras import parse_extra_fields
from eduint.data.fields import FieldDef, all_fields, field_def, fields_by_name, model_fields
from eduint.data.figures import parse_figure
from eduint.data.loading import read_county
from eduint.data.spreadsheets.mapping import Resolver, TableMapping, default_headers, norm
from eduint.data.spreadsheets.template import template_columns
from eduint.data.spreadsheets.write import header_text

REPO = Path(__file__).resolve().parents[1]
RULE_FILES = sorted((REPO / "rules").glob("*.rules"))


def _ruleset(path: Path) -> eduint.RuleSet:
    return eduint.check_text(path.read_text(encoding="utf-8"), file=str(path))


# --- the registry reflects the models -----------------------------------------------------


def test_registry_has_every_attrs_field_of_every_model() -> None:
    """Each model's registry entries are its attrs fields, in declaration order."""
    for model in fields.MODELS:
        assert [a.name for a in attrs.fields(model)] == [fd.name for fd in model_fields(model)]


@pytest.mark.parametrize("fd", list(all_fields()), ids=lambda fd: f"{fd.model.__name__}.{fd.name}")
def test_every_figure_declares_direction_actionability_and_count(fd: FieldDef) -> None:
    """A figure says whether more is better and whether a bureau can act on it (no default
    hides a missing decision), and is a count exactly when its unit counts things."""
    if fd.kind != "quantity":
        assert fd.count is False
        return
    meta = attrs.fields_dict(fd.model)[fd.name].metadata
    assert models.BETTER in meta and models.ACTIONABLE in meta
    assert fd.better in ("more", "less", None)
    assert isinstance(fd.actionable, bool)
    assert fd.count == (fd.unit in models.COUNT_UNITS)
    assert fd.unit is not None
    parse_unit(fd.unit)  # a unit of the vocabulary


@pytest.mark.parametrize(
    ("model", "name", "actionable"),
    [
        (models.SchoolSegment, "full_time_teachers", True),
        (models.SchoolSegment, "multimedia_rooms", True),
        (models.SchoolSegment, "floor_area_teaching", True),
        (models.SchoolSegment, "equipment_value", True),
        (models.School, "public_funds", True),
        (models.SchoolSegment, "students", False),
        (models.CountySegment, "students", False),
        (models.County, "survey_respondents", False),
        (models.County, "survey_satisfied", False),
        (models.County, "civil_servant_pay_avg", False),
    ],
)
def test_actionable_as_the_issue_defines_it(model: type, name: str, actionable: bool) -> None:
    """Teachers, rooms, area, equipment and funds: a bureau acts; students enrolled, survey
    counts and civil servants' pay: it cannot (issue 11)."""
    assert actionable is field_def(model, name).actionable


def test_direction_of_some_figures() -> None:
    """Resources are better when more, class size and dropouts when less; the yardsticks and
    the accounting split of indoor sports rooms have no direction."""
    assert "more" == field_def(models.SchoolSegment, "full_time_teachers").better
    assert "less" == field_def(models.Class, "size").better
    assert "less" == field_def(models.County, "dropout_rate").better
    assert field_def(models.County, "civil_servant_pay_avg").better is None
    assert field_def(models.SchoolSegment, "indoor_sports_area").better is None
    assert field_def(models.SchoolSegment, "class_count").better is None


def test_count_decides_the_whole_number_check() -> None:
    """The loader asks for whole numbers where the registry says count; an explicit
    ``whole=False`` lets a fractional figure in 人 through."""
    with pytest.raises(eduint.EduintError):
        parse_figure("12.5", unit="人")
    assert parse_figure("12.5", unit="人", whole=False).low == parse_figure("12.5").low
    students = field_def(models.SchoolSegment, "students")
    _, problems = read_county({"name": "x", "segments": {"小学": {"students": 12.5}}})
    assert students.count and ["D021"] == [p.code for p in problems]


# --- the checker's schema -------------------------------------------------------------------


def test_schema_fields_come_from_the_registry() -> None:
    """Every non-derived schema field is a registry field of its scope's model, with the same
    kind, unit, labels, enum, direction, actionability and count, and vice versa."""
    schema = build_schema()
    for scope in ScopeKind:
        model = fields.SCOPES[scope.value]
        in_schema = {n: f for n, f in schema.fields[scope].items() if not f.derived}
        expected = {
            fd.name: fd
            for fd in model_fields(model)
            if fd.kind not in ("list", "extra")
            and (scope, fd.name) != (ScopeKind.COUNTY_SEGMENT, "schools")
        }
        assert list(expected) == list(in_schema)
        for name, info in in_schema.items():
            fd = expected[name]
            unit = parse_unit(fd.unit) if fd.unit is not None else None
            assert (fd.kind, unit, fd.label, fd.label_en, fd.enum) == (
                info.kind,
                info.unit,
                info.label,
                info.label_en,
                info.enum,
            )
            assert (fd.better, fd.actionable, fd.count) == (
                info.better,
                info.actionable,
                info.count,
            )


# --- the YAML/JSON loader ---------------------------------------------------------------------


def _entity_data(model: type, key: str) -> dict[str, Any]:
    """A county mapping with ``key`` (blank) on one entity of ``model``."""
    body: dict[str, Any] = {key: None}
    if model is models.County:
        return {"name": "x", **body}
    if model is models.CountySegment:
        return {"name": "x", "segments": [{"segment": "小学", **body}]}
    school = {"id": "1"}
    if model is models.School:
        return {"name": "x", "schools": [{**school, **body}]}
    segment: dict[str, Any] = {"segment": "小学"}
    if model is models.SchoolSegment:
        return {"name": "x", "schools": [{**school, "segments": [{**segment, **body}]}]}
    if model is models.Class:
        classes = [body]
        return {"name": "x", "schools": [{**school, "segments": [{**segment, "classes": classes}]}]}
    if model is models.SizeBand:
        bands = [{"low": 1, "high": 2, **body}]
        return {
            "name": "x",
            "schools": [{**school, "segments": [{**segment, "size_bands": bands}]}],
        }
    if model is models.DeclaredCount:
        return {"name": "x", "declared_counts": [{"kind": "小学", **body}]}
    return {"name": "x", "attestations": [{"item": "1", "status": "达到", **body}]}


@pytest.mark.parametrize("model", fields.MODELS, ids=lambda m: m.__name__)
def test_loader_accepts_exactly_the_registry_names(model: type) -> None:
    """A data file may use each field's English name or Chinese label (the registry's
    names); an alias or any other key is unknown (D010)."""
    for fd in model_fields(model):
        for key in fd.names():
            _, problems = read_county(_entity_data(model, key))
            assert "D010" not in [p.code for p in problems], (model.__name__, key)
        for alias in fd.aliases:
            _, problems = read_county(_entity_data(model, alias))
            assert "D010" in [p.code for p in problems], (model.__name__, alias)
    assert set(fields_by_name(model)) == {k for fd in model_fields(model) for k in fd.names()}


def test_extra_fields_may_not_shadow_registry_names() -> None:
    """An extra field named like a field or label of its model is refused."""
    for scope, model in fields.SCOPES.items():
        for fd in model_fields(model):
            for key in fd.names():
                with pytest.raises(ValueError):
                    parse_extra_fields({scope: {key: "number"}})


# --- spreadsheets -------------------------------------------------------------------------

_ROLE_OF = {
    models.County: "county",
    models.CountySegment: "county",
    models.School: "schools",
    models.SchoolSegment: "schools",
    models.Class: "classes",
    models.DeclaredCount: "declared",
    models.Attestation: "attestations",
}


@pytest.mark.parametrize("model", list(_ROLE_OF), ids=lambda m: m.__name__)
def test_spreadsheet_headers_are_the_registry_headers(model: type) -> None:
    """Every name, label and alias of a field resolves to that field in its sheet (a county
    segment's fields need a segment prefix where the county has a field of the same name)."""
    resolver = Resolver(_ROLE_OF[model], TableMapping(), parse_extra_fields(None))
    for fd in model_fields(model):
        if fd.kind in ("list", "extra") or fd.name == "segment":
            continue
        for header in fd.headers():
            prefix = "小学" if model in (models.CountySegment, models.SchoolSegment) else ""
            target, _unit = resolver.resolve(prefix + header)
            assert target is not None, (model.__name__, header)
            assert (fd.name, target.kind) == (target.field, fd.kind) or target.role in (
                "group",
                "segment_key",
                "school_id",
                "attestation",
            ), (model.__name__, header, target)


def test_default_headers_are_registry_labels() -> None:
    """The documented default headers are the registry's headers of each field."""
    for role, rows in default_headers().items():
        for header, name, unit in rows:
            candidates = [fd for fd in all_fields() if fd.name == name and fd.header == header]
            assert candidates, (role, header)
            assert unit in {fd.unit for fd in candidates}


def _unit_text(fd: FieldDef) -> str | None:
    """A field's unit as a template writes it (``1`` for a dimensionless figure)."""
    return None if fd.unit is None else str(parse_unit(fd.unit))


@pytest.mark.parametrize("rules", RULE_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("layout", ["long", "wide"])
def test_template_columns_come_from_the_registry(rules: Path, layout: typing.Any) -> None:
    """Every template column is a registry field (its header and unit) or a field the rule
    set declares, and the spreadsheet reader maps its header back to that field."""
    ruleset = _ruleset(rules)
    declared = {(f.scope.value, f.name) for f in ruleset.extra_fields}
    extras = parse_extra_fields(ruleset.extra_field_kinds())
    role_of = {"县区": "county", "学校": "schools", "班级": "classes", "自评": "attestations"}
    for sheet, columns in template_columns(ruleset, layout).items():
        resolver = Resolver(role_of[sheet], TableMapping(), extras)
        for col in columns:
            header = col.header
            for prefix in ("小学", "初中", "学段"):
                if header.startswith(prefix) and header != prefix:
                    header = header[len(prefix) :]
            registry = [
                fd
                for fd in all_fields()
                if fd.name == col.field and fd.header == header and _unit_text(fd) == col.unit
            ]
            is_extra = any(name == col.field == header for _s, name in declared)
            assert registry or is_extra, (sheet, col)
            target, _unit = resolver.resolve(header_text(col.header, col.unit))
            assert target is not None, (sheet, col)
            assert col.field in (target.field, "code" if target.role == "group" else None) or (
                target.role in ("segment_key", "school_id")
            ), (sheet, col, target)


def test_template_headers_are_normalised_registry_names() -> None:
    """The identity columns every template has are registry headers."""
    ruleset = _ruleset(RULE_FILES[0])
    sheets = template_columns(ruleset, "long")
    headers = {norm(c.header) for c in sheets["学校"]}
    for name in ("id", "name", "kind", "location"):
        assert norm(field_def(models.School, name).header) in headers
    assert [c.header for c in sheets["自评"]] == [
        field_def(models.Attestation, n).header
        for n in ("item", "status", "evidence", "actor", "ruleset")
    ]
    assert sheets["自评"][-1].header == "规则集"  # answers belong to a rule set (issue 12)
