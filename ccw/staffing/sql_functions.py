"""The Erlang functions as SQL functions, so dbt models can size every interval.

`register(connection)` adds them to a DuckDB connection; `ccw/dbt_plugin.py` does it for
every connection dbt-duckdb opens (profiles.yml lists the plugin). Nulls pass through:
no traffic or handle time means nothing to size, and an unknown patience (no abandons
seen) means callers wait, which is Erlang C.
"""

from duckdb import DuckDBPyConnection
from duckdb.sqltypes import DOUBLE, INTEGER, VARCHAR

from ccw.staffing.erlang import Interval, required_agents_erlang_a, required_agents_erlang_c


def _interval(offered, handle_seconds, interval_seconds) -> Interval | None:
    if offered is None or interval_seconds is None:
        return None
    if offered > 0 and not handle_seconds:
        return None
    return Interval(float(offered), float(handle_seconds or 0), float(interval_seconds))


def required_agents_erlang_c_or_null(
    offered, handle_seconds, interval_seconds, threshold_seconds, target
) -> int | None:
    interval = _interval(offered, handle_seconds, interval_seconds)
    if interval is None or threshold_seconds is None or target is None:
        return None
    return required_agents_erlang_c(interval, float(threshold_seconds), float(target))


def required_agents_erlang_a_or_null(
    offered, handle_seconds, interval_seconds, threshold_seconds, target, patience_seconds,
    treatment,
) -> int | None:  # fmt: skip
    interval = _interval(offered, handle_seconds, interval_seconds)
    if interval is None or threshold_seconds is None or target is None or treatment is None:
        return None
    patience = None if patience_seconds is None else float(patience_seconds)
    return required_agents_erlang_a(
        interval, float(threshold_seconds), float(target), patience, treatment
    )


def register(connection: DuckDBPyConnection) -> None:
    """Add `ccw_required_agents_erlang_c/_a` to a DuckDB connection."""
    connection.create_function(
        "ccw_required_agents_erlang_c",
        required_agents_erlang_c_or_null,
        [DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE],
        INTEGER,
        null_handling="special",
        side_effects=False,
    )
    connection.create_function(
        "ccw_required_agents_erlang_a",
        required_agents_erlang_a_or_null,
        [DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE, VARCHAR],
        INTEGER,
        null_handling="special",
        side_effects=False,
    )
