"""Parse one file with DuckDB's own readers into a temporary table of text columns.

Every format ends in the same shape, ``_rows``: one row per record, the contract's
columns as VARCHAR (typing and validation come next, in SQL), the record's physical
``_line_number`` and its ``_position`` in the record index, and ``_format_problems``
for what only the format can tell (invalid JSON, an unknown JSON field). Records
DuckDB's CSV reader rejects outright (wrong column count, invalid UTF-8, an
unterminated quote) come back as :class:`Reject`\\ s with their line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from ccw.contract import Table
from ccw.landing.content import (
    FileRejectedError,
    RecordIndex,
    csv_header,
    index_csv_records_slowly,
    index_records,
    line_starts,
)
from ccw.landing.sql import identifier, literal, scalar, string_list

REJECTS = "_reject_errors"
REJECT_SCANS = "_reject_scans"
# DuckDB's names for a record it cannot parse, in the words an operator needs.
READER_ERRORS = {
    "TOO MANY COLUMNS": "wrong column count",
    "MISSING COLUMNS": "wrong column count",
    "INVALID ENCODING": "not valid UTF-8 text",
    "UNQUOTED VALUE": "unterminated or stray quote",
    "LINE SIZE OVER MAXIMUM": "line too long",
}


@dataclass(frozen=True)
class Reject:
    line_number: int
    column: str | None
    reason: str
    raw_text: str


@dataclass(frozen=True)
class Parsed:
    rows_read: int  # records in the file: parsed rows plus rejects
    rejects: list[Reject]
    records: RecordIndex | None = None  # CSV: where to find a record's raw text ...
    data: bytes = b""  # ... in these bytes


def empty_rows(table: Table) -> str:
    """SQL of ``_rows``' shape, no rows: what every reader makes of a file."""
    columns = ", ".join(f"null::varchar as {identifier(name)}" for name in table.column_names)
    return (
        f"select null::bigint as _line_number, null::bigint as _position, {columns}, "
        "null::varchar as _raw_text, "
        '[]::struct("column" varchar, reason varchar)[] as _format_problems limit 0'
    )


def parse(
    con: duckdb.DuckDBPyConnection, table: Table, path: Path, data: bytes, file_format: str
) -> Parsed:
    readers = {"csv": _parse_csv, "jsonl": _parse_jsonl, "parquet": _parse_parquet}
    return readers[file_format](con, table, path, data)


def _check_columns(table: Table, names: list[str], where: str) -> None:
    _check_header_shape(table, names, where)
    missing = [name for name in table.column_names if name not in names]
    unknown = [name for name in names if name not in table.column_names]
    if missing:
        raise FileRejectedError(
            f"{where} lacks the contract's column(s) {', '.join(missing)}; "
            f"{table.source}/{table.name} needs {', '.join(table.column_names)}. "
            "Ask the source system for a complete export; nothing from this file was loaded."
        )
    if unknown:
        raise FileRejectedError(
            f"{where} has column(s) the contract does not know: {', '.join(unknown)}. "
            "Either the export changed (update ccw/contract.py and the docs) or the file "
            "is for another table; nothing from this file was loaded."
        )


def _check_header_shape(table: Table, names: list[str], where: str) -> None:
    """The usual ways an export's header is almost right, each said as such."""
    nothing_loaded = "; nothing from this file was loaded."
    if len(names) == 1 and len(table.column_names) > 1:
        for delimiter, called in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars")):
            if delimiter in names[0]:
                raise FileRejectedError(
                    f"{where} is separated by {called}, not commas: export it as CSV with "
                    f"commas (the contract's format){nothing_loaded}"
                )
    if "" in names:
        raise FileRejectedError(
            f"{where} has an empty column name (column {names.index('') + 1}): most often a "
            f"delimiter at the end of every line; export without it{nothing_loaded}"
        )
    wanted = {name.lower(): name for name in table.column_names}
    recased = [name for name in names if name not in wanted.values() and name.lower() in wanted]
    if recased:
        shown = ", ".join(f"{name} (should be {wanted[name.lower()]})" for name in recased[:5])
        raise FileRejectedError(
            f"{where} names columns in another case: {shown}; column names are lower case, "
            f"as in the contract{nothing_loaded}"
        )


def _reader_rejects(
    con: duckdb.DuckDBPyConnection, records: RecordIndex, data: bytes
) -> tuple[np.ndarray, list[Reject]]:
    """Map DuckDB's rejected records to positions in the record index, one per record.

    DuckDB reports where a rejected record begins (``line_byte_position``) give or take
    the line break before it, and its line counter drifts after multi-line fields, so
    the record is the first one starting at or after that byte less one, confirmed by
    the text DuckDB quotes (``csv_line``).
    """
    errors = con.execute(
        f"select line_byte_position, column_name, error_type, error_message, csv_line "
        f"from {REJECTS} order by line_byte_position"
    ).fetchall()
    by_position: dict[int, Reject] = {}
    for byte_position, column, error_type, message, csv_line in errors:
        position = _locate(records, data, int(byte_position), csv_line or "")
        if position in by_position:
            continue
        kind = READER_ERRORS.get(error_type, error_type.lower())
        by_position[position] = Reject(
            line_number=int(records.line_numbers[position]),
            column=None if column == "_json_text" else column,
            reason=f"{kind}: {message}",
            raw_text=records.text(data, position),
        )
    return np.array(sorted(by_position), dtype=np.int64), list(by_position.values())


def _locate(records: RecordIndex, data: bytes, byte_position: int, csv_line: str) -> int:
    guess = int(np.searchsorted(records.offsets, byte_position - 1, side="left"))
    quoted = csv_line.lstrip("\r\n")
    prefix = quoted[: next((i for i, c in enumerate(quoted) if not c.isascii()), 20)][:20]
    for position in (guess, guess + 1, guess - 1):
        if 0 <= position < len(records) and records.text(data, position).startswith(prefix):
            return position
    return min(max(guess, 0), len(records) - 1)


def _number_rows(
    con: duckdb.DuckDBPyConnection, records: RecordIndex, rejected: np.ndarray, parsed_rows: int
) -> None:
    """Register ``_lines``: the line and index position of each parsed row, in order."""
    good = records.without(rejected)
    if len(good) != parsed_rows:
        raise FileRejectedError(
            f"could not match the {parsed_rows} parsed rows and {len(rejected)} rejected ones "
            f"to the {len(records)} records found in the file, so no line numbers can be "
            "trusted; check the file's quoting"
        )
    positions = np.flatnonzero(np.isin(np.arange(len(records)), rejected, invert=True))
    lines = pd.DataFrame({"_line_number": good.line_numbers, "_position": positions})
    con.register("_lines", lines)


def _drop_reader_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"drop table if exists {REJECTS}")
    con.execute(f"drop table if exists {REJECT_SCANS}")


def _read_csv_sql(path: Path, columns: list[str], **options: str) -> str:
    struct = "{" + ", ".join(f"{literal(name)}: 'VARCHAR'" for name in columns) + "}"
    settings = {
        "columns": struct,
        "auto_detect": "false",
        "strict_mode": "true",
        "store_rejects": "true",
        "rejects_table": literal(REJECTS),
        "rejects_scan": literal(REJECT_SCANS),
        **options,
    }
    arguments = ", ".join(f"{key} = {value}" for key, value in settings.items())
    return f"select * from read_csv({literal(str(path))}, {arguments})"


def _parse_csv(con: duckdb.DuckDBPyConnection, table: Table, path: Path, data: bytes) -> Parsed:
    index = index_records(data, quoted=True)
    header = csv_header(data, index)
    _check_columns(table, header, "the header row")
    records = index.without(np.array([0]))
    _drop_reader_tables(con)
    reader = _read_csv_sql(
        path, header, header="true", delim="','", quote="'\"'", escape="'\"'", encoding="'utf-8'"
    )
    con.execute(f"create or replace temp table _parsed as {reader}")
    parsed_rows = scalar(con, "select count(*) from _parsed")
    rejected, rejects = _reader_rejects(con, records, data)
    if len(records) - len(rejected) != parsed_rows:
        records = index_csv_records_slowly(data, line_starts(data)).without(np.array([0]))
        rejected, rejects = _reader_rejects(con, records, data)
    _number_rows(con, records, rejected, parsed_rows)
    columns = ", ".join(f"p.{identifier(name)}" for name in table.column_names)
    con.execute(
        f"""create or replace temp table _rows as
        select l._line_number, l._position, {columns},
               null::varchar as _raw_text,
               []::struct("column" varchar, reason varchar)[] as _format_problems
        from _parsed as p positional join _lines as l"""
    )
    return Parsed(rows_read=len(records), rejects=rejects, records=records, data=data)


def _parse_jsonl(con: duckdb.DuckDBPyConnection, table: Table, path: Path, data: bytes) -> Parsed:
    records = index_records(data, quoted=False)
    _drop_reader_tables(con)
    # One VARCHAR per physical line: \x1f never appears unescaped in valid JSON.
    unit_separator = literal(chr(31))
    reader = _read_csv_sql(
        path, ["_json_text"], header="false", delim=unit_separator, quote="''", escape="''"
    )
    con.execute(f"create or replace temp table _parsed as {reader}")
    rejected, rejects = _reader_rejects(con, records, data)
    parsed_rows = scalar(con, "select count(*) from _parsed")
    _number_rows(con, records, rejected, parsed_rows)
    # Each JSON function parses the document again, so every column is extracted, and
    # typed, with one call over the list of paths (a third of the time of one call per
    # column on a day of digital events), the keys are listed once, and a repeated key
    # is looked for only in an object whose keys are not all distinct: five parses a
    # line instead of sixteen (nine days of events parsed in 2.8 s instead of 3.0).
    known = string_list(list(table.column_names))
    paths = "[" + ", ".join(literal("$." + name) for name in table.column_names) + "]"
    fields = ", ".join(
        f"d._values[{position}] as {identifier(name)}"
        for position, name in enumerate(table.column_names, start=1)
    )
    nested = ", ".join(
        f"""case when d._types[{position}] in ('OBJECT', 'ARRAY')
            then {{'column': {literal(name)}, 'reason': 'a nested JSON value, not a scalar'}} end"""
        for position, name in enumerate(table.column_names, start=1)
    )
    con.execute(
        f"""create or replace temp table _rows as
        with lines as (
            select l._line_number, l._position, p._json_text
            from _parsed as p positional join _lines as l
            where trim(coalesce(p._json_text, ''), ' \t\r') <> ''
        ),
        valid as (
            select *, json_valid(_json_text) as _valid from lines
        ),
        docs as (
            select *,
                case when _valid and json_type(_json_text) = 'OBJECT' then _json_text end
                    as _doc
            from valid
        ),
        keyed as (
            select *,
                json_extract_string(_doc, {paths}) as _values,
                json_type(_doc, {paths}) as _types,
                json_keys(_doc) as _keys
            from docs
        ),
        fields as (
            select *,
                list_filter(_keys, lambda k: not list_contains({known}, k)) as _unknown,
                case when len(_keys) > len(list_distinct(_keys))
                    then list_filter(_keys,
                        lambda k: len(list_filter(_keys, lambda j: j = k)) > 1)
                    else [] end as _repeated
            from keyed
        )
        select d._line_number, d._position, {fields}, d._json_text as _raw_text,
            case
                when not d._valid then
                    [{{'column': null, 'reason': 'not valid JSON'}}]
                when d._doc is null then [{{'column': null, 'reason': 'not a JSON object'}}]
                else list_filter(
                    [{nested}] || [
                        case when len(d._unknown) > 0
                        then {{'column': d._unknown[1],
                               'reason': 'a field the contract does not know'}} end,
                        case when len(d._repeated) > 0
                        then {{'column': d._repeated[1],
                               'reason': 'a field named twice in the object, '
                                   || 'so which value is meant is unknown'}} end
                    ],
                    lambda problem: problem is not null)
            end as _format_problems
        from fields as d"""
    )
    blank_lines = parsed_rows - scalar(con, "select count(*) from _rows")
    return Parsed(rows_read=len(records) - blank_lines, rejects=rejects)


def _parse_parquet(con: duckdb.DuckDBPyConnection, table: Table, path: Path, _: bytes) -> Parsed:
    source = f"read_parquet({literal(str(path))}, file_row_number = true)"
    names = [row[0] for row in con.execute(f"describe select * from {source}").fetchall()]
    _check_columns(table, [name for name in names if name != "file_row_number"], "the schema")
    columns = ", ".join(
        f"cast({identifier(name)} as varchar) as {identifier(name)}" for name in table.column_names
    )
    con.execute(
        f"""create or replace temp table _rows as
        select file_row_number + 1 as _line_number, file_row_number as _position, {columns},
               to_json(source_row)::varchar as _raw_text,
               []::struct("column" varchar, reason varchar)[] as _format_problems
        from {source} as source_row"""
    )
    rows = scalar(con, "select count(*) from _rows")
    return Parsed(rows_read=rows, rejects=[])
