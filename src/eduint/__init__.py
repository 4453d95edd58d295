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
"""

from typing import TYPE_CHECKING

from eduint._gaps_job import gaps as gaps
from eduint._version import __version__ as __version__
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

if TYPE_CHECKING:
    from eduint.engine.columnar import ColumnarResult as ColumnarResult
    from eduint.engine.columnar import evaluate_many as evaluate_many


def __getattr__(name: str) -> object:
    """``evaluate_many`` and ``ColumnarResult`` (the columnar engine), imported when first
    used: ``import eduint`` stays small."""
    if name in ("evaluate_many", "ColumnarResult"):
        from eduint.engine import columnar

        return getattr(columnar, name)
    raise AttributeError(f"module 'eduint' has no attribute {name!r}")

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
