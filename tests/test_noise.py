"""The standard errors the scorecard judges changes by, against their textbook forms
and a direct computation over the units."""

from __future__ import annotations

import math
import random

import pytest

from ccw.noise import Moments, change_z, count_z, standard_error


def test_a_share_has_the_binomial_error():
    assert standard_error(0.2, Moments.share(20, 100)) == pytest.approx(math.sqrt(0.2 * 0.8 / 100))


def test_a_mean_has_the_error_of_its_units():
    values = [3.0, 7.0, 8.0, 12.0, 20.0]
    mean = sum(values) / len(values)
    moments = Moments.mean(sum(v * v for v in values), len(values), sum(values))
    spread = sum((v - mean) ** 2 for v in values) / len(values)
    assert standard_error(mean, moments) == pytest.approx(math.sqrt(spread / len(values)))


def test_a_ratio_allows_for_both_sums_varying():
    """Cost per answered call over calls of which some are not answered: the delta
    method's error equals the spread of the linearized units, x - R*y."""
    generator = random.Random(7)
    calls = [(generator.uniform(1, 20), generator.random() < 0.8) for _ in range(500)]
    sum_x = sum(cost for cost, _ in calls)
    sum_y = sum(answered for _, answered in calls)
    ratio = sum_x / sum_y
    moments = Moments(
        sum(cost * cost for cost, _ in calls),
        sum(cost for cost, answered in calls if answered),
        sum_y,
        sum_y,
    )
    residuals = sum((cost - ratio * answered) ** 2 for cost, answered in calls)
    assert standard_error(ratio, moments) == pytest.approx(math.sqrt(residuals) / sum_y)


def test_changes_in_standard_errors():
    assert change_z(0.30, 0.01, 0.25, 0.01) == pytest.approx(0.05 / math.sqrt(0.0002))
    assert change_z(0.30, None, 0.25, 0.01) is None
    assert change_z(0.30, 0.0, 0.25, 0.0) is None
    assert count_z(120, 80) == pytest.approx(40 / math.sqrt(200))
    assert count_z(0, 0) is None
