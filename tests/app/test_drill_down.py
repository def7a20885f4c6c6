"""Drill-down on the sample's snapshot: from a queue to its intervals (scorecard), from
an interval to its queues, calls and agents (service), from a team to its agents."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs

import pandas as pd
import pytest

from tests.app.tables_on_page import page_tables
from tests.app.test_pages import open_page
from tests.warehouse_support import query


def _box(app, starts: str):
    return next(box for box in app.selectbox if box.label.startswith(starts))


def test_a_queue_opens_on_its_worst_intervals(snapshot_path):
    app = open_page("views/scorecard.py")
    _box(app, "Queue").select("billing").run()
    assert not app.exception
    filters = app.session_state["ccw_filters"]
    (table,) = page_tables(app)
    worst = query(
        snapshot_path,
        """select max(service_level_base_legs - service_level_met_legs), count(*)
        from marts.fct_interval_service where queue_name = 'billing' and offered_legs > 0
            and interval_local_date between ? and ?""",
        [filters.start, filters.end],
    )[0]
    assert table["Past the threshold"].iloc[0] == f"{worst[0]:,}"
    assert len(table) == min(48, worst[1])
    assert "None" not in table.to_numpy()  # a missing figure reads "n/a"


def test_an_interval_shows_its_queues_calls_and_agents_without_personal_data(snapshot_path):
    app = open_page("views/service.py")
    filters = app.session_state["ccw_filters"]
    figures, agents, calls = page_tables(app)
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
    assert sum(int(n.replace(",", "")) for n in figures["Offered"]) == offered
    assert len(agents) == answering_agents
    assert len(calls) == min(100, offered)
    assert calls["Caller (hash)"].str.fullmatch(r"[0-9a-f]{12}").all()
    assert list(calls.columns) == ["Queued (local)", "Queue", "Caller (hash)", "Wait (s)",
                                   "Outcome", "Agent"]  # fmt: skip


def test_a_heatmap_cell_links_to_its_interval_looked_into(snapshot_path):
    """A cell's link is the view's address with the interval chosen: opened, the page
    looks into that interval, not the lowest."""
    first = open_page("views/service.py", period="last_week")
    (heatmap,) = [element.value for element in first.html if "ccw-heatmap" in element.value]
    links = re.findall(r'href="\?([^"#]*)#looked-into"', heatmap)
    assert len(links) == heatmap.count("<td") - heatmap.count("<td></td>")  # one per cell
    address = {key: values[0] for key, values in parse_qs(html.unescape(links[-1])).items()}
    assert address["period"] == "last_week"  # the view's filters kept
    app = open_page("views/service.py", **address)
    assert not app.exception
    assert _box(app, "Look into an interval").value == address["interval"]
    figures = page_tables(app)[0]
    (offered,) = query(
        snapshot_path,
        "select count(*) filter (where is_offered) from marts.fct_call_legs "
        "where queued_interval_start_at = ?",
        [pd.Timestamp(address["interval"])],
    )[0]
    assert sum(int(n.replace(",", "")) for n in figures["Offered"]) == offered
    assert app.query_params["interval"] in (address["interval"], [address["interval"]])


def test_a_team_opens_on_its_agents_scorecard(snapshot_path):
    app = open_page("views/agents.py", "Team and new hires")
    team = _box(app, "Team").options[0]
    filters = app.session_state["ccw_filters"]
    (table,) = page_tables(app)
    (agents,) = query(
        snapshot_path,
        """select count(distinct agent_id) from marts.fct_call_legs
        where is_answered and team_name = ? and contact_local_date between ? and ?""",
        [team, filters.start, filters.end],
    )[0]
    assert len(table) == agents
    assert {"AHT (s)", "FCR", "CSAT top-2"} <= set(table.columns)
    assert table["Tenure (days)"].str.fullmatch(r"[0-9,]+").all()


def test_the_heatmap_judges_each_queue_by_its_own_target(snapshot_path, tmp_path):
    """With billing's target at 95 % and the others at 60 %, a cell of billing alone is
    judged at 95 %, and a cell of every queue at its legs' blended target."""
    import shutil

    import duckdb

    from ccw.dashboard.filters import Filters
    from ccw.dashboard.queries import interval_service
    from ccw.dashboard.snapshot import Snapshot

    copy = tmp_path / "ccw.duckdb"
    shutil.copy(snapshot_path, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute(
            "update marts.dim_queue_targets set service_level_target = "
            "case when queue_name = 'billing' then 0.95 else 0.6 end"
        )
    first, last = query(
        copy,
        "select min(interval_local_date), max(interval_local_date) from marts.fct_interval_service",
    )[0]
    snapshot = Snapshot(copy)
    billing = interval_service(snapshot, Filters(start=first, end=last, queue=("billing",)))
    assert billing["service_level_target"].dropna().to_numpy() == pytest.approx(0.95)
    pooled = interval_service(snapshot, Filters(start=first, end=last))
    blended = dict(
        query(
            copy,
            """select intervals.interval_start_at,
                sum(service_level_base_legs * case when queue_name = 'billing' then 0.95
                    else 0.6 end) / sum(service_level_base_legs)
            from marts.fct_interval_service as intervals
            group by 1 having sum(service_level_base_legs) > 0""",
        )
    )
    measured = pooled.dropna(subset=["service_level_target"])
    assert len(measured) == len(blended) > 0
    for row in measured.itertuples():
        assert abs(row.service_level_target - blended[row.interval_start_at]) < 1e-9
    assert 0.6 < measured["service_level_target"].mean() < 0.95
