"""The app in a real browser: Debian's headless Chromium through Playwright loads every
page of `ccw app`, served on the published snapshot of the tiny landing."""

from __future__ import annotations

from pathlib import Path

from ccw.dashboard.browser import PAGES, running_app, visit_pages

SCREENSHOTS = Path(__file__).resolve().parents[2] / "target" / "screenshots"


def test_every_page_loads_in_chromium_without_an_exception(snapshot_path):
    with running_app(snapshot_path) as base:
        visits = visit_pages(base, SCREENSHOTS)
    assert [visit.title for visit in visits] == [title for title, _ in PAGES.values()]
    for visit in visits:
        assert visit.exceptions == [], (visit.path, visit.exceptions)
        assert visit.has_key_element, visit.path
        assert visit.screenshot.stat().st_size > 10_000, visit.path
