"""Short builders for the GX expectations the suites use, each with its reason.

Every expectation gets ``meta={"why": ...}``: the sentence the reports and
docs/data-quality.md show. ``when`` is a GX row condition (``Column("leg") > 1``).
GX is imported only when a suite builds its expectations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from expectations.gx_import import gx_expectations

if TYPE_CHECKING:
    from great_expectations.expectations import Expectation


def _gxe():
    return gx_expectations()


def column(name: str) -> Any:
    """A column for a row condition: ``column("status") == "cancelled"``."""
    gx_expectations()
    from great_expectations.expectations.row_conditions import Column

    return Column(name)


def _conditional(when: Any) -> dict[str, Any]:
    return {} if when is None else {"row_condition": when}


def between(
    name: str,
    low: float | None,
    high: float | None,
    why: str,
    when: Any = None,
    severity: str = "critical",
    strict_low: bool = False,
) -> Expectation:
    return _gxe().ExpectColumnValuesToBeBetween(
        column=name,
        min_value=low,
        max_value=high,
        strict_min=strict_low,
        severity=severity,
        meta={"why": why},
        **_conditional(when),
    )


def not_null(name: str, why: str, when: Any = None) -> Expectation:
    return _gxe().ExpectColumnValuesToNotBeNull(
        column=name, meta={"why": why}, **_conditional(when)
    )


def null(name: str, why: str, when: Any) -> Expectation:
    return _gxe().ExpectColumnValuesToBeNull(column=name, meta={"why": why}, **_conditional(when))


def in_set(name: str, values: list[Any], why: str, severity: str = "critical") -> Expectation:
    return _gxe().ExpectColumnValuesToBeInSet(
        column=name, value_set=values, severity=severity, meta={"why": why}
    )


def not_below(larger: str, smaller: str, why: str) -> Expectation:
    """``larger >= smaller`` on every row that has both."""
    return _gxe().ExpectColumnPairValuesAToBeGreaterThanB(
        column_A=larger,
        column_B=smaller,
        or_equal=True,
        ignore_row_if="either_value_is_missing",
        meta={"why": why},
    )


def unique(name: str, why: str) -> Expectation:
    return _gxe().ExpectColumnValuesToBeUnique(column=name, meta={"why": why})


def matches(name: str, regex: str, why: str) -> Expectation:
    return _gxe().ExpectColumnValuesToMatchRegex(column=name, regex=regex, meta={"why": why})
