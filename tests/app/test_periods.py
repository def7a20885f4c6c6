"""The date presets and what each period is compared with, on a calendar: the data
runs from Thu 1 Jan to Thu 2 Apr 2026."""

from __future__ import annotations

from datetime import date

import pytest

from ccw.dashboard.filters import Filters

FIRST, LAST = date(2026, 1, 1), date(2026, 4, 2)


def _period(name: str) -> Filters:
    return Filters.from_query_params({"period": name}, FIRST, LAST)


@pytest.mark.parametrize(
    ("name", "start", "end", "compared"),
    [
        ("latest_day", "2026-04-02", "2026-04-02",
         [("the day before", "2026-04-01"), ("4 weeks earlier", "2026-03-05")]),
        ("day_before", "2026-04-01", "2026-04-01",
         [("the day before", "2026-03-31"), ("4 weeks earlier", "2026-03-04")]),
        ("this_week", "2026-03-30", "2026-04-02",
         [("the same days a week before", "2026-03-23"), ("4 weeks earlier", "2026-03-02")]),
        ("last_week", "2026-03-23", "2026-03-29",
         [("the week before", "2026-03-16"), ("4 weeks earlier", "2026-02-23")]),
        ("last_month", "2026-03-01", "2026-03-31", [("the month before", "2026-02-01")]),
        ("last_28_days", "2026-03-06", "2026-04-02", [("the 28 days before", "2026-02-06")]),
    ],
)  # fmt: skip
def test_each_preset_counts_back_from_the_latest_day(name, start, end, compared):
    period = _period(name)
    assert (str(period.start), str(period.end)) == (start, end)
    assert [(label, str(other.start)) for label, other in period.comparisons(FIRST)] == compared
    for _, other in period.comparisons(FIRST):  # the same weekdays, or a whole month
        assert other.days == period.days or name == "last_month"


def test_this_week_says_it_is_partial_and_last_month_compares_whole_months():
    assert _period("this_week").is_partial_week
    assert not _period("last_week").is_partial_week
    before = _period("last_month").previous_period()
    assert (str(before.start), str(before.end)) == ("2026-02-01", "2026-02-28")


def test_a_preset_stays_relative_in_the_address_and_custom_dates_stay_fixed():
    assert _period("last_week").to_query_params() == {"period": "last_week"}
    custom = Filters.from_query_params({"start": "2026-02-03", "end": "2026-02-09"}, FIRST, LAST)
    assert custom.to_query_params() == {"start": "2026-02-03", "end": "2026-02-09"}
    # Nothing in the address: the last 28 days.
    assert Filters.from_query_params({}, FIRST, LAST).period == "last_28_days"


def test_comparisons_stay_inside_the_data():
    early = Filters.from_query_params({"start": "2026-01-01", "end": "2026-01-07"}, FIRST, LAST)
    assert early.comparisons(FIRST) == []
    year = Filters.from_query_params({"period": "last_week"}, date(2025, 1, 1), LAST)
    assert [label for label, _ in year.comparisons(date(2025, 1, 1))] == [
        "the week before", "52 weeks earlier",
    ]  # fmt: skip
