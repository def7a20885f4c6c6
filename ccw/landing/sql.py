"""Small helpers to write DuckDB SQL safely from Python."""

from __future__ import annotations

import duckdb


def identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def string_list(values: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(literal(value) for value in values) + "]"


def scalar(con: duckdb.DuckDBPyConnection, query: str, parameters: list | None = None):
    """The single value a query returns, with its result fully consumed.

    DuckDB 2.0 keeps a partly fetched result open and refuses ``register`` and
    transactions until it is finished, so never stop at ``fetchone``.
    """
    return con.execute(query, parameters or []).fetchall()[0][0]
