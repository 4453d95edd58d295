"""Small helpers that keep eduint running on Python 3.10."""

from __future__ import annotations

from typing import NoReturn

__all__ = ["assert_never"]


def assert_never(value: NoReturn) -> NoReturn:
    """Mark a branch mypy proves unreachable (``typing.assert_never`` is 3.11+).

    Raises:
        AssertionError: always; reaching it is a bug in eduint.
    """
    raise AssertionError(f"unhandled case: {value!r}")
