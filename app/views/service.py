"""Service by interval: where and when the center missed its service level, and why."""

import altair as alt
import streamlit as st

from ccw.dashboard import heatmap, queries, ui
from ccw.dashboard.definitions import hover, parameter
from ccw.labels import human

INTERVAL = "interval"  # the address's key for the interval looked into
LOOKED_INTO = "looked-into"  # its heading's anchor: a clicked cell opens there

filters = ui.start_page(
    "Service by interval",
    "Service level by day and half hour, pooled over the queues selected; the daily "
    "average next to the intervals it hides; agents required against agents staffed.",
    marts=("fct_interval_service", "fct_daily_service"),
)
intervals = ui.load(queries.interval_service, filters)
days = ui.load(queries.daily_service, filters)
if ui.nothing_to_show(intervals, "intervals"):
    st.stop()

met, base = ui.ratio_counts("service_level")
heat = intervals[intervals[base] > 0].assign(
    cell=lambda rows: rows["interval_start_at"].astype(str),
    against_target=lambda rows: [
        f"{100 * (level - aim):+.1f} pts"
        for level, aim in zip(rows["service_level"], rows["service_level_target"], strict=True)
    ],
)
# Each queue is judged by its own target (queue_targets); cells of several queues by
# their legs' blended target. The colour scale centres on the view's blended target.
target = float((heat[base] * heat["service_level_target"]).sum() / heat[base].sum())
lowest, highest = heat["service_level_target"].min(), heat["service_level_target"].max()
targets_said = (
    f"target {target:.0%}"
    if highest - lowest < 0.005
    else f"targets {lowest:.0%} to {highest:.0%} by queue"
)


def interval_section() -> None:
    """The heatmap of every interval, and one interval looked into."""
    st.subheader(f"Service level by day and interval ({targets_said})")
    st.html(
        heatmap.to_html(
            heat,
            target,
            base,
            link=ui.addresses_choosing(INTERVAL, LOOKED_INTO),
        )
    )
    st.caption(
        "Each cell: the interval's service level in percent, in bold when below target (each "
        "queue's own; a cell of several queues, their legs' blended target). Hover a cell for "
        f"its sample and staffing, click it to look into it. {hover('service_level')}. "
        f"{ui.filters_note(('dates', 'queue'))}"
    )
    ui.download(heat, "service_heatmap")

    # Drill-down: one interval's queues, calls and agents.
    st.subheader("One interval looked into", anchor=LOOKED_INTO)
    worst_first = heat.sort_values(["service_level", "interval_start_at"])
    cells = list(worst_first["cell"])
    labels = {
        row.cell: f"{row.interval_start_local:%a %d %b %H:%M} · {row.service_level:.0%} of "
        f"{row.offered_legs:,.0f} offered"
        for row in worst_first.itertuples()
    }
    asked = st.query_params.get(INTERVAL)  # a cell clicked, or a shared address
    cell = st.selectbox(
        "Look into an interval (the lowest service level first, or click a cell)",
        cells,
        index=cells.index(asked) if asked in cells else 0,
        format_func=labels.get,
        key=f"interval_{'_'.join(filters.queue)}_{filters.start}_{filters.end}",
    )
    # The address keeps an interval chosen; the lowest first needs no key.
    if cell != cells[0]:
        st.query_params[INTERVAL] = cell
    elif INTERVAL in st.query_params:
        del st.query_params[INTERVAL]
    chosen = worst_first[worst_first["cell"] == cell].iloc[0]
    detail = ui.load(queries.interval_detail, filters, chosen["interval_start_at"])
    figures = detail["figures"].assign(queue=lambda rows: rows["queue_name"].map(human))
    ui.table(
        figures,
        labels={
            "queue": "Queue", "offered_legs": "Offered", "answered_legs": "Answered",
            "abandoned_legs": "Abandoned", "service_level": "Service level",
            "asa_seconds": "ASA (s)", "wait_p90_seconds": "Wait p90 (s)",
            "aht_seconds": "AHT (s)", "staffed_agents": "Staffed",
            "required_agents_erlang_c": "Required (Erlang C)",
        },
        formats={
            "service_level": "{:.0%}", "asa_seconds": "{:,.0f}", "wait_p90_seconds": "{:,.0f}",
            "aht_seconds": "{:,.0f}", "staffed_agents": "{:.1f}",
            "required_agents_erlang_c": "{:.0f}",
        },
    )  # fmt: skip
    left, right = st.columns([2, 3])  # the calls have more columns
    with left:
        agents = detail["agents"]
        st.markdown(f"**Agents who answered its calls** ({len(agents):,})")
        ui.table(
            agents.assign(team=agents["team_name"].map(human)),
            labels={"agent_id": "Agent", "team": "Team", "tenure_days": "Tenure (days)",
                    "legs_answered": "Legs answered",
                    "average_handle_seconds": "Handle time (s)"},
            formats={"average_handle_seconds": "{:,.0f}"},
            height=400,
        )  # fmt: skip
    with right:
        calls = detail["calls"]
        st.markdown(f"**Legs queued in it** ({len(calls):,}; the first 100, all in the CSV)")
        ui.table(
            calls.head(100).assign(
                queued=lambda rows: rows["queued_at"]
                .dt.tz_convert(parameter("timezone"))
                .dt.strftime("%H:%M:%S"),
                queue=lambda rows: rows["queue_name"].map(human),
                agent_id=lambda rows: rows["agent_id"].fillna("none"),  # not answered
            ),
            labels={"queued": "Queued (local)", "queue": "Queue", "caller": "Caller (hash)",
                    "wait_seconds": "Wait (s)", "disposition": "Outcome", "agent_id": "Agent"},
            height=400,
        )  # fmt: skip
        ui.download(calls, "interval_calls")
    st.caption(
        "Callers appear as a hash of their number, never the number or a name. Agents on "
        "shift who answered none of these calls are not listed (agent states are counted in "
        "Staffed, not named)."
    )


def day_section() -> None:
    """What the daily average hides, the wait percentiles and the surge days."""
    st.subheader("The daily average hides the bad intervals")
    meeting = list(ui.ratio_counts("share_of_intervals_meeting_target"))
    pooled = (
        heat.groupby("day")[[met, base]]
        .sum()
        .join(days.groupby("service_date")[meeting].sum())
        .reset_index()
    )
    pooled["daily service level"] = ui.rate(pooled, "service_level")
    pooled["share of intervals meeting target"] = ui.rate(
        pooled, "share_of_intervals_meeting_target"
    )
    lines = pooled.melt(
        id_vars="day",
        value_vars=["daily service level", "share of intervals meeting target"],
        var_name="measure",
    )
    average_chart = (
        alt.Chart(lines)
        .mark_line(point=True)
        .encode(
            x=alt.X("day:T", title=None, axis=ui.DAY_AXIS),
            y=alt.Y("value:Q", title=None, axis=alt.Axis(format="%")),
            color=alt.Color(
                "measure:N", title=None, legend=alt.Legend(orient="top", labelLimit=400)
            ),
            tooltip=[alt.Tooltip("day:T"), "measure", alt.Tooltip("value:Q", format=".1%")],
        )
    )
    target_rule = (
        alt.Chart().mark_rule(strokeDash=[6, 4], color="#c23b3b").encode(y=alt.datum(target))
    )
    ui.chart(
        (average_chart + target_rule).properties(height=280),
        pooled,
        "daily_vs_intervals",
        follows=("dates", "queue"),
    )
    hidden = pooled[
        (pooled["daily service level"] >= target)
        & (pooled["share of intervals meeting target"] < 0.75)
    ]
    st.caption(
        f"{len(hidden)} of {len(pooled)} days met {target:.0%} on the daily average while a "
        "quarter or more of their intervals missed it. "
        f"{hover('share_of_intervals_meeting_target')}."
    )

    st.subheader("Wait-time percentiles")
    percentile = st.radio(
        "Percentile", ["p50", "p80", "p90", "p95"], index=2, horizontal=True, key="percentile"
    )
    waits = days.assign(
        wait=days[f"wait_{percentile}_seconds"], queue=days["queue_name"].map(human)
    )
    ui.chart(
        alt.Chart(waits)
        .mark_line(point=True)
        .encode(
            x=alt.X("service_date:T", title=None, axis=ui.DAY_AXIS),
            y=alt.Y("wait:Q", title=f"{percentile} wait (seconds)"),
            color=alt.Color("queue:N", title="Queue"),
            tooltip=[
                "queue",
                alt.Tooltip("service_date:T", title="day", format="%a %d %b %Y"),
                alt.Tooltip("wait:Q", title=f"{percentile} wait (s)", format=".0f"),
                alt.Tooltip("offered_legs:Q", title="offered", format=","),
            ],
        )
        .properties(height=280),
        waits,
        "wait_percentiles",
        follows=("dates", "queue"),
    )
    st.caption(
        f"{hover('wait_percentiles')}. Percentiles cannot be added up over queues, so "
        "each queue has its own line."
    )

    st.subheader("Surge days")
    volume = (
        days.groupby("service_date")
        .agg(
            offered_legs=("offered_legs", "sum"),
            usual_offered_legs=("usual_offered_legs", "sum"),
            surge_queues=("is_surge_day", "sum"),
        )
        .reset_index()
    )
    volume["day type"] = volume["surge_queues"].map(lambda n: "surge" if n else "usual")
    ui.chart(
        alt.Chart(volume)
        .mark_bar()
        .encode(
            x=alt.X("service_date:T", title=None, axis=ui.DAY_AXIS),
            y=alt.Y("offered_legs:Q", title="Offered legs"),
            color=alt.Color(
                "day type:N",
                title=None,
                scale=alt.Scale(domain=["usual", "surge"], range=["#9bb7cf", "#c23b3b"]),
            ),
            tooltip=[
                alt.Tooltip("service_date:T", title="day"),
                alt.Tooltip("offered_legs:Q", title="offered", format=","),
                alt.Tooltip("usual_offered_legs:Q", title="usual for the weekday", format=",.0f"),
                alt.Tooltip("surge_queues:Q", title="queues in surge"),
            ],
        )
        .properties(height=220),
        volume,
        "surge_days",
        follows=("dates", "queue"),
    )
    st.caption("A surge: a queue offered over 25% more legs than its median for that weekday.")


def staffing_section() -> None:
    """Agents required against agents staffed on one day, interval by interval."""
    st.subheader("Agents required against agents staffed")
    gaps = intervals.assign(gap=intervals["staffed_agents"] - intervals["required_agents_erlang_c"])
    by_day = gaps.groupby("day")["gap"].apply(lambda g: (g < 0).sum()).sort_values(ascending=False)
    day_options = list(by_day.index)
    chosen_day = st.selectbox(
        "Day (the most understaffed first)",
        day_options,
        format_func=lambda d: f"{d:%a %d %b} · {by_day[d]} short intervals",
        # A new choice of queues or dates is a new list: start again from its worst day.
        key=f"gap_day_{'_'.join(filters.queue)}_{filters.start}_{filters.end}",
    )
    one_day = (
        gaps[gaps["day"] == chosen_day]
        .melt(
            id_vars=["interval_start_local", "gap"],
            value_vars=["staffed_agents", "required_agents_erlang_c", "required_agents_erlang_a"],
            var_name="series",
        )
        .replace(
            {
                "staffed_agents": "staffed",
                "required_agents_erlang_c": "required (Erlang C)",
                "required_agents_erlang_a": "required (Erlang A)",
            }
        )
    )
    short = gaps[(gaps["day"] == chosen_day) & (gaps["gap"] < 0)]
    shade = (
        alt.Chart(short)
        .mark_rect(color="#c23b3b", opacity=0.15)
        .encode(
            x="interval_start_local:T",
            x2=alt.X2("interval_end:T"),
        )
        .transform_calculate(
            interval_end=f"datum.interval_start_local + {parameter('interval_minutes')} * 60000"
        )
    )
    agents_lines = (
        alt.Chart(one_day)
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "interval_start_local:T",
                title="Interval (local time)",
                axis=alt.Axis(format="%H:%M"),
            ),
            y=alt.Y("value:Q", title="Agents"),
            color=alt.Color(
                "series:N", title=None, legend=alt.Legend(orient="top", labelLimit=400)
            ),
            tooltip=[
                alt.Tooltip("interval_start_local:T", format="%H:%M", title="interval"),
                "series",
                alt.Tooltip("value:Q", format=".1f"),
            ],
        )
    )
    ui.chart(
        (shade + agents_lines).properties(height=300),
        one_day,
        "required_vs_staffed",
        follows=("dates", "queue"),
    )
    st.caption(f"Shaded: fewer agents staffed than Erlang C requires. {hover('required_agents')}.")


ui.sections({"Intervals": interval_section, "Days": day_section, "Staffing": staffing_section})
