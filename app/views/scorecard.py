"""Queue scorecard: what a manager reads first. Every queue's service, staffing, cost
and loyalty for the period, against its targets and earlier periods."""

import streamlit as st

from ccw.dashboard import queries, scorecard, ui
from ccw.dashboard.definitions import hover, parameter

filters = ui.start_page(
    "Queue scorecard",
    "Each queue for the period, against its targets and earlier periods. Hover a figure "
    "for its definition and a cell for its sample and comparisons.",
    marts=("fct_interval_service", "fct_daily_service", "fct_call_legs", "fct_daily_calls"),
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
st.caption(
    "Service, staffing and handling figures follow the queue filter only; cost, FCR and "
    "CSAT count the calls by their first queue and follow every filter. FCR and cost per "
    "resolved contact count only calls whose repeat window has ended: a recent period "
    "shows n/a until it has."
)
ui.download(scorecard.rows(card), "queue_scorecard")
