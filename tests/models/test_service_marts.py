"""The service marts built by the main job: reconciled with their legs, sized by the
same Erlang code the unit tests check, and rebuilt whole when their columns changed.
That runs catching up one or several days give the marts a full build gives is
tests/models/test_incremental_runs.py's subject."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ccw.pipeline import run_pipeline
from ccw.staffing.erlang import Interval, required_agents_erlang_a, required_agents_erlang_c
from tests.warehouse_support import copy_warehouse, differing_rows, query

SERVICE_MARTS = ["fct_call_legs", "fct_calls", "fct_interval_service", "fct_daily_service"]


def test_every_leg_and_call_reaches_the_facts(built):
    assert query(built, "select count(*) from marts.fct_call_legs") == query(
        built, "select count(*) from staging.stg_telephony__call_legs"
    )
    assert query(built, "select count(*) from marts.fct_calls") == query(
        built, "select count(distinct call_id) from staging.stg_telephony__call_legs"
    )


def test_interval_and_daily_counts_add_up_to_the_legs(built):
    from_legs = query(
        built,
        """select count(*) filter (where is_offered),
                  count(*) filter (where is_offered and is_answered),
                  count(*) filter (where is_offered and is_abandoned),
                  count(*) filter (where is_short_abandon and direction = 'inbound'),
                  count(*) filter (where met_sl)
           from marts.fct_call_legs""",
    )
    columns = "offered_legs, answered_legs, abandoned_legs, short_abandoned_legs, "
    columns += "answered_within_threshold_legs"
    sums = ", ".join(f"sum({column.strip()})" for column in columns.split(","))
    assert query(built, f"select {sums} from marts.fct_interval_service") == from_legs
    assert query(built, f"select {sums} from marts.fct_daily_service") == from_legs


def test_daily_service_level_is_recomputed_from_its_legs(built):
    rows = query(
        built,
        """select daily.service_level,
                  count(*) filter (where legs.met_sl) * 1.0
                  / count(*) filter (where legs.met_sl is not null)
           from marts.fct_daily_service as daily
           join marts.fct_call_legs as legs
             on legs.queue_name = daily.queue_name
            and legs.queued_local_date = daily.service_date
           group by daily.queue_day_id, daily.service_level""",
    )
    assert rows
    for mart, recomputed in rows:
        assert mart == pytest.approx(recomputed, rel=1e-12)


def test_agent_cost_is_all_paid_time_of_the_days_with_handled_legs(built):
    allocated, paid = query(
        built,
        """select (select sum(agent_cost) from marts.fct_call_legs),
                  (select sum(paid_cost) from intermediate.int_agent_days_costed
                   where handle_seconds > 0)""",
    )[0]
    assert allocated == pytest.approx(paid, rel=1e-9)
    legs_plus_overhead, calls = query(
        built,
        """select (select sum(leg_cost) from marts.fct_call_legs)
                  + 0.50 * (select count(*) from marts.fct_calls where is_answered),
                  (select sum(call_cost) from marts.fct_calls)""",
    )[0]
    assert calls == pytest.approx(legs_plus_overhead, rel=1e-9)


def test_legs_carry_the_agent_attributes_of_the_contact_day(built):
    mismatched = query(
        built,
        """select count(*) from marts.fct_call_legs as legs
           join staging.stg_hr__agent_snapshots as snapshot
             on snapshot.agent_id = legs.agent_id
            and snapshot.snapshot_date = legs.contact_local_date
           where snapshot.team_name is distinct from legs.team_name
              or snapshot.supervisor_id is distinct from legs.supervisor_id""",
    )
    assert mismatched == [(0,)]
    unattributed = query(
        built,
        "select count(*) from marts.fct_call_legs where is_answered and team_name is null",
    )
    assert unattributed == [(0,)]


def test_required_agents_in_the_mart_are_the_python_erlang_answers(built):
    rows = query(
        built,
        """select offered_legs, coalesce(aht_seconds, day_aht), patience_seconds,
                  required_agents_erlang_c, required_agents_erlang_a
           from marts.fct_interval_service
           join (select queue_name as q, interval_local_date as d,
                        sum(handle_seconds) * 1.0 / nullif(sum(handled_legs), 0) as day_aht
                 from marts.fct_interval_service group by all)
             on q = queue_name and d = interval_local_date
           where offered_legs > 0""",
    )
    assert len(rows) > 100
    for offered, aht, patience, erlang_c, erlang_a in rows:
        interval = Interval(offered, aht, 1800)
        assert erlang_c == required_agents_erlang_c(interval, 20, 0.8)
        assert erlang_a == required_agents_erlang_a(interval, 20, 0.8, patience)


def test_dbt_docs_build_a_static_site_with_the_marts(built, tmp_path):
    warehouse = copy_warehouse(built, tmp_path / "warehouse")  # dbt opens it read-write
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            "docs",
            "generate",
            "--profiles-dir",
            ".",
            "--static",
            "--target-path",
            str(tmp_path),
            "--quiet",
        ],
        cwd=Path(__file__).parents[2],
        env={**os.environ, "CCW_WAREHOUSE": str(warehouse)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    site = (tmp_path / "static_index.html").read_text()
    catalog = json.loads((tmp_path / "catalog.json").read_text())
    assert "model.ccw.fct_interval_service" in catalog["nodes"]
    assert "One row per queue and interval" in site


def test_full_refresh_rebuilds_a_fact_whose_columns_changed(built, pristine_landing, tmp_path):
    # A warehouse built by an older version, whose fct_calls lacked a column.
    warehouse = tmp_path / "ccw.duckdb"
    shutil.copy(built, warehouse)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("alter table marts.fct_calls drop column ces_score")
    stale = run_pipeline(pristine_landing, warehouse)
    assert not stale.ok and not stale.published
    assert any("ccw_dbt_models" in step for step in stale.failed_steps)
    refreshed = run_pipeline(pristine_landing, warehouse, full_refresh=True)
    assert refreshed.ok and refreshed.published
    assert not differing_rows(warehouse, built, "marts.fct_calls")


# An emptied fact fills again on the next run: tests/test_cli.py, in the run that finds
# nothing new to load.
