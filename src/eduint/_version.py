"""eduint's version number, written once.

``pyproject.toml`` reads it (``[tool.hatch.version]``), so the installed distribution's
metadata and :data:`eduint.__version__` cannot disagree, and reading it costs no import
of :mod:`importlib.metadata` (tens of milliseconds at start-up).
"""

__version__ = "0.1.0"
