"""eduint: China's compulsory-education supervision standards as checkable code.

Rule files written in eduint's small rules language are parsed into a frozen AST, checked
against the data models, evaluated against county and school data, and reported.

This module is the one public import point::

    import eduint

    result = eduint.run("youzhi_junheng_2017", "county.yaml")   # the whole job (docs/api.md)
    ruleset = eduint.load_ruleset("chengxiang-yitihua-2018")    # a bundled rule set, checked
    eduint.rulesets()                                           # the bundled rule sets

    rule_file = eduint.parse(text, file="rules/chengxiang-yitihua-2018.rules")
    print(eduint.unparse(rule_file))       # canonical layout
    ruleset = eduint.check(rule_file)      # names, units, scopes checked
    ruleset.fields_read()                  # which data the rules need

Everything public is listed in ``__all__``; modules whose names start with ``_`` are private.

Names are imported when first used (PEP 562 ``__getattr__``): ``import eduint`` costs
a few milliseconds, and a command that never evaluates or reports never imports the
engine or the report formats.  ``from eduint import X`` and ``eduint.X`` work as
before, and type checkers see the ordinary imports below.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from eduint._version import __version__ as __version__

if TYPE_CHECKING:
    from eduint._gaps_job import gaps as gaps
    from eduint.api import CountyResult as CountyResult
    from eduint.api import JobError as JobError
    from eduint.api import RulesetInfo as RulesetInfo
    from eduint.api import RunResult as RunResult
    from eduint.api import RunSummary as RunSummary
    from eduint.api import load_ruleset as load_ruleset
    from eduint.api import rulesets as rulesets
    from eduint.api import run as run
    from eduint.checking.checker import check as check
    from eduint.checking.checker import check_text as check_text
    from eduint.checking.overrides import Override as Override
    from eduint.checking.resolver import UnknownRuleSetError as UnknownRuleSetError
    from eduint.checking.ruleset import RuleSet as RuleSet
    from eduint.checking.schema import Schema as Schema
    from eduint.checking.schema import build_schema as build_schema
    from eduint.core.units import Unit as Unit
    from eduint.core.units import parse_unit as parse_unit
    from eduint.data.errors import DataFileError as DataFileError
    from eduint.data.errors import DataProblem as DataProblem
    from eduint.data.loading import LoadResult as LoadResult
    from eduint.data.loading import load_county as load_county
    from eduint.data.loading import load_county_text as load_county_text
    from eduint.data.models import Attestation as Attestation
    from eduint.data.models import Class as Class
    from eduint.data.models import County as County
    from eduint.data.models import CountySegment as CountySegment
    from eduint.data.models import Figure as Figure
    from eduint.data.models import School as School
    from eduint.data.models import SchoolSegment as SchoolSegment
    from eduint.data.models import Segment as Segment
    from eduint.engine.columnar import ColumnarResult as ColumnarResult
    from eduint.engine.columnar import evaluate_many as evaluate_many
    from eduint.engine.evaluator import EvaluationError as EvaluationError
    from eduint.engine.evaluator import evaluate as evaluate
    from eduint.engine.results import ItemResult as ItemResult
    from eduint.engine.results import Outcome as Outcome
    from eduint.engine.results import Report as Report
    from eduint.errors import EduintError as EduintError
    from eduint.errors import RuleCheckError as RuleCheckError
    from eduint.errors import RuleSyntaxError as RuleSyntaxError
    from eduint.language.diagnostics import Diagnostic as Diagnostic
    from eduint.language.diagnostics import Span as Span
    from eduint.language.parser import parse as parse
    from eduint.language.parser import parse_file as parse_file
    from eduint.language.printer import unparse as unparse

# Public name -> the module that defines it (imported on first use).
_LAZY: dict[str, str] = {
    "Attestation": "eduint.data.models",
    "Class": "eduint.data.models",
    "ColumnarResult": "eduint.engine.columnar",
    "County": "eduint.data.models",
    "CountyResult": "eduint.api",
    "CountySegment": "eduint.data.models",
    "DataFileError": "eduint.data.errors",
    "DataProblem": "eduint.data.errors",
    "Diagnostic": "eduint.language.diagnostics",
    "EduintError": "eduint.errors",
    "EvaluationError": "eduint.engine.evaluator",
    "Figure": "eduint.data.models",
    "ItemResult": "eduint.engine.results",
    "JobError": "eduint.api",
    "LoadResult": "eduint.data.loading",
    "Outcome": "eduint.engine.results",
    "Override": "eduint.checking.overrides",
    "Report": "eduint.engine.results",
    "RuleCheckError": "eduint.errors",
    "RuleSet": "eduint.checking.ruleset",
    "RuleSyntaxError": "eduint.errors",
    "RulesetInfo": "eduint.api",
    "RunResult": "eduint.api",
    "RunSummary": "eduint.api",
    "Schema": "eduint.checking.schema",
    "School": "eduint.data.models",
    "SchoolSegment": "eduint.data.models",
    "Segment": "eduint.data.models",
    "Span": "eduint.language.diagnostics",
    "Unit": "eduint.core.units",
    "UnknownRuleSetError": "eduint.checking.resolver",
    "build_schema": "eduint.checking.schema",
    "check": "eduint.checking.checker",
    "check_text": "eduint.checking.checker",
    "evaluate": "eduint.engine.evaluator",
    "evaluate_many": "eduint.engine.columnar",
    "gaps": "eduint._gaps_job",
    "load_county": "eduint.data.loading",
    "load_county_text": "eduint.data.loading",
    "load_ruleset": "eduint.api",
    "parse": "eduint.language.parser",
    "parse_file": "eduint.language.parser",
    "parse_unit": "eduint.core.units",
    "rulesets": "eduint.api",
    "run": "eduint.api",
    "unparse": "eduint.language.printer",
}


def __getattr__(name: str) -> object:
    """Import a public name on first use and keep it in the module (PEP 562).

    Raises:
        AttributeError: ``name`` is not one of eduint's public names.
    """
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'eduint' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next access is an ordinary attribute
    if name in _YIELD_RESULTS:
        # results show as HTML tables in a notebook: the engine cannot import the
        # reports, so they register their renderer (eduint/engine/_display.py)
        importlib.import_module("eduint.reporting.notebook")
    return value


#: Public names that give engine results (a notebook shows them with ``_repr_html_``).
_YIELD_RESULTS = frozenset(
    ("run", "evaluate", "evaluate_many", "gaps", "Report", "ColumnarResult", "RunResult",
     "CountyResult")
)


def __dir__() -> list[str]:
    """The module's names, the public ones included before they are imported."""
    return sorted(set(globals()) | set(_LAZY))

__all__ = [
    "Attestation",
    "Class",
    "ColumnarResult",
    "County",
    "CountyResult",
    "CountySegment",
    "DataFileError",
    "DataProblem",
    "Diagnostic",
    "EduintError",
    "EvaluationError",
    "Figure",
    "ItemResult",
    "JobError",
    "LoadResult",
    "Outcome",
    "Override",
    "Report",
    "RuleCheckError",
    "RuleSet",
    "RuleSyntaxError",
    "RulesetInfo",
    "RunResult",
    "RunSummary",
    "Schema",
    "School",
    "SchoolSegment",
    "Segment",
    "Span",
    "Unit",
    "UnknownRuleSetError",
    "__version__",
    "build_schema",
    "check",
    "check_text",
    "evaluate",
    "evaluate_many",
    "gaps",
    "load_county",
    "load_county_text",
    "load_ruleset",
    "parse",
    "parse_file",
    "parse_unit",
    "rulesets",
    "run",
    "unparse",
]
