"""One worker process of ``bench/fuzz.py``: runs inputs through the library and the CLI.

The parent writes one JSON request per line on stdin (``{"dir": …, "kind": "rules" |
"data", "entry": …, "rules": …}``) and reads one JSON result per line from the file
descriptor given on the command line.  Each input goes through

* rules: the library (``parse_file``, ``check``, the printer and a reparse, an
  evaluation of the synthetic example county and its text and JSON reports), then the
  CLI (``eduint lint FILE``, ``eduint check --example synthetic-county-2019 --rules FILE
  --format json``);
* data: the library (the YAML/JSON loader or the spreadsheet reader, an evaluation
  against the bundled rule set and the text and JSON reports), then the CLI (``eduint
  check DATA --rules R --format json``).

An exception that is not an :class:`eduint.EduintError` is *foreign*; so is a CLI exit
status 3.  The result gives, per step, the seconds it took (wall clock and CPU time of
this process); the process's peak resident
memory so far; and the data problems that name neither a line nor a row.  The worker
limits its own address space (``--memory-limit`` MiB), so that an input that would take
all the memory fails with ``MemoryError`` (foreign) instead of stopping the machine.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import sys
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

EXAMPLE = "synthetic-county-2019"


class Worker:
    """The state kept between inputs: loaded rule sets and the example county."""

    def __init__(self) -> None:
        import eduint
        from eduint._resources import resource_dir
        from eduint.cli import main

        self.eduint = eduint
        self.main = main
        self.example = resource_dir("examples") / f"{EXAMPLE}.yaml"
        self.county = eduint.load_county(self.example).county
        self.rulesets: dict[str, Any] = {}
        self.steps: dict[str, tuple[float, float]] = {}  # step → (wall, CPU) seconds
        self.foreign: list[dict[str, str]] = []

    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time one step; an exception other than eduint's own is recorded as foreign."""
        start, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        except self.eduint.EduintError:
            pass
        except RecursionError as exc:  # a deep input: foreign, with a short trace
            self.foreign.append(_foreign(name, exc, limit=12))
        except Exception as exc:
            self.foreign.append(_foreign(name, exc))
        finally:
            wall0, cpu0 = self.steps.get(name, (0.0, 0.0))
            self.steps[name] = (
                wall0 + time.perf_counter() - start,
                cpu0 + time.process_time() - cpu,
            )

    def cli(self, name: str, args: list[str]) -> None:
        """Run ``eduint ARGS`` in this process; exit 3 (or a leaked exception) is foreign."""
        from click.testing import CliRunner

        with self.step(name):
            result = CliRunner().invoke(self.main, args)
            leaked = result.exception is not None and not isinstance(result.exception, SystemExit)
            if result.exit_code == 3 or leaked:
                text = result.output
                first = next(
                    (ln for ln in text.splitlines() if ln.startswith("internal error")),
                    repr(result.exception),
                )
                self.foreign.append({"step": name, "error": first[:500], "trace": text[-4000:]})

    def ruleset(self, name: str) -> Any:
        """A bundled rule set, checked once."""
        if name not in self.rulesets:
            self.rulesets[name] = self.eduint.load_ruleset(name)
        return self.rulesets[name]

    def rules(self, folder: Path, entry: str) -> dict[str, Any]:
        """One rule-file input."""
        from eduint import reporting
        from eduint.checking.checker import check
        from eduint.language import parser, printer

        path = folder / entry
        ruleset = None
        outcome = "other"
        with self.step("library: parse and check"):
            try:
                tree = parser.parse_file(path)
            except self.eduint.RuleSyntaxError:
                outcome = "syntax error"
                raise
            try:
                ruleset = check(tree)
            except self.eduint.RuleCheckError as exc:
                outcome = "E320" if "E320" in exc.codes else "check error"
                raise
            outcome = "checks"
        if ruleset is not None:
            with self.step("library: evaluate and report"):
                report = self.eduint.evaluate(ruleset, self.county)
                reporting.text_report(report)
                reporting.dump_json(report)
        with self.step("library: print and reparse"):
            tree = parser.parse_file(path)
            again = parser.parse(printer.unparse(tree), file=str(path))
            if again != tree:
                self.foreign.append({"step": "print", "error": "reparse differs", "trace": ""})
        self.cli("cli: lint", ["lint", str(path)])
        self.cli(
            "cli: check",
            ["check", "--example", EXAMPLE, "--rules", str(path), "--format", "json",
             "-o", str(folder / "out.json")],
        )
        return {"outcome": outcome}

    def data(self, folder: Path, entry: str, rules: str) -> dict[str, Any]:
        """One data input; returns the data problems and those without a place."""
        from eduint import reporting
        from eduint.data import loading, spreadsheets

        path = folder / entry
        ruleset = self.ruleset(rules)
        extra = ruleset.extra_field_kinds() or None
        problems: list[Any] = []
        loads: list[Any] = []
        with self.step("library: load"):
            if path.is_dir() or path.suffix in (".csv", ".xlsx"):
                loads = list(spreadsheets.read_tables(path, extra_fields=extra))
            else:
                loads = [loading.load_county(path, extra_fields=extra)]
            for loaded in loads:
                problems += loaded.problems
        with self.step("library: evaluate and report"):
            for loaded in loads:
                report = self.eduint.evaluate(ruleset, loaded.county)
                reporting.text_report(report, problems=loaded.problems)
                reporting.dump_json(report, problems=loaded.problems)
        self.cli(
            "cli: check",
            ["check", str(path), "--rules", rules, "--format", "json", "-o", str(folder / "o.json")],
        )
        unlocated = [p for p in problems if p.line is None and p.row is None]
        return {
            "outcome": "read" if loads else "refused",
            "problems": len(problems),
            "unlocated": len(unlocated),
            "unlocated_examples": [str(p)[:300] for p in unlocated[:3]],
        }


def _foreign(step: str, exc: BaseException, limit: int | None = None) -> dict[str, str]:
    trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__, limit=limit))
    return {"step": step, "error": f"{type(exc).__name__}: {str(exc)[:400]}", "trace": trace[-4000:]}


def main() -> int:
    """Serve requests until stdin closes."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--result-fd", type=int, required=True)
    ap.add_argument("--memory-limit", type=int, default=2048, help="MiB of address space")
    args = ap.parse_args()
    limit = args.memory_limit * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    out = os.fdopen(args.result_fd, "w", encoding="utf-8", buffering=1)
    worker = Worker()
    out.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        request = json.loads(line)
        worker.steps, worker.foreign = {}, []
        folder = Path(request["dir"])
        extra: dict[str, Any] = {}
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        try:
            if request["kind"] == "rules":
                extra = worker.rules(folder, request["entry"])
            else:
                extra = worker.data(folder, request["entry"], request["rules"])
        except MemoryError as exc:
            worker.foreign.append(_foreign("memory", exc, limit=5))
        result = {
            "seconds": time.perf_counter() - start,
            "steps": worker.steps,
            "foreign": worker.foreign,
            "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            "before_kib": before,
            **extra,
        }
        out.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
