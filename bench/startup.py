"""Start-up bench: ``eduint check --example baoshan-2018`` against a bare import.

Prints the whole-process wall time of ``eduint check --example baoshan-2018`` as a ratio
to ``python -c "import attrs, cattrs, click, lark, yaml"`` (the libraries eduint cannot
start without), both run by the same Python in the same session, alternating, median of
``--rounds`` rounds (issue 11 asks for at most 3x).  Two eduint figures:

* **warm**: eduint's per-user cache (parser tables, checked bundled rule sets) already
  filled, as on every run but a user's first;
* **cold**: an empty cache, as on the first run after installing; the run builds the LALR
  tables from the grammar and fills the cache.

Each case gets its own private cache directory (``EDUINT_CACHE_DIR``), so the user's own
cache is neither read nor touched.  Python's bytecode cache (``__pycache__``) is what a
user has: if ``PYTHONDONTWRITEBYTECODE`` is set in this environment the children run
without it (pass ``--as-is`` to keep the environment untouched and see the difference).

With ``--commands``, the start-up of single steps instead (issue 19: what eduint costs
before it reads any data), each with a warm cache, medians of wall and CPU time:
``import eduint``, ``import eduint.cli``, ``eduint --version``, ``import eduint.cli`` plus
a bundled rule set read from the cache, and ``eduint check --example baoshan-2018``.

Run it with the Python of the environment eduint is installed in (only the standard
library is needed)::

    python bench/startup.py              # 7 rounds
    python bench/startup.py --rounds 15
    python bench/startup.py --commands   # the single steps
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = "import attrs, cattrs, click, lark, yaml"


def eduint_command() -> list[str]:
    """The ``eduint`` console script next to this Python, else ``python -m eduint.cli``."""
    exe = Path(sys.executable).with_name("eduint.exe" if os.name == "nt" else "eduint")
    if exe.is_file():
        return [str(exe)]
    return [sys.executable, "-m", "eduint.cli"]


def _children_cpu() -> float:
    """User + system CPU seconds of finished child processes (0 where unknown)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run; the run must succeed (exit 0 or 1)."""
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):  # 1: some item not met, a normal outcome of check
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr.decode()}")
    return elapsed, _children_cpu() - cpu


def main() -> int:
    """Run the bench and print the medians and ratios."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=7, help="rounds (at least 5; default 7)")
    ap.add_argument("--commands", action="store_true", help="time the single steps instead")
    ap.add_argument(
        "--as-is",
        action="store_true",
        help="keep PYTHONDONTWRITEBYTECODE if set (no bytecode cache: every run compiles)",
    )
    args = ap.parse_args()
    if args.rounds < 5:
        ap.error("--rounds must be at least 5")

    env = dict(os.environ)
    env.pop("EDUINT_NO_CACHE", None)
    dropped = not args.as_is and env.pop("PYTHONDONTWRITEBYTECODE", None) is not None
    check = [*eduint_command(), "check", "--example", "baoshan-2018"]
    bare = [sys.executable, "-c", BARE]
    if args.commands:
        return steps(args.rounds, env, dropped)

    root = Path(tempfile.mkdtemp(prefix="eduint-startup-bench-"))  # mode 0700, ours
    try:
        warm_env = {**env, "EDUINT_CACHE_DIR": str(root / "warm")}
        # Untimed: fill the bytecode cache and the warm eduint cache.
        run(bare, env)
        run(check, warm_env)
        times: dict[str, list[float]] = {"bare": [], "warm": [], "cold": []}
        cpus: dict[str, list[float]] = {"bare": [], "warm": [], "cold": []}
        for r in range(args.rounds):
            cold_env = {**env, "EDUINT_CACHE_DIR": str(root / f"cold{r}")}
            runs = [("bare", bare, env), ("warm", check, warm_env), ("cold", check, cold_env)]
            for name, cmd, e in runs[r % 3 :] + runs[: r % 3]:  # rotate the order
                wall, cpu = run(cmd, e)
                times[name].append(wall)
                cpus[name].append(cpu)
    finally:
        shutil.rmtree(root, ignore_errors=True)

    med = {k: statistics.median(v) for k, v in times.items()}
    cpu_med = {k: statistics.median(v) for k, v in cpus.items()}
    print(f"python      {sys.version.split()[0]} ({sys.executable})")
    print(f"command     {' '.join(check)}")
    print(f"baseline    python -c {BARE!r}")
    if dropped:
        print("note        PYTHONDONTWRITEBYTECODE was set; the runs use the bytecode cache")
    print(f"rounds      {args.rounds} (alternating; medians of wall and of user+sys CPU time)")
    print(f"bare import {med['bare'] * 1000:7.1f} ms wall   {cpu_med['bare'] * 1000:7.1f} ms cpu")
    for name in ("warm", "cold"):
        spread = f"{min(times[name]) * 1000:.0f}-{max(times[name]) * 1000:.0f}"
        cpu_ratio = cpu_med[name] / cpu_med["bare"] if cpu_med["bare"] else float("nan")
        print(
            f"check {name:5s} {med[name] * 1000:7.1f} ms wall   {cpu_med[name] * 1000:7.1f} ms cpu"
            f"   ratio {med[name] / med['bare']:.2f}x wall, {cpu_ratio:.2f}x cpu"
            f"  (wall range {spread} ms)"
        )
    ok = med["warm"] / med["bare"] <= 3.0
    print(f"target      warm ratio <= 3.0x: {'met' if ok else 'NOT met'}")
    return 0


#: The single steps of ``--commands``: what each costs before any data is read.
LOADED = "import eduint.cli, eduint; eduint.load_ruleset('youzhi-junheng-2017-resource')"


def steps(rounds: int, env: dict[str, str], dropped: bool) -> int:
    """Time the single steps (``--commands``), alternating, with a warm private cache."""
    cmds = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "import eduint": [sys.executable, "-c", "import eduint"],
        "import eduint.cli": [sys.executable, "-c", "import eduint.cli"],
        "eduint --version": [*eduint_command(), "--version"],
        "cli + cached rule set": [sys.executable, "-c", LOADED],
        "check --example": [*eduint_command(), "check", "--example", "baoshan-2018"],
    }
    root = Path(tempfile.mkdtemp(prefix="eduint-startup-bench-"))  # mode 0700, ours
    try:
        warm = {**env, "EDUINT_CACHE_DIR": str(root / "warm")}
        for cmd in cmds.values():  # untimed: bytecode and the warm cache
            run(cmd, warm)
        walls: dict[str, list[float]] = {k: [] for k in cmds}
        cpus: dict[str, list[float]] = {k: [] for k in cmds}
        names = list(cmds)
        for r in range(rounds):
            for name in names[r % len(names) :] + names[: r % len(names)]:
                wall, cpu = run(cmds[name], warm)
                walls[name].append(wall)
                cpus[name].append(cpu)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"python      {sys.version.split()[0]} ({sys.executable})")
    if dropped:
        print("note        PYTHONDONTWRITEBYTECODE was set; the runs use the bytecode cache")
    print(f"rounds      {rounds} (alternating; medians of wall and of user+sys CPU time)")
    print(f"rule set    {LOADED}")
    for name in cmds:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        print(f"{name:22s} {wall * 1000:7.1f} ms wall   {cpu * 1000:7.1f} ms cpu")
    return 0


if __name__ == "__main__":
    sys.exit(main())
