"""The settings the marts were built with, kept beside them as ``marts.build_settings``.

The dbt step writes them after a successful build, so they travel with the marts
into the published snapshot: the app's definitions and captions, and analysts, read
the settings that made the numbers, never the settings file's current content. The
next run compares against them: a change that alters past numbers (a threshold, a
treatment, a window, the interval, a cost) rebuilds the marts from all history.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from ccw.settings import Settings

TABLE = "marts.build_settings"


def stored_build_settings(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Setting name → value (JSON) of the last build; empty before the first."""
    exists = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'marts' and table_name = 'build_settings'"
    ).fetchone()[0]
    if not exists:
        return {}
    return dict(con.execute(f"select setting_name, setting_value from {TABLE}").fetchall())


def record_build_settings(
    con: duckdb.DuckDBPyConnection, settings: Settings, built_at: datetime
) -> None:
    """Replace ``marts.build_settings`` with ``settings``, in one transaction."""
    con.execute("create schema if not exists marts")
    con.execute("begin")
    con.execute(
        f"""create or replace table {TABLE} (
            setting_name VARCHAR NOT NULL PRIMARY KEY,
            setting_value VARCHAR NOT NULL,
            set_in VARCHAR NOT NULL,
            built_at TIMESTAMPTZ NOT NULL
        )"""
    )
    con.executemany(
        f"insert into {TABLE} values (?, ?, ?, ?)",
        [
            (name, value, settings.origins.get(name, "default"), built_at)
            for name, value in settings.as_rows(kept_with_marts=True)
        ],
    )
    con.execute("commit")
    # On disk now: the next step, or a copy of the file, must not need the log.
    con.execute("checkpoint")
