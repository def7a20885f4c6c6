"""The dbt staging models built by the main job on generated data."""

from __future__ import annotations

import re
from datetime import timedelta

import duckdb

from ccw.contract import TABLES
from ccw.pii import register_key
from tests.warehouse_support import query

STAGING = {
    "customers": "stg_crm__customers",
    "orders": "stg_crm__orders",
    "cases": "stg_crm__cases",
    "digital_events": "stg_crm__digital_events",
    "calls": "stg_telephony__call_legs",
    "agent_states": "stg_telephony__agent_states",
    "responses": "stg_survey__responses",
    "agents": "stg_hr__agent_snapshots",
    "engagement": "stg_hr__engagement_responses",
}


def test_every_raw_table_has_one_staging_model_with_one_row_per_current_key(built):
    assert set(STAGING) == {table.name for table in TABLES}
    for raw, model in STAGING.items():
        current = query(built, f"select count(*) from raw.{raw} where _is_current")[0][0]
        assert query(built, f"select count(*) from staging.{model}") == [(current,)], model


def test_no_personal_data_reaches_staging_in_clear_text(built):
    with duckdb.connect(str(built), read_only=True) as con:
        register_key(con)
        clear = {
            value
            for (value,) in con.execute(
                "select ani from raw.calls union select email from raw.customers "
                "union select phone from raw.customers union select full_name from raw.agents"
            ).fetchall()
            if value
        }
        for model in STAGING.values():
            columns = con.execute(
                "select column_name from information_schema.columns "
                "where table_schema = 'staging' and table_name = ? and data_type = 'VARCHAR'",
                [model],
            ).fetchall()
            for (column,) in columns:
                values = {
                    v
                    for (v,) in con.execute(
                        f'select distinct "{column}" from staging.{model}'
                    ).fetchall()
                }
                assert not values & clear, f"{model}.{column} holds personal data"
    assert re.fullmatch(
        "[0-9a-f]{64}",
        query(built, "select caller_hash from staging.stg_telephony__call_legs limit 1")[0][0],
    )


def test_legs_carry_local_days_and_intervals(built):
    rows = query(
        built,
        "select queued_at, queued_local_date, queued_interval_start_local, "
        "queued_interval_start_at from staging.stg_telephony__call_legs "
        "where queued_at is not null using sample 50 rows",
    )
    for queued_at, local_date, interval_local, interval_at in rows:
        assert interval_at <= queued_at < interval_at + timedelta(minutes=30)
        assert interval_local.minute in (0, 30) and interval_local.date() == local_date
        # March 2026 in New York: UTC-5 before the 8th, UTC-4 from then on.
        offset = 4 if local_date.day >= 8 or local_date.month > 3 else 5
        assert interval_at.replace(tzinfo=None) - interval_local == timedelta(hours=offset)


def test_agent_days_are_costed_with_the_version_in_force(built):
    unversioned, occupancy_out_of_range = query(
        built,
        "select count(*) filter (where agent_version_id is null), "
        "count(*) filter (where occupancy not between 0 and 1) "
        "from intermediate.int_agent_days_costed",
    )[0]
    assert (unversioned, occupancy_out_of_range) == (0, 0)
    # The hourly cost is the one in force that day: the roster snapshot of that day.
    mismatched = query(
        built,
        """select count(*) from intermediate.int_agent_days_costed as day
        join staging.stg_hr__agent_snapshots as snapshot
            on snapshot.agent_id = day.agent_id and snapshot.snapshot_date = day.activity_date
        where snapshot.hourly_cost <> day.hourly_cost""",
    )
    assert mismatched == [(0,)]
    assert query(built, "select count(distinct hourly_cost) > 1 from marts.dim_agents") == [(True,)]
