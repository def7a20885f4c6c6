"""The app in a real browser: Debian's headless Chromium through Playwright loads every
page of `ccw app`, served on the sample's published snapshot, under every date preset
and a few filter combinations (the first page by its address, the others through the
menu, which keeps them), and for the last 28 days each section of the pages in
sections: no exception, what each page is for on screen, and no chart drawn empty; then presses the scorecard's "Download CSV" and reads the file that
arrives (it is written only when the button is pressed)."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

from ccw.dashboard.browser import PAGES, chromium, running_app, visit_pages, wait_until_drawn
from ccw.dashboard.filters import CUSTOM, PERIODS
from ccw.dashboard.queries import ALL_QUEUES
from tests.warehouse_support import query

SCREENSHOTS = Path(__file__).resolve().parents[2] / "target" / "screenshots"


def _filter_views(snapshot_path: Path) -> dict[str, bool]:
    """Addresses with filters → whether the view has data: the busiest queue's consumers
    in the last full week; a site with a team of another site (no call at all)."""
    ((queue,),) = query(
        snapshot_path,
        "select first_queue_name from marts.fct_daily_calls group by 1 order by sum(calls) desc "
        "limit 1",
    )
    ((site, team),) = query(
        snapshot_path,
        """select one.answering_site_name, other.answering_team_name
        from marts.fct_daily_calls as one, marts.fct_daily_calls as other
        where one.answering_site_name <> other.answering_site_name limit 1""",
    )
    return {
        f"?period=last_week&queue={queue}&segment=consumer": True,
        f"?period=last_month&site={site}&team={team}": False,
    }


def _download_scorecard(browser, base: str, start, end, folder: Path) -> list[dict]:
    """Press the scorecard's "Download CSV" for start..end and read what arrives."""
    page = browser.new_page(accept_downloads=True)
    page.goto(f"{base}/?start={start}&end={end}")
    wait_until_drawn(page)
    with page.expect_download() as arriving:
        page.get_by_role("button", name="Download CSV").first.click()
    download = arriving.value
    assert download.suggested_filename == "queue_scorecard.csv"
    saved = folder / download.suggested_filename
    download.save_as(saved)
    page.close()
    with saved.open() as file:
        return list(csv.DictReader(file))


def test_every_page_in_chromium_under_every_preset_and_some_filters(snapshot_path, tmp_path):
    presets = [f"?period={name}" for name in PERIODS if name != CUSTOM]
    filtered = _filter_views(snapshot_path)
    visits = []
    with running_app(snapshot_path) as base, chromium() as browser:
        for address in [*presets, *filtered]:
            # Screenshots of the view a first visit shows (the last 28 days), and there
            # every section of the pages in sections too.
            first_view = address == "?period=last_28_days"
            shots = SCREENSHOTS if first_view else None
            visits += visit_pages(
                base, shots, address, browser=browser, by_menu=True, sections=first_view
            )
        ((last_day,),) = query(
            snapshot_path, "select max(interval_local_date) from marts.fct_interval_service"
        )
        first_day = last_day - timedelta(days=27)
        # The CSV is written when the button is pressed: it arrives, and holds the card.
        scorecard = _download_scorecard(browser, base, first_day, last_day, tmp_path)
    offered = dict(
        query(
            snapshot_path,
            """select queue_name, sum(offered_legs) from marts.fct_interval_service
            where interval_local_date between ? and ? group by 1""",
            [first_day, last_day],
        )
    )
    offered[ALL_QUEUES] = sum(offered.values())
    downloaded = {
        row["queue"]: float(row["value"]) for row in scorecard if row["figure"] == "Offered"
    }
    assert downloaded == offered
    assert [visit.title for visit in visits[: len(PAGES)]] == [t for t, _ in PAGES.values()]
    assert all(v.screenshot.stat().st_size > 10_000 for v in visits if v.screenshot)
    sections = [visit for visit in visits if "section=" in visit.query]
    assert {visit.path for visit in sections} == {"overview", "service", "journey", "agents"}
    assert all(visit.section in visit.query.replace("+", " ") for visit in sections)
    assert len(visits) == len(PAGES) * (len(presets) + len(filtered)) + len(sections)
    for visit in visits:
        where = (visit.path, visit.query)
        assert visit.exceptions == [], (where, visit.exceptions)
        assert visit.title == PAGES[visit.path][0], where
        if filtered.get(visit.query, True):
            assert visit.has_key_element, where
        assert 0 not in visit.chart_marks, (where, visit.chart_marks)  # -1: on a canvas
