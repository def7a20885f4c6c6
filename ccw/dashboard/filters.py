"""The filters every page shares, and the SQL they add (bound parameters only).

A page's filters live in its URL (`?start=2026-04-01&queue=billing&queue=sales`), so
a view can be shared by copying the address.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

DIMENSIONS = ("queue", "segment", "site", "team")


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    queue: tuple[str, ...] = field(default=())
    segment: tuple[str, ...] = field(default=())
    site: tuple[str, ...] = field(default=())
    team: tuple[str, ...] = field(default=())

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous_period(self) -> Filters:
        """The same number of days just before this period."""
        return replace(
            self, start=self.start - timedelta(days=self.days), end=self.start - timedelta(1)
        )

    def to_query_params(self) -> dict[str, str | list[str]]:
        params: dict[str, str | list[str]] = {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }
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

        start = day("start", max(first_day, last_day - timedelta(days=27)))
        end = day("end", last_day)
        values = {
            dimension: tuple(sorted(set(_all(params, dimension)))) for dimension in DIMENSIONS
        }
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
