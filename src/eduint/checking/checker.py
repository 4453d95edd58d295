"""The checker: a parsed rule file plus the data model → a checked :class:`RuleSet`.

It resolves every name (fields by English name or Chinese label, values,
settings, ``let`` bindings, enum symbols), infers and checks units, checks
scopes and structure, and reports **every** problem of a file at once, sorted
by position, as :class:`~eduint.errors.RuleCheckError`.  Codes: ``E1xx``
names, ``E2xx`` units and types, ``E3xx`` structure; warnings ``W3xx`` do not
stop the check and are kept on :attr:`RuleSet.warnings`.  See ``docs/errors.md``.

The checker evaluates nothing and reads no file.

It is one object built in layers, a module each (see :mod:`eduint.checking._context`):
expressions (:mod:`~eduint.checking._exprs`), named values and settings
(:mod:`~eduint.checking._values`), sections, items and rules
(:mod:`~eduint.checking._structure`), and here the file as a whole.  The checker's
vocabulary comes from the registries: built-ins with their unit rules
(:mod:`~eduint.checking.builtins`) and settings (:mod:`~eduint.checking.settings`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from eduint.checking import builtins
from eduint.checking._context import first_prop, notes, unit_hint, written_unit
from eduint.checking._crosscheck import key_problems, outcome_problems
from eduint.checking._magnitude import costly, oversized
from eduint.checking._merge import LayerChecker
from eduint.checking._structure import COMBINER_NAMES
from eduint.checking.changes import Parent
from eduint.checking.layering import Load, check_layered
from eduint.checking.ruleset import CheckedRule, Container, DocumentInfo, RuleSet, SettingValue
from eduint.checking.schema import FieldInfo, build_schema, over_scope, scope_from_words
from eduint.checking.settings import SETTINGS
from eduint.core.units import DIMENSIONLESS, Unit, UnitError
from eduint.errors import RuleCheckError
from eduint.language import nodes as n
from eduint.language.diagnostics import did_you_mean
from eduint.language.parser import parse

if TYPE_CHECKING:
    from eduint.checking.proof import Verifier
    from eduint.checking.resolver import RuleResolver

__all__ = ["AGGREGATES", "COMBINERS", "FUNCTIONS", "SETTINGS", "check", "check_text"]

#: Aggregates over a lower scope (name or Chinese alias → canonical name).
AGGREGATES: dict[str, str] = {k: b.name for k, b in builtins.AGGREGATES.items()}

#: Plain functions (name or Chinese alias → canonical name).
FUNCTIONS: dict[str, str] = {k: b.name for k, b in builtins.FUNCTIONS.items()}

#: How parts or members combine into a verdict (name or alias → canonical).
COMBINERS: dict[str, str] = dict(COMBINER_NAMES)


class _Checker(LayerChecker):
    """Checks one rule file: header, documents, extra fields, values, settings, members;
    for a file that extends another, its layering statements on top of the parent."""

    def __init__(
        self,
        tree: n.RuleFile,
        *,
        parent: RuleSet | None = None,
        shown: str | None = None,
        verify: Verifier | None = None,
        parent_info: Parent | None = None,
        refuse: bool = True,
    ) -> None:
        super().__init__(tree, shown)
        self.verify = verify
        self.refuse = refuse
        self.parent_info = parent_info
        if parent is not None:
            self.seed(parent)

    def run(self) -> RuleSet:
        """Check the whole file: the checked rule set, or every error at once."""
        tree = self.tree
        header = tree.header
        rs_id = header.id if header else Path(self.file).stem or "rules"
        self.ruleset_id = rs_id
        title = header.title if header else None
        props: tuple[n.RulesetProp, ...] = header.props if header else ()
        self._dup_props(props, repeatable=(n.Extends,))
        self._extends(props)
        for d in tree.decls:
            if isinstance(d, n.Document):
                self._document(d)
        parent = self.parent
        inherited = list(parent.extra_fields) if parent is not None else []
        extra = [f for d in tree.decls if isinstance(d, n.FieldDecl) for f in self._field(d)]
        self.schema = build_schema(inherited + extra)
        for d in self._value_order([d for d in tree.decls if isinstance(d, n.ValueDecl)]):
            self._value(d)
        settings = self._own_settings(tree.decls)
        members: list[Container | CheckedRule] = list(parent.members) if parent else []
        for d in tree.decls:
            if isinstance(d, (n.Section, n.Block, n.Item, n.Rule)):
                members.append(self._member(d))
        merged = tuple(members)
        if parent is not None:
            merged = self.layer(tree.decls, merged, settings)
        header_sources = self.sources(props)
        texts, texts_en = notes(props)
        derived = next((p for p in props if isinstance(p, n.DerivedFrom)), None)
        ruleset = RuleSet(
            id=rs_id,
            title=title,
            title_en=first_prop(props, n.TitleEn, "text"),
            version=first_prop(props, n.Version, "text"),
            derived_from=derived.text if derived is not None else None,
            notes=texts,
            sources=header_sources,
            documents=dict(self.documents),
            settings=settings,
            values=dict(self.values),
            extra_fields=tuple(inherited + extra),
            members=merged,
            file=self.file,
            notes_en=texts_en,
            derived_from_en=derived.text_en if derived is not None else None,
        )
        if parent is not None and not self.diags:
            parents = (
                self.parent_info
                or Parent(parent.id, parent.title, parent.file, title_en=parent.title_en),
            )
            ruleset = attrs.evolve(
                ruleset,
                parents=parents + parent.parents,
                changes=self.prove(ruleset, self.verify, refuse=self.refuse),
            )
        self.diags += outcome_problems(ruleset, self.file, getattr(self, "dropped", None))
        self.diags += key_problems(ruleset, self.file)
        if self.diags:
            raise RuleCheckError(self.diags + self.warnings)
        # Only a rule set that checks can be bounded: its expressions are all resolved.
        too_large = oversized(ruleset.values, ruleset.rules())
        too_large += costly(ruleset.values, ruleset.rules())
        if too_large:
            raise RuleCheckError(too_large + self.warnings)
        return attrs.evolve(ruleset, warnings=tuple(self.warnings))

    def _extends(self, props: Sequence[n.RulesetProp]) -> None:
        """``E306`` for ``extends`` when no parent was resolved (the file was checked
        without the layering pass), ``E319`` for a second one."""
        ext = [p for p in props if isinstance(p, n.Extends)]
        for p in ext[1:]:
            self.err("E319", "a rule set extends one parent", p.span, "keep one 'extends'")
        if ext and self.parent is None:
            self.err(
                "E306",
                f"'extends {ext[0].path}' is not resolved: the file was checked on its own",
                ext[0].span,
                "check it with eduint.load_ruleset or check_text(…, resolver=…)",
            )
        if not ext:
            for d in self.tree.decls:
                if isinstance(d, (n.Override, n.Relax, n.Drop, n.ValueOverride)):
                    word = {n.Override: "override", n.Relax: "relax", n.Drop: "drop"}.get(
                        type(d), "override" if getattr(d, "because", None) is None else "relax"
                    )
                    self.err(
                        "E306",
                        f"'{word}' changes a parent's rule set, but this file extends none",
                        d.span,
                        "add 'extends NAME' to the ruleset header, or edit the rule itself",
                    )

    def _own_settings(self, decls: Sequence[n.Decl]) -> dict[str, SettingValue]:
        """The file's settings (defaults for the others), or the parent's for a file that
        extends another, whose plain ``setting`` lines are ``E319``."""
        own = [d for d in decls if isinstance(d, n.Setting)]
        if self.parent is None:
            return self._settings(own)
        for d in own:
            self.err(
                "E319",
                f"in a file that extends another, change a setting with 'override setting "
                f"{d.name} = …'",
                d.span,
                "its strictness is proved like any override",
            )
        return dict(self.parent.settings)

    def _document(self, d: n.Document) -> None:
        """Record a ``document`` declaration (``E104`` when its id is taken)."""
        if d.id in self.documents:
            self.err("E104", f"document '{d.id}' declared twice", d.span, "keep one")
            return
        self._dup_props(d.props)
        texts, texts_en = notes(d.props)
        self.documents[d.id] = DocumentInfo(
            id=d.id,
            title=d.title,
            number=first_prop(d.props, n.DocNumber, "text"),
            date=next((p.value for p in d.props if isinstance(p, n.DocDate)), None),
            url=first_prop(d.props, n.DocUrl, "text"),
            notes=texts,
            notes_en=texts_en,
            title_en=first_prop(d.props, n.TitleEn, "text"),
        )

    def _field(self, d: n.FieldDecl) -> list[FieldInfo]:
        """A ``field`` declaration as schema entries (none after ``E104``, ``E105``,
        ``E110`` or ``E204``)."""
        scope = scope_from_words([d.scope]) or over_scope(d.scope)
        if scope is None:
            sug = did_you_mean(
                d.scope, ["county", "school", "segment", "class", "县", "学校", "学段", "班级"]
            )
            self.err(
                "E105",
                f"unknown scope '{d.scope}' for a field",
                d.span,
                f"did you mean '{sug}'?" if sug else "use county, school, segment or class",
            )
            return []
        if (scope, d.name) in self.extra_seen:
            self.err(
                "E104", f"field '{d.name}' declared twice on {scope.label}", d.span, "keep one"
            )
            return []
        self.extra_seen.add((scope, d.name))
        clash = self.schema.lookup(scope, d.name)
        if clash is not None:
            self.err(
                "E110",
                f"field '{d.name}' already exists on {scope.label}: {clash.describe()}",
                d.span,
                "use the existing field, or choose another name",
            )
            return []
        clash = self.schema.lookup(scope, d.label) if d.label else None
        if clash is not None:
            self.err(
                "E110",
                f"label '{d.label}' of field '{d.name}' is already used on {scope.label}: "
                f"{clash.describe()}",
                d.span,
                "use the existing field, or choose another label",
            )
            # kept under its own name, so that rules using it are not reported again
        unit: Unit | None = None
        if d.type.kind == "unit":
            try:
                unit = written_unit(d.type.unit)
            except UnitError as exc:
                self.err("E204", str(exc), d.type.span or d.span, unit_hint())
                return []
        kind = {"unit": "quantity", "number": "number", "text": "text", "flag": "flag"}[d.type.kind]
        if kind == "number":
            unit = DIMENSIONLESS
        label_en = next((p.text for p in d.props if isinstance(p, n.LabelEn)), None)
        self.sources(d.props)
        return [FieldInfo(d.name, scope, kind, unit, d.label, label_en, extra=True)]


def check(
    tree: n.RuleFile,
    *,
    parent: RuleSet | None = None,
    shown: str | None = None,
    verify: Verifier | None = None,
    parent_info: Parent | None = None,
    refuse: bool = True,
) -> RuleSet:
    """Check a parsed rule file against the data model.

    Args:
        tree: the parsed file (:func:`eduint.language.parser.parse`).
        parent: the checked rule set the file ``extends`` (found by
            :mod:`eduint.checking.layering`), or ``None``.
        shown: the file as reports name it (``bundled:…``), for origins; default the
            tree's file name.
        verify: checks the strictness proof's counterexamples with the engine, or
            ``None`` (they are built but not verified).
        parent_info: how the parent is recorded in :attr:`RuleSet.parents`.
        refuse: False to record overrides the proof does not find at least as strict
            without refusing them (``E317``), for ``eduint lint --strictness``.

    Returns:
        The checked :class:`~eduint.checking.ruleset.RuleSet`; warnings (``W3xx``) are
        on :attr:`RuleSet.warnings`.

    Raises:
        RuleCheckError: every error of the file at once, sorted by position.
    """
    return _Checker(
        tree, parent=parent, shown=shown, verify=verify, parent_info=parent_info, refuse=refuse
    ).run()


def check_text(
    text: str,
    *,
    file: str = "<string>",
    resolver: RuleResolver | None = None,
    base: Path | None = None,
    shown: str | None = None,
    verify: Verifier | None = None,
    load: Load | None = None,
    refuse: bool = True,
) -> RuleSet:
    """Parse and check rule text in one step; a file that ``extends`` another has its
    parents found, read and checked first (:func:`eduint.checking.layering.check_layered`).

    Args:
        text: the whole rule file.
        file: the name used in diagnostics and stored in every span.
        resolver: finds the parent of a file that extends another (default: the
            bundled rule sets, and files under ``base``).
        base: the directory of the file, for a parent named by a relative path
            (default: the directory of ``file``).
        shown: the file as reports name it, for origins (default ``file``).
        verify: checks the strictness proof's counterexamples (see :func:`check`).
        load: checks a parent that extends nothing (the per-user cache serves bundled
            ones: :func:`eduint.checking.cached.check_rule_text`); default: check it.
        refuse: False to keep overrides that are not at least as strict (see :func:`check`).

    Raises:
        RuleSyntaxError: the text (or a parent's) does not parse.
        RuleCheckError: the text parses but does not check; the error carries
            the source text so that it renders with carets.
    """
    tree = parse(text, file=file)
    if tree.header is not None and any(isinstance(p, n.Extends) for p in tree.header.props):
        return check_layered(
            tree,
            text,
            check=check,
            load=load,
            resolver=resolver,
            base=base,
            shown=shown,
            verify=verify,
            refuse=refuse,
        )
    try:
        return check(tree, shown=shown, verify=verify)
    except RuleCheckError as exc:
        raise RuleCheckError(exc.diagnostics, {file: text}) from None
