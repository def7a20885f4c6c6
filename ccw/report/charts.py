"""The report's charts as PNG images: Altair specs, as the app draws, rendered without
a browser (vl-convert)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ccw.dashboard.theme import use_ccw_theme
from ccw.labels import human

WIDTH = 1000


def _png(chart: alt.TopLevelMixin) -> bytes:
    import vl_convert

    use_ccw_theme()
    return vl_convert.vegalite_to_png(chart.to_json(), scale=2)


def service_level_by_day(days: pd.DataFrame, targets: pd.DataFrame) -> bytes:
    """Each queue's daily service level, from 0 to 100 %, with its target dashed."""
    frame = days.merge(targets, on="queue_name", how="left")
    frame = frame.assign(queue=frame["queue_name"].map(human))
    lines = (
        alt.Chart()
        .mark_line(point=True)
        .encode(
            x=alt.X("service_date:T", title=None, axis=alt.Axis(format="%a %d", tickCount=7)),
            y=alt.Y(
                "service_level:Q",
                title="Service level",
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%"),
            ),
        )
    )
    target = (
        alt.Chart()
        .mark_rule(strokeDash=[6, 4], color="#c23b3b")
        .encode(y="mean(service_level_target):Q")
    )
    chart = (
        alt.layer(lines, target)
        .properties(width=WIDTH // 3 - 40, height=140)
        .facet(facet=alt.Facet("queue:N", title=None), columns=3, data=frame)
    )
    return _png(chart.properties(title="Service level by day (dashed: the queue's target)"))


def offered_by_day(days: pd.DataFrame) -> bytes:
    """Legs offered each day, stacked by queue, from zero."""
    frame = days.assign(queue=days["queue_name"].map(human))
    chart = (
        alt.Chart(frame, title="Legs offered by day")
        .mark_bar()
        .encode(
            x=alt.X("yearmonthdate(service_date):O", title=None,
                    axis=alt.Axis(format="%a %d", labelAngle=0)),
            y=alt.Y("sum(offered_legs):Q", title="Legs offered"),
            color=alt.Color("queue:N", title="Queue"),
        )
        .properties(width=WIDTH - 200, height=220)
    )  # fmt: skip
    return _png(chart)
