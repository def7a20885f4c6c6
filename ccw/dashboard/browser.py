"""Drive the running app in Debian's Chromium (headless) through Playwright: load
every page, wait for it to finish, look for exceptions, take screenshots. Used by the
browser test and by `make screenshots` for docs/app.md."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
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
    "overview": ("Overview", '[data-testid="stMetric"]'),
    "cost_vs_loyalty": ("Cost vs loyalty", ".vega-embed"),
    "service": ("Service by interval", ".vega-embed"),
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
    title: str
    exceptions: list[str]
    has_key_element: bool
    console_errors: list[str]
    screenshot: Path


def visit_pages(
    base: str, out: Path, query: str = "", height: int = 900, paths: tuple[str, ...] | None = None
) -> list[PageVisit]:
    """Visit every page (or those of ``paths``); the viewport is `height` pixels tall
    (Streamlit scrolls inside its own container, so a taller viewport is what shows
    more of a page)."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    visits = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": height})
        console_errors: list[str] = []
        page.on(
            "console",
            lambda message: (
                console_errors.append(message.text) if message.type == "error" else None
            ),
        )
        for path, (_title, key_selector) in PAGES.items():
            if paths is not None and path not in paths:
                continue
            console_errors.clear()
            page.goto(f"{base}/{path}{query}", wait_until="networkidle")
            page.wait_for_selector("h1", timeout=60_000)
            _wait_for_content(page, key_selector)
            _wait_until_idle(page)
            exceptions = page.locator('[data-testid="stException"]').all_inner_texts()
            has_key = page.locator(key_selector).count() > 0
            shot = out / f"{path or 'scorecard'}.png"
            page.screenshot(path=str(shot), full_page=True)
            visits.append(
                PageVisit(
                    path,
                    page.locator("h1").first.inner_text(),
                    exceptions,
                    has_key,
                    list(console_errors),
                    shot,
                )
            )
        browser.close()
    return visits


def _wait_for_content(page, key_selector: str, timeout_ms: int = 60_000) -> None:
    """The first page of a fresh app imports and opens everything: wait until it
    shows what it is for, or an exception, before judging it."""
    with suppress(Exception):  # judged by the caller: the key element never showed
        page.wait_for_selector(f'{key_selector}, [data-testid="stException"]', timeout=timeout_ms)


def _wait_until_idle(page, timeout_seconds: float = 60) -> None:
    """Streamlit shows a running indicator while the script runs; wait for it to go,
    then for the charts to draw."""
    deadline = time.monotonic() + timeout_seconds
    time.sleep(1)
    while time.monotonic() < deadline:
        if page.locator('[data-testid="stStatusWidget"]').count() == 0:
            break
        time.sleep(0.5)
    page.wait_for_timeout(1500)
