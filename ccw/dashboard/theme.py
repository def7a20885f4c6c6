"""The look of every chart, in the app and in the weekly report's images."""

from __future__ import annotations

import altair as alt

PALETTE = ["#1f5f8b", "#e07b39", "#3a9d5d", "#c23b3b", "#7d5ba6", "#8c8c8c"]


def _ccw_theme() -> dict:
    return {
        "config": {
            "range": {"category": PALETTE},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "grid": True},
            "legend": {"labelFontSize": 12, "titleFontSize": 12},
            "view": {"stroke": None},
        }
    }


def use_ccw_theme() -> None:
    alt.themes.register("ccw", _ccw_theme)
    alt.themes.enable("ccw")
