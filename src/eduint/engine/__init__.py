"""Phase 3, evaluate: checked rule set + county data + date → results.

A pure function of its inputs; values, population and the record evaluator live here.
"""
