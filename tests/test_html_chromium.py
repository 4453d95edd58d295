"""The HTML reports in a real browser: headless Chromium renders them offline, draws their
charts, logs no console message, and leaves a screenshot (issue 21).

Three pages: the bundled synthetic county (youzhi_junheng_2017), the summary of a
1 %-scale synthetic run (28 counties, ``--summary --format html``) and the report of
that run's largest county (``--county``).  Each is loaded from a ``file://`` path with a
fresh profile and the network switched off by having nothing to fetch:

* ``--dump-dom`` gives the DOM after rendering: every ``<svg>`` of the file is in it;
* ``--enable-logging=stderr`` prints every console message as ``INFO:CONSOLE`` — a
  control page with a failing script shows that such lines are caught, then the
  reports must produce none;
* ``--screenshot`` writes a PNG, kept in ``$EDUINT_ARTEFACTS`` (default: the test's
  temporary directory); the path is printed (``pytest -s`` shows it).

Debian's ``chromium`` and a CJK font (fonts-wqy-microhei) are installed by ``.ci/run``
when missing; without a browser the test skips.  Slow: about 3 s a Chromium start.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from eduint import cli

from ._html import RESOURCE, largest_county

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
COUNTY = ROOT / "examples" / "synthetic-county-2019.yaml"
WIDTH = 1280


def _browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


BROWSER = _browser()
needs_browser = pytest.mark.skipif(BROWSER is None, reason="no chromium (.ci/run installs it)")


def _run(args: list[str], profile: Path) -> subprocess.CompletedProcess[bytes]:
    assert BROWSER is not None
    cmd = [
        BROWSER,
        "--headless",
        "--disable-gpu",
        "--no-sandbox",
        "--no-first-run",
        "--disable-extensions",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, timeout=180, check=False)


def console_lines(stderr: bytes) -> list[str]:
    """The console messages Chromium logged (``…:INFO:CONSOLE:1] "message", source: …``)."""
    text = stderr.decode("utf-8", "replace")
    return [x for x in text.splitlines() if ":CONSOLE" in x or "Uncaught" in x]


def render(page: Path, tmp: Path) -> tuple[str, list[str]]:
    """The rendered DOM of ``page`` and the console lines logged while rendering it."""
    proc = _run(["--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri()], tmp / "p1")
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")[-2000:]
    return proc.stdout.decode("utf-8"), console_lines(proc.stderr)


def screenshot(page: Path, tmp: Path, height: int) -> Path:
    """A PNG of ``page`` in ``$EDUINT_ARTEFACTS`` (default ``tmp``); its path."""
    folder = Path(os.environ.get("EDUINT_ARTEFACTS") or tmp)
    folder.mkdir(parents=True, exist_ok=True)
    png = folder / (page.stem + ".png")
    png.unlink(missing_ok=True)
    proc = _run(
        [
            "--hide-scrollbars",
            f"--window-size={WIDTH},{height}",
            f"--screenshot={png}",
            page.as_uri(),
        ],
        tmp / "p2",
    )
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")[-2000:]
    print(f"screenshot: {png}")
    return png


def png_size(png: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def check_page(page: Path, tmp: Path, *, charts: int, height: int = 3000) -> None:
    """Render ``page``: all its charts in the DOM, no console line, a screenshot kept."""
    source = page.read_text(encoding="utf-8")
    assert source.count("<svg") == charts
    dom, console = render(page, tmp)
    assert console == []
    assert len(re.findall(r"<svg\b", dom)) == charts
    assert len(re.findall(r"<desc>", dom)) == charts
    png = screenshot(page, tmp, height)
    assert png_size(png) == (WIDTH, height)
    assert png.stat().st_size > 20_000  # a drawn page, not a blank one


@needs_browser
def test_console_errors_are_caught(tmp_path: Path) -> None:
    """The control: a page whose script fails logs console lines that the check sees."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html><body><p>x</p><script>console.error("eduint-control");'
        "missingFunction();</script></body></html>",
        encoding="utf-8",
    )
    _, console = render(bad, tmp_path)
    assert any("eduint-control" in x for x in console)
    assert any("Uncaught" in x for x in console)


@needs_browser
def test_county_report_renders(tmp_path: Path) -> None:
    page = tmp_path / "synthetic-county.html"
    r = CliRunner().invoke(
        cli.main,
        [
            "check",
            str(COUNTY),
            "--rules",
            "youzhi_junheng_2017",
            "--format",
            "html",
            "-o",
            str(page),
        ],
    )
    assert r.exit_code == 1, r.output  # the synthetic county is 未达到
    check_page(page, tmp_path, charts=9)


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("numpy")
    pytest.importorskip("pyarrow")
    path = tmp_path_factory.mktemp("synth") / "national.parquet"
    r = CliRunner().invoke(
        cli.main, ["synth", "--scale", "0.01", "--seed", "1", "--output", str(path)]
    )
    assert r.exit_code == 0, r.output
    return path


@needs_browser
def test_many_counties_report_renders(national: Path, tmp_path: Path) -> None:
    page = tmp_path / "synthetic-1pct-summary.html"
    r = CliRunner().invoke(
        cli.main,
        ["check", str(national), *RESOURCE, "--summary", "--format", "html", "-o", str(page)],
    )
    assert r.exit_code in (0, 1), r.output
    check_page(page, tmp_path, charts=7)


@needs_browser
def test_largest_county_report_renders(national: Path, tmp_path: Path) -> None:
    code, schools = largest_county(national)
    assert schools >= 70
    page = tmp_path / f"synthetic-1pct-{code}.html"
    r = CliRunner().invoke(
        cli.main,
        [
            "check",
            str(national),
            *RESOURCE,
            "--summary",
            "--county",
            code,
            "--format",
            "html",
            "-o",
            str(page),
        ],
    )
    assert r.exit_code in (0, 1), r.output
    assert page.stat().st_size < 1_000_000
    check_page(page, tmp_path, charts=9, height=4000)
