"""How large a change must be before it is a change, and when a rate is too thin to judge.

Every rate the scorecard compares is a ratio of two sums over units (legs, calls,
responses): R = Σx / Σy. Its standard error by the delta method is

    se(R)² ≈ (Σx² - 2·R·Σxy + R²·Σy²) / (Σy)²

which for a share (x is 0 or 1, y is 1) is the familiar p(1 - p)/n, for a mean (y is
1) is the variance of x over n, and for a cost per answered call (x the call's cost,
y whether it was answered) allows for both varying. A change between two periods is
its size over the two errors combined (z); it is called a change only when |z|
reaches the setting `significant_change_z`, and a rate over fewer units than
`min_sample_size` is never judged at all (docs/metrics.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Moments:
    """The sums over units a ratio's standard error needs."""

    sum_x2: float
    sum_xy: float
    sum_y2: float
    sum_y: float

    @classmethod
    def share(cls, hits: float, units: float) -> Moments:
        """A share: ``hits`` of ``units`` (each unit 0 or 1)."""
        return cls(hits, hits, units, units)

    @classmethod
    def mean(cls, sum_x2: float, units: float, total: float) -> Moments:
        """A mean of x over ``units`` (Σx = ``total``)."""
        return cls(sum_x2, total, units, units)


def standard_error(ratio: float | None, moments: Moments | None) -> float | None:
    if ratio is None or moments is None or not moments.sum_y or _missing(ratio):
        return None
    spread = moments.sum_x2 - 2 * ratio * moments.sum_xy + ratio**2 * moments.sum_y2
    return math.sqrt(max(spread, 0.0)) / moments.sum_y


def count_z(now: float, before: float) -> float | None:
    """Two counts over periods of equal length (Poisson): (a - b) / √(a + b)."""
    if now + before <= 0:
        return None
    return (now - before) / math.sqrt(now + before)


def change_z(
    now: float | None, now_error: float | None, before: float | None, before_error: float | None
) -> float | None:
    """The change in standard errors; None when either side has no error to judge by."""
    if any(_missing(value) for value in (now, now_error, before, before_error)):
        return None
    combined = math.hypot(now_error, before_error)
    if combined == 0:
        return None
    return (now - before) / combined


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
