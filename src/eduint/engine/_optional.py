"""Optional packages (pyarrow, pandas), imported only when a caller asks for them."""

from __future__ import annotations

import importlib
from typing import Any

from eduint.errors import MissingDependencyError

__all__ = ["need"]


def need(module: str, what: str, package: str | None = None) -> Any:
    """Import an optional module, or say how to install it.

    Args:
        module: the module (``pyarrow.parquet``).
        what: what needs it, for the message (``--format parquet``, ``to_arrow()``).
        package: the distribution to install when it is not named as the module's top
            level (``python-docx`` for ``docx``).

    Raises:
        MissingDependencyError: ``module`` is not installed (an :class:`ImportError`
            whose message names what needs it and how to install it).
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        top = package or module.split(".")[0]
        raise MissingDependencyError(
            f"error: {what} needs {top}, which is not installed: pip install {top}"
        ) from None
