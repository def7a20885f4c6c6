"""The filters every page shares, and the SQL they add (bound parameters only).

A page's filters live in its URL (`?start=2026-04-01&queue=billing&queue=sales`, or
`?period=last_week` for a period that moves with the data), so a view can be shared by
copying the address.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

DIMENSIONS = ("queue", "segment", "site", "team")
CUSTOM = "custom"
# The date presets, counted back from the latest day in the published data (a nightly
# run's latest day is yesterday): name → label.
PERIODS = {
    "latest_day": "Latest day",
    "day_before": "Day before",
    "this_week": "This week",
    "last_week": "Last full week",
    "last_month": "Last full month",
    "last_28_days": "Last 28 days",
    CUSTOM: "Custom dates",
}


def period_dates(period: str, first_day: date, last_day: date) -> tuple[date, date]:
    """The first and last day of a preset; weeks run Monday to Sunday."""
    monday = last_day - timedelta(days=last_day.weekday())
    full_week_end = last_day if last_day.weekday() == 6 else monday - timedelta(days=1)
    month_end = (
        last_day if (last_day + timedelta(1)).day == 1 else last_day.replace(day=1) - timedelta(1)
    )
    start, end = {
        "latest_day": (last_day, last_day),
        "day_before": (last_day - timedelta(1), last_day - timedelta(1)),
        "this_week": (monday, last_day),
        "last_week": (full_week_end - timedelta(6), full_week_end),
        "last_month": (month_end.replace(day=1), month_end),
        "last_28_days": (last_day - timedelta(27), last_day),
    }[period]
    return max(start, first_day), max(end, first_day)


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    queue: tuple[str, ...] = field(default=())
    segment: tuple[str, ...] = field(default=())
    site: tuple[str, ...] = field(default=())
    team: tuple[str, ...] = field(default=())
    period: str = CUSTOM

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def is_partial_week(self) -> bool:
        """This week, before its Sunday is in the data."""
        return self.period == "this_week" and self.end.weekday() != 6

    def shifted(self, days: int) -> Filters:
        """The same days, ``days`` earlier."""
        return replace(
            self, start=self.start - timedelta(days), end=self.end - timedelta(days), period=CUSTOM
        )

    def latest_ended(self, until: date, first_day: date) -> Filters | None:
        """The latest period of this shape whose every day is on or before ``until``
        (the last day a window, such as FCR's, has ended for): the latest full week
        for a week, the latest full month for a month, else the same number of days
        moved back in whole periods. None when this period has ended, or when no such
        period is in the data."""
        if self.end <= until:
            return None
        shape = {"this_week": "last_week", "last_week": "last_week", "last_month": "last_month"}
        if self.period in shape:
            start, end = period_dates(shape[self.period], first_day, until)
            ended = replace(self, start=start, end=end, period=CUSTOM)
        else:
            ended = self.shifted(-(-(self.end - until).days // self.days) * self.days)
        return ended if ended.start >= first_day and ended.end <= until else None

    def whole_months(self) -> Filters:
        """The calendar months the period overlaps (monthly facts, such as attrition)."""
        next_month = (self.end.replace(day=1) + timedelta(days=31)).replace(day=1)
        return replace(
            self, start=self.start.replace(day=1), end=next_month - timedelta(1), period=CUSTOM
        )

    def months_before(self) -> Filters:
        """As many whole months, just before the months the period overlaps."""
        months = self.whole_months()
        count = (months.end.year - months.start.year) * 12 + months.end.month - months.start.month
        end = months.start - timedelta(1)
        start = end.replace(day=1)
        for _ in range(count):
            start = (start - timedelta(1)).replace(day=1)
        return replace(self, start=start, end=end, period=CUSTOM)

    def previous_period(self) -> Filters:
        """The period just before: the month before a month, the same weekdays of the
        week before a week that has not ended, else the same number of days."""
        if self.period == "last_month":
            end = self.start - timedelta(1)
            return replace(self, start=end.replace(day=1), end=end, period=CUSTOM)
        if self.period == "this_week":
            return self.shifted(7)
        return self.shifted(self.days)

    def previous_label(self) -> str:
        return {
            "latest_day": "the day before",
            "day_before": "the day before",
            "this_week": "the same days a week before",
            "last_week": "the week before",
            "last_month": "the month before",
            "last_28_days": "the 28 days before",
        }.get(self.period, f"the {self.days} days before" if self.days > 1 else "the day before")

    def comparisons(self, first_day: date) -> list[tuple[str, Filters]]:
        """What a period is compared with, of what the data holds: the period before,
        and the same weekdays 52 weeks earlier when the data reaches back that far,
        else, for a period shorter than four weeks, the same weekdays 4 weeks
        earlier."""
        previous = self.previous_period()
        compared = [(self.previous_label(), previous)] if previous.start >= first_day else []
        year = self.shifted(364)
        month = self.shifted(28)
        if year.start >= first_day:
            compared.append(("52 weeks earlier", year))
        elif (
            self.days < 28
            and month.start >= first_day
            and (month.start, month.end)
            != (
                previous.start,
                previous.end,
            )
        ):
            compared.append(("4 weeks earlier", month))
        return compared

    def trend_window(self, first_day: date, weeks: int = 13) -> Filters:
        """The ``weeks`` up to this period's end (or the period, when longer): what a
        trend shows, so a short period is seen against its recent past."""
        start = max(first_day, min(self.start, self.end - timedelta(weeks=weeks, days=-1)))
        return replace(self, start=start, period=CUSTOM)

    def to_query_params(self) -> dict[str, str | list[str]]:
        params: dict[str, str | list[str]] = (
            {"period": self.period}
            if self.period != CUSTOM
            else {"start": self.start.isoformat(), "end": self.end.isoformat()}
        )
        for dimension in DIMENSIONS:
            if getattr(self, dimension):
                params[dimension] = list(getattr(self, dimension))
        return params

    @classmethod
    def from_query_params(cls, params, first_day: date, last_day: date) -> Filters:
        """Read filters from a URL's parameters; anything missing or malformed falls
        back to the last 28 days of data and no restriction."""

        def day(name: str, default: date) -> date:
            try:
                return min(max(date.fromisoformat(params.get(name, "")), first_day), last_day)
            except (TypeError, ValueError):
                return default

        values = {
            dimension: tuple(sorted(set(_all(params, dimension)))) for dimension in DIMENSIONS
        }
        period = params.get("period") or CUSTOM
        if period in PERIODS and period != CUSTOM:
            start, end = period_dates(period, first_day, last_day)
            return cls(start=start, end=end, period=period, **values)
        if "start" not in params and "end" not in params:
            start, end = period_dates("last_28_days", first_day, last_day)
            return cls(start=start, end=end, period="last_28_days", **values)
        start = day("start", max(first_day, last_day - timedelta(days=27)))
        end = day("end", last_day)
        return cls(start=min(start, end), end=max(start, end), **values)


def _all(params, name: str) -> list[str]:
    if hasattr(params, "get_all"):
        return [value for value in params.get_all(name) if value]
    value = params.get(name)
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


@dataclass
class Where:
    """SQL conditions with their bound parameters, built up one filter at a time."""

    conditions: list[str] = field(default_factory=list)
    parameters: list = field(default_factory=list)

    def add(self, condition: str, *parameters) -> Where:
        self.conditions.append(condition)
        self.parameters.extend(parameters)
        return self

    def any_of(self, column: str, values: tuple[str, ...]) -> Where:
        if values:
            placeholders = ", ".join("?" for _ in values)
            self.add(f"{column} in ({placeholders})", *values)
        return self

    @property
    def sql(self) -> str:
        return " and ".join(self.conditions) if self.conditions else "true"
