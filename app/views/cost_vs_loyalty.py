"""Cost vs loyalty: where each queue, segment or team sits, and the bad trades."""

from dataclasses import replace

import altair as alt
import streamlit as st

from ccw.dashboard import queries, sentences, ui
from ccw.dashboard.definitions import hover
from ccw.dashboard.theme import PALETTE
from ccw.labels import human

filters = ui.start_page(
    "Cost vs loyalty",
    "Each bubble is a queue, customer segment or team: what a contact costs against "
    "the loyalty it buys, sized by answered calls. Up and to the left is better.",
    marts=("fct_daily_calls", "fct_bad_trades"),
)

BY = {"Queue": "queue", "Customer segment": "segment", "Team": "team"}
MEASURES = {  # label: (column, sample column, sample label, definition, format)
    "NPS": ("nps", "nps_responses", "responses", "nps", ",.1f"),
    "FCR": ("fcr", "resolution_observed_calls", "answered calls followed", "fcr", ".1%"),
    "CSAT top-2-box": ("csat_top2", "csat_responses", "responses", "csat_top2", ".1%"),
    "30-day retention after a call": (
        "retention_30d_after_call",
        "churn_observed_calls",
        "calls followed 30 days",
        "retention_30d_after_call",
        ".2%",
    ),
}
left, right = st.columns(2)
by_label = left.radio("Bubbles", list(BY), horizontal=True, key="bubbles")
measure_label = right.radio("Loyalty measure", list(MEASURES), horizontal=True, key="measure")
by = BY[by_label]
measure, sample_column, sample_label, definition, value_format = MEASURES[measure_label]

frame = ui.load(queries.customer_measures_by, filters, by)
if not ui.nothing_to_show(frame, "calls"):
    frame = frame.rename(columns={"key": by_label})
    frame = frame[frame["answered_calls"] > 0]
    frame = ui.mark_small_samples(frame, sample_column, sample_label).assign(
        name=lambda rows: rows[by_label].map(human)
    )
    pick = alt.selection_point(name="pick", fields=[by_label])
    bubbles = (
        alt.Chart(frame)
        .mark_circle(stroke="white", strokeWidth=1)
        .encode(
            x=alt.X(
                "cost_per_contact:Q",
                title="Cost per contact",
                scale=alt.Scale(domain=ui.readable_domain(frame["cost_per_contact"])),
                axis=alt.Axis(format="$,.2f"),
            ),
            y=alt.Y(
                f"{measure}:Q",
                title=measure_label,
                scale=alt.Scale(domain=ui.readable_domain(frame[measure])),
                axis=alt.Axis(format=value_format.replace(".1", ".0").replace(".2", ".1")),
            ),
            size=alt.Size(
                "answered_calls:Q", title="Answered calls", scale=alt.Scale(range=[80, 2500])
            ),
            # Labels tell the bubbles apart; colours only while each group can have its own.
            color=(
                alt.Color(f"{by_label}:N", legend=None)
                if len(frame) <= len(PALETTE)
                else alt.value(PALETTE[0])
            ),
            opacity=alt.condition("datum.is_small", alt.value(0.25), alt.value(0.8)),
            tooltip=[
                alt.Tooltip("name:N", title=by_label),
                alt.Tooltip("cost_per_contact:Q", title="cost per contact", format="$.2f"),
                alt.Tooltip(f"{measure}:Q", title=measure_label, format=value_format),
                alt.Tooltip("sample:N", title="over"),
                alt.Tooltip("answered_calls:Q", title="answered calls", format=","),
            ],
        )
        .add_params(pick)
    )
    labels = bubbles.mark_text(dy=-16, fontSize=12, color="#333").encode(
        text="name:N", size=alt.value(12), opacity=alt.value(1)
    )
    event = st.altair_chart(
        (bubbles + labels).properties(height=420),
        width="stretch",
        on_select="rerun",
        key="bubble_chart",
    )
    st.caption(
        f"{measure_label}: {hover(definition)}. Click a bubble to drill down. "
        f"{ui.small_sample_note(sample_label).replace('Pale bars', 'Pale bubbles')} "
        f"{ui.filters_note()}"
    )
    ui.download(frame, f"cost_vs_loyalty_by_{by}")

    chosen = [point[by_label] for point in event.selection.get("pick", [])] if event else []
    options = list(frame[by_label])
    focus = st.selectbox(
        "Drill down into",
        options,
        index=options.index(chosen[0]) if chosen and chosen[0] in options else 0,
        format_func=human,
        key=f"drill_{by}",
    )
    weekly = ui.load(queries.customer_measures_by, replace(filters, **{by: (focus,)}), "week")
    weekly = ui.mark_partial_periods(weekly, filters)
    whole_weeks = weekly[weekly["part"] == "whole"]
    weekly = whole_weeks if len(whole_weeks) >= 2 else weekly  # a short period: keep them
    base = alt.Chart(weekly).encode(
        x=alt.X("key:T", title="Week from Monday", axis=alt.Axis(format="%d %b", tickCount="week"))
    )
    cost = base.mark_line(point=True, color=PALETTE[0]).encode(
        y=alt.Y(
            "cost_per_contact:Q",
            title="Cost per contact",
            scale=alt.Scale(domain=ui.readable_domain(weekly["cost_per_contact"])),
            axis=alt.Axis(format="$,.2f"),
        ),
        tooltip=[
            alt.Tooltip("key:T", title="week from", format="%a %d %b %Y"),
            alt.Tooltip("cost_per_contact:Q", title="cost per contact", format="$.2f"),
            alt.Tooltip("answered_calls:Q", title="answered calls", format=","),
            alt.Tooltip("part:N", title="week"),
        ],
    )
    loyalty = base.mark_line(point=True, color=PALETTE[1], strokeDash=[4, 3]).encode(
        y=alt.Y(
            f"{measure}:Q",
            title=measure_label,
            scale=alt.Scale(domain=ui.readable_domain(weekly[measure])),
            axis=alt.Axis(format=value_format.replace(".1", ".0").replace(".2", ".1")),
        ),
        tooltip=[
            alt.Tooltip("key:T", title="week from", format="%a %d %b %Y"),
            alt.Tooltip(f"{measure}:Q", title=measure_label, format=value_format),
            alt.Tooltip(f"{sample_column}:Q", title=sample_label, format=","),
            alt.Tooltip("part:N", title="week"),
        ],
    )
    st.markdown(
        f"**{human(focus)}**: cost per contact (solid) and {measure_label} (dashed), by week"
    )
    ui.chart(
        alt.layer(cost, loyalty).resolve_scale(y="independent").properties(height=260),
        weekly,
        f"drill_down_{by}",
    )

st.subheader("Cost per resolved contact by queue and customer segment")
grid = ui.load(queries.cost_per_resolved_by_queue_and_segment, filters)
if not ui.nothing_to_show(grid, "calls followed for resolution"):
    smallest = ui.min_sample()
    grid = grid.assign(
        queue=grid["queue"].map(human),
        segment=grid["segment"].map(human),
        cell=[
            "n/a"
            if resolved == 0
            else f"${cost:,.2f} · {resolved:,}" + (" (small sample)" if resolved < smallest else "")
            for cost, resolved in zip(
                grid["cost_per_resolved_contact"], grid["resolved_calls"], strict=True
            )
        ],
    )
    followed = grid.groupby("segment")["resolved_calls"].transform("sum") > 0
    table = (
        grid[followed]  # a segment with no call followed (unidentified callers): left out
        .pivot(index="queue", columns="segment", values="cell")
        .fillna("no calls")
        .rename_axis(index="Queue", columns=None)
        .reset_index()
    )
    ui.table(
        table,
        colour=lambda row: [
            "color: #9a9a9a" if "small sample" in cell or cell == "n/a" else "" for cell in row
        ],
    )
    st.caption(
        f"{hover('cost_per_resolved_contact')}. Each cell: the cost, then the resolved calls "
        f"it is over; fewer than {smallest} are grey. {ui.filters_note()}"
    )
    ui.download(grid.drop(columns="cell"), "cost_per_resolved_by_queue_and_segment")

st.subheader("Bad trades: handle time down, repeats or churn up")
trades = ui.load(queries.bad_trades, filters)
if not ui.nothing_to_show(trades, "month-on-month comparisons (they need two months)"):
    trades = trades.assign(
        label=trades["customer_segment"]
        + " · "
        + trades["queue_name"]
        + " · "
        + trades["month_start"].dt.strftime("%b %Y"),
        verdict=trades["is_significant_bad_trade"]
        .map({True: "bad trade, beyond chance", False: "no clear trade-off"})
        .where(trades["is_bad_trade"] | trades["is_significant_bad_trade"], "no trade-off"),
    )
    quadrant = (
        alt.Chart(trades)
        .mark_circle(size=160, opacity=0.8)
        .encode(
            x=alt.X(
                "aht_change_share:Q",
                title="Change in AHT vs previous month",
                axis=alt.Axis(format="%"),
            ),
            y=alt.Y(
                "answered_repeat_rate_change:Q",
                title="Change in repeat rate of answered calls (points)",
                axis=alt.Axis(format="+.1%"),
            ),
            color=alt.Color(
                "verdict:N",
                title=None,
                scale=alt.Scale(
                    domain=["bad trade, beyond chance", "no clear trade-off", "no trade-off"],
                    range=["#c23b3b", "#e0a458", "#9bb7cf"],
                ),
            ),
            tooltip=[
                "label",
                alt.Tooltip("aht_change_share:Q", title="AHT change", format="+.1%"),
                alt.Tooltip(
                    "answered_repeat_rate_change:Q", title="repeat rate change", format="+.1%"
                ),
                alt.Tooltip("answered_repeat_rate_change_z:Q", title="z", format=".1f"),
                alt.Tooltip("churn_rate_30d_change:Q", title="30-day churn change", format="+.2%"),
                alt.Tooltip("answered_observed_calls:Q", title="calls followed", format=","),
            ],
        )
    )
    rules = alt.Chart().mark_rule(color="#888").encode(x=alt.datum(0)) + alt.Chart().mark_rule(
        color="#888"
    ).encode(y=alt.datum(0))
    ui.chart(
        (quadrant + rules).properties(height=380),
        trades,
        "bad_trades",
        follows=("dates", "queue", "segment"),
    )
    flagged = trades[trades["is_significant_bad_trade"]]
    if flagged.empty:
        st.success("No segment or queue cut handle time at a cost beyond chance in this period.")
    for _, trade in flagged.iterrows():
        st.error(sentences.bad_trade(trade))
    st.caption(hover("bad_trade"))
