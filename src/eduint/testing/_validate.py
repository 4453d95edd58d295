"""Argument checks shared by eduint.testing's strategies: a bad argument raises
:class:`hypothesis.errors.InvalidArgument` naming it as ``name=value``."""

from __future__ import annotations

from decimal import Decimal

Number = int | Decimal


def _invalid(message: str) -> Exception:
    """A :class:`hypothesis.errors.InvalidArgument` carrying ``message``.

    Raises:
        ImportError: Hypothesis is not installed (it comes with ``eduint[testing]``).
    """
    try:
        from hypothesis.errors import InvalidArgument
    except ImportError as exc:
        raise ImportError(
            "eduint.testing's strategies need Hypothesis: pip install 'eduint[testing]'"
        ) from exc
    return InvalidArgument(message)


def _check_bool(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise _invalid(
            f"Expected {name} to be True or False, but got {name}={value!r} "
            f"(type={type(value).__name__})"
        )


def _check_number(name: str, value: object) -> Number:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise _invalid(
            f"Expected {name} to be an int or a Decimal, but got {name}={value!r} "
            f"(type={type(value).__name__})"
        )
    if isinstance(value, Decimal) and not value.is_finite():
        raise _invalid(f"{name}={value!r} must be a finite number")
    return value


def _check_count(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _invalid(
            f"Expected {name} to be an int, but got {name}={value!r} (type={type(value).__name__})"
        )
    if value < 0:
        raise _invalid(f"{name}={value!r} must be at least 0")
    return value


def _check_order(lo_name: str, lo: Number, hi_name: str, hi: Number) -> None:
    if lo > hi:
        raise _invalid(f"Cannot have {lo_name}={lo!r} greater than {hi_name}={hi!r}")
