"""The physical floor: the pipeline's own SQL in one DuckDB session, nothing around it.

Landing: each table's files read in one statement by DuckDB's readers, checked by the
landing's validation SQL (``ccw.landing.validation.check_rows``), cast to the contract's
types and ranked for ``_is_current`` in one window. Models: the SQL dbt compiled for
the full build (the manifest of that run), executed in dependency order as views and
tables. No Dagster, no dbt, no per-file transactions, manifest or quarantine, no tests
or checks: what this machine needs at least to turn the same files into the same marts.

Usage: python bench/floor_child.py LANDING DBT_TARGET_DIR FLOOR.duckdb RESULT.json
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import duckdb

from ccw.contract import TABLES, Table
from ccw.landing.currency import key_columns
from ccw.landing.files import discover
from ccw.landing.rules import RowBounds
from ccw.landing.sql import identifier, literal, scalar, string_list
from ccw.landing.validation import (
    check_rows,
    has_repeated_keys,
    mark_repeated_keys,
    typed_columns,
)
from ccw.landing.warehouse import ensure_schema
from ccw.pii import register_key
from ccw.settings import load_settings
from ccw.staffing.sql_functions import register

STARTED = time.time()
TEXT_ROWS = "_line_number, null::bigint as _position, {columns}, filename as _source_file"


def _as_text(table: Table) -> str:
    return ", ".join(f"cast({identifier(n)} as varchar) as {identifier(n)}"
                     for n in table.column_names)  # fmt: skip


def _readers(table: Table, files_by_format: dict[str, list[str]]) -> list[str]:
    struct = "{" + ", ".join(f"{literal(n)}: 'VARCHAR'" for n in table.column_names) + "}"
    selects = []
    for file_format, files in files_by_format.items():
        paths = string_list(files)
        if file_format == "csv":
            source = (
                f"read_csv({paths}, columns = {struct}, header = true, auto_detect = false, "
                "delim = ',', quote = '\"', escape = '\"', filename = true)"
            )
            first_line = 2
        elif file_format == "jsonl":
            source = (
                f"read_json({paths}, columns = {struct}, format = 'newline_delimited', "
                "filename = true)"
            )
            first_line = 1
        else:
            source = f"read_parquet({paths}, filename = true)"
            first_line = 1
        numbered = (
            f"select *, row_number() over (partition by filename) + {first_line - 1} "
            f"as _line_number from {source}"
        )
        selects.append(f"select {TEXT_ROWS.format(columns=_as_text(table))} from ({numbered})")
    return selects


def land(con: duckdb.DuckDBPyConnection, table: Table, landing: Path) -> int:
    files_by_format: dict[str, list[str]] = defaultdict(list)
    for landing_file in discover(landing, (table,)):
        if landing_file.table is table:
            files_by_format[landing_file.format or "csv"].append(str(landing_file.path))
    if not files_by_format:
        return 0
    union = " union all ".join(_readers(table, files_by_format))
    con.execute(
        f"""create or replace temp table _rows as
        select *, null::varchar as _raw_text,
            []::struct("column" varchar, reason varchar)[] as _format_problems
        from ({union})"""
    )
    file_date = "cast(regexp_extract(_source_file, '(\\d{4}-\\d{2}-\\d{2})', 1) as date)"
    con.execute(check_rows(table, RowBounds.from_settings(load_settings()), file_date))
    if scalar(con, has_repeated_keys(table, "_source_file")):
        con.execute(mark_repeated_keys(table, "_source_file"))
    keys = ", ".join(identifier(name) for name in key_columns(table))
    version = f"{identifier(table.version_column)} desc, " if table.version_column else ""
    con.execute(
        f"""insert into raw.{identifier(table.name)}
        select * exclude (_rank), _rank = 1 from (
            select {typed_columns(table)}, _source_file, _line_number, 0, now(),
                {file_date} as _file_date,
                row_number() over (
                    partition by {keys} order by {version}{file_date} desc, _line_number desc
                ) as _rank
            from _checked where len(_problems) = 0)"""
    )
    return con.execute(f"select count(*) from raw.{identifier(table.name)}").fetchone()[0]


def models_in_order(manifest: dict) -> list[dict]:
    nodes = {uid: node for uid, node in manifest["nodes"].items() if uid.startswith("model.")}
    ordered, seen = [], set()

    def visit(uid: str) -> None:
        if uid in seen or uid not in nodes:
            return
        seen.add(uid)
        for parent in nodes[uid]["depends_on"]["nodes"]:
            visit(parent)
        ordered.append(nodes[uid])

    for uid in sorted(nodes):
        visit(uid)
    return ordered


def build_models(con: duckdb.DuckDBPyConnection, target_dir: Path, windows: list) -> None:
    manifest = json.loads((target_dir / "manifest.json").read_text())
    for node in models_in_order(manifest):
        started = time.time()
        kind = "view" if node["config"]["materialized"] == "view" else "table"
        con.execute(f"create schema if not exists {node['schema']}")
        con.execute(f"create or replace {kind} {node['relation_name']} as {node['compiled_code']}")
        windows.append({"part": node["unique_id"], "start": started, "end": time.time()})


def mart_rows(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows of every mart: the floor must build what the pipeline builds (the
    pipeline's record of the settings it built with is not a mart)."""
    tables = con.execute(
        "select table_name from duckdb_tables() where schema_name = 'marts' "
        "and table_name <> 'build_settings' order by 1"
    ).fetchall()
    return {name: con.execute(f"select count(*) from marts.{identifier(name)}").fetchone()[0]
            for (name,) in tables}  # fmt: skip


def main(landing: Path, target_dir: Path, database: Path, result_path: Path) -> None:
    windows: list[dict[str, object]] = []
    database.unlink(missing_ok=True)
    con = duckdb.connect(str(database))
    con.execute("set TimeZone = 'UTC'")
    register(con)
    register_key(con)
    ensure_schema(con)
    rows = {}
    for table in TABLES:
        started = time.time()
        rows[table.name] = land(con, table, landing)
        windows.append({"part": f"land.{table.name}", "start": started, "end": time.time()})
    con.execute("checkpoint")
    build_models(con, target_dir, windows)
    con.execute("checkpoint")
    marts = mart_rows(con)
    con.close()
    result = {"process_start": STARTED, "rows": rows, "marts": marts, "windows": windows,
              "process_end": time.time()}  # fmt: skip
    result_path.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
