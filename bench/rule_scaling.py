"""Rule-file scaling bench (issue 14): parse and check time for large generated files.

Generates rule files of the shapes that took super-linear time before issue 14 and
prints, for each, its size, the CPU time to parse and to check it, and the time per
character against the bundled resource block's (``rules/youzhi-junheng-2017-resource.rules``):

* ``resource 584K`` and ``resource 1M``: the bundled resource block repeated with new ids
  (584,405 and about 998,000 characters);
* ``value chain 20K`` and ``36K``: ``value v1 = v0 + 1 人`` … (20,000 and 36,000 values);
* ``unknown names 10K``: 10,000 values and 10,000 values naming unknown names
  (did-you-mean over every name was quadratic);
* ``labelled fields 8K``: 8,000 declared fields read by their Chinese label.

Usage::

    python bench/rule_scaling.py                 # every shape, best of 3 (1 for the big ones)
    python bench/rule_scaling.py --only chain    # shapes whose name contains "chain"
    PYTHONPATH=../main/src python bench/rule_scaling.py   # another checkout's code, to compare

Only ``eduint.language.parser.parse`` and ``eduint.checking.checker.check`` are called,
so an older checkout can be measured the same way.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESOURCE = REPO / "rules" / "youzhi-junheng-2017-resource.rules"


def resource_blocks(chars: int) -> str:
    """The bundled resource block repeated with new ids, up to ``chars`` characters."""
    text = RESOURCE.read_text(encoding="utf-8")
    head, _, rest = text.partition("value 高学历教师标准")
    rest = "value 高学历教师标准" + rest
    names = sorted(set(re.findall(r"^(?:value|block|\s*rule) (\S+)", rest, re.M)), key=len)
    pattern = re.compile("|".join(re.escape(n) for n in reversed(names)))
    parts, size, k = [head], len(head), 0
    while True:
        k += 1
        block = pattern.sub(lambda m, k=k: f"{m[0]}_{k}", rest)
        if size + len(block) > chars:
            return "".join(parts)
        parts.append(block)
        size += len(block)


def value_chain(n: int) -> str:
    """``n`` values, each the one before plus 1 人."""
    lines = ["value v0 = 1 人"] + [f"value v{i} = v{i - 1} + 1 人" for i in range(1, n)]
    return "\n".join(lines) + f"\nrule r {{ scope county report v{n - 1} }}\n"


def unknown_names(n: int) -> str:
    """``n`` values, and ``n`` values each naming a name that does not exist."""
    lines = [f"value a{i} = {i}" for i in range(n)] + [f"value b{i} = zz{i}" for i in range(n)]
    return "\n".join(lines) + "\n"


def labelled_fields(n: int) -> str:
    """``n`` declared school fields, each reported by its Chinese label."""
    fields = [f'field school.f{i}: 人 "标签{i}"' for i in range(n)]
    reports = " ".join(f"report 标签{i}" for i in range(n))
    return "\n".join(fields) + f"\nrule r {{ scope school {reports} }}\n"


SHAPES: dict[str, Callable[[], str]] = {
    "resource 584K": lambda: resource_blocks(584_405),
    "resource 1M": lambda: resource_blocks(999_000),
    "value chain 20K": lambda: value_chain(20_000),
    "value chain 36K": lambda: value_chain(36_000),
    "unknown names 10K": lambda: unknown_names(10_000),
    "labelled fields 8K": lambda: labelled_fields(8_000),
}


def measure(text: str, rounds: int) -> tuple[float, float]:
    """Best CPU seconds of ``rounds`` to parse, and to check, ``text``."""
    from eduint.checking.checker import check
    from eduint.errors import EduintError
    from eduint.language.parser import parse

    best_parse = best_check = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        tree = parse(text, file="bench.rules")
        parsed = time.process_time()
        try:
            check(tree)
        except EduintError:
            pass  # unknown names: the error is the result
        best_parse = min(best_parse, parsed - start)
        best_check = min(best_check, time.process_time() - parsed)
    return best_parse, best_check


def main() -> int:
    """Print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="", help="measure the shapes whose name contains this")
    ap.add_argument("--rounds", type=int, default=3, help="rounds for files under 100,000 chars")
    args = ap.parse_args()
    small = RESOURCE.read_text(encoding="utf-8")
    measure(small, 1)  # parser tables loaded
    sp, sc = measure(small, 15)
    base = (sp + sc) / len(small)
    print(f"{'shape':<20} {'characters':>10} {'parse':>8} {'check':>8} {'µs/char':>8} {'ratio':>6}")
    print(f"{'bundled resource':<20} {len(small):>10,} {sp:>7.3f}s {sc:>7.3f}s "
          f"{base * 1e6:>8.2f} {1:>6.2f}")
    for name, make in SHAPES.items():
        if args.only not in name:
            continue
        text = make()
        p, c = measure(text, args.rounds if len(text) < 100_000 else 1)
        per = (p + c) / len(text)
        print(f"{name:<20} {len(text):>10,} {p:>7.2f}s {c:>7.2f}s {per * 1e6:>8.2f} "
              f"{per / base:>6.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
