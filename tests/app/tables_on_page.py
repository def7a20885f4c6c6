"""The tables a page shows (ccw.dashboard.tables), read back from its HTML as a manager
reads them: headings and the text of each cell."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd
from streamlit.testing.v1 import AppTest


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def page_tables(app: AppTest) -> list[pd.DataFrame]:
    """Each table of the page, in order: its headings and rows, each cell's text as
    shown (formatted)."""
    frames = []
    for element in app.html:
        if 'class="ccw-table"' not in element.value:
            continue
        cells = _Cells()
        cells.feed(element.value)
        head, *rows = [row for row in cells.rows if row]
        frames.append(pd.DataFrame(rows, columns=head))
    return frames
