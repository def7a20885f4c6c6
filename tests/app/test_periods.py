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


@pytest.mark.parametrize(
    ("name", "until", "followed"),
    [
        # Calls up to Thu 26 Mar have been followed for the repeat window.
        ("latest_day", "2026-03-26", ("2026-03-26", "2026-03-26")),
        ("this_week", "2026-03-26", ("2026-03-16", "2026-03-22")),  # a whole week
        ("last_week", "2026-03-26", ("2026-03-16", "2026-03-22")),
        ("last_week", "2026-03-29", None),  # followed in full already
        ("last_month", "2026-03-26", ("2026-02-01", "2026-02-28")),
        ("last_28_days", "2026-03-26", ("2026-02-06", "2026-03-05")),  # 28 days back
    ],
)  # fmt: skip
def test_a_recent_period_names_the_latest_one_of_its_kind_followed_in_full(name, until, followed):
    ended = _period(name).latest_ended(date.fromisoformat(until), FIRST)
    if followed is None:
        assert ended is None
    else:
        assert (str(ended.start), str(ended.end)) == followed
        assert ended.end <= date.fromisoformat(until)


def test_nothing_is_followed_in_full_before_the_data_starts():
    assert _period("last_28_days").latest_ended(date(2026, 1, 20), FIRST) is None


def test_monthly_figures_take_the_months_a_period_overlaps_and_as_many_before():
    week = Filters(start=date(2026, 3, 30), end=date(2026, 4, 5))  # Mon 30 Mar to Sun 5 Apr
    months = week.whole_months()
    assert (months.start, months.end) == (date(2026, 3, 1), date(2026, 4, 30))
    before = week.months_before()
    assert (before.start, before.end) == (date(2026, 1, 1), date(2026, 2, 28))
    january = Filters(start=date(2026, 1, 10), end=date(2026, 1, 16))
    assert (january.months_before().start, january.months_before().end) == (
        date(2025, 12, 1), date(2025, 12, 31),
    )  # fmt: skip
