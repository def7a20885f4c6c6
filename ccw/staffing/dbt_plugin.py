"""dbt-duckdb plugin: every connection dbt opens gets the Erlang SQL functions."""

from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection

from ccw.staffing.sql_functions import register


class Plugin(BasePlugin):
    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        register(conn)
