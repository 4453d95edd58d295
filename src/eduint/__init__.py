"""eduint: China's compulsory-education supervision standards as checkable code.

Rule files written in eduint's small rules language are parsed into a frozen AST, checked
against the data models, evaluated against county and school data, and reported.

This module is the one public import point::

    import eduint

    rule_file = eduint.parse(text, file="rules/national/基本均衡.rules")
    print(eduint.unparse(rule_file))

Everything public is listed in ``__all__``; modules whose names start with ``_`` are private.
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

from eduint.diagnostics import Diagnostic as Diagnostic
from eduint.diagnostics import Span as Span
from eduint.errors import EduintError as EduintError
from eduint.errors import RuleSyntaxError as RuleSyntaxError
from eduint.parser import parse as parse
from eduint.parser import parse_file as parse_file
from eduint.printer import unparse as unparse

try:
    __version__: str = _version("eduint")
except PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "Diagnostic",
    "EduintError",
    "RuleSyntaxError",
    "Span",
    "__version__",
    "parse",
    "parse_file",
    "unparse",
]
