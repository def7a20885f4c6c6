"""A suite: GX expectations over one DataFrame that the suite reads from DuckDB.

GX's SQL datasource does not work on DuckDB, so every suite reads a pandas DataFrame
with its own SQL (only the columns its expectations use) and GX validates that frame.
The suite also says which Dagster asset it guards and whether a failure blocks what
is built on that asset. Each expectation's GX ``severity`` says how bad its failure
is: ``critical`` fails the check, ``warning`` only warns; ``meta["why"]`` says what it
protects against, in the words docs/data-quality.md uses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ccw.settings import Settings, load_settings

if TYPE_CHECKING:
    import duckdb
    import pandas as pd
    from great_expectations.expectations import Expectation

CRITICAL = "critical"
WARNING = "warning"
SAMPLE_SIZE = 5


@dataclass(frozen=True)
class Scope:
    """What a run asks the suites to look at.

    ``run_id`` is the Dagster run; rows and days that arrived in it are new. ``suite``
    is filled in by the runner so a reader can keep per-suite bookkeeping.
    """

    run_id: str
    suite: str = ""
    # The center's settings (time zone, opening hours, ...): the run's, else the file's.
    settings: Settings = field(default_factory=load_settings)


@dataclass(frozen=True)
class Suite:
    name: str
    asset: tuple[str, ...]  # the Dagster asset key it guards, e.g. ("raw", "calls")
    protects: str  # one sentence: what bad data it keeps out
    blocking: bool  # a critical failure stops everything built on the asset
    read: Callable[[duckdb.DuckDBPyConnection, Scope], pd.DataFrame]
    expectations: Callable[[], list[Expectation]]
    # Columns shown beside each bad value (the file and line, the day...).
    locate_by: tuple[str, ...] = ()
    # Other assets the reading depends on (a roster for the agent count).
    reads_assets: tuple[tuple[str, ...], ...] = ()
    # Called with each validated frame in which nothing critical failed.
    on_pass: Callable[[duckdb.DuckDBPyConnection, Scope, pd.DataFrame], None] | None = None
    # What ``read`` returns, in batches small enough for memory (a first load of a
    # year of data is tens of millions of rows). Each batch is validated on its own,
    # so an expectation across rows (uniqueness) must hold within a batch: batches
    # hold whole deliveries.
    read_batches: Callable[[duckdb.DuckDBPyConnection, Scope], Iterator[pd.DataFrame]] | None = None


@dataclass(frozen=True)
class ExpectationOutcome:
    expectation: str  # e.g. "expect_column_values_to_be_in_set(disposition)"
    severity: str
    success: bool
    why: str
    checked: int | None = None
    unexpected: int | None = None
    observed: Any = None
    sample: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.unexpected is not None:
            found = f"{self.unexpected:,} of {self.checked or 0:,} rows"
        else:
            found = f"observed {self.observed!r}"
        return f"{self.expectation} [{self.severity}]: {found}"


@dataclass
class SuiteOutcome:
    suite: Suite
    rows: int
    outcomes: list[ExpectationOutcome] = field(default_factory=list)

    def failed(self, severity: str | None = None) -> list[ExpectationOutcome]:
        return [
            outcome
            for outcome in self.outcomes
            if not outcome.success and (severity is None or outcome.severity == severity)
        ]

    @property
    def passed(self) -> bool:
        """Nothing critical failed (warnings do not fail a suite)."""
        return not self.failed(CRITICAL)


def merge_batches(batches: list[list[ExpectationOutcome]]) -> list[ExpectationOutcome]:
    """One outcome per expectation over several batches validated on their own:
    counts add up, the first failing batch tells what was observed, samples join."""
    if len(batches) <= 1:
        return batches[0] if batches else []
    merged = []
    for outcomes in zip(*batches, strict=True):
        failing = [outcome for outcome in outcomes if not outcome.success]
        shown = failing[0] if failing else outcomes[-1]
        merged.append(
            replace(
                shown,
                success=not failing,
                checked=_total(outcome.checked for outcome in outcomes),
                unexpected=_total(outcome.unexpected for outcome in outcomes),
                sample=tuple(value for outcome in failing for value in outcome.sample)[
                    :SAMPLE_SIZE
                ],
            )
        )
    return merged


def _total(counts) -> int | None:
    counts = [count for count in counts if count is not None]
    return sum(counts) if counts else None


def expectation_label(config: Any) -> str:
    """``expect_x(column)`` or ``expect_x(a, b) where c = v``: the name the docs use."""
    kwargs = config.kwargs
    label = f"{config.type}({', '.join(_named_columns(kwargs))})"
    condition = kwargs.get("row_condition")
    if condition:
        label += f" where {_condition_text(condition)}"
    return label


def columns_used(kwargs: dict[str, Any]) -> list[str]:
    """Every column an expectation reads, its row condition's included."""
    columns = _named_columns(kwargs)
    condition = kwargs.get("row_condition")
    if isinstance(condition, dict) and condition.get("column"):
        columns.append(condition["column"]["name"])
    elif condition is not None and hasattr(condition, "column"):
        columns.append(condition.column.name)
    return columns


def _named_columns(kwargs: dict[str, Any]) -> list[str]:
    return list(kwargs.get("column_list") or []) + [
        kwargs[name] for name in ("column", "column_A", "column_B") if kwargs.get(name)
    ]


def _condition_text(condition: Any) -> str:
    """``leg > 1`` or ``answered_at is null`` from GX's condition (object or dict)."""
    if not isinstance(condition, dict):
        condition = condition.dict()
    column = condition.get("column", {}).get("name", "?")
    if "is_null" in condition:
        return f"{column} is {'null' if condition['is_null'] else 'not null'}"
    return f"{column} {condition.get('operator', '?')} {condition.get('parameter')!r}"


def _columns_of(config: Any) -> list[str]:
    """The frame columns an expectation reads, in its order."""
    kwargs = config.kwargs or {}
    names = [kwargs.get(key) for key in ("column", "column_A", "column_B")]
    return [name for name in names if isinstance(name, str)]


def _sample(
    result: dict[str, Any],
    frame: pd.DataFrame,
    locate_by: Sequence[str],
    columns: Sequence[str] = (),
) -> list[str]:
    """The first unexpected values, with where they are. Read back from the frame when
    the row is known, so an instant keeps its offset (the frame's times are the
    center's local time); GX's own copy drops it."""
    values = result.get("partial_unexpected_list") or []
    positions = result.get("partial_unexpected_index_list") or []
    lines = []
    for position, value in zip(positions, values, strict=False):
        where, shown = "", value
        if locate_by and isinstance(position, int | float) and position in frame.index:
            row = frame.loc[position]
            where = " ".join(f"{column}={_plain(row[column])}" for column in locate_by) + ": "
            if columns and all(column in frame.columns for column in columns):
                shown = [row[column] for column in columns]
        lines.append(f"{where}{_plain(shown)}")
    if not lines:
        lines = [_plain(value) for value in values]
    return lines[:SAMPLE_SIZE]


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{key}={_plain(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_plain(item) for item in value)
    if hasattr(value, "isoformat"):
        if getattr(value, "tzinfo", True) is None and value.hour == value.minute == 0:
            return value.date().isoformat()  # a DATE column, read by pandas as midnight
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def outcomes_from(
    results: Any, frame: pd.DataFrame, locate_by: Sequence[str]
) -> list[ExpectationOutcome]:
    """Turn GX's validation results into what the check metadata and ``ccw run`` show."""
    outcomes = []
    for result in results:
        config = result.expectation_config
        details = result.result or {}
        exception = (result.exception_info or {}).get("exception_message")
        outcomes.append(
            ExpectationOutcome(
                expectation=expectation_label(config),
                severity=str(getattr(config.severity, "value", config.severity)),
                success=bool(result.success),
                why=(config.meta or {}).get("why", ""),
                checked=details.get("element_count"),
                unexpected=details.get("unexpected_count"),
                observed=exception or details.get("observed_value"),
                sample=tuple(_sample(details, frame, locate_by, _columns_of(config))),
            )
        )
    return outcomes
