"""Read a query's rows into pandas by way of Arrow.

DuckDB's own ``.df()`` builds each text value as a Python string and pandas then
stores it in Arrow again: for a million raw call legs 1.6 s, against 0.4 s through
an Arrow table. The frame is typed as ``.df()`` types it, so the suites see the same
values: dates as ``datetime64``, decimals as the nearest ``float64``, whole numbers
with a missing value as pandas' nullable integers, text that is all missing as
Python ``None``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb
    import pandas as pd


def read_frame(
    con: duckdb.DuckDBPyConnection, sql: str, parameters: list | None = None
) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.compute as pc

    table = con.execute(sql, parameters or []).to_arrow_table()
    columns, retyped = [], {}
    for values, field in zip(table.columns, table.schema, strict=True):
        kind, column = field.type, values
        if pa.types.is_decimal(kind):  # by its text: the nearest double, as DuckDB's
            column = pc.cast(pc.cast(values, pa.string()), pa.float64())
        elif pa.types.is_date(kind):
            column = pc.cast(values, pa.timestamp("us"))
        elif pa.types.is_integer(kind) and values.null_count:
            signed = "" if pa.types.is_signed_integer(kind) else "U"
            retyped[field.name] = f"{signed}Int{kind.bit_width}"
        elif pa.types.is_string(kind) and values.null_count == len(values):
            retyped[field.name] = "object"
        columns.append(column)
    frame = pa.table(columns, names=table.column_names).to_pandas()
    for name, dtype in retyped.items():
        frame[name] = frame[name].astype(dtype) if dtype != "object" else None
    return frame
