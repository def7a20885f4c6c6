"""Queue scorecard: what a manager reads first. Every queue's service, staffing, cost
and loyalty for the period, against its targets and earlier periods."""

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from ccw.dashboard import queries, scorecard, ui
from ccw.dashboard.definitions import hover, parameter
from ccw.labels import human

filters = ui.start_page(
    "Queue scorecard",
    "Each queue for the period, against its targets and earlier periods. Hover a figure "
    "for its definition and a cell for its sample and comparisons.",
    marts=(
        "fct_interval_service",
        "fct_daily_service",
        "fct_daily_wait_distribution",
        "fct_call_legs",
        "fct_daily_calls",
    ),
)
span = ui.load(queries.data_range)
now = ui.load(queries.queue_scorecard, filters)
if now.empty or not now["offered_legs"].sum():
    st.info("No calls offered for these filters. Choose another period or clear a filter.")
    st.stop()
earlier = [
    (label, ui.load(queries.queue_scorecard, period))
    for label, period in filters.comparisons(span.first_day)
]
min_sample = int(parameter("min_sample_size"))
min_z = float(parameter("significant_change_z"))
card = scorecard.build(now, earlier, min_sample, min_z)
st.html(scorecard.to_html(card, hover))
compared = " and with ".join(card.compared_with) or "nothing (the data starts here)"
st.caption(
    f"Changes are against {compared} (prev.: the period before). A change is coloured green "
    f"(better) or red (worse) only when it is larger than its noise ({min_z:g} standard "
    "errors; blue: a significant change that is neither good nor bad); grey changes are "
    f"within noise. A figure over fewer than {min_sample} legs, calls, intervals or "
    "responses is grey and marked as a small sample, never judged. The bar at a cell's "
    "right says whether it meets the queue's target (settings: queue_targets)."
)
followed = filters.latest_ended(span.resolution_known_until, span.first_day)
followed_note = (
    f" Calls of the latest {parameter('repeat_window_days')} days are still being followed, "
    f"so these are partial: the latest period followed in full is "
    f"[{ui.days_words(followed)}](?{urlencode(followed.to_query_params(), doseq=True)})."
    if followed
    else ""
)
st.caption(
    "Service, staffing and handling figures follow the queue filter only; cost, FCR and "
    "CSAT count the calls by their first queue and follow every filter. FCR and cost per "
    "resolved contact count only calls whose repeat window has ended." + followed_note
)
ui.download(scorecard.rows(card), "queue_scorecard")

st.subheader("Look into a queue")
queues = [queue for queue in card.queues if queue != queries.ALL_QUEUES]
chosen = st.selectbox(
    "Queue",
    queues,
    format_func=human,
    # A new period or queue filter is a new list: start again from the first queue.
    key=f"scorecard_queue_{filters.start}_{filters.end}_{'_'.join(filters.queue)}",
)
intervals = ui.load(queries.worst_intervals, filters, chosen, None)
if not ui.nothing_to_show(intervals, "intervals with calls"):
    missed = int((~intervals["meets_target"].fillna(True)).sum())
    st.caption(
        f"{human(chosen)}: {len(intervals):,} intervals with calls, {missed:,} below its "
        "target; the most callers past the threshold first. Open Service by interval with "
        "this queue chosen for the day-by-interval picture."
    )

    def _service_level_in_red_when_missed(row):
        met = shown.loc[row.name, "meets_target"]
        missed_here = not pd.isna(met) and not met
        return [
            "color: #c62828" if name == "service_level" and missed_here else ""
            for name in row.index
        ]

    shown = intervals.head(48).assign(
        interval=lambda rows: rows["interval_start_local"].dt.strftime("%a %d %b %H:%M")
    )
    ui.table(
        shown,
        labels={
            "interval": "Interval (local)",
            "offered_legs": "Offered",
            "legs_missing_the_threshold": "Past the threshold",
            "service_level": "Service level",
            "service_level_target": "Target",
            "abandon_rate": "Abandon rate",
            "asa_seconds": "ASA (s)",
            "wait_p90_seconds": "Wait p90 (s)",
            "aht_seconds": "AHT (s)",
            "staffed_agents": "Staffed",
            "required_agents_erlang_c": "Required (Erlang C)",
        },
        formats={
            "service_level": "{:.1%}",
            "service_level_target": "{:.0%}",
            "abandon_rate": "{:.1%}",
            "asa_seconds": "{:,.0f}",
            "wait_p90_seconds": "{:,.0f}",
            "aht_seconds": "{:,.0f}",
            "staffed_agents": "{:.1f}",
            "required_agents_erlang_c": "{:.0f}",
        },
        colour=_service_level_in_red_when_missed,
        height=520,
    )
    ui.download(intervals, f"intervals_{chosen}")
