"""The queue scorecard on the sample's published snapshot: its figures equal a direct
query of the marts, its changes are judged against their noise, and the page shows
them under every date preset."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from ccw.dashboard import queries, scorecard
from ccw.dashboard.filters import PERIODS, Filters
from ccw.dashboard.snapshot import Snapshot
from ccw.labels import human
from tests.app.test_pages import APP
from tests.warehouse_support import query


def _filters(snapshot_path, period="last_week", **chosen) -> tuple[Filters, date]:
    span = queries.data_range(Snapshot(snapshot_path))
    params = {"period": period} | chosen
    return Filters.from_query_params(params, span.first_day, span.last_day), span.first_day


def test_scorecard_figures_equal_the_marts(snapshot_path):
    filters, _ = _filters(snapshot_path)
    frame = queries.queue_scorecard(Snapshot(snapshot_path), filters).set_index("key")
    period = [filters.start, filters.end]
    legs = {
        queue: (offered, abandoned, met, base, wait, answered)
        for queue, offered, abandoned, met, base, wait, answered in query(
            snapshot_path,
            """select coalesce(queue_name, 'all_queues'), sum(offered_legs),
                sum(abandoned_legs), sum(service_level_met_legs), sum(service_level_base_legs),
                sum(answered_wait_seconds), sum(answered_legs)
            from marts.fct_interval_service where interval_local_date between ? and ?
            group by rollup (queue_name)""",
            period,
        )
    }
    assert set(frame.index) == set(legs)
    for queue, (offered, abandoned, met, base, wait, answered) in legs.items():
        row = frame.loc[queue]
        assert row["offered_legs"] == offered
        assert row["abandon_rate"] == pytest.approx(abandoned / offered)
        assert row["service_level"] == pytest.approx(met / base)
        assert row["asa_seconds"] == pytest.approx(wait / answered)
    # Per first queue and over all calls (the scorecard sums the queues' counts for
    # "all_queues", calls without a first queue included); last week's repeat windows
    # have not all ended, last month's have.
    fcr_seen = 0
    for period_filters in (filters, _filters(snapshot_path, "last_month")[0]):
        customers_frame = queries.queue_scorecard(Snapshot(snapshot_path), period_filters)
        customers_frame = customers_frame.set_index("key")
        customers = query(
            snapshot_path,
            """select
                case when grouping(first_queue_name) = 1 then 'all_queues'
                    else first_queue_name end,
                sum(call_cost) / count(*) filter (where is_answered),
                avg(is_resolved::int), avg((csat_score >= 4)::int), count(*)
            from marts.fct_calls
            where direction = 'inbound' and started_local_date between ? and ?
            group by rollup (first_queue_name)""",
            [period_filters.start, period_filters.end],
        )
        assert {row[0] for row in customers} - {None} == set(customers_frame.index)
        for queue, cost, fcr, csat_top2, calls in customers:
            if queue is None:
                continue
            row = customers_frame.loc[queue]
            assert row["cost_per_contact"] == pytest.approx(cost)
            assert row["fcr"] == pytest.approx(float("nan") if fcr is None else fcr, nan_ok=True)
            assert row["csat_top2"] == pytest.approx(csat_top2)
            assert row["calls"] == calls
            fcr_seen += fcr is not None
    assert fcr_seen > 0
    below = dict(
        query(
            snapshot_path,
            """select queue_name, count(*) from marts.fct_interval_service
            where interval_local_date between ? and ? and is_staffed and not meets_target
            group by 1""",
            period,
        )
    )
    for queue, count in below.items():
        row = frame.loc[queue]
        assert (
            row["staffed_intervals_with_service_level"] - row["intervals_meeting_target"] == count
        )
    assert frame.loc["all_queues", "service_level_target"] == 0.8
    assert frame.loc["billing", "asa_target_seconds"] == 30


def test_a_change_is_judged_by_its_noise_and_its_sample(snapshot_path):
    """Against itself nothing changes; against a copy with twice the abandons, the
    abandon rate of every queue with enough legs is worse, beyond noise."""
    filters, _ = _filters(snapshot_path)
    now = queries.queue_scorecard(Snapshot(snapshot_path), filters)
    same = scorecard.build(now, [("the same", now.copy())], min_sample=30, min_z=2.58)
    assert {change.verdict for cell in same.cells.values() for change in cell.changes} <= {
        "within noise", "not judged", "no data",
    }  # fmt: skip
    worse = now.copy()
    worse["abandoned_legs"] = worse["abandoned_legs"] // 2
    worse["abandon_rate"] = worse["abandoned_legs"] / worse["offered_legs"]
    card = scorecard.build(now, [("half the abandons", worse)], min_sample=30, min_z=2.58)
    for queue in card.queues:
        cell = card.cells[(queue, "abandon_rate")]
        assert cell.changes[0].verdict == ("not judged" if cell.small_sample else "worse"), queue
    # A sample below the minimum is never judged, however large the change.
    thin = scorecard.build(now, [("half", worse)], min_sample=10**9, min_z=2.58)
    assert all(
        thin.cells[(queue, "abandon_rate")].changes[0].verdict == "not judged"
        for queue in thin.queues
    )


def test_the_scorecard_page_shows_every_queue_under_every_preset(snapshot_path):
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.run()
    assert [title.value for title in app.title] == ["Queue scorecard"]
    queues = [
        queue for (queue,) in query(snapshot_path, "select queue_name from marts.dim_queue_targets")
    ]
    for period in PERIODS:
        if period == "custom":
            continue
        app.sidebar.selectbox(key="filter_period").select(period).run()
        assert not app.exception, (period, app.exception)
        assert app.query_params["period"] in (period, [period])
        page = app.html[0].value if app.html else ""
        if not page:  # a period with no calls offered says so
            assert "No calls offered" in app.info[0].value, period
            continue
        assert "All queues" in page, period
        for queue in queues:
            assert f">{human(queue)}</th>" in page, (period, queue)
    # Last full week against the week before, whose abandon rate is shown in the tooltip.
    app.sidebar.selectbox(key="filter_period").select("last_week").run()
    filters = app.session_state["ccw_filters"]
    frame = queries.queue_scorecard(Snapshot(snapshot_path), filters).set_index("key")
    assert f"{frame.loc['all_queues', 'abandon_rate']:.1%}" in app.html[0].value
    assert "vs prev." in app.html[0].value


def test_the_all_queues_row_pools_only_counts_that_are_sums(snapshot_path):
    """The all-queues row adds the queues' counts up: right for sums, wrong for a
    distinct count (a customer who called two queues would count twice), so a
    catalogue with one is refused rather than pooled."""
    import json

    from ccw.dashboard.snapshot import SNAPSHOT_CATALOG
    from ccw.metrics import Catalogue

    snapshot = Snapshot(snapshot_path)
    counts = ("answered_legs", "offered_legs")
    per_queue = queries._metrics(snapshot, counts, (), "queue_interval__queue_name")
    pooled = queries._pooled(snapshot.catalogue(), per_queue, counts)
    assert pooled["offered_legs"].iloc[0] == per_queue["offered_legs"].sum() > 0
    manifest = json.loads(
        snapshot.query("select content from main.semantic_manifest")["content"][0]
    )
    for model in manifest["semantic_models"]:
        for measure in model["measures"]:
            if measure["name"] == "answered_legs":
                measure["agg"] = "count_distinct"
    distinct = Catalogue(json.dumps(manifest), SNAPSHOT_CATALOG)
    assert distinct.definitions["answered_legs"].aggregation == "count_distinct"
    with pytest.raises(ValueError, match="cannot pool answered_legs"):
        queries._pooled(distinct, per_queue, counts)
