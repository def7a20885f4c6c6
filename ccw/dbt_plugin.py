"""dbt-duckdb plugin: every connection dbt opens gets the project's SQL functions (Erlang
C and A, ccw/staffing/) and the center's key for personal data (ccw/pii.py)."""

from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection

from ccw.pii import register_key
from ccw.staffing.sql_functions import register


class Plugin(BasePlugin):
    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        register(conn)
        register_key(conn)
