"""Drive the running app in Debian's Chromium (headless) through Playwright: load
every page, wait for it to finish, look for exceptions, take screenshots. Used by the
browser test and by `make screenshots` for docs/app.md."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# url path: (title, a selector every good render of the page shows)
PAGES = {
    "": ("Queue scorecard", ".ccw-scorecard"),
    "overview": ("Overview", '[data-testid="stMetric"], .vega-embed'),  # tiles or trends
    "cost_vs_loyalty": ("Cost vs loyalty", ".vega-embed"),
    "service": ("Service by interval", ".ccw-heatmap, .vega-embed"),  # or a section's charts
    "journey": ("Customer journey", ".vega-embed"),
    "agents": ("Agents and retention", ".vega-embed"),
    "definitions": ("Definitions", '[data-testid="stDataFrame"]'),
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_app(snapshot: Path, port: int | None = None) -> Iterator[str]:
    """`ccw app` on a free port, reading `snapshot`; yields its base URL."""
    port = port or free_port()
    environment = dict(os.environ, CCW_PUBLISHED=str(snapshot))
    process = subprocess.Popen(
        [sys.executable, "-m", "ccw.cli", "app", "--server.port", str(port),
         "--server.address", "127.0.0.1"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as reply:
                    if reply.read() == b"ok":
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the app did not start") from None
                time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


@dataclass
class PageVisit:
    path: str
    query: str
    title: str
    exceptions: list[str]
    has_key_element: bool
    console_errors: list[str]
    seconds: float  # from the request to the page fully drawn
    chart_marks: list[int]  # per chart, the marks it drew (0: an empty chart; -1: a canvas)
    screenshot: Path | None
    section: str = ""  # the tab open on a page in sections (ccw.dashboard.ui.sections)


def visit_pages(
    base: str,
    out: Path | None,
    query: str = "",
    height: int = 900,
    paths: tuple[str, ...] | None = None,
    browser=None,
    by_menu: bool = False,
    sections: bool = False,
    tab=None,
) -> list[PageVisit]:
    """Visit every page (or those of ``paths``) with ``query`` in the address; save a
    screenshot of each into ``out`` (None: none). The viewport is `height` pixels tall
    (Streamlit scrolls inside its own container, so a taller viewport is what shows
    more of a page). ``browser``: a Playwright browser already launched (each call
    opens a new context: a browser with nothing cached), or a context of one (its
    cache kept from call to call, as a returning visitor's), else one for these
    visits. ``by_menu``: open the first page by its address and the others by
    clicking them in the menu, as a manager moves through the app (the address and
    the filters carry over); else each by its address, as a shared link opens.
    ``sections``: then open each other section of a page in sections by its address
    (``section=`` its tab's label), a visit each. ``tab``: a page of the browser to
    visit in, kept open (None: a new one, closed after); one already showing the app
    with ``query`` opens even the first page through the menu."""
    if browser is None and tab is None:
        with chromium() as launched:
            return visit_pages(base, out, query, height, paths, launched, by_menu, sections)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    visits = []
    page = tab or browser.new_page()
    page.set_viewport_size({"width": 1440, "height": height})
    console_errors: list[str] = []

    def on_console(message) -> None:
        if message.type == "error":
            console_errors.append(message.text)

    page.on("console", on_console)
    opened = tab is not None and tab.url.startswith(base)
    for path, (title, key_selector) in PAGES.items():
        if paths is not None and path not in paths:
            continue
        console_errors.clear()
        started = time.monotonic()
        if by_menu and opened:
            page.locator(f'[data-testid="stSidebarNavItems"] a[href$="/{path}"]').first.click()
            page.wait_for_function(_TITLE_IS, arg=title, timeout=60_000)
        else:
            page.goto(f"{base}/{path}{query}")
        opened = True
        visits.append(_drawn(page, path, query, key_selector, started, out, console_errors))
        if not sections:
            continue
        for label in page.locator('[role="tab"]').all_inner_texts()[1:]:
            console_errors.clear()
            section = f"{query}{'&' if query else '?'}section={urllib.parse.quote_plus(label)}"
            started = time.monotonic()
            page.goto(f"{base}/{path}{section}")
            visit = _drawn(page, path, section, key_selector, started, out, console_errors)
            visits.append(visit)
    page.remove_listener("console", on_console)
    if tab is None:
        page.close()
    return visits


def _drawn(page, path, query, key_selector, started, out, console_errors) -> PageVisit:
    """The visit of the page being drawn: waits for it, takes its screenshot."""
    seconds = wait_until_drawn(page) - started
    tabs = page.locator('[role="tab"][aria-selected="true"]').all_inner_texts()
    section = tabs[0] if tabs else ""
    shot = None
    if out is not None:
        name = path or "scorecard"
        if section and section != page.locator('[role="tab"]').first.inner_text():
            name += "_" + "_".join(section.lower().split())
        shot = out / f"{name}.png"
        page.screenshot(path=str(shot), full_page=True)
    return PageVisit(
        path,
        query,
        page.locator("h1").first.inner_text(),
        page.locator('[data-testid="stException"]').all_inner_texts(),
        page.locator(key_selector).count() > 0,
        list(console_errors),
        seconds,
        chart_marks(page),
        shot,
        section,
    )


@contextmanager
def chromium() -> Iterator:
    """Debian's headless Chromium, through Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# Every chart's marks (bars, points, labels, cells), as Vega draws them into its SVG;
# -1 for a chart drawn on a canvas (a large one, such as a 90-day heatmap), whose
# marks cannot be counted.
_CHART_MARKS = """() => Array.from(document.querySelectorAll('.vega-embed'))
    .map(chart => chart.querySelector('canvas') ? -1
        : chart.querySelectorAll('svg .role-mark > *').length)"""
# Done: the script has run, the title is there, no element still shows the skeleton
# Streamlit puts in its place until the code that draws it has loaded (a chart's or a
# metric's: it stays after the script has finished, the longer on a slow machine), and
# every chart has drawn its SVG.
_DRAWN = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return null;
    if (!document.querySelector('h1')) return null;
    if (document.querySelector('[data-testid="stSkeleton"]')) return null;
    const charts = Array.from(document.querySelectorAll('.vega-embed'));
    if (charts.some(chart => !chart.querySelector('svg, canvas'))) return null;
    return charts.length;
}"""


# The page's title is the one clicked in the menu (its script has started drawing it).
_TITLE_IS = """(title) => {
    const heading = document.querySelector('h1');
    return heading !== null && heading.innerText.trim() === title;
}"""


def chart_marks(page) -> list[int]:
    return page.evaluate(_CHART_MARKS)


def wait_until_drawn(page, timeout_seconds: float = 60) -> float:
    """Wait until the page's script has run (a page that stops early, saying there is
    no data, has too) with every chart drawn, and it stays so 100 ms later (Streamlit
    adds elements as the script sends them). Returns when it was first so (time's
    monotonic clock); past the timeout, the time then, and the caller judges what is
    there."""
    deadline = time.monotonic() + timeout_seconds
    seen, since = None, None
    while time.monotonic() < deadline:
        drawn = page.evaluate(_DRAWN)
        if drawn is not None and drawn == seen:
            return since
        if drawn != seen or since is None:
            seen, since = drawn, time.monotonic()
        page.wait_for_timeout(20 if drawn is None else 100)
    return time.monotonic()
