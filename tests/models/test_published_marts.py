"""The published snapshot: what the app and analysts open while the pipeline writes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pytest

from ccw.landing.warehouse import open_warehouse
from ccw.pii import hmac_hex, key_path, load_key
from ccw.publish import SnapshotShrinkError, last_published_at, publish_marts, published_path
from orchestration.dbt_project import ccw_dbt_project
from tests.warehouse_support import copy_warehouse, query


def test_the_main_job_publishes_every_mart_and_nothing_else(built):
    snapshot = published_path(built)
    assert snapshot == built.parent / "published" / "ccw.duckdb"
    marts = query(
        built,
        "select table_name, estimated_size from duckdb_tables() where schema_name = 'marts'",
    )
    with duckdb.connect(str(snapshot), read_only=True) as con:
        schemas = {
            schema
            for (schema,) in con.execute("select schema_name from duckdb_tables()").fetchall()
        }
        # No raw or staging data, so no personal data; what landed, without raw text.
        assert schemas == {"marts", "main", "ingest"}
        landing_records = con.execute(
            "select table_name, list(column_name) from duckdb_columns() "
            "where schema_name = 'ingest' group by all order by all"
        ).fetchall()
        assert [name for name, _ in landing_records] == ["corrections", "manifest", "quarantine"]
        assert all("raw_text" not in columns for _, columns in landing_records)
        assert con.execute("select count(*) from ingest.manifest").fetchall() == query(
            built, "select count(*) from ingest.manifest"
        )
        for table, _ in marts:
            (published,) = con.execute(f"select count(*) from marts.{table}").fetchall()[0]
            assert [(published,)] == query(built, f"select count(*) from marts.{table}"), table
        assert con.execute("select count(*) from main.refresh").fetchall() == [(1,)]
    assert {table for table, _ in marts} >= {"fct_call_legs", "fct_interval_service"}


def test_readers_and_the_pipeline_never_block_each_other(built, tmp_path):
    warehouse = copy_warehouse(built, tmp_path / "warehouse")
    snapshot = tmp_path / "published" / "ccw.duckdb"
    with open_warehouse(warehouse) as writer:
        first = publish_marts(writer, snapshot, run_id="first")
    reader = duckdb.connect(str(snapshot), read_only=True)
    try:
        # The pipeline holds the warehouse and republishes while a reader is open.
        with open_warehouse(warehouse) as writer:
            assert reader.execute("select run_id from main.refresh").fetchall() == [("first",)]
            second = publish_marts(writer, snapshot, run_id="second")
        # The open reader keeps its snapshot; a new connection gets the new one.
        assert reader.execute("select run_id from main.refresh").fetchall() == [("first",)]
        assert reader.execute("select count(*) from marts.fct_calls").fetchall()[0][0] > 0
    finally:
        reader.close()
    assert last_published_at(snapshot) == second.published_at > first.published_at
    assert sorted(path.name for path in snapshot.parent.iterdir()) == ["ccw.duckdb"]


def test_every_query_in_the_analysts_guide_runs_on_the_published_marts(built):
    guide = (Path(__file__).parents[2] / "docs" / "analysts.md").read_text()
    queries = re.findall(r"```sql\n(.*?)```", guide, flags=re.DOTALL)
    assert len(queries) >= 4
    with duckdb.connect(str(published_path(built)), read_only=True) as con:
        for sql in queries:
            assert con.execute(sql).fetchall() is not None


def test_no_personal_data_reaches_the_published_marts(built):
    clear = {
        value
        for (value,) in query(
            built,
            "select ani from raw.calls union select email from raw.customers "
            "union select phone from raw.customers union select full_name from raw.agents "
            "union select comment from raw.responses",
        )
        if value
    }
    with duckdb.connect(str(published_path(built)), read_only=True) as con:
        columns = con.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'marts' and data_type = 'VARCHAR'"
        ).fetchall()
        assert len(columns) > 20
        for table, column in columns:
            rows = con.execute(f'select distinct "{column}" from marts.{table}').fetchall()
            values = {value for (value,) in rows}
            assert not values & clear, f"{table}.{column} holds personal data"


def test_a_republish_replaces_only_the_rebuilt_days_of_incremental_marts(built, tmp_path):
    snapshot = tmp_path / "published" / "ccw.duckdb"
    keys = {"fct_calls": "started_local_date", "fct_call_legs": "contact_local_date"}
    with open_warehouse(copy_warehouse(built, tmp_path / "warehouse")) as writer:
        first = publish_marts(writer, snapshot, run_id="first", rebuilt_by_day=keys)
        second = publish_marts(writer, snapshot, run_id="second", rebuilt_by_day=keys)
    assert first.updated_in_place == ()  # nothing to start from: copied whole
    assert second.updated_in_place == ("fct_call_legs", "fct_calls")
    assert second.rows_by_table == first.rows_by_table
    with duckdb.connect(str(snapshot), read_only=True) as con:
        for table in keys:
            published = con.execute(f"select * from marts.{table} order by all").fetchall()
            assert published == query(built, f"select * from marts.{table} order by all")


def test_a_snapshot_of_another_warehouse_is_replaced_whole(built, sample_marts, tmp_path):
    snapshot = tmp_path / "published" / "ccw.duckdb"
    keys = {"fct_calls": "started_local_date"}
    with open_warehouse(copy_warehouse(sample_marts, tmp_path / "other")) as other:
        publish_marts(other, snapshot, rebuilt_by_day=keys)
    with open_warehouse(copy_warehouse(built, tmp_path / "warehouse")) as writer:
        report = publish_marts(writer, snapshot, rebuilt_by_day=keys)
    assert report.updated_in_place == ()
    assert (
        report.rows_by_table["fct_calls"]
        == query(built, "select count(*) from marts.fct_calls")[0][0]
    )


def test_a_republish_carries_a_rebuilt_day_into_the_snapshot(built, tmp_path):
    warehouse = copy_warehouse(built, tmp_path / "warehouse")
    snapshot = tmp_path / "published" / "ccw.duckdb"
    keys = {"fct_calls": "started_local_date"}
    with open_warehouse(warehouse) as writer:
        publish_marts(writer, snapshot, rebuilt_by_day=keys)
        # What a nightly run does to its last day: delete it and insert it again, newer.
        writer.execute(
            "create temp table last_day as select * replace (call_cost + 1 as call_cost, "
            "now() as built_at) from marts.fct_calls "
            "where started_local_date = (select max(started_local_date) from marts.fct_calls)"
        )
        writer.execute(
            "delete from marts.fct_calls where started_local_date = "
            "(select max(started_local_date) from last_day)"
        )
        writer.execute("insert into marts.fct_calls select * from last_day")
        report = publish_marts(writer, snapshot, rebuilt_by_day=keys)
    assert report.updated_in_place == ("fct_calls",)
    expected = query(warehouse, "select * from marts.fct_calls order by all")
    with duckdb.connect(str(snapshot), read_only=True) as con:
        assert con.execute("select * from marts.fct_calls order by all").fetchall() == expected
    assert expected != query(built, "select * from marts.fct_calls order by all")


def test_a_cut_short_snapshot_and_a_killed_publish_leave_nothing_behind(built, tmp_path):
    warehouse = copy_warehouse(built, tmp_path / "warehouse")
    snapshot = tmp_path / "published" / "ccw.duckdb"
    with open_warehouse(warehouse) as writer:
        publish_marts(writer, snapshot, run_id="first")
    data = snapshot.read_bytes()
    snapshot.write_bytes(data[: len(data) // 2])  # a disk that filled up, a bad copy
    leftover = snapshot.with_name(".ccw.duckdb.4242.tmp")  # a publish killed half-way
    leftover.write_bytes(data)
    with open_warehouse(warehouse) as writer:
        report = publish_marts(writer, snapshot, run_id="second")
    assert report.replaced_unreadable
    assert query(snapshot, "select run_id from main.refresh") == [("second",)]
    assert query(snapshot, "select count(*) from marts.fct_calls") == query(
        warehouse, "select count(*) from marts.fct_calls"
    )
    assert sorted(path.name for path in snapshot.parent.iterdir()) == ["ccw.duckdb"]


def test_personal_data_is_hashed_with_the_centers_key_which_no_file_shows(built):
    key = load_key()
    for path in (key_path(), built, published_path(built)):  # owner only
        assert path.stat().st_mode & 0o077 == 0, path
    ani, caller_hash = query(
        built,
        "select raw.ani, legs.caller_hash from marts.fct_call_legs as legs "
        "join raw.calls as raw on raw.call_id = legs.call_id and raw.leg = legs.leg_number "
        "where raw.ani is not null limit 1",
    )[0]
    assert caller_hash == hmac_hex(key, ani)
    secrets = {key.hex(), key.hex().upper()}
    views = " ".join(sql for (sql,) in query(built, "select sql from duckdb_views()"))
    assert "ccw_pii_hmac(" in views and not any(secret in views for secret in secrets)
    target = Path(__file__).parents[2] / "target"
    for path in target.rglob("*"):
        if path.is_file() and path.suffix in (".sql", ".log", ".json"):
            text = path.read_text(errors="replace")
            assert not any(secret in text for secret in secrets), path


def test_a_rebuild_with_less_history_is_not_published_over_more_unless_allowed(built, tmp_path):
    warehouse = copy_warehouse(built, tmp_path / "warehouse")
    snapshot = tmp_path / "published" / "ccw.duckdb"
    with open_warehouse(warehouse) as writer:
        publish_marts(writer, snapshot, run_id="full history")
        # As if rebuilt from a landing folder that lost its first day.
        writer.execute(
            "delete from marts.fct_calls "
            "where started_local_date = (select min(started_local_date) from marts.fct_calls)"
        )
        with pytest.raises(SnapshotShrinkError, match="--allow-shrink"):
            publish_marts(writer, snapshot, run_id="shorter")
    assert query(snapshot, "select run_id from main.refresh") == [("full history",)]
    assert sorted(path.name for path in snapshot.parent.iterdir()) == ["ccw.duckdb"]
    with open_warehouse(warehouse) as writer:
        publish_marts(writer, snapshot, run_id="shorter", allow_shrink=True)
    assert query(snapshot, "select run_id from main.refresh") == [("shorter",)]


def test_every_published_column_is_documented(built):
    """Each column of each published mart has a description in the dbt project (the
    dbt docs and the analysts read it); marts.build_settings, which the pipeline
    writes, is documented in docs/analysts.md."""
    manifest = json.loads(ccw_dbt_project.manifest_path.read_text())
    documented = {
        node["alias"] or node["name"]: {
            name for name, column in node["columns"].items() if column.get("description")
        }
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["schema"] == "marts"
    }
    with duckdb.connect(str(published_path(built)), read_only=True) as con:
        published = con.execute(
            "select table_name, list(column_name order by column_index) from duckdb_columns() "
            "where schema_name = 'marts' group by all"
        ).fetchall()
    missing = {
        table: [column for column in columns if column not in documented[table]]
        for table, columns in published
        if table != "build_settings"
    }
    assert {table: columns for table, columns in missing.items() if columns} == {}
    guide = (Path(ccw_dbt_project.project_dir) / "docs" / "analysts.md").read_text()
    settings_columns = dict(published)["build_settings"]
    assert all(f"`{column}`" in guide for column in settings_columns), settings_columns


def test_the_bands_in_order_are_every_band_the_marts_hold_shortest_first(built):
    """marts.dim_bands, the order the app sorts bands in, holds each band a mart
    buckets a tenure or a wait into, ordered as the days and seconds in them are."""
    bands = query(built, "select band_kind, band_label from marts.dim_bands order by all")
    assert {kind for kind, _ in bands} == {"tenure", "wait"}
    for kind, column, measure, marts in (
        ("tenure", "agent_tenure_band", "agent_tenure_days", "fct_customer_journey"),
        ("tenure", "customer_tenure_band", "customer_tenure_days", "fct_customer_journey"),
        ("tenure", "tenure_band", "tenure_days", "fct_agent_months"),
        ("wait", "wait_band", "wait_seconds", "fct_customer_journey"),
    ):
        held = query(
            built,
            f"""select {column} from marts.{marts} where {column} is not null
            group by 1 order by min({measure})""",
        )
        ordered = query(
            built,
            f"""select band_label from marts.dim_bands
            where band_kind = ? and band_label in (select {column} from marts.{marts})
            order by band_order""",
            [kind],
        )
        assert len(held) > 1, column  # the tiny build has several bands of each
        assert held == ordered, column
