"""The JSON Schema (draft 2020-12) of the report document :func:`to_json` writes."""

from __future__ import annotations

from typing import Any

import attrs

from eduint.data.models import SelfStatus
from eduint.engine.results import (
    Check,
    EntityResult,
    Input,
    ItemResult,
    Outcome,
    Report,
    ReportValue,
    SectionResult,
)
from eduint.reporting._common import Provenance
from eduint.reporting.jsonfmt import REPORT_SCHEMA_ID, REPORT_VERSION


def _str_or_null(description: str) -> dict[str, Any]:
    return {"type": ["string", "null"], "description": description}


def _str_list(description: str) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string"}, "description": description}


def report_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the document :func:`to_json` writes.

    ``scripts/gen_report_schema.py`` writes it to
    ``docs/schema/eduint-report-v1.schema.json``; a test checks the file is current.
    """
    top_required = ["schema", "eduint_report_version", "provenance"]
    # overrides (issue 12) appear only when the run had some, until report version 2
    top_required += [a.name for a in attrs.fields(Report) if a.name != "overrides"]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": REPORT_SCHEMA_ID,
        "title": "eduint report, version 1",
        "description": "What `eduint check --format json` writes: for every item, part and "
        "rule the county's self-assessment (自评) beside what its figures support (核算), "
        "the headline verdict and its evidence; section roll-ups; the overall verdict.",
        "type": "object",
        "additionalProperties": False,
        "required": top_required,
        "properties": {
            "schema": {"const": REPORT_SCHEMA_ID},
            "eduint_report_version": {"const": REPORT_VERSION},
            "ruleset_id": {"type": "string"},
            "ruleset_title": _str_or_null("rule set title"),
            "ruleset_version": _str_or_null("rule set version"),
            "county": {"type": "string", "description": "the county's name"},
            "county_code": _str_or_null("the county's code"),
            "as_of": {"type": ["string", "null"], "format": "date"},
            "as_of_basis": {
                "type": "string",
                "description": "argument, stated or inferred (or a note when no date applies)",
            },
            "items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
            "sections": {"type": "array", "items": {"$ref": "#/$defs/section"}},
            "overall": _outcome_or_null(),
            "warnings": _str_list("things the evaluator noticed"),
            "provisional_values": _str_list("provisional values the evaluation used"),
            "overrides": {
                "type": "array",
                "description": "the run's overrides (--set), each with its strictness verdict",
                "items": {"type": "object"},
            },
            "data_problems": {"type": "array", "items": {"$ref": "#/$defs/data_problem"}},
            "provenance": {"anyOf": [{"$ref": "#/$defs/provenance"}, {"type": "null"}]},
        },
        "$defs": {
            "outcome": {
                "enum": [o.value for o in Outcome],
                "description": "达到 met, 基本达到 basically met, 未达到 not met, "
                "不适用 not applicable, 缺少数据 no data",
            },
            "self_status": {"enum": [s.value for s in SelfStatus]},
            "item": _item_def(),
            "entity": _entity_def(),
            "check": _check_def(),
            "report_value": _report_value_def(),
            "input": _input_def(),
            "section": _section_def(),
            "data_problem": _problem_def(),
            "provenance": _provenance_def(),
        },
    }


def _outcome_or_null() -> dict[str, Any]:
    return {"anyOf": [{"$ref": "#/$defs/outcome"}, {"type": "null"}]}


def _entity_def() -> dict[str, Any]:
    """The schema of an entity's outcome (:class:`~eduint.engine.results.EntityResult`)."""
    return {
        "type": "object",
        "description": "The outcome of a rule for one school, segment, class or county segment.",
        "additionalProperties": False,
        "required": [a.name for a in attrs.fields(EntityResult)],
        "properties": {
            "entity": {"type": "string", "description": "display name (育人小学 小学)"},
            "where": {"type": "string", "description": "data path of the entity"},
            "outcome": {**_outcome_or_null(), "description": "null for a report-only evaluation"},
            "value": _str_or_null("the main value as displayed, with its unit"),
            "threshold": _str_or_null("the threshold as displayed"),
            "margin": _str_or_null("signed margin, displayed (negative: short of the threshold)"),
            "reason": _str_or_null("why 不适用 or 缺少数据"),
            "missing": _str_list("the missing figures"),
            "flags": _str_list("approximate, borderline, provisional ..."),
            "values": {
                "type": "array",
                "description": "the rule's report values for this entity",
                "items": {"$ref": "#/$defs/report_value"},
            },
            "checks": {
                "type": "array",
                "description": "every comparison of the requirement for this entity, in order "
                "(comparisons inside aggregates are not listed)",
                "items": {"$ref": "#/$defs/check"},
            },
            "details": _str_list(
                "what this entity's evaluation left out, split or found "
                "(for a 差异系数: the schools with the largest shares of the variance)"
            ),
        },
    }


def _check_def() -> dict[str, Any]:
    """The schema of one comparison for one entity (:class:`~eduint.engine.results.Check`)."""
    return {
        "type": "object",
        "description": "One comparison of a requirement, as it came out for one entity.",
        "additionalProperties": False,
        "required": [a.name for a in attrs.fields(Check)],
        "properties": {
            "text": {"type": "string", "description": "the comparison as rule text"},
            "value": _str_or_null("the left side as displayed"),
            "threshold": _str_or_null("the right side as displayed"),
            "met": {
                "type": ["boolean", "null"],
                "description": "whether it holds; null when undecided (missing figures)",
            },
            "group": _str_or_null(
                "at_least when it is one of the conditions an at_least(k, [...]) counts"
            ),
        },
    }


def _report_value_def() -> dict[str, Any]:
    """The schema of a report line (:class:`~eduint.engine.results.ReportValue`)."""
    return {
        "type": "object",
        "description": "A value a rule shows (a report line).",
        "additionalProperties": False,
        "required": [a.name for a in attrs.fields(ReportValue)],
        "properties": {
            "name": _str_or_null("its name (大班额比例)"),
            "text": _str_or_null("the value with its unit; null when it could not be computed"),
            "missing": _str_list("what was missing when it could not be computed"),
        },
    }


def _input_def() -> dict[str, Any]:
    """The schema of a data figure read (:class:`~eduint.engine.results.Input`)."""
    return {
        "type": "object",
        "description": "A data figure the evaluation read.",
        "additionalProperties": False,
        "required": [a.name for a in attrs.fields(Input)],
        "properties": {
            "where": {"type": "string", "description": "data path of the entity"},
            "field": {"type": "string", "description": "the field's English name"},
            "label": _str_or_null("the field's Chinese label"),
            "value": _str_or_null("the figure as shown (约212, 30–39); null when missing"),
        },
    }


def _item_def() -> dict[str, Any]:
    """The schema of an item, part or rule (:class:`~eduint.engine.results.ItemResult`)."""
    return {
        "type": "object",
        "description": "One item, part or rule: 自评 beside 核算, and the headline.",
        "additionalProperties": False,
        "required": [a.name for a in attrs.fields(ItemResult)],
        "properties": {
            "id": {"type": "string", "description": "item/part label or rule id"},
            "kind": {"enum": ["item", "part", "rule"]},
            "section": _str_list("labels of the enclosing sections/blocks (and item, for a part)"),
            "title": _str_or_null("Chinese title"),
            "title_en": _str_or_null("English title"),
            "self_status": {
                "anyOf": [{"$ref": "#/$defs/self_status"}, {"type": "null"}],
                "description": "自评: the county's own word; null when it gave none",
            },
            "self_outcome": {**_outcome_or_null(), "description": "自评 mapped (试行 → 基本达到)"},
            "self_evidence": _str_or_null("the county's sentence"),
            "self_actor": _str_or_null("who answered (县, 区, 市, 省)"),
            "self_note": _str_or_null("a note to the answer"),
            "computed": {**_outcome_or_null(), "description": "核算: what the data supports"},
            "headline": {**_outcome_or_null(), "description": "the verdict shown"},
            "report_only": {"type": "boolean"},
            "provisional": {"type": "boolean"},
            "disagreement": {"type": "boolean"},
            "requirement": _str_or_null("the requirement as rule text"),
            "value": _str_or_null("the main value as displayed"),
            "threshold": _str_or_null("the threshold as displayed"),
            "margin": _str_or_null("the signed margin as displayed"),
            "unit": _str_or_null("the unit of the comparison"),
            "period": _str_or_null("the period the threshold is in force (2017-01-01–)"),
            "reason": _str_or_null("why 不适用 / 缺少数据 / report-only"),
            "missing": _str_list("missing figures and entities"),
            "failing": _str_list("entities (or parts) that fail"),
            "entities": {"type": "array", "items": {"$ref": "#/$defs/entity"}},
            "reports": {"type": "array", "items": {"$ref": "#/$defs/report_value"}},
            "inputs": {"type": "array", "items": {"$ref": "#/$defs/input"}},
            "sources": _str_list("citations"),
            "notes": _str_list("notes of the rule"),
            "flags": _str_list("approximate, borderline, provisional, disagreement, report-only"),
            "details": _str_list(
                "what was left out and why, how one-through schools were split, "
                "which schools weigh most in a 差异系数"
            ),
        },
    }


def _section_def() -> dict[str, Any]:
    """The schema of a section roll-up (:class:`~eduint.engine.results.SectionResult`)."""
    return {
        "type": "object",
        "description": "The roll-up of a section or block.",
        "additionalProperties": False,
        "required": [a.name for a in attrs.fields(SectionResult)],
        "properties": {
            "kind": {"enum": ["section", "block"]},
            "id": {"type": "string"},
            "title": _str_or_null("title"),
            "outcome": _outcome_or_null(),
            "vetoed": _str_list("veto items that failed"),
        },
    }


def _problem_def() -> dict[str, Any]:
    """The schema of a data problem."""
    return {
        "type": "object",
        "description": "One problem with one value of a data file (the value was treated as missing).",
        "additionalProperties": False,
        "required": ["file", "path", "field", "value", "message", "row", "sheet"],
        "properties": {
            "file": {"type": "string"},
            "path": {"type": "string", "description": "keys as written, zero-based indexes"},
            "field": _str_or_null("the field the value was meant for"),
            "value": {"description": "the offending value as read (any JSON value)"},
            "message": {"type": "string"},
            "row": {"type": ["integer", "null"], "description": "spreadsheet row (1-based)"},
            "sheet": _str_or_null("spreadsheet sheet"),
            "line": {"type": ["integer", "null"], "description": "YAML line (1-based)"},
            "code": _str_or_null("stable code, D0xx"),
            "hint": _str_or_null("what to do about it"),
        },
    }


def _provenance_def() -> dict[str, Any]:
    """The schema of :class:`~eduint.reporting.Provenance`."""
    return {
        "type": "object",
        "description": "Where the report came from.",
        "additionalProperties": False,
        "required": [a.name for a in attrs.fields(Provenance)],
        "properties": {
            "ruleset_id": {"type": "string"},
            "ruleset_version": _str_or_null("rule set version"),
            "eduint_version": {"type": "string"},
            "as_of": {"type": ["string", "null"], "format": "date"},
            "as_of_basis": {"type": "string"},
            "data_file": _str_or_null("data file name as given"),
            "data_sha256": {
                "anyOf": [{"type": "string", "pattern": "^[0-9a-f]{64}$"}, {"type": "null"}]
            },
            "rules_file": _str_or_null("rule file name"),
            "rules_sha256": {
                "anyOf": [{"type": "string", "pattern": "^[0-9a-f]{64}$"}, {"type": "null"}]
            },
            "provisional_values": _str_list("provisional values used"),
        },
    }
