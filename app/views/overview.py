"""Overview: the headline cost and loyalty numbers, each against the previous period."""

import altair as alt
import pandas as pd
import streamlit as st

from ccw.dashboard import queries, scorecard, ui
from ccw.dashboard.definitions import parameter
from ccw.dashboard.theme import PALETTE

filters = ui.start_page(
    "Overview",
    "Cost and loyalty at a glance. Each number is compared with the period before; a "
    "change is coloured only when it is larger than its noise. Hover a number for its "
    "definition.",
    marts=("fct_daily_calls", "fct_daily_customers", "fct_agent_months"),
)
previous = filters.previous_period()
span = ui.load(queries.data_range)
# The overview shows the customer churn rate (period_churn), not churn after calls.
now = ui.load(queries.customer_measures, filters)
before = ui.load(queries.customer_measures, previous)
churn_now = ui.load(queries.period_churn, filters)
churn_before = ui.load(queries.period_churn, previous)
# Attrition is monthly: the months the period overlaps, against as many months before.
months_shown = filters.whole_months()
attrition_now = ui.load(queries.attrition_measures, filters)
attrition_before = ui.load(queries.attrition_measures, filters.months_before())
# FCR needs the repeat window after each call: for a recent period, also the latest
# period of its kind whose calls have all been followed.
followed = filters.latest_ended(span.resolution_known_until, span.first_day)
followed_now = ui.load(queries.customer_measures, followed) if followed else None
# Before the data starts there is nothing to compare with: show no change rather than
# a change from zero.
has_previous = before["calls"] > 0

if now["calls"] == 0:
    st.info("No calls for these filters. Widen the dates or clear a filter.")
    st.stop()


def verdict(key: str, current: dict, earlier: dict) -> str | None:
    """Better, worse, within noise or not judged (the scorecard's rule)."""
    if not has_previous:
        return None
    return scorecard.judge(
        key, current, earlier, ui.min_sample(), float(parameter("significant_change_z"))
    ).verdict


def tiles_section() -> None:
    """The headline numbers of the period, each against the period before."""
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
        verdict("cost_per_contact", now, before),
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
        verdict("cost_per_resolved", now, before),
    )
    ui.followed_in_full(row[1], followed, followed_now, "cost_per_resolved_contact", "${:,.2f}")
    ui.tile(
        row[2],
        "First-contact resolution",
        now["fcr"],
        before["fcr"],
        "{:.1%}",
        "fcr",
        f"{now['resolution_observed_calls']:,} answered calls followed for "
        f"{parameter('repeat_window_days')} days",
        verdict=verdict("fcr", now, before),
    )
    ui.followed_in_full(row[2], followed, followed_now, "fcr", "{:.1%}")
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
        verdict=verdict("csat", now, before),
    )
    row = st.columns(4)
    ui.tile(
        row[0],
        "NPS",
        now["nps"],
        before["nps"],
        "{:.1f}",
        "nps",
        f"{now['nps_responses']:,} responses",
        verdict=verdict("nps", now, before),
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
        verdict("churn", churn_now, churn_before),
    )
    ui.tile(
        row[2],
        "Agent attrition (annualized)",
        attrition_now["agent_attrition_annualized"],
        attrition_before["agent_attrition_annualized"] if attrition_before["agent_days"] else None,
        "{:.0%}",
        "agent_attrition_annualized",
        f"{attrition_now['agent_exits']:,} exits in {ui.months_words(months_shown, span.last_day)}",
        "down",
    )
    ui.tile(
        row[3],
        "Cost of attrition",
        attrition_now["agent_attrition_cost"],
        attrition_before["agent_attrition_cost"] if attrition_before["agent_days"] else None,
        "${:,.0f}",
        "agent_attrition_cost",
        f"hiring + ramp in {ui.months_words(months_shown, span.last_day)}",
        "down",
    )
    row[2].caption(
        f"Monthly figures: compared with {ui.months_words(filters.months_before())}."
        if attrition_before["agent_days"]
        else "Monthly figures: no earlier months in the data to compare with."
    )


# The 13 weeks up to the period's end (or the whole period, when longer), so a short
# period is seen against its recent past.
trend_filters = filters.trend_window(span.first_day)
# measure: (label, axis format, the count behind each point, its unit)
TRENDS = {
    "cost_per_contact": ("Cost per contact", "$,.2f", "answered_calls", "answered calls"),
    "cost_per_resolved_contact": (
        "Cost per resolved contact", "$,.2f", "resolved_calls", "resolved calls",
    ),
    "fcr": ("First-contact resolution", ".0%", "resolution_observed_calls", "calls followed"),
    "csat_top2": ("CSAT (top-2-box)", ".0%", "csat_responses", "responses"),
    "nps": ("NPS", ",.0f", "nps_responses", "responses"),
    "churn_rate": (
        "Customer churn (weekly)", ".2%", "customers_active_at_start", "customers",
    ),
    "agent_attrition_annualized": (
        "Agent attrition (monthly, annualized)", ".0%", "average_daily_headcount",
        "agents on average",
    ),
}  # fmt: skip


def _points(frame, measure: str, grain: str = "week") -> pd.DataFrame:
    """One measure's points: its value, the count behind it, and whether its week or
    month lies partly outside the weeks shown."""
    label, _, count, unit = TRENDS[measure]
    marked = ui.mark_partial_periods(frame, trend_filters, grain)
    return pd.DataFrame(
        {
            "period": pd.to_datetime(marked["key"]),
            "measure": label,
            "value": marked[measure],
            "sample": [f"{n:,.0f} {unit}" for n in marked[count].fillna(0)],
            "partial": marked["partial"],
            "part": marked["part"],
        }
    )


def trends_section() -> None:
    """The headline numbers week by week (attrition month by month): the 13 weeks up
    to the period's end, or the whole period."""
    weekly = ui.load(queries.customer_measures_by, trend_filters, "week")
    weekly_churn = ui.load(queries.customer_churn, trend_filters)
    months = ui.load(queries.agent_attrition, trend_filters)
    trend = pd.concat(
        [_points(weekly, measure) for measure in list(TRENDS)[:5]]
        + [
            _points(weekly_churn, "churn_rate"),
            _points(months, "agent_attrition_annualized", "month"),
        ]
    )
    columns = st.columns(3)
    for index, (label, axis_format, _, _) in enumerate(TRENDS.values()):
        points = trend[trend["measure"] == label].dropna(subset=["value"])
        with columns[index % 3]:
            if points.empty:
                st.caption(f"{label}: nothing to show yet for these weeks.")
                continue
            base = alt.Chart(points).encode(
                x=alt.X(
                    "period:T", title=None,
                    # Monthly points get one tick a month ("Mar Mar Apr" otherwise).
                    axis=alt.Axis(format="%b", tickCount={"interval": "month", "step": 1})
                    if "monthly" in label
                    else alt.Axis(format="%d %b", tickCount=5),
                ),
                y=alt.Y(
                    "value:Q", title=None, scale=alt.Scale(zero=False),
                    axis=alt.Axis(format=axis_format),
                ),
                tooltip=[
                    alt.Tooltip("period:T", title="week or month from", format="%a %d %b %Y"),
                    alt.Tooltip("value:Q", title=label, format=axis_format),
                    alt.Tooltip("sample:N", title="over"),
                    alt.Tooltip("part:N", title="period"),
                ],
            )  # fmt: skip
            line = base.mark_line(color=PALETTE[0])
            dots = base.mark_point(size=50, filled=True, color=PALETTE[0]).encode(
                fill=alt.condition("datum.partial", alt.value("white"), alt.value(PALETTE[0]))
            )
            st.altair_chart((line + dots).properties(title=label, height=150), width="stretch")
    st.caption(
        f"Weeks from Monday, the 13 up to {filters.end:%a %d %b} (or the whole period when "
        "longer); open points are weeks or months only partly in the data or the period, "
        "so read them with care. Hover a point for the count behind it. FCR and cost per "
        "resolved contact count only answered calls whose repeat window has ended, so the "
        "last weeks show fewer calls, not better ones."
    )
    ui.download(trend, "overview_trends")


ui.sections({"This period": tiles_section, "Trends": trends_section})
