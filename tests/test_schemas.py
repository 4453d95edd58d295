"""The published JSON Schemas (``docs/schema/``) validate what eduint reads and writes.

Issue 12, "Done means": the generated schemas validate every bundled example's report
(every bundled rule set × example) and every bundled data file.  The data schema knows
the extra fields the bundled rule sets declare (``一般班额`` …), so the examples, which
give them, validate.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from eduint import load_ruleset, reporting
from eduint._resources import bundled_rule_files, resource_dir
from eduint.data.loading import load_county
from eduint.engine.evaluator import evaluate

REPO = Path(__file__).resolve().parents[1]
DATA_SCHEMA = REPO / "docs" / "schema" / "eduint-data-v1.schema.json"
REPORT_SCHEMA = REPO / "docs" / "schema" / "eduint-report-v2.schema.json"
EXAMPLES = sorted(
    p for p in resource_dir("examples").iterdir() if p.suffix in (".yaml", ".yml", ".json")
)
RULE_FILES = sorted(bundled_rule_files())


def _validator(path: Path) -> jsonschema.Draft202012Validator:
    schema = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _as_json(data: Any) -> Any:
    """YAML data as its JSON form (a YAML date is the ISO string JSON would carry)."""
    return json.loads(
        json.dumps(data, default=lambda x: x.isoformat() if isinstance(x, datetime.date) else x)
    )


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_bundled_data_file_validates(path: Path) -> None:
    """Each bundled example data file validates against the published data schema."""
    data = _as_json(yaml.safe_load(path.read_text(encoding="utf-8")))
    errors = [(list(e.path), e.message[:200]) for e in _validator(DATA_SCHEMA).iter_errors(data)]
    assert errors == []


def test_the_data_schema_still_refuses_unknown_fields() -> None:
    """Knowing the bundled rule sets' extra fields does not open the schema to any key."""
    validator = _validator(DATA_SCHEMA)
    assert validator.is_valid({"name": "某县", "一般班额": "40多"})
    assert not validator.is_valid({"name": "某县", "一般班级": 40})


@pytest.mark.slow  # validating sixteen reports of up to 1 MB takes seconds
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("rules", RULE_FILES, ids=lambda p: p.stem)
def test_every_bundled_report_validates(rules: Path, example: Path) -> None:
    """The JSON report of every bundled rule set on every bundled example validates
    against the published report schema, in both languages."""
    ruleset = load_ruleset(str(rules))
    loaded = load_county(example, extra_fields=ruleset.extra_field_kinds() or None)
    report = evaluate(ruleset, loaded.county)
    prov = reporting.Provenance.of(report, data_file=example.name, data_sha256=loaded.sha256)
    validator = _validator(REPORT_SCHEMA)
    for lang in ("zh", "en"):
        doc = json.loads(
            reporting.dump_json(report, provenance=prov, problems=loaded.problems, lang=lang)
        )
        errors = [(list(e.path)[:8], e.message[:200]) for e in validator.iter_errors(doc)]
        assert errors == [], lang
        assert "%×" not in json.dumps(doc, ensure_ascii=False)
