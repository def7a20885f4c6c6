"""Do two warehouses hold the same marts? Row for row, column by column.

The proof that the dbt project means the same on every engine
(tests/models/test_spark_parity.py, docs/scale-out.md): build the marts on DuckDB and
on Spark from the same landing files, then compare every mart of one warehouse with
the other's. Rows are matched on the mart's key (its first column, unique by the
house style). Counts must be equal and every row must be on both sides; integers,
strings, dates, booleans and instants must be equal exactly, and floating-point
numbers within a relative tolerance, since two engines may add the same numbers in
a different order. `built_at` (when the row was built) is the one column skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ccw.landing.sql import identifier, literal

RELATIVE_TOLERANCE = 1e-9
SKIPPED_COLUMNS = ("built_at",)
MARTS_SCHEMA = "marts"
SAMPLE_SIZE = 3


@dataclass
class MartComparison:
    mart: str
    key: str
    rows: tuple[int, int]
    distinct_keys: tuple[int, int]
    unmatched_rows: int = 0
    # column -> (rows that differ, a few examples "key: left vs right")
    differing: dict[str, tuple[int, list[str]]] = field(default_factory=dict)
    missing_columns: list[str] = field(default_factory=list)

    @property
    def equal(self) -> bool:
        return (
            self.rows[0] == self.rows[1]
            and self.distinct_keys == self.rows
            and not self.unmatched_rows
            and not self.differing
            and not self.missing_columns
        )

    def describe(self) -> str:
        if self.equal:
            return f"{self.mart}: {self.rows[0]} rows, equal"
        parts = [f"{self.mart}: rows {self.rows[0]} vs {self.rows[1]}"]
        if self.distinct_keys != self.rows:
            parts.append(f"distinct {self.key} {self.distinct_keys[0]} vs {self.distinct_keys[1]}")
        if self.unmatched_rows:
            parts.append(f"{self.unmatched_rows} rows on one side only")
        if self.missing_columns:
            parts.append(f"columns missing on the right: {', '.join(self.missing_columns)}")
        for column, (count, examples) in self.differing.items():
            parts.append(f"{column} differs in {count} rows, e.g. {'; '.join(examples)}")
        return "; ".join(parts)


def compare_warehouses(left: Path, right: Path) -> list[MartComparison]:
    """Compare every mart of `left` with the same mart of `right` (both DuckDB files)."""
    con = duckdb.connect()
    try:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"attach {literal(str(left))} as left_side (read_only)")
        con.execute(f"attach {literal(str(right))} as right_side (read_only)")
        return [compare_mart(con, mart) for mart in _marts(con, "left_side")]
    finally:
        con.close()


def _marts(con: duckdb.DuckDBPyConnection, database: str) -> list[str]:
    rows = con.execute(
        "select table_name from duckdb_tables() where database_name = ? and schema_name = ? "
        "order by table_name",
        [database, MARTS_SCHEMA],
    ).fetchall()
    return [row[0] for row in rows]


def _columns(con: duckdb.DuckDBPyConnection, database: str, mart: str) -> list[tuple[str, str]]:
    return con.execute(
        "select column_name, data_type from duckdb_columns() "
        "where database_name = ? and schema_name = ? and table_name = ? order by column_index",
        [database, MARTS_SCHEMA, mart],
    ).fetchall()


def _differs(column: str, data_type: str) -> str:
    """SQL that is true when the two sides' values of `column` disagree."""
    a, b = f"l.{identifier(column)}", f"r.{identifier(column)}"
    if data_type in ("DOUBLE", "FLOAT", "REAL"):
        return (
            f"({a} is null) <> ({b} is null) or isnan({a}) <> isnan({b}) "
            f"or abs({a} - {b}) > {RELATIVE_TOLERANCE} * greatest(abs({a}), abs({b}))"
        )
    return f"{a} is distinct from {b}"


def compare_mart(con: duckdb.DuckDBPyConnection, mart: str) -> MartComparison:
    left = f"left_side.{MARTS_SCHEMA}.{identifier(mart)}"
    right = f"right_side.{MARTS_SCHEMA}.{identifier(mart)}"
    columns = _columns(con, "left_side", mart)
    right_columns = {name for name, _ in _columns(con, "right_side", mart)}
    key = columns[0][0]
    counts = [
        con.execute(f"select count(*), count(distinct {identifier(key)}) from {side}").fetchall()[0]
        for side in (left, right)
    ]
    comparison = MartComparison(
        mart,
        key,
        rows=(counts[0][0], counts[1][0]),
        distinct_keys=(counts[0][1], counts[1][1]),
        missing_columns=[name for name, _ in columns if name not in right_columns],
    )
    joined = f"{left} as l full join {right} as r on l.{identifier(key)} = r.{identifier(key)}"
    comparison.unmatched_rows = con.execute(
        f"select count(*) from {joined} "
        f"where l.{identifier(key)} is null or r.{identifier(key)} is null"
    ).fetchall()[0][0]
    for name, data_type in columns:
        if name in SKIPPED_COLUMNS or name in comparison.missing_columns:
            continue
        differing = f"from {joined} where {_differs(name, data_type)}"
        count = con.execute(f"select count(*) {differing}").fetchall()[0][0]
        if count:
            examples = con.execute(
                f"select concat(cast(coalesce(l.{identifier(key)}, r.{identifier(key)}) "
                f"as varchar), ': ', coalesce(cast(l.{identifier(name)} as varchar), 'null'), "
                f"' vs ', coalesce(cast(r.{identifier(name)} as varchar), 'null')) "
                f"{differing} limit {SAMPLE_SIZE}"
            ).fetchall()
            comparison.differing[name] = (count, [row[0] for row in examples])
    return comparison
