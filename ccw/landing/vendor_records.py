"""Split a vendor's file into JSON records, and parse them into ``_rows``.

Platforms write records in several shapes, all read here: one JSON object per line
(JSON lines), objects concatenated with nothing between them (Kinesis Data Firehose),
a JSON array of objects, or a page object holding the records in an array (a Genesys
details job: ``{"conversations": [...], "cursor": ...}``), any of them many times over
in one file. Each record is numbered from 1 in file order; a record that is not valid
JSON is cut at the next place a record can start (a line starting with ``{`` or
``}{``) and quarantined with its number, so one broken record loses nothing else.

``_rows`` then holds the contract's columns as text, taken from each record by their
JSONPath (or computed from it), like every other reader's (:mod:`ccw.landing.readers`).
Fields the contract does not read are kept in the record, not flagged: a vendor's
records carry far more than a warehouse needs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import duckdb
import pandas as pd

from ccw.contract import JSON, Table
from ccw.landing.content import FileRejectedError
from ccw.landing.readers import Parsed
from ccw.landing.sql import identifier, literal

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"\s*")
# Where a record can start after a broken one: a line starting with {, or }{.
_NEXT_RECORD = re.compile(r"\n\s*(?=[{\[])|(?<=\})(?=\{)")


@dataclass(frozen=True)
class Record:
    number: int
    text: str | None  # the record's JSON; None when it is not valid JSON
    problem: str | None = None
    raw_text: str | None = None  # what was read, for the quarantine


def split_records(text: str, page_key: str | None) -> list[Record]:
    """Every record of a file, in order."""
    records: list[Record] = []
    position = _SPACE.match(text, 0).end()
    while position < len(text):
        start = position
        try:
            value, position = _DECODER.raw_decode(text, position)
        except json.JSONDecodeError as error:
            resume = _NEXT_RECORD.search(text, start + 1)
            position = resume.end() if resume else len(text)
            line = text.count("\n", 0, start) + 1
            problem = f"not valid JSON ({error.msg}), in the record starting on line {line}"
            records.append(Record(len(records) + 1, None, problem, text[start:position].strip()))
            position = _SPACE.match(text, position).end()
            continue
        items = _items(value, page_key)
        if items is None:
            records.append(Record(len(records) + 1, text[start:position]))
        else:
            for item in items:
                records.append(Record(len(records) + 1, json.dumps(item, ensure_ascii=False)))
        position = _SPACE.match(text, position).end()
    return records


def _items(value, page_key: str | None) -> list | None:
    """The records inside a page or an array; None when ``value`` is itself a record."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict) and page_key and isinstance(value.get(page_key), list):
        return value[page_key]
    return None


def parse_vendor_records(con: duckdb.DuckDBPyConnection, table: Table, data: bytes) -> Parsed:
    """Register ``_rows`` for the records in ``data``: one row per record."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRejectedError(
            f"the file is not UTF-8 text ({error}); the platform writes UTF-8, so the copy "
            "is damaged -- deliver it again"
        ) from error
    records = split_records(text, table.page_key)
    frame = pd.DataFrame(
        {
            "_line_number": [record.number for record in records],
            "_position": [record.number - 1 for record in records],
            "_json_text": [record.text for record in records],
            "_raw_text": [record.raw_text or record.text for record in records],
            "_problem": [record.problem for record in records],
        }
    ).astype({"_json_text": "string", "_raw_text": "string", "_problem": "string"})
    con.register("_records", frame)
    fields = ", ".join(
        f"{_value_sql(column)} as {identifier(column.name)}" for column in table.columns
    )
    nested = ", ".join(
        f"""case when json_type(_doc, {literal(column.json_path)}) in ('OBJECT', 'ARRAY')
            then {{'column': {literal(column.name)},
                   'reason': 'a nested JSON value, not a scalar'}} end"""
        for column in table.columns
        if column.json_path and column.type != JSON
    )
    con.execute(
        f"""create or replace temp table _rows as
        with docs as (
            select *,
                case when _json_text is not null and json_type(_json_text::json) = 'OBJECT'
                    then _json_text::json end as _doc
            from _records
        )
        select _line_number, _position, {fields}, _raw_text,
            case
                when _problem is not null then [{{'column': null, 'reason': _problem}}]
                when _doc is null then [{{'column': null, 'reason': 'not a JSON object'}}]
                else list_filter([{nested}], lambda problem: problem is not null)
            end as _format_problems
        from docs"""
    )
    con.unregister("_records")
    return Parsed(rows_read=len(records), rejects=[])


def _value_sql(column) -> str:
    if column.sql:
        return f"cast(({column.sql}) as varchar)"
    if column.type == JSON:
        return f"cast(json_extract(_doc, {literal(column.json_path)}) as varchar)"
    return f"json_extract_string(_doc, {literal(column.json_path)})"
