"""Check every parsed value and row against the contract, in SQL, and say what is wrong.

From ``_rows`` (the reader's text columns) to ``_checked``, in four steps:

1. **Clean** the text: NUL characters go, spaces around codes and keys go (``'billing '``
   would otherwise become a queue of its own), and a leap second (``23:59:60``, valid
   ISO-8601) reads as ``23:59:59.999999``. Each change is listed in ``_changes``.
2. **Type** each column (``_typed_<name>``) and list the values that are missing, not
   of their type, outside an enum or off a scale.
3. **Apply the row rules** of :mod:`ccw.landing.rules` to the typed values: time order
   (with the clock-skew tolerance, ``_corrections``), durations, cross-field rules,
   dates far beyond the file's business day.
4. **Find keys delivered twice in the file**: an exact copy of an earlier line is
   quarantined as such; versions that differ are all quarantined, since nothing says
   which is right.

A row with any problem is quarantined with all of them (``_problems``); the first
names the column. The valid rows are inserted with :func:`typed_columns`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ccw.contract import DATE, DECIMAL, DUCKDB_TYPES, INTEGER, TIMESTAMP, Column, Table
from ccw.landing.rules import (
    RowBounds,
    RowRule,
    earlier_times,
    row_rules,
    time_order_corrections,
    typed,
)
from ccw.landing.sql import identifier, literal

# ISO-8601 with an offset (Z, +hh, +hh:mm or +hhmm); DuckDB casts the rest of the form.
_OFFSET = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)$"
# An offset no zone has: over 14 hours, or 60 minutes or more.
_IMPOSSIBLE_OFFSET = r"[+-](1[5-9]|[2-9]\d)(:?\d{2})?$|[+-]\d{2}:?[6-9]\d$"
_LEAP_SECOND = r"^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}):60(\.\d+)?"

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
_SPACES = literal(" \t")


@dataclass(frozen=True)
class Problem:
    """What is wrong with a value when ``condition`` holds: a column and a reason."""

    condition: str
    value: str  # SQL of the {'column', 'reason'} struct

    def __str__(self) -> str:
        return f"case when {self.condition} then {self.value} end"


def _problem(column: str, condition: str, reason_sql: str) -> Problem:
    return Problem(f"({condition})", f"{{'column': {literal(column)}, 'reason': {reason_sql}}}")


def _problem_list(problems: list[Problem]) -> str:
    """The list of the problems that hold. Built only for a row where one holds: most
    rows have none, and building the list of structs is what costs."""
    if not problems:
        return '[]::struct("column" varchar, reason varchar)[]'
    any_holds = " or ".join(problem.condition for problem in problems)
    items = ", ".join(str(problem) for problem in problems)
    return (
        f"case when coalesce({any_holds}, false) then "
        f"list_filter([{items}], lambda problem: problem is not null) "
        'else []::struct("column" varchar, reason varchar)[] end'
    )


@dataclass(frozen=True)
class Cleaning:
    """Which cleaning a file can need, from a look at its bytes: most files need none,
    and each kind costs a string function on every value."""

    nul: bool = True
    spaces: bool = True
    leap_seconds: bool = True

    @classmethod
    def for_bytes(cls, data: bytes, file_format: str = "csv") -> Cleaning:
        return cls(
            nul=b"\x00" in data,
            spaces=has_spaced_value(data, "jsonl" if file_format == "jsonl" else "csv"),
            leap_seconds=b":60" in data,
        )

    def combined(self, other: Cleaning) -> Cleaning:
        """What files needing either cleaning need, checked together (a cleaning a
        value does not need leaves it as it is)."""
        return Cleaning(
            nul=self.nul or other.nul,
            spaces=self.spaces or other.spaces,
            leap_seconds=self.leap_seconds or other.leap_seconds,
        )


NO_CLEANING = Cleaning(nul=False, spaces=False, leap_seconds=False)


# A value that may start or end with a space or tab. In CSV: next to a delimiter, a
# quote or a line end. In JSON: inside the quotes of a value (after `:`, or before the
# `,` or `}` that ends it); a number's spaces are JSON's own. The pattern reads a day of
# calls at 60 MB/s (a quarter of a large center's landing time), so it reads only a
# file with a space or tab in it (most exports have none: found at memory speed) that
# holds one of the two-byte pairs every match has (in CSV, or a tab, or a space or tab
# first).
_SPACED_VALUE = {
    "csv": (
        re.compile(rb'[,"\n\t][ \t]|[ \t][,"\r\n]|^[ \t]|\t'),
        (b"\t", b", ", b'" ', b"\n ", b" ,", b' "', b" \r", b" \n"),
    ),
    "jsonl": (re.compile(rb':\s*"[ \t]|[ \t]"\s*[,}]'), (b'" ', b'"\t', b' "', b'\t"')),
}


def has_spaced_value(data: bytes, file_format: str) -> bool:
    """Whether a value in ``data`` (``csv`` or ``jsonl``) may have spaces around it."""
    if b" " not in data and b"\t" not in data:
        return False
    pattern, pairs = _SPACED_VALUE[file_format]
    maybe = data.startswith((b" ", b"\t")) or any(pair in data for pair in pairs)
    return maybe and pattern.search(data) is not None


def _cleaned(column: Column, cleaning: Cleaning) -> tuple[str, list[Problem]]:
    """The cleaned text of a column, and the changes cleaning it can make."""
    value = identifier(column.name)
    text, changes = value, []
    if cleaning.nul:
        text = f"replace({value}, chr(0), '')"
        changes.append(
            _problem(column.name, f"contains({value}, chr(0))", "'NUL character removed'")
        )
    if not column.pii and cleaning.spaces:
        changes.append(
            _problem(
                column.name,
                f"{text} <> trim({text}, {_SPACES})",
                "'spaces around the value removed'",
            )
        )
        text = f"trim({text}, {_SPACES})"
    if column.type == TIMESTAMP and cleaning.leap_seconds:
        leap = f"contains({text}, ':60') and regexp_matches({text}, {literal(_LEAP_SECOND)})"
        changes.append(_problem(column.name, leap, "'leap second :60 read as :59.999999'"))
        text = (
            f"case when {leap} then "
            f"regexp_replace({text}, {literal(_LEAP_SECOND)}, '\\1:59.999999') else {text} end"
        )
    return text, changes


def column_problems(table: Table, column: Column) -> list[Problem]:
    value = identifier(column.name)
    present = f"coalesce({value}, '') <> ''"
    shown = f"'''' || {value} || ''''"
    name = column.name
    problems = []
    if not column.nullable:
        what = "missing key" if column.name in table.key else "missing value (required)"
        problems.append(_problem(name, f"not ({present})", literal(what)))
    if column.type in _TYPE_CHECKS:
        _, pattern, what = _TYPE_CHECKS[column.type]
        shape = f" or not regexp_matches({value}, {literal(pattern)})" if pattern else ""
        problems.append(
            _problem(
                name,
                f"{present} and ({typed(name)} is null{shape})",
                f"{shown} || {literal(' is ' + what)}",
            )
        )
    if column.type == DECIMAL:
        problems.append(
            _problem(
                name,
                f"{present} and regexp_matches({value}, {literal(_MORE_THAN_TWO_DECIMALS)})",
                f"{shown} || ' has more than two decimal places'",
            )
        )
    if column.type == TIMESTAMP:
        parsed = f"{typed(name)} is not null"
        problems.append(
            _problem(
                name,
                f"{parsed} and not regexp_matches({value}, {literal(_OFFSET)})",
                f"{shown} || ' has no UTC offset (the contract needs e.g. -05:00)'",
            )
        )
        problems.append(
            _problem(
                name,
                f"{parsed} and regexp_matches({value}, {literal(_IMPOSSIBLE_OFFSET)})",
                f"{shown} || ' has an impossible UTC offset (zones lie within -12:00 to +14:00)'",
            )
        )
    if column.enum:
        allowed = ", ".join(literal(option) for option in column.enum)
        problems.append(
            _problem(
                name,
                f"{present} and {value} not in ({allowed})",
                f"{shown} || {literal(' is not one of ' + ', '.join(column.enum))}",
            )
        )
    if column.value_range:
        low, high = column.value_range
        problems.append(
            _problem(
                name,
                f"try_cast({value} as bigint) not between {low} and {high}",
                f"{shown} || {literal(f' is outside the scale {low}-{high}')}",
            )
        )
    return problems


def _typed_value(column: Column) -> str:
    """The column's cleaned text cast to its type; NULL when empty or not castable."""
    return (
        f"try_cast(nullif({identifier(column.name)}, '') as {DUCKDB_TYPES[column.type]}) "
        f"as {typed(column.name)}"
    )


def _duplicate_key_measures(table: Table, file_column: str | None) -> tuple[str, str]:
    """What finds keys delivered more than once in the file: the row's content hash,
    then per key (over the rows without other problems) how many rows, whether
    their content differs, and their first and last lines."""
    keys = ", ".join([typed(name) for name in table.key] + ([file_column] if file_column else []))
    content = f"hash({', '.join(typed(name) for name in table.column_names)}) as _content"
    valid = "filter (where len(_problems) = 0)"
    window = f"over (partition by {keys})"
    measures = f"""count(*) {valid} {window} as _key_rows,
        min(_content) {valid} {window} <> max(_content) {valid} {window} as _key_conflicts,
        min(_line_number) {valid} {window} as _key_first_line,
        max(_line_number) {valid} {window} as _key_last_line"""
    return content, measures


def _duplicate_key_problems(table: Table) -> str:
    """An exact copy names the line it copies; versions that differ are all held back."""
    shown_key = " || ', ' || ".join(
        f"{literal(name + '=')} || coalesce(cast({typed(name)} as varchar), '')"
        for name in table.key
    )
    first = literal(table.key[0])
    return f"""case
        when len(_problems) > 0 or _key_rows < 2 then _problems
        when _key_conflicts then [{{'column': {first}, 'reason':
            'the key ' || {shown_key} || ' is in this file ' || _key_rows
            || ' times with different values (lines ' || _key_first_line || ' to '
            || _key_last_line || '); all versions held back: ask for a corrected file'}}]
        when _line_number > _key_first_line then [{{'column': {first}, 'reason':
            'an exact copy of line ' || _key_first_line || ' (same key, same values)'}}]
        else _problems
    end"""


def _rule_problem(rule: RowRule) -> Problem:
    reason = rule.reason_sql or literal(rule.reason)
    if rule.show_value:
        shown = f"coalesce({identifier(rule.column)}, '')"
        reason = f"'''' || {shown} || ''' ' || {reason}"
    return _problem(rule.column, rule.broken_when, reason)


def check_rows(
    table: Table,
    bounds: RowBounds,
    file_date_sql: str,
    cleaning: Cleaning | None = None,
    rows: str = "_rows",
) -> str:
    """SQL that turns ``rows`` (the readers' shape, other columns carried along) into
    ``_checked``: cleaned text, ``_typed_`` columns, ``_problems``, ``_changes`` and
    ``_corrections``. ``file_date_sql`` is the business day in the file's name (an
    expression on the rows). Keys given twice are found after
    (:func:`mark_repeated_keys`)."""
    cleaning = cleaning or Cleaning()
    cleaned = {column.name: _cleaned(column, cleaning) for column in table.columns}
    replace = ", ".join(f"{text} as {identifier(name)}" for name, (text, _) in cleaned.items())
    changes = [change for _, column_changes in cleaned.values() for change in column_changes]
    value_problems = [p for column in table.columns for p in column_problems(table, column)]
    rules = [_rule_problem(rule) for rule in row_rules(table, bounds)]
    corrections = [
        _problem(fix.column, fix.changed_when, literal(fix.reason))
        for fix in time_order_corrections(table, bounds)
    ]
    return f"""create or replace temp table _checked as
        with cleaned as (
            select * replace ({replace}),
                {_problem_list(changes)} as _changes,
                {file_date_sql} as _file_date
            from {rows}
        ),
        typed as (
            select *, {", ".join(_typed_value(column) for column in table.columns)}
            from cleaned
        ),
        judged as (
            select * exclude (_format_problems),
                case when len(_format_problems) > 0 and _format_problems[1]."column" is null
                    then _format_problems  -- the record has no values to check
                    else _format_problems || {_problem_list(value_problems)}
                end as _value_problems,
                {_problem_list(rules)} as _rule_problems,
                {_problem_list(corrections)} as _corrections
            from typed
        ),
        select * exclude (_value_problems, _rule_problems),
            case when len(_value_problems) > 0 then _value_problems else _rule_problems
            end as _problems
        from judged"""


def has_repeated_keys(table: Table, file_column: str | None = None) -> str:
    """SQL: whether a key is in ``_checked`` more than once (per file), among the rows
    without other problems. Almost never, so the costlier pass below runs only then."""
    keys = ", ".join([typed(name) for name in table.key] + ([file_column] if file_column else []))
    return f"""select count(*) > 0 from (
        select 1 from _checked where len(_problems) = 0
        group by {keys} having count(*) > 1)"""


def mark_repeated_keys(table: Table, file_column: str | None = None) -> str:
    """SQL that rewrites ``_checked`` with a problem on every repeated key's rows."""
    content, key_measures = _duplicate_key_measures(table, file_column)
    return f"""create or replace temp table _checked as
        with keyed as (
            select *, {key_measures} from (select *, {content} from _checked)
        )
        select * exclude (_problems, _content, _key_rows, _key_conflicts, _key_first_line,
                          _key_last_line),
            {_duplicate_key_problems(table)} as _problems
        from keyed"""


def typed_columns(table: Table) -> str:
    """The select list of the contract's columns, typed, from ``_checked``.

    An empty value is NULL in every format (CSV cannot tell the two apart). A time a
    little before the one it must follow (within the clock-skew tolerance: the rows
    beyond it are quarantined) is raised to it.
    """
    selected = []
    for column in table.columns:
        earlier = earlier_times(table, column.name)
        value = typed(column.name)
        if earlier:
            value = (
                f"case when {value} is null then null "
                f"else greatest({value}, {', '.join(typed(name) for name in earlier)}) end"
            )
        selected.append(f"{value} as {identifier(column.name)}")
    return ", ".join(selected)
