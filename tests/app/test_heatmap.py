"""Service by interval's heatmap (ccw.dashboard.heatmap) on hand-made intervals: each
cell's figure, colour, mark, tooltip and link."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import pandas as pd

from ccw.dashboard.heatmap import GREEN, RED, YELLOW, colour, to_html


class _Cells(HTMLParser):
    """Each body cell as (its day's heading, its attributes, its link, its text)."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.cells: list[dict] = []
        self._day = ""
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "th":
            self._in = "th"
            if "title" in attributes:  # an interval's column
                self.headings.append(attributes["title"])
        elif tag == "td":
            self._in = "td"
            self.cells.append({"day": self._day, "text": "", **attributes})
        elif tag == "a" and self._in == "td":
            self.cells[-1]["href"] = attributes["href"]

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self._in = None

    def handle_data(self, data):
        if self._in == "td":
            self.cells[-1]["text"] += data
        elif self._in == "th" and data.strip() and data[0].isalpha():
            self._day = data.strip()


def _interval(day: date, label: str, level: float, target: float, measured: int) -> dict:
    return {
        "cell": f"{day} {label}", "day": day, "interval_label": label,
        "service_level": level, "service_level_target": target,
        "against_target": f"{100 * (level - target):+.1f} pts", "measured": measured,
        "offered_legs": measured + 2, "staffed_agents": 4.0,
        "required_agents_erlang_c": None if level == 1 else 5,
    }  # fmt: skip


def test_each_interval_is_a_figure_coloured_against_the_target_and_a_link():
    monday, tuesday = date(2026, 5, 18), date(2026, 5, 19)
    cells = pd.DataFrame(
        [
            _interval(monday, "08:00", 0.0, 0.8, 10),
            _interval(monday, "08:30", 0.85, 0.9, 40),  # above the scale's target, below its own
            _interval(monday, "09:00", 0.796, 0.8, 50),  # missed by a little: 79, not 80
            _interval(tuesday, "08:00", 1.0, 0.8, 7),
            # Tuesday 08:30: no legs measured, no cell
            _interval(tuesday, "09:00", 0.29, 0.8, 100),  # 0.29 * 100 is 28.999… in floats
        ]
    )
    page = _Cells()
    page.feed(to_html(cells, 0.8, "measured", link=lambda cell: f"?interval={cell}"))
    assert page.headings == ["08:00", "08:30", "09:00"]  # every interval's time on hover
    by_place = {(cell["day"], cell["text"]): cell for cell in page.cells}
    assert [cell["text"] for cell in page.cells] == ["0", "85", "79", "100", "", "29"]
    assert [cell["day"] for cell in page.cells] == ["Mon 18 May"] * 3 + ["Tue 19 May"] * 3

    empty = by_place[("Mon 18 May", "0")]
    assert RED in empty["style"] and empty["class"] == "ccw-missed"
    assert empty["href"] == "?interval=2026-05-18 08:00"
    assert "0.0% of 10 legs (target 80%, -80.0 pts)" in empty["title"]

    missed_own = by_place[("Mon 18 May", "85")]
    assert missed_own["class"] == "ccw-missed"  # bold: below its queue's own 90%
    assert colour(0.85, 0.8) in missed_own["style"]  # green side of the view's 80%

    full = by_place[("Tue 19 May", "100")]
    assert GREEN in full["style"] and "class" not in full
    assert "n/a required" in full["title"]  # a missing figure, never "nan"


def test_the_scale_turns_at_the_target():
    assert colour(0.0, 0.8) == RED
    assert colour(0.8, 0.8) == YELLOW
    assert colour(1.0, 0.8) == GREEN
    assert colour(0.4, 0.8) == colour(0.5, 1.0)  # halfway to the target, whatever it is
    assert colour(0.9, 0.8) not in (YELLOW, GREEN)
