"""`ccw app`'s server: Streamlit's own command line, with the libraries the pages use
imported before it starts serving, so the first visitor after a start does not wait
for them (the first page's script, Streamlit's AppTest in a fresh process on two
cores: 1.6 s instead of 2.2 s; most of it is importing MetricFlow and Altair).

Usage: python -m ccw.dashboard.serve run APP_SCRIPT [streamlit options]
"""

import sys

import altair  # noqa: F401
import duckdb  # noqa: F401
import metricflow.engine.metricflow_engine  # noqa: F401
import pyarrow.compute  # noqa: F401
from streamlit.web.cli import main

if __name__ == "__main__":
    sys.exit(main(prog_name="streamlit"))
