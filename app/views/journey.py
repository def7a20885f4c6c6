"""Customer journey: what happened before a call and what followed it."""

from dataclasses import dataclass

import altair as alt
import pandas as pd
import streamlit as st

from ccw.dashboard import queries, ui
from ccw.dashboard.definitions import hover, parameter
from ccw.dashboard.theme import PALETTE

filters = ui.start_page(
    "Customer journey",
    "Calls from identified customers: what they tried before calling, and whether they "
    "came back or left after. Only calls whose repeat window (or 30 days, for churn) "
    "has ended count in the rates after a call; CSAT and NPS are the call's own survey.",
    marts=("fct_customer_journey",),
)
calls = ui.load(queries.journey_summary, filters)  # counts of calls ("calls") by kind
if ui.nothing_to_show(calls, "calls from identified customers"):
    st.stop()
repeat_days = parameter("repeat_window_days")
# Outcomes of an answered call: FCR and churn once their windows have ended, CSAT
# and NPS from the call's own survey (answered within days: every answered call counts).
OUTCOMES = {
    "First-contact resolution": "fcr",
    "Churn within 30 days": "churn_30d_after_call",
    "CSAT (4 or 5)": "csat_top2",
    "NPS": "nps",
}
SURVEYED = ("csat_top2", "nps")
COUNTS = list(
    dict.fromkeys(
        count
        for metric in (*OUTCOMES.values(), "ivr_false_containment")
        for count in ui.metric_counts(metric)
    )
)
followed = calls[calls["is_repeat_observed"].fillna(False).astype(bool)]
answered = followed[followed["is_answered"]]
churn_followed = int(followed[ui.sample_count("churn_30d_after_call")].sum())
if followed.empty:
    st.info(
        f"None of these calls has been followed for {repeat_days} days yet, so resolution "
        "and churn after them are not known; CSAT and NPS are. Pick earlier dates "
        "(or last month) to see what came after the calls."
    )
elif churn_followed == 0:
    st.warning(
        "No call in these dates has been followed for 30 days yet, so churn after a call "
        "is left out below: move the start date back a month to see it."
    )


def outcome_section() -> None:
    """From a call to its outcome: answered, then resolved."""
    if followed.empty:
        st.info(
            f"No call in these dates has been followed for {repeat_days} days yet: the "
            "funnel shows calls once their repeat window has ended."
        )
        return
    st.subheader("From call to outcome")
    totals = answered[COUNTS].sum().to_frame().T
    stages = ["Called", "Answered by an agent", f"Resolved: no repeat within {repeat_days} days"]
    counts = [
        int(followed["calls"].sum()),
        int(answered["calls"].sum()),
        int(totals[ui.ratio_counts("fcr")[0]].iloc[0]),
    ]
    funnel = pd.DataFrame({"stage": stages, "calls": counts})
    funnel["share of calls"] = funnel["calls"] / funnel["calls"].iloc[0]
    sort = list(funnel["stage"])
    ui.chart(
        alt.Chart(funnel)
        .mark_bar(color=PALETTE[0])
        .encode(
            y=alt.Y("stage:N", sort=sort, title=None, axis=alt.Axis(labelLimit=250)),
            x=alt.X("calls:Q", title=f"Calls (followed {repeat_days} days)"),
            tooltip=[
                "stage",
                alt.Tooltip("calls:Q", format=","),
                alt.Tooltip("share of calls:Q", format=".1%"),
            ],
        )
        .properties(height=170)
        + alt.Chart(funnel)
        .mark_text(align="left", dx=4)
        .encode(
            y=alt.Y("stage:N", sort=sort),
            x="calls:Q",
            text=alt.Text("share of calls:Q", format=".0%"),
        ),
        funnel,
        "journey_funnel",
    )
    fcr = ui.rate(totals, "fcr").iloc[0]
    churned_after = ui.rate(totals, "churn_30d_after_call").iloc[0]
    churn_note = (
        f" Of the answered calls followed for 30 days, {churned_after:.1%} were followed by "
        "a cancellation within 30 days."
        if churn_followed
        else ""
    )
    st.caption(
        f"{counts[0]:,} calls from identified customers followed for {repeat_days} days. "
        f"FCR {fcr:.1%}: {counts[2]:,} resolved of the {counts[1]:,} answered (the "
        f"Overview's FCR for the same dates and filters).{churn_note} {hover('fcr')}."
    )


known = {"fcr": not followed.empty, "churn_30d_after_call": churn_followed > 0}
available = [label for label, metric in OUTCOMES.items() if known.get(metric, True)]


@dataclass(frozen=True)
class Outcome:
    """The outcome the comparisons show, and the calls and count it is a rate over."""

    label: str
    metric: str
    calls: pd.DataFrame
    sample: str
    unit: str

    @property
    def is_points(self) -> bool:
        return self.metric == "nps"


def pick_outcome() -> Outcome:
    """The outcome radio; kept in the address, so both sections that compare show
    the one picked."""
    label = st.radio("Outcome", available, horizontal=True, key="outcome", bind="query-params")
    metric = OUTCOMES[label]
    surveyed = metric in SURVEYED
    return Outcome(
        label,
        metric,
        calls[calls["is_answered"]] if surveyed else answered,
        ui.sample_count(metric),
        "responses" if surveyed else "calls followed",
    )


def outcome_rates(outcome: Outcome, by: str, labels: dict | None = None) -> pd.DataFrame:
    grouped = outcome.calls.groupby(by, dropna=True)[COUNTS].sum().reset_index()
    grouped = grouped[grouped[outcome.sample] > 0]
    grouped["rate"] = ui.rate(grouped, outcome.metric)
    grouped["calls"] = grouped[outcome.sample]
    grouped["group"] = grouped[by].map(labels) if labels else grouped[by].astype(str)
    return grouped


def comparison(
    outcome: Outcome, frame: pd.DataFrame, title: str, name: str, order: list[str] | None = None
):
    if frame.empty:
        st.info(f"{title}: no {outcome.unit} in this view.")
        return
    frame = ui.mark_small_samples(frame, "calls", outcome.unit)
    shown = "{:+.0f}" if outcome.is_points else "{:.1%}"
    frame["label"] = [
        f"{shown.format(rate)} · n = {calls:,}"
        for rate, calls in zip(frame["rate"], frame["calls"], strict=True)
    ]
    # NPS on its whole scale, so a few points between groups look like a few points.
    scale = alt.Scale(domain=[-100, 100]) if outcome.is_points else alt.Undefined
    axis = alt.Axis(format="+d") if outcome.is_points else alt.Axis(format="%")
    frame["label_at"] = frame["rate"].clip(lower=0)  # right of zero for a negative NPS
    bars = (
        alt.Chart(frame)
        .mark_bar(color=PALETTE[3])
        .encode(
            y=alt.Y("group:N", title=None, sort=order, axis=alt.Axis(labelLimit=200)),
            x=alt.X("rate:Q", title=outcome.label, axis=axis, scale=scale),
            opacity=ui.SMALL_SAMPLE_OPACITY,
            tooltip=[
                "group",
                alt.Tooltip("rate:Q", format="+.1f" if outcome.is_points else ".2%"),
                alt.Tooltip("sample:N", title="over"),
            ],
        )
    )
    labels = bars.mark_text(align="left", dx=4, color="#555").encode(
        x=alt.X("label_at:Q", scale=scale), text="label:N"
    )
    ui.chart((bars + labels).properties(height=alt.Step(30), title=title), frame, name)


def outcome_note(outcome: Outcome) -> None:
    st.caption(f"{hover(outcome.metric)}. n: {outcome.unit}. {ui.small_sample_note(outcome.unit)}")


def on_the_call_section() -> None:
    """Each outcome by what happened on the call: resolution, transfer, a callback
    after abandoning, the wait, the answering agent's tenure."""
    outcome = pick_outcome()
    left, right = st.columns(2)
    with left:
        if outcome.metric != "fcr":
            comparison(
                outcome,
                outcome_rates(outcome, "is_resolved", {True: "resolved", False: "not resolved"}),
                "Resolved or not",
                "after_resolution",
            )
        comparison(
            outcome,
            outcome_rates(
                outcome, "is_transferred", {True: "transferred", False: "not transferred"}
            ),
            "Transferred or not",
            "after_transfer",
        )
        comparison(
            outcome,
            outcome_rates(
                outcome,
                "is_callback_after_abandon",
                {True: "called back after abandoning", False: "no abandoned call before"},
            ),
            f"Abandoned a call in the {repeat_days} days before",
            "after_abandon",
        )
    with right:
        comparison(
            outcome,
            outcome_rates(outcome, "wait_band"),
            "By wait",
            "after_wait",
            ui.bands("wait"),
        )
        comparison(
            outcome,
            outcome_rates(outcome, "agent_tenure_band"),
            "By the answering agent's tenure",
            "after_agent_tenure",
            ui.bands("tenure"),
        )
        contained = calls[calls["is_ivr_contained"]][COUNTS].sum().to_frame().T
        total = int(contained[ui.ratio_counts("ivr_false_containment")[1]].iloc[0])
        if total == 0:
            st.info("No IVR-contained calls in this view.")
        else:
            share = ui.rate(contained, "ivr_false_containment").iloc[0]
            falsely = int(contained[ui.ratio_counts("ivr_false_containment")[0]].iloc[0])
            st.metric("IVR false containment", f"{share:.1%}", help=hover("ivr_false_containment"))
            st.caption(
                f"{falsely:,} of {total:,} calls the IVR 'contained' came back within the "
                "containment window."
            )
    outcome_note(outcome)


def before_the_call_section() -> None:
    """Each outcome by what the customer did in the 30 days before calling, and by
    how long they have been a customer."""
    outcome = pick_outcome()
    columns = st.columns(3)
    for column, (field, title, order) in zip(
        columns,
        [
            (
                "self_service",
                "Self-service attempts, 30 days before",
                ["none", "one", "two or more"],
            ),
            ("prior_contacts", "Calls and cases, 30 days before", ["none", "one", "two or more"]),
            ("customer_tenure_band", "Customer tenure", ui.bands("tenure")),
        ],
        strict=True,
    ):
        with column:
            comparison(outcome, outcome_rates(outcome, field), title, f"before_{field}", order)
    outcome_note(outcome)


ui.sections(
    {
        "Call to outcome": outcome_section,
        "On the call and after": on_the_call_section,
        "Before the call": before_the_call_section,
    },
    # Before any call has been followed, the funnel has nothing to show.
    first=None if not followed.empty else "On the call and after",
)
