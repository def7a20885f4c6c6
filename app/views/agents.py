"""Agents and retention: who leaves, when, and what it costs customers and the budget."""

import altair as alt
import streamlit as st

from ccw.dashboard import queries, ui
from ccw.dashboard.definitions import hover, parameter
from ccw.dashboard.theme import PALETTE
from ccw.labels import human

AGENT_MONTH_DAYS = 365.25 / 12  # agent-days of headcount in an agent-month

filters = ui.start_page(
    "Agents and retention",
    "Headcount, hires and exits; where attrition concentrates; how new agents ramp up "
    "and what their customers experience; what turnover costs.",
    marts=("dim_agents", "fct_agent_retention", "fct_agent_months", "fct_agent_survival",
           "fct_daily_agent_legs", "fct_daily_answered_calls_by_tenure"),
)  # fmt: skip
months = ui.load(queries.agent_attrition, filters)
if ui.nothing_to_show(months, "roster months"):
    st.stop()


def attrition_section() -> None:
    """Headcount, hires and exits, and where attrition concentrates."""
    st.subheader("Headcount, hires and exits")
    flows = months.melt(id_vars="key", value_vars=["hires", "exits"], var_name="movement")
    bars = (
        alt.Chart(flows)
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(key):O", title=None),
            xOffset="movement:N",
            y=alt.Y("value:Q", title="Agents hired or leaving"),
            color=alt.Color(
                "movement:N",
                title=None,
                scale=alt.Scale(domain=["hires", "exits"], range=[PALETTE[2], PALETTE[3]]),
            ),
            tooltip=["movement", alt.Tooltip("value:Q", title="agents")],
        )
    )
    headcount = (
        alt.Chart(months)
        .mark_line(point=True, color="#333")
        .encode(
            x=alt.X("yearmonth(key):O"),
            y=alt.Y("average_daily_headcount:Q", title="Average daily headcount"),
            tooltip=[
                alt.Tooltip("average_daily_headcount:Q", format=".1f"),
                alt.Tooltip(
                    "agent_attrition_annualized:Q", title="annualized attrition", format=".0%"
                ),
            ],
        )
    )
    ui.chart(
        alt.layer(bars, headcount).resolve_scale(y="independent").properties(height=260),
        months,
        "headcount_hires_exits",
        follows=("dates", "site", "team"),
    )
    st.caption(hover("agent_attrition_annualized"))

    left, right = st.columns(2)
    with left:
        st.subheader("Attrition by team")
        teams = ui.load(queries.team_attrition, filters)
        if not ui.nothing_to_show(teams, "teams"):
            teams = ui.mark_small_samples(
                teams.assign(agent_months=teams["agent_days"] / AGENT_MONTH_DAYS),
                "agent_months",
                "agent-months",
            )
            ui.chart(
                alt.Chart(teams)
                .mark_bar(color=PALETTE[3])
                .encode(
                    y=alt.Y(
                        "team_name:N", sort="-x", title=None, axis=alt.Axis(labelOverlap=False)
                    ),
                    x=alt.X(
                        "agent_attrition_annualized:Q",
                        title="Annualized attrition",
                        axis=alt.Axis(format="%"),
                    ),
                    opacity=ui.SMALL_SAMPLE_OPACITY,
                    tooltip=[
                        "site_name",
                        "team_name",
                        alt.Tooltip(
                            "agent_attrition_annualized:Q", title="attrition", format=".0%"
                        ),
                        alt.Tooltip("sample:N", title="over"),
                        "exits",
                        "early_exits",
                        "hires",
                        alt.Tooltip("average_daily_headcount:Q", format=".1f"),
                        alt.Tooltip("attrition_cost:Q", format="$,.0f"),
                    ],
                )
                .properties(height=alt.Step(20)),
                teams,
                "attrition_by_team",
                follows=("dates", "site", "team"),
            )
    with right:
        st.subheader("Attrition by tenure band")
        bands = ui.load(queries.attrition_by_tenure, filters)
        if not ui.nothing_to_show(bands, "agent months"):
            bands = ui.mark_small_samples(
                bands.rename(columns={"key": "tenure_band"}).assign(
                    agent_months=lambda frame: frame["agent_days"] / AGENT_MONTH_DAYS
                ),
                "agent_months",
                "agent-months",
            )
            ui.chart(
                alt.Chart(bands)
                .mark_bar(color=PALETTE[4])
                .encode(
                    x=alt.X("tenure_band:N", sort=ui.bands("tenure"), title=None),
                    y=alt.Y(
                        "agent_attrition_annualized:Q",
                        title="Exits per agent-year",
                        axis=alt.Axis(format="%"),
                    ),
                    opacity=ui.SMALL_SAMPLE_OPACITY,
                    tooltip=[
                        "tenure_band",
                        alt.Tooltip("agent_exits:Q", title="exits"),
                        alt.Tooltip("sample:N", title="over"),
                    ],
                )
                .properties(height=260),
                bands,
                "attrition_by_tenure",
                follows=("dates", "site", "team"),
            )
    st.caption(ui.small_sample_note("agent-months of headcount"))


def retention_section() -> None:
    """How long agents stay, what foretells an exit, and what exits cost."""
    left, right = st.columns(2)
    with left:
        st.subheader("How long agents stay")
        curve = ui.load(queries.survival_curve, filters)
        if not ui.nothing_to_show(curve, "tenure history"):
            ui.chart(
                alt.Chart(curve)
                .mark_line(interpolate="step-after", color=PALETTE[0])
                .encode(
                    x=alt.X("tenure_days:Q", title="Tenure (days)"),
                    y=alt.Y(
                        "survival:Q",
                        title="Share still employed",
                        axis=alt.Axis(format="%"),
                        scale=alt.Scale(domain=[0, 1]),
                    ),
                    tooltip=[
                        "tenure_days",
                        alt.Tooltip("survival:Q", format=".1%"),
                        alt.Tooltip("at_risk:Q", title="agents at risk"),
                        "exits",
                    ],
                )
                .properties(height=260),
                curve,
                "survival_curve",
                follows=("site", "team"),
            )
            st.caption(
                f"{hover('survival')}. Few agents are observed at long tenures, so the "
                "right of the curve rests on few people: hover for the count at risk."
            )
    with right:
        st.subheader("Engagement as a leading indicator")
        pulse = ui.load(queries.engagement_and_exits, filters)
        if not ui.nothing_to_show(pulse, "pulse survey responses"):
            pulse["exit rate within 3 months"] = (
                pulse["exited_within_3_months"] / pulse["agent_months"]
            )
            pulse["label"] = "n = " + pulse["agent_months"].astype(str)
            pulse = ui.mark_small_samples(pulse, "agent_months", "agent-months")
            bars = (
                alt.Chart(pulse)
                .mark_bar(color=PALETTE[1])
                .encode(
                    x=alt.X("engagement:O", title="Pulse engagement score (1-5)"),
                    y=alt.Y("exit rate within 3 months:Q", axis=alt.Axis(format="%")),
                    opacity=ui.SMALL_SAMPLE_OPACITY,
                    tooltip=[
                        "engagement",
                        alt.Tooltip("exit rate within 3 months:Q", format=".0%"),
                        alt.Tooltip("sample:N", title="over"),
                        alt.Tooltip("exited_within_3_months:Q", title="left within 3 months"),
                    ],
                )
            )
            counts = bars.mark_text(dy=-6, color="#555").encode(text="label:N")
            ui.chart(
                (bars + counts).properties(height=260),
                pulse,
                "engagement_and_exits",
                follows=("site", "team"),
            )
            st.caption(
                "Share of agents who left within three months of their pulse answer; "
                f"n is the number of agent-months behind each bar. "
                f"{ui.small_sample_note('agent-months')}"
            )

    st.subheader("The cost of attrition")
    cost = months.melt(id_vars="key", value_vars=["hire_cost", "ramp_cost"], var_name="part")
    cost["part"] = cost["part"].map({"hire_cost": "replacing exits", "ramp_cost": "ramp-up"})
    ui.chart(
        alt.Chart(cost)
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(key):O", title=None),
            y=alt.Y("value:Q", title="Cost ($)", axis=alt.Axis(format="$,.0f")),
            color=alt.Color("part:N", title=None, legend=alt.Legend(orient="top", labelLimit=400)),
            tooltip=["part", alt.Tooltip("value:Q", format="$,.0f")],
        )
        .properties(height=260),
        months,
        "attrition_cost",
        follows=("dates", "site", "team"),
    )
    st.caption(hover("agent_attrition_cost"))


def team_section() -> None:
    """A team's agents, how new hires ramp up, and their customers' outcomes."""
    st.subheader("A team's agents")
    team_names = ui.load(queries.dimension_values).get("team", [])
    team_choices = [team for team in team_names if not filters.team or team in filters.team]
    if team_choices:
        team = st.selectbox(
            "Team",
            team_choices,
            format_func=human,
            key=f"team_agents_{filters.start}_{filters.end}_{'_'.join(filters.team)}",
        )
        agents = ui.load(queries.team_agents, filters, team)
        if not ui.nothing_to_show(agents, "calls answered by this team"):
            smallest = ui.min_sample()

            def _pale_when_few(row):
                return [
                    "color: #9a9a9a"
                    if (name == "fcr" and row["resolution_observed_calls"] < smallest)
                    or (name == "csat_top2" and row["csat_responses"] < smallest)
                    or (name == "aht_seconds" and row["handled_legs"] < smallest)
                    else ""
                    for name in row.index
                ]

            ui.table(
                agents,
                labels={"agent_id": "Agent", "tenure_days": "Tenure (days)",
                        "answered_calls": "Calls answered", "handled_legs": "Legs handled",
                        "aht_seconds": "AHT (s)", "resolution_observed_calls": "Calls followed",
                        "fcr": "FCR", "csat_responses": "CSAT responses",
                        "csat_top2": "CSAT top-2"},
                formats={"aht_seconds": "{:,.0f}", "fcr": "{:.1%}", "csat_top2": "{:.1%}",
                         "tenure_days": "{:,.0f}"},
                colour=_pale_when_few,
                height=520,
            )  # fmt: skip
            st.caption(
                f"AHT over the legs each agent handled; FCR and CSAT over the calls whose last "
                f"leg they answered, with the counts beside them (grey: fewer than {smallest}). "
                "Schedule adherence is not in the data: no export carries schedules. "
                f"{ui.filters_note()}"
            )
            ui.download(agents, f"agents_of_{team}")

    left, right = st.columns(2)
    with left:
        st.subheader("New-hire ramp")
        ramp = ui.load(queries.new_hire_ramp, filters)
        if not ui.nothing_to_show(ramp, "answered calls"):
            ramp["tenure"] = ramp["tenure_week"].map(lambda w: "26+" if w >= 26 else str(int(w)))
            order = list(ramp["tenure"])
            base = alt.Chart(ramp).encode(
                x=alt.X("tenure:O", sort=order, title="Agent tenure (weeks)")
            )
            ui.chart(
                alt.layer(
                    base.mark_bar(color=PALETTE[0], opacity=0.7).encode(
                        y=alt.Y("aht_seconds:Q", title="AHT (s)"),
                        tooltip=[
                            "tenure",
                            alt.Tooltip("aht_seconds:Q", format=".0f"),
                            alt.Tooltip("answered_calls:Q", format=","),
                        ],
                    ),
                    base.mark_line(point=True, color=PALETTE[1]).encode(
                        y=alt.Y(
                            "fcr:Q",
                            title="FCR",
                            axis=alt.Axis(format="%"),
                            scale=alt.Scale(zero=False),
                        ),
                        tooltip=[
                            "tenure",
                            alt.Tooltip("fcr:Q", format=".1%"),
                            alt.Tooltip("resolution_observed_calls:Q", format=","),
                        ],
                    ),
                )
                .resolve_scale(y="independent")
                .properties(height=260),
                ramp,
                "new_hire_ramp",
            )
            st.caption(
                f"Bars: AHT; line: FCR, of the calls agents answered, by their tenure. "
                f"Agents reach full speed by {parameter('ramp_days')} days."
            )
    with right:
        st.subheader("Customer outcomes by agent tenure")
        sums = ui.load(queries.outcomes_by_agent_tenure, filters).sort_values(
            "agent_tenure_band", key=lambda labels: labels.map(ui.bands("tenure").index)
        )
        if sums[ui.ratio_counts("fcr")[1]].sum() == 0:
            days = parameter("repeat_window_days")
            st.info(f"No answered calls followed for {days} days in this view.")
        else:
            # Each rate with the calls behind it; churn only once some calls' 30 days have
            # passed (a recent period has none: an empty axis would look broken).
            rates = {
                "first-contact resolution": "fcr",
                "churn within 30 days": "churn_30d_after_call",
            }
            if sums[ui.ratio_counts("churn_30d_after_call")[1]].sum() == 0:
                rates.pop("churn within 30 days")
            outcomes = sums[["agent_tenure_band"]].assign(
                **{outcome: sums[metric] for outcome, metric in rates.items()},
                **{f"{outcome} calls": sums[ui.ratio_counts(metric)[1]]
                   for outcome, metric in rates.items()},
            )  # fmt: skip
            order = ui.bands("tenure")
            # Two rates of different sizes (FCR near 75%, churn near 2%): one axis each.
            base = alt.Chart(outcomes).encode(
                x=alt.X("agent_tenure_band:N", sort=order, title="Agent tenure")
            )
            lines = [
                base.mark_line(point=True, color=colour).encode(
                    y=alt.Y(
                        f"{outcome}:Q",
                        title=outcome.capitalize(),
                        axis=alt.Axis(format="%", titleColor=colour),
                        scale=alt.Scale(zero=False),
                    ),
                    tooltip=[
                        "agent_tenure_band",
                        alt.Tooltip(f"{outcome}:Q", format=".1%"),
                        alt.Tooltip(
                            f"{outcome} calls:Q", title="answered calls followed", format=","
                        ),
                    ],
                )
                for outcome, colour in (
                    ("first-contact resolution", PALETTE[0]),
                    ("churn within 30 days", PALETTE[3]),
                )
                if outcome in rates
            ]
            ui.chart(
                alt.layer(*lines).resolve_scale(y="independent").properties(height=260),
                outcomes,
                "outcomes_by_agent_tenure",
            )
            if "churn within 30 days" not in rates:
                st.caption(
                    "Churn within 30 days is not known yet for the calls of this period: "
                    "30 days have not passed since any of them."
                )


ui.sections(
    {
        "Attrition": attrition_section,
        "Retention and cost": retention_section,
        "Team and new hires": team_section,
    }
)
