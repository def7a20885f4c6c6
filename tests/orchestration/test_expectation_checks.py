"""The suites as Dagster checks: a blocking failure stops what is built on the data.

- A raw contract rule broken in a delivered file stops dbt before it starts.
- A mart that is built but implausible is not published: the app and analysts keep
  the last good snapshot, and ``ccw run`` exits non-zero saying which expectation
  failed and where the Data Docs are.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import dagster as dg
from click.testing import CliRunner

from ccw.cli import main
from ccw.landing.warehouse import open_warehouse
from ccw.publish import published_path
from orchestration.assets.dbt import ccw_dbt_models
from orchestration.assets.publish import published_marts
from orchestration.assets.raw import RAW_ASSETS
from orchestration.checks.expectations import EXPECTATION_CHECKS
from orchestration.checks.landing import LANDING_CHECKS
from orchestration.dbt_project import DBT_EXECUTABLE, ccw_dbt_resource
from orchestration.resources import WarehouseResource
from tests.warehouse_support import land_all, query


def _rewrite_csv(path: Path, change) -> None:
    """Apply ``change(row)`` to the rows of a delivered CSV file, as its system would."""
    with path.open(newline="") as file:
        rows = list(csv.DictReader(file))
    fields = list(rows[0])
    rows = [change(row) for row in rows]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue())


def test_a_broken_contract_rule_in_a_raw_table_stops_dbt_before_it_starts(
    landing: Path, warehouse: Path
):
    # The loader quarantines a delivered row that breaks a rule (tests/landing/), so a
    # raw table breaks one only by a hand edit or a loader bug: the suite guards that.
    land_all(landing, warehouse)
    with open_warehouse(warehouse) as con:
        con.execute(
            """update raw.calls set agent_id = null
            where rowid = (select min(rowid) from raw.calls
                           where answered_at is not null
                             and _source_file = 'telephony/calls_2026-03-04.csv')"""
        )
    result = dg.materialize(
        [
            *RAW_ASSETS,
            ccw_dbt_models,
            published_marts,
            *LANDING_CHECKS,
            *EXPECTATION_CHECKS,
        ],
        resources={
            "warehouse": WarehouseResource(
                landing_dir=str(landing), warehouse_path=str(warehouse), echo_dbt_log=False
            ),
            "dbt": ccw_dbt_resource(DBT_EXECUTABLE),
        },
        raise_on_error=False,
    )
    assert not result.success
    failed = [e for e in result.get_asset_check_evaluations() if not e.passed]
    assert [(e.asset_key.to_user_string(), e.check_name) for e in failed] == [
        ("raw/calls", "raw_calls_rules")
    ]
    (failure,) = failed
    assert failure.severity == dg.AssetCheckSeverity.ERROR
    listed = failure.metadata["failed_expectations_list"].value
    assert "expect_column_values_to_not_be_null(agent_id) where answered_at is not null" in listed
    assert "_source_file=telephony/calls_2026-03-04.csv _line_number=" in listed
    built = {event.asset_key.path[0] for event in result.get_asset_materialization_events()}
    assert built == {"raw"}  # no model, no mart, nothing published
    assert not published_path(warehouse).exists()
    assert query(
        warehouse,
        "select count(*) from duckdb_tables() where schema_name <> 'raw' "
        "and schema_name <> 'ingest'",
    ) == [(0,)]


def test_an_implausible_mart_is_not_published_and_the_run_says_why(built, landing, tmp_path):
    folder = Path(shutil.copytree(built.parent, tmp_path / "warehouse"))
    warehouse = folder / built.name
    snapshot = published_path(warehouse)
    before = query(snapshot, "select run_id, published_at from main.refresh")

    def in_cents(row: dict) -> dict:  # HR re-sends every roster with costs in cents
        row["hourly_cost"] = f"{float(row['hourly_cost']) * 100:.2f}"
        return row

    for roster in sorted((landing / "hr").glob("agents_*.csv")):
        _rewrite_csv(roster, in_cents)
    result = CliRunner().invoke(
        main, ["run", "--landing", str(landing), "--warehouse", str(warehouse)]
    )
    assert result.exit_code == 1, result.output
    output = " ".join(result.output.split())
    assert "Check failed: marts/fct_cost_loyalty mart_fct_cost_loyalty" in output
    assert "expect_column_values_to_be_between(cost_per_contact) [critical]" in output
    assert "The marts were not published" in output
    assert f"Data quality of this run: {folder / 'data-docs' / 'latest-run.html'}" in output
    page = (folder / "data-docs" / "latest-run.html").read_text()
    assert '<tr class="failed"><td><a href="validations/mart_fct_cost_loyalty/' in page
    # The Data Docs index, built when the run ended, lists this run's failed suite too.
    run = re.search(r"Run (\w{8}) finished", result.output).group(1)
    index = (folder / "data-docs" / "index.html").read_text()
    assert f"'_table_row_link_path': 'validations/mart_fct_cost_loyalty/{run}" in index
    assert query(snapshot, "select run_id, published_at from main.refresh") == before
    cost = query(snapshot, "select max(cost_per_contact) from marts.fct_cost_loyalty")[0][0]
    assert cost < 150  # readers still see the last good numbers
