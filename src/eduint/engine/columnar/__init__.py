"""The columnar engine: a checked rule set over many counties at once, as array operations.

The rule set is compiled once into array operations (numpy, imported only when the
engine runs) over the entity tables of all counties together (:mod:`.frame`), and its
verdicts are exact: ratios are compared by int64 cross-multiplication, float results
carry a certified error bound, and whatever falls inside a bound (or is a range, an
approximate figure, or a rule that does not compile) is decided by the record engine.
Results are columns (:class:`~.result.ColumnarResult`); a county's full report is the
record engine's, built when asked for.  See ``docs/performance.md``.
"""

from eduint.engine.columnar.result import ColumnarResult, Summary, evaluate_many

__all__ = ["ColumnarResult", "Summary", "evaluate_many"]
