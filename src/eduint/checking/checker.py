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

from pathlib import Path

from eduint.checking import builtins
from eduint.checking._context import first_prop, notes, unit_hint, written_unit
from eduint.checking._structure import COMBINER_NAMES, StructureChecker
from eduint.checking.ruleset import CheckedRule, Container, DocumentInfo, RuleSet
from eduint.checking.schema import FieldInfo, build_schema, over_scope, scope_from_words
from eduint.checking.settings import SETTINGS
from eduint.core.units import DIMENSIONLESS, Unit, UnitError
from eduint.errors import RuleCheckError
from eduint.language import nodes as n
from eduint.language.diagnostics import did_you_mean
from eduint.language.parser import parse

__all__ = ["AGGREGATES", "COMBINERS", "FUNCTIONS", "SETTINGS", "check", "check_text"]

#: Aggregates over a lower scope (name or Chinese alias → canonical name).
AGGREGATES: dict[str, str] = {k: b.name for k, b in builtins.AGGREGATES.items()}

#: Plain functions (name or Chinese alias → canonical name).
FUNCTIONS: dict[str, str] = {k: b.name for k, b in builtins.FUNCTIONS.items()}

#: How parts or members combine into a verdict (name or alias → canonical).
COMBINERS: dict[str, str] = dict(COMBINER_NAMES)


class _Checker(StructureChecker):
    """Checks one rule file: header, documents, extra fields, values, settings, members."""

    def run(self) -> RuleSet:
        """Check the whole file: the checked rule set, or every error at once."""
        tree = self.tree
        header = tree.header
        rs_id = header.id if header else Path(self.file).stem or "rules"
        title = header.title if header else None
        props: tuple[n.RulesetProp, ...] = header.props if header else ()
        self._dup_props(props)
        for p in props:
            if isinstance(p, n.Extends):
                self.err(
                    "E306",
                    "layering ('extends') is not supported yet",
                    p.span,
                    "copy the rules you need into this file for now",
                )
        for d in tree.decls:
            if isinstance(d, n.Document):
                self._document(d)
        extra = [f for d in tree.decls if isinstance(d, n.FieldDecl) for f in self._field(d)]
        self.schema = build_schema(extra)
        for d in self._value_order([d for d in tree.decls if isinstance(d, n.ValueDecl)]):
            self._value(d)
        settings = self._settings([d for d in tree.decls if isinstance(d, n.Setting)])
        members: list[Container | CheckedRule] = []
        for d in tree.decls:
            if isinstance(d, (n.Section, n.Block, n.Item, n.Rule)):
                members.append(self._member(d))
            elif isinstance(d, (n.Override, n.Relax)):
                word = "override" if isinstance(d, n.Override) else "relax"
                self.err(
                    "E306",
                    f"layering ('{word}') is not supported yet",
                    d.span,
                    "edit the rule itself for now",
                )
        header_sources = self.sources(props)
        texts, texts_en = notes(props)
        derived = next((p for p in props if isinstance(p, n.DerivedFrom)), None)
        if self.diags:
            raise RuleCheckError(self.diags + self.warnings)
        return RuleSet(
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
            extra_fields=tuple(extra),
            members=tuple(members),
            file=self.file,
            warnings=tuple(self.warnings),
            notes_en=texts_en,
            derived_from_en=derived.text_en if derived is not None else None,
        )

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


def check(tree: n.RuleFile) -> RuleSet:
    """Check a parsed rule file against the data model.

    Args:
        tree: the parsed file (:func:`eduint.language.parser.parse`).

    Returns:
        The checked :class:`~eduint.checking.ruleset.RuleSet`; warnings (``W3xx``) are
        on :attr:`RuleSet.warnings`.

    Raises:
        RuleCheckError: every error of the file at once, sorted by position.
    """
    return _Checker(tree).run()


def check_text(text: str, *, file: str = "<string>") -> RuleSet:
    """Parse and check rule text in one step.

    Raises:
        RuleSyntaxError: the text does not parse.
        RuleCheckError: the text parses but does not check; the error carries
            the source text so that it renders with carets.
    """
    tree = parse(text, file=file)
    try:
        return check(tree)
    except RuleCheckError as exc:
        raise RuleCheckError(exc.diagnostics, {file: text}) from None
