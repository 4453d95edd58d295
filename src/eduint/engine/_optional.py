"""Optional packages (pyarrow, pandas), imported only when a caller asks for them."""

from __future__ import annotations

import importlib
from typing import Any

from eduint.errors import MissingDependencyError

__all__ = ["need"]


def need(module: str, what: str) -> Any:
    """Import an optional module, or say how to install it.

    Args:
        module: the module (``pyarrow.parquet``).
        what: what needs it, for the message (``--format parquet``, ``to_arrow()``).

    Raises:
        MissingDependencyError: ``module`` is not installed (an :class:`ImportError`
            whose message names what needs it and how to install it).
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        top = module.split(".")[0]
        raise MissingDependencyError(
            f"error: {what} needs {top}, which is not installed: pip install {top}"
        ) from None
