"""Drill-down on the sample's snapshot: from a queue to its intervals (scorecard), from
an interval to its queues, calls and agents (service), from a team to its agents."""

from __future__ import annotations

import pandas as pd

from tests.app.test_pages import open_page
from tests.warehouse_support import query


def _box(app, starts: str):
    return next(box for box in app.selectbox if box.label.startswith(starts))


def test_a_queue_opens_on_its_worst_intervals(snapshot_path):
    app = open_page("views/scorecard.py")
    _box(app, "Queue").select("billing").run()
    assert not app.exception
    filters = app.session_state["ccw_filters"]
    table = app.dataframe[0].value
    worst = query(
        snapshot_path,
        """select max(service_level_base_legs - service_level_met_legs), count(*)
        from marts.fct_interval_service where queue_name = 'billing' and offered_legs > 0
            and interval_local_date between ? and ?""",
        [filters.start, filters.end],
    )[0]
    assert table["legs_missing_the_threshold"].iloc[0] == worst[0]
    assert len(table) == min(48, worst[1])


def test_an_interval_shows_its_queues_calls_and_agents_without_personal_data(snapshot_path):
    app = open_page("views/service.py")
    filters = app.session_state["ccw_filters"]
    figures, agents, calls = (frame.value for frame in app.dataframe[:3])
    chosen = _box(app, "Look into an interval").value  # the lowest service level first
    start_at, _ = query(
        snapshot_path,
        """select interval_start_at, min(service_level) from (
            select interval_start_at,
                sum(service_level_met_legs) / sum(service_level_base_legs) as service_level
            from marts.fct_interval_service where interval_local_date between ? and ?
            group by 1 having sum(service_level_base_legs) > 0)
        group by 1 order by 2, 1 limit 1""",
        [filters.start, filters.end],
    )[0]
    assert pd.Timestamp(chosen) == pd.Timestamp(start_at)
    offered, answering_agents = query(
        snapshot_path,
        """select count(*) filter (where is_offered),
            count(distinct agent_id) filter (where is_answered)
        from marts.fct_call_legs where queued_interval_start_at = ?""",
        [start_at],
    )[0]
    assert int(figures["offered_legs"].sum()) == offered
    assert len(agents) == answering_agents
    assert len(calls) == min(100, offered)
    assert calls["caller"].str.fullmatch(r"[0-9a-f]{12}").all()
    assert not {"customer_id", "phone", "caller_number", "email"} & set(calls.columns)


def test_a_team_opens_on_its_agents_scorecard(snapshot_path):
    app = open_page("views/agents.py")
    team = _box(app, "Team").options[0]
    filters = app.session_state["ccw_filters"]
    table = app.dataframe[0].value
    (agents,) = query(
        snapshot_path,
        """select count(distinct agent_id) from marts.fct_call_legs
        where is_answered and team_name = ? and contact_local_date between ? and ?""",
        [team, filters.start, filters.end],
    )[0]
    assert len(table) == agents
    assert {"aht_seconds", "fcr", "csat_top2"} <= set(table.columns)
