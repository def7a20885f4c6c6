"""Check every parsed value against the contract, in SQL, and say what is wrong.

Each column contributes problem expressions: a missing key or value, a value that is
not of the column's type, an enum value outside the contract, a score outside its
scale. A row with any problem is quarantined with all of them; the first names the
column. Valid rows are cast to the contract's DuckDB types on insert.
"""

from __future__ import annotations

from ccw.contract import DATE, DECIMAL, DUCKDB_TYPES, INTEGER, TIMESTAMP, Column, Table
from ccw.landing.sql import identifier, literal

# ISO-8601 with an offset (Z, +hh, +hh:mm or +hhmm); DuckDB casts the rest of the form.
_OFFSET = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)$"

# What a value of each type must look like before it is cast: try_cast alone would
# round 1.5 to a leg of 2 or 12.345 to 12.35 and accept a timestamp as a date.
_TYPE_CHECKS = {
    TIMESTAMP: ("timestamptz", None, "not an ISO-8601 timestamp"),
    DATE: ("date", r"^\d{4}-\d{2}-\d{2}$", "not a date (YYYY-MM-DD)"),
    INTEGER: ("bigint", r"^[+-]?\d+$", "not a whole number"),
    DECIMAL: (
        "decimal(18, 2)",
        r"^[+-]?(\d+(\.\d*)?|\.\d+)$",
        "not a decimal number",
    ),
}
_MORE_THAN_TWO_DECIMALS = r"\.\d{2}\d*[1-9]"


def _problem(column: Column, condition: str, reason_sql: str) -> str:
    return (
        f"case when {condition} then "
        f"{{'column': {literal(column.name)}, 'reason': {reason_sql}}} end"
    )


def column_problems(table: Table, column: Column) -> list[str]:
    value = identifier(column.name)
    present = f"coalesce({value}, '') <> ''"
    shown = f"'''' || {value} || ''''"
    problems = []
    if not column.nullable:
        what = "missing key" if column.name in table.key else "missing value (required)"
        problems.append(_problem(column, f"not ({present})", literal(what)))
    if column.type in _TYPE_CHECKS:
        cast_to, pattern, what = _TYPE_CHECKS[column.type]
        shape = f" or not regexp_matches({value}, {literal(pattern)})" if pattern else ""
        problems.append(
            _problem(
                column,
                f"{present} and (try_cast({value} as {cast_to}) is null{shape})",
                f"{shown} || {literal(' is ' + what)}",
            )
        )
    if column.type == DECIMAL:
        problems.append(
            _problem(
                column,
                f"{present} and regexp_matches({value}, {literal(_MORE_THAN_TWO_DECIMALS)})",
                f"{shown} || ' has more than two decimal places'",
            )
        )
    if column.type == TIMESTAMP:
        problems.append(
            _problem(
                column,
                f"{present} and try_cast({value} as timestamptz) is not null "
                f"and not regexp_matches({value}, {literal(_OFFSET)})",
                f"{shown} || ' has no UTC offset (the contract needs e.g. -05:00)'",
            )
        )
    if column.enum:
        allowed = ", ".join(literal(option) for option in column.enum)
        problems.append(
            _problem(
                column,
                f"{present} and {value} not in ({allowed})",
                f"{shown} || {literal(' is not one of ' + ', '.join(column.enum))}",
            )
        )
    if column.value_range:
        low, high = column.value_range
        problems.append(
            _problem(
                column,
                f"try_cast({value} as bigint) not between {low} and {high}",
                f"{shown} || {literal(f' is outside the scale {low}-{high}')}",
            )
        )
    return problems


def check_rows(table: Table) -> str:
    """SQL that turns ``_rows`` into ``_checked``, adding the list ``_problems``."""
    problems = [problem for column in table.columns for problem in column_problems(table, column)]
    return f"""create or replace temp table _checked as
        select *,
            case when len(_format_problems) > 0 and _format_problems[1]."column" is null
                then _format_problems  -- the record has no values to check
                else _format_problems || list_filter(
                    [{", ".join(problems)}], lambda problem: problem is not null)
            end as _problems
        from _rows"""


def typed_columns(table: Table) -> str:
    """The select list that casts the checked text columns to the contract's types.

    An empty value is NULL in every format (CSV cannot tell the two apart).
    """
    return ", ".join(
        f"cast(nullif({identifier(column.name)}, '') as {DUCKDB_TYPES[column.type]}) "
        f"as {identifier(column.name)}"
        for column in table.columns
    )
