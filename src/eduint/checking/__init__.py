"""Phase 2, check: syntax tree + data model → checked :class:`~.ruleset.RuleSet`.

Names, units, scopes and structure are resolved and checked here; nothing is evaluated.
"""
