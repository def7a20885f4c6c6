"""dbt on a local Spark: the project's SQL functions on every session dbt opens.

dbt-spark's `session` method runs Spark inside the dbt process and asks pyspark for
its session before every statement. On DuckDB, the Erlang functions
(`ccw/staffing/sql_functions.py`) are registered by a dbt-duckdb plugin; dbt-spark has
no plugins, so `ccw-dbt` (this module's `main`, the dbt that `--engine spark` runs)
registers them as Python UDFs on the session pyspark returns, then runs dbt's own
command line unchanged. A cluster reached through `thrift` or `http` needs them
installed there instead (docs/scale-out.md).
"""

from __future__ import annotations

import os
import sys

ERLANG_C = "ccw_required_agents_erlang_c"
ERLANG_A = "ccw_required_agents_erlang_a"


def register_functions(session) -> None:
    """Add `ccw_required_agents_erlang_c/_a` and `ccw_pii_hmac` to a Spark session."""
    from pyspark.sql.types import IntegerType, StringType

    from ccw.pii import FUNCTION as PII_FUNCTION
    from ccw.pii import hmac_hex, load_key
    from ccw.staffing.sql_functions import (
        required_agents_erlang_a_or_null,
        required_agents_erlang_c_or_null,
    )

    session.udf.register(ERLANG_C, required_agents_erlang_c_or_null, IntegerType())
    session.udf.register(ERLANG_A, required_agents_erlang_a_or_null, IntegerType())
    # The keyed hash of personal data, with the center's key (ccw/pii.py): the key is
    # captured by the function, never written into SQL.
    key = load_key()
    session.udf.register(PII_FUNCTION, lambda value: hmac_hex(key, value), StringType())


def install_function_hook() -> None:
    """Register the functions on each new session pyspark's builder returns."""
    from pyspark.sql import SparkSession

    builder = SparkSession.Builder
    if getattr(builder.getOrCreate, "_ccw_hook", False):
        return
    original = builder.getOrCreate
    registered: set[int] = set()

    def get_or_create(self):
        session = original(self)
        if id(session) not in registered:
            register_functions(session)
            registered.add(id(session))
        return session

    get_or_create._ccw_hook = True
    builder.getOrCreate = get_or_create


def _target(arguments: list[str]) -> str | None:
    for index, argument in enumerate(arguments):
        if argument == "--target" and index + 1 < len(arguments):
            return arguments[index + 1]
        if argument.startswith("--target="):
            return argument.split("=", 1)[1]
    return None


def parse_once_for_every_warehouse() -> None:
    """Leave the warehouse's path out of what dbt compares to reuse its last parse.

    dbt parses the whole project again (6 to 10 s here) when the profile's connection
    details differ from those of its last parse, and the DuckDB file's path is one of
    them: every new warehouse (each test's, each benchmark's, a center's first run)
    paid a full parse, though the install had just parsed the same project. The path
    says where a run writes, not what the project means (no model reads it), so
    `ccw-dbt` compares the other details only. Other settings (`--vars`) still count."""
    from dbt.adapters.duckdb.credentials import DuckDBCredentials

    keys = DuckDBCredentials._connection_keys
    if getattr(keys, "_ccw_without_path", False):
        return

    def without_path(self) -> tuple[str, ...]:
        return tuple(key for key in keys(self) if key != "path")

    without_path._ccw_without_path = True
    DuckDBCredentials._connection_keys = without_path


def main() -> None:
    """`ccw-dbt`: dbt's command line, the dbt every run starts (and the install's
    parse). It stops if the run that started it dies (:mod:`ccw.child_process`); it
    reuses one parse for every warehouse (:func:`parse_once_for_every_warehouse`); on
    the `spark` target it adds the project's functions to Spark sessions (pyspark is
    imported only then)."""
    from ccw.child_process import stop_with_parent

    stop_with_parent()
    parse_once_for_every_warehouse()
    from dbt.cli.main import cli

    if _target(sys.argv[1:]) == "spark":
        # Spark runs Python UDFs in worker processes: the same Python, with this project.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        install_function_hook()
    sys.exit(cli())
