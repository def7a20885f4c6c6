"""Every page of the app, run with Streamlit's AppTest on a real published snapshot:
no exception, the key elements there, and numbers equal to a direct query of the marts."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.tables_on_page import page_tables
from tests.warehouse_support import query

APP = Path(__file__).resolve().parents[2] / "app" / "streamlit_app.py"
PAGES = {
    "views/scorecard.py": "Queue scorecard",
    "views/overview.py": "Overview",
    "views/cost_vs_loyalty.py": "Cost vs loyalty",
    "views/service.py": "Service by interval",
    "views/journey.py": "Customer journey",
    "views/agents.py": "Agents and retention",
    "views/definitions.py": "Definitions",
}


def open_page(page: str, section: str | None = None, **params: str) -> AppTest:
    """``page`` as the app opens it, on ``section`` (one of its tabs) and with the
    address's ``params``, when given."""
    app = AppTest.from_file(str(APP), default_timeout=120)
    for name, value in params.items():
        app.query_params[name] = value
    if section is not None:
        app.query_params["section"] = section
    app.run()
    if page != "views/scorecard.py":
        app.switch_page(page).run()
    return app


def every_section(page: str, **params: str):
    """The page opened on each of its sections in turn (a page without tabs, once)."""
    app = open_page(page, **params)
    yield app
    for section in [tab.label for tab in app.tabs][1:]:
        other = open_page(page, section, **params)
        # Only the open section has content.
        assert [tab.label for tab in other.tabs if tab.children] == [section]
        yield other


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_an_exception(snapshot_path, page):
    for app in every_section(page):
        assert not app.exception, app.exception
        assert [title.value for title in app.title] == [PAGES[page]]
        assert not app.error, [error.value for error in app.error]


def test_a_long_page_runs_only_its_open_section(snapshot_path):
    """Service by interval opens on its heatmap; its other sections run only when
    their tab is opened, which the address keeps."""
    first = open_page("views/service.py")
    assert [tab.label for tab in first.tabs] == ["Intervals", "Days", "Staffing"]
    assert "The daily average hides the bad intervals" not in [h.value for h in first.subheader]
    days = open_page("views/service.py", "Days")
    headers = [header.value for header in days.subheader]
    assert "The daily average hides the bad intervals" in headers
    assert not any(header.startswith("Service level by day") for header in headers)
    assert days.query_params["section"] in ("Days", ["Days"])


def _metric(app: AppTest, label: str) -> str:
    return next(metric.value for metric in app.metric if metric.label == label)


def test_overview_numbers_match_the_marts_under_a_queue_filter(snapshot_path):
    app = open_page("views/overview.py")
    app.sidebar.multiselect(key="filter_queue").select("billing").run()
    assert not app.exception
    start, end = app.session_state["ccw_filters"].start, app.session_state["ccw_filters"].end
    cost, answered = query(
        snapshot_path,
        """select sum(call_cost) / count(*) filter (where is_answered),
                  count(*) filter (where is_answered)
        from marts.fct_calls
        where direction = 'inbound' and first_queue_name = 'billing'
            and started_local_date between ? and ?""",
        [start, end],
    )[0]
    assert _metric(app, "Cost per contact") == f"${cost:,.2f}"
    assert f"{answered:,} answered calls" in [caption.value for caption in app.caption]
    # The filter is in the URL, so the view can be shared.
    assert app.query_params["queue"] in ("billing", ["billing"])


def test_a_shared_address_restores_the_filters(snapshot_path):
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.query_params["queue"] = ["sales"]
    app.query_params["start"] = "2026-03-03"
    app.query_params["end"] = "2026-03-05"
    app.run()
    app.switch_page("views/overview.py").run()
    assert not app.exception
    filters = app.session_state["ccw_filters"]
    assert (filters.queue, str(filters.start), str(filters.end)) == (
        ("sales",),
        "2026-03-03",
        "2026-03-05",
    )
    answered = query(
        snapshot_path,
        """select count(*) filter (where is_answered) from marts.fct_calls
        where direction = 'inbound' and first_queue_name = 'sales'
            and started_local_date between '2026-03-03' and '2026-03-05'""",
    )[0][0]
    assert f"{answered:,} answered calls" in [caption.value for caption in app.caption]


def test_definitions_show_the_configured_parameters(snapshot_path):
    app = open_page("views/definitions.py")
    text = " ".join(caption.value for caption in app.caption)
    assert "`sl_threshold_seconds` = 20" in text
    assert "`repeat_window_days` = 7" in text


def test_pages_say_what_a_source_the_center_does_not_send_leaves_empty(
    snapshot_path, tmp_path, monkeypatch
):
    """The sample has every source: no page says anything. Built for a center with
    telephony and HR only, the pages that need the CRM or the survey tool say so."""
    assert not [info.value for info in open_page("views/agents.py").info]
    copy = Path(shutil.copy(snapshot_path, tmp_path / "snapshot.duckdb"))
    with duckdb.connect(str(copy)) as con:
        con.execute(
            'update marts.build_settings set setting_value = \'["telephony", "hr"]\' '
            "where setting_name = 'sources'"
        )
    monkeypatch.setenv("CCW_PUBLISHED", str(copy))
    said = {page: [info.value for info in open_page(page).info] for page in PAGES}
    assert said["views/journey.py"] == [
        "This center sends no CRM exports (sources in its settings), so parts of this page "
        "stay empty: customers, churn and the journey around each call need CRM exports."
    ]
    assert "sends no CRM or survey tool exports" in said["views/cost_vs_loyalty.py"][0]
    assert not said["views/service.py"] and not said["views/definitions.py"]


def test_without_a_published_snapshot_the_app_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("CCW_PUBLISHED", str(tmp_path / "nothing-here.duckdb"))
    app = AppTest.from_file(str(APP), default_timeout=60)
    app.run()
    assert not app.exception
    assert "No published data yet" in app.error[0].value


@pytest.mark.parametrize("page", [page for page in PAGES if page != "views/definitions.py"])
def test_every_page_renders_under_every_filter(snapshot_path, page):
    for app in every_section(page):
        app.sidebar.multiselect(key="filter_queue").select("billing")
        app.sidebar.multiselect(key="filter_segment").select("consumer")
        team = app.sidebar.multiselect(key="filter_team").options[0]
        app.sidebar.multiselect(key="filter_team").select(team).run()
        assert not app.exception, app.exception
        filters = app.session_state["ccw_filters"]
        chosen = (filters.queue, filters.segment, filters.team)
        assert chosen == (("billing",), ("consumer",), (team,))


def _views(snapshot_path: Path) -> dict[str, dict[str, str | list[str]]]:
    """Periods a page must survive that no preset gives: all of the data, and its first
    day alone (nothing before it to compare with). The browser test opens every page
    under every preset and with a filter that leaves no data."""
    first, last = query(
        snapshot_path,
        "select min(started_local_date)::varchar, max(started_local_date)::varchar "
        "from marts.fct_daily_calls",
    )[0]
    return {
        "whole period": {"start": first, "end": last},
        "first day": {"start": first, "end": first},
    }


@pytest.mark.parametrize("page", [page for page in PAGES if page != "views/definitions.py"])
def test_no_page_raises_for_the_whole_period_or_its_first_day(snapshot_path, page):
    for view, params in _views(snapshot_path).items():
        for app in every_section(page, **params):
            assert not app.exception, (view, app.exception)
            assert not app.error, (view, [error.value for error in app.error])
            assert [title.value for title in app.title] == [PAGES[page]], view


def test_cost_vs_loyalty_bubbles_match_the_marts(snapshot_path):
    from ccw.dashboard.queries import customer_measures_by
    from ccw.dashboard.snapshot import Snapshot

    app = open_page("views/cost_vs_loyalty.py")
    filters = app.session_state["ccw_filters"]
    bubbles = customer_measures_by(Snapshot(snapshot_path), filters, "queue").set_index("key")
    direct = dict(
        query(
            snapshot_path,
            """select first_queue_name, sum(call_cost) / count(*) filter (where is_answered)
            from marts.fct_calls where direction = 'inbound'
                and started_local_date between ? and ? group by 1""",
            [filters.start, filters.end],
        )
    )
    assert bubbles["cost_per_contact"].to_dict() == pytest.approx(direct, rel=1e-9)


def _gap_day(app: AppTest):
    return next(box for box in app.selectbox if box.label.startswith("Day (the most"))


def test_a_choice_that_depends_on_a_filter_starts_again_when_the_filter_changes(
    snapshot_path,
):
    """The understaffed day chosen for all queues is not kept for billing alone: the
    list is billing's, its worst day first, and every chart says what it follows."""
    app = open_page("views/service.py", "Staffing")
    _gap_day(app).select(_gap_day(app).options[2]).run()
    assert _gap_day(app).index == 2
    app.sidebar.multiselect(key="filter_queue").select("billing").run()
    assert not app.exception
    assert _gap_day(app).index == 0  # billing's worst day, as its label says
    captions = [caption.value for caption in app.caption]
    assert "Follows dates and queue; segment, site and team do not apply." in captions


def test_cost_per_resolved_contact_by_queue_and_segment_matches_the_marts(snapshot_path):
    from ccw.dashboard.queries import cost_per_resolved_by_queue_and_segment
    from ccw.dashboard.snapshot import Snapshot

    app = open_page("views/cost_vs_loyalty.py")
    filters = app.session_state["ccw_filters"]
    grid = cost_per_resolved_by_queue_and_segment(Snapshot(snapshot_path), filters)
    direct = {
        (queue, segment): (cost, resolved)
        for queue, segment, cost, resolved in query(
            snapshot_path,
            """select first_queue_name, customer_segment,
                sum(call_cost) filter (where is_resolved is not null)
                    / nullif(count(*) filter (where is_resolved), 0),
                count(*) filter (where is_resolved)
            from marts.fct_calls where direction = 'inbound' and first_queue_name is not null
                and started_local_date between ? and ? group by 1, 2""",
            [filters.start, filters.end],
        )
    }
    assert len(grid) == len(direct)
    for row in grid.itertuples():
        cost, resolved = direct[(row.queue, row.segment)]
        assert row.resolved_calls == resolved
        expected = float("nan") if cost is None else cost
        assert row.cost_per_resolved_contact == pytest.approx(expected, rel=1e-9, nan_ok=True)
    # On the page: Billing's consumers, with the count the cost is over.
    billing = grid[(grid["queue"] == "billing") & (grid["segment"] == "consumer")].iloc[0]
    (shown,) = page_tables(app)
    assert shown.set_index("Queue").loc["Billing", "Consumer"] == (
        f"${billing.cost_per_resolved_contact:,.2f} · {billing.resolved_calls:,}"
    )


def test_the_journey_shows_loyalty_by_what_happened_on_the_call(snapshot_path):
    """NPS and CSAT from the call's own survey beside FCR and churn; for the latest day,
    whose calls no window has followed yet, the page offers the surveys instead of
    stopping."""
    ((first, last),) = query(
        snapshot_path,
        "select min(started_local_date)::varchar, max(started_local_date)::varchar "
        "from marts.fct_calls",
    )

    def journey(start: str, end: str, section: str | None = None) -> AppTest:
        app = open_page("views/journey.py", section, start=start, end=end)
        assert not app.exception, app.exception
        return app

    app = journey(first, last, "On the call and after")
    outcomes = ["First-contact resolution", "Churn within 30 days", "CSAT (4 or 5)", "NPS"]
    assert app.radio(key="outcome").options == outcomes
    for outcome in outcomes:
        app.radio(key="outcome").set_value(outcome).run()
        assert not app.exception, (outcome, app.exception)
        unit = "responses" if outcome in ("CSAT (4 or 5)", "NPS") else "calls followed"
        assert any(f"n: {unit}." in caption.value for caption in app.caption), outcome
    # What happened before the call, by the same outcomes.
    before = journey(first, last, "Before the call")
    before.radio(key="outcome").set_value("NPS").run()
    assert not before.exception, before.exception
    assert any("n: responses." in caption.value for caption in before.caption)

    # The latest day alone: no call followed yet, so the page opens on what is known.
    latest = journey(last, last)
    assert latest.radio(key="outcome").options == ["CSAT (4 or 5)", "NPS"]
    assert "From call to outcome" not in [header.value for header in latest.subheader]
    assert any(
        "resolution and churn after them are not known" in info.value for info in latest.info
    )


def test_a_recent_week_shows_the_latest_week_followed_in_full_beside_it(snapshot_path):
    """Last week's FCR is still partial (its calls' repeat windows run past the data):
    the tile says so and gives the latest full week whose calls have all been followed;
    the monthly attrition tiles say which months they cover and what they compare with."""
    from ccw.dashboard.queries import customer_measures, data_range
    from ccw.dashboard.snapshot import Snapshot

    app = AppTest.from_file(str(APP), default_timeout=120)
    app.query_params["period"] = "last_week"
    app.run()
    app.switch_page("views/overview.py").run()
    assert not app.exception, app.exception
    filters = app.session_state["ccw_filters"]
    snapshot = Snapshot(snapshot_path)
    span = data_range(snapshot)
    assert span.resolution_known_until < filters.end
    followed = filters.latest_ended(span.resolution_known_until, span.first_day)
    assert followed.end <= span.resolution_known_until and followed.days == 7
    measures = customer_measures(snapshot, followed)
    captions = [caption.value for caption in app.caption]
    said = [caption for caption in captions if "Followed in full" in caption]
    assert len(said) == 2  # FCR and cost per resolved contact
    assert any(f"**{measures['fcr']:.1%}**" in caption for caption in said)
    assert any(f"**${measures['cost_per_resolved_contact']:,.2f}**" in caption for caption in said)
    # The sample starts on 2 March: the week's months (March, April) have none before.
    assert "Monthly figures: no earlier months in the data to compare with." in captions
    latest = AppTest.from_file(str(APP), default_timeout=120)
    latest.query_params["period"] = "latest_day"  # in April: March is before it
    latest.run()
    latest.switch_page("views/overview.py").run()
    assert "Monthly figures: compared with Mar 2026." in [c.value for c in latest.caption]
