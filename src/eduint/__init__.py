"""eduint: China's compulsory-education supervision standards as checkable code.

Rule files written in eduint's small rules language are parsed into a frozen AST, checked
against the data models, evaluated against county and school data, and reported.

This module is the one public import point::

    import eduint

    rule_file = eduint.parse(text, file="rules/chengxiang-yitihua-2018.rules")
    print(eduint.unparse(rule_file))       # canonical layout
    ruleset = eduint.check(rule_file)      # names, units, scopes checked
    ruleset.fields_read()                  # which data the rules need

Everything public is listed in ``__all__``; modules whose names start with ``_`` are private.
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

from eduint.checker import check as check
from eduint.checker import check_text as check_text
from eduint.dataerrors import DataFileError as DataFileError
from eduint.dataerrors import DataProblem as DataProblem
from eduint.diagnostics import Diagnostic as Diagnostic
from eduint.diagnostics import Span as Span
from eduint.errors import EduintError as EduintError
from eduint.errors import RuleCheckError as RuleCheckError
from eduint.errors import RuleSyntaxError as RuleSyntaxError
from eduint.evaluator import EvaluationError as EvaluationError
from eduint.evaluator import evaluate as evaluate
from eduint.loading import LoadResult as LoadResult
from eduint.loading import load_county as load_county
from eduint.loading import load_county_text as load_county_text
from eduint.models import Attestation as Attestation
from eduint.models import Class as Class
from eduint.models import County as County
from eduint.models import CountySegment as CountySegment
from eduint.models import Figure as Figure
from eduint.models import School as School
from eduint.models import SchoolSegment as SchoolSegment
from eduint.models import Segment as Segment
from eduint.outcomes import ItemResult as ItemResult
from eduint.outcomes import Outcome as Outcome
from eduint.outcomes import Report as Report
from eduint.parser import parse as parse
from eduint.parser import parse_file as parse_file
from eduint.printer import unparse as unparse
from eduint.ruleset import RuleSet as RuleSet
from eduint.schema import Schema as Schema
from eduint.schema import build_schema as build_schema
from eduint.units import Unit as Unit
from eduint.units import parse_unit as parse_unit

try:
    __version__: str = _version("eduint")
except PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "Attestation",
    "Class",
    "County",
    "CountySegment",
    "DataFileError",
    "DataProblem",
    "Diagnostic",
    "EduintError",
    "EvaluationError",
    "Figure",
    "ItemResult",
    "LoadResult",
    "Outcome",
    "Report",
    "RuleCheckError",
    "RuleSet",
    "RuleSyntaxError",
    "Schema",
    "School",
    "SchoolSegment",
    "Segment",
    "Span",
    "Unit",
    "__version__",
    "build_schema",
    "check",
    "check_text",
    "evaluate",
    "load_county",
    "load_county_text",
    "parse",
    "parse_file",
    "parse_unit",
    "unparse",
]
