"""Overview: the headline cost and loyalty numbers, each against the previous period."""

import altair as alt
import pandas as pd
import streamlit as st

from ccw.dashboard import queries, ui
from ccw.dashboard.definitions import parameter

filters = ui.start_page(
    "Overview",
    "Cost and loyalty at a glance. Each number is compared with the period of the same "
    "length just before; hover a number for its definition.",
    marts=("fct_daily_calls", "fct_daily_customers", "fct_agent_months"),
)
previous = filters.previous_period()
# The overview shows the customer churn rate (period_churn), not churn after calls.
now = ui.load(queries.customer_measures, filters)
before = ui.load(queries.customer_measures, previous)
churn_now = ui.load(queries.period_churn, filters)
churn_before = ui.load(queries.period_churn, previous)
attrition_now = ui.load(queries.attrition_measures, filters)
attrition_before = ui.load(queries.attrition_measures, previous)
attrition_months = ui.load(queries.agent_attrition, filters)
# Before the data starts there is nothing to compare with: show no change rather than
# a change from zero.
has_previous = before["calls"] > 0

if now["calls"] == 0:
    st.info("No calls for these filters. Widen the dates or clear a filter.")
    st.stop()


row = st.columns(4)
ui.tile(
    row[0],
    "Cost per contact",
    now["cost_per_contact"],
    before["cost_per_contact"],
    "${:,.2f}",
    "cost_per_contact",
    f"{now['answered_calls']:,} answered calls",
    "down",
)
ui.tile(
    row[1],
    "Cost per resolved contact",
    now["cost_per_resolved_contact"],
    before["cost_per_resolved_contact"],
    "${:,.2f}",
    "cost_per_resolved_contact",
    f"{now['resolved_calls']:,} resolved of {now['resolution_observed_calls']:,} followed",
    "down",
)
ui.tile(
    row[2],
    "First-contact resolution",
    now["fcr"],
    before["fcr"],
    "{:.1%}",
    "fcr",
    f"{now['resolution_observed_calls']:,} answered calls followed for "
    f"{parameter('repeat_window_days')} days",
)
ui.tile(
    row[3],
    "CSAT (top-2-box)",
    now["csat_top2"],
    before["csat_top2"],
    "{:.1%}",
    "csat_top2",
    f"{now['csat_responses']:,} responses · {now['survey_response_rate']:.0%} response rate"
    if now["surveys_sent"]
    else "no surveys sent",
)
row = st.columns(4)
ui.tile(
    row[0], "NPS", now["nps"], before["nps"], "{:.1f}", "nps", f"{now['nps_responses']:,} responses"
)
ui.tile(
    row[1],
    "Customer churn",
    churn_now["churn_rate"],
    churn_before["churn_rate"] if has_previous else None,
    "{:.2%}",
    "churn_rate",
    f"{churn_now['customers_churned']:,} of {churn_now['customers_active_at_start']:,} "
    "customers (segment filter only)",
    "down",
)
ui.tile(
    row[2],
    "Agent attrition (annualized)",
    attrition_now["agent_attrition_annualized"],
    attrition_before["agent_attrition_annualized"] if has_previous else None,
    "{:.0%}",
    "agent_attrition_annualized",
    f"{attrition_now['agent_exits']:,} exits in the months shown",
    "down",
)
ui.tile(
    row[3],
    "Cost of attrition",
    attrition_now["agent_attrition_cost"],
    attrition_before["agent_attrition_cost"] if has_previous else None,
    "${:,.0f}",
    "agent_attrition_cost",
    "hiring + ramp, months shown",
    "down",
)

st.subheader("Trends")
weekly = ui.load(queries.customer_measures_by, filters, "week")
weekly_churn = ui.load(queries.customer_churn, filters)
measures = {
    "cost_per_contact": "Cost per contact ($)",
    "cost_per_resolved_contact": "Cost per resolved contact ($)",
    "fcr": "FCR",
    "csat_top2": "CSAT top-2-box",
    "nps": "NPS",
}
trend = weekly.melt(id_vars="key", value_vars=list(measures), var_name="measure")
trend["measure"] = trend["measure"].map(measures)
trend = pd.concat(
    [
        trend,
        weekly_churn.rename(columns={"churn_rate": "value"}).assign(
            measure="Customer churn (weekly)"
        )[["key", "measure", "value"]],
        attrition_months.assign(
            value=attrition_months["agent_attrition_annualized"],
            measure="Agent attrition (monthly, annualized)",
        )[["key", "measure", "value"]],
    ]
).rename(columns={"key": "period"})
spec = (
    alt.Chart(trend)
    .mark_line(point=True)
    .encode(
        x=alt.X("period:T", title=None),
        y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)),
        tooltip=[
            "measure",
            alt.Tooltip("period:T", title="week or month starting"),
            alt.Tooltip("value:Q", format=",.3f"),
        ],
    )
    .properties(height=140, width=250)
    .facet(facet=alt.Facet("measure:N", title=None, sort=list(measures.values())), columns=3)
    .resolve_scale(y="independent")
)
st.altair_chart(spec)
st.caption(
    "Weeks start on Monday; the first and last weeks may be partial. FCR and cost per "
    "resolved contact count only answered calls whose repeat window has ended, so the "
    "last week shows fewer calls, not better ones."
)
ui.download(trend, "overview_trends")
