"""Customer journey: what happened before a call and what followed it."""

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
    "has ended count in the rates after a call.",
    marts=("fct_customer_journey",),
)
calls = ui.load(queries.journey_summary, filters)  # counts of calls ("calls") by kind
if ui.nothing_to_show(calls, "calls from identified customers"):
    st.stop()
repeat_days = parameter("repeat_window_days")
followed = calls[calls["is_repeat_observed"].fillna(False).astype(bool)]
if followed.empty:
    st.info(
        f"None of these calls has been followed for {repeat_days} days yet: pick earlier "
        "dates to see what came after them."
    )
    st.stop()
COUNTS = [
    *ui.ratio_counts("fcr"),
    *ui.ratio_counts("churn_30d_after_call"),
    *ui.ratio_counts("ivr_false_containment"),
]
churn_followed = int(followed[ui.ratio_counts("churn_30d_after_call")[1]].sum())
if churn_followed == 0:
    st.warning(
        "No call in these dates has been followed for 30 days yet, so churn after a call "
        "is blank below: move the start date back a month to see it."
    )

st.subheader("From call to outcome")
answered = followed[followed["is_answered"]]
totals = answered[COUNTS].sum().to_frame().T
stages = ["Called", "Answered by an agent", f"Resolved: no repeat within {repeat_days} days"]
counts = [
    int(followed["calls"].sum()),
    int(answered["calls"].sum()),
    int(totals[ui.ratio_counts("fcr")[0]].iloc[0]),
]
funnel = pd.DataFrame({"stage": stages, "calls": counts})
funnel["share of calls"] = funnel["calls"] / funnel["calls"].iloc[0]
ui.chart(
    alt.Chart(funnel)
    .mark_bar(color=PALETTE[0])
    .encode(
        y=alt.Y("stage:N", sort=list(funnel["stage"]), title=None, axis=alt.Axis(labelLimit=250)),
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
        y=alt.Y("stage:N", sort=list(funnel["stage"])),
        x="calls:Q",
        text=alt.Text("share of calls:Q", format=".0%"),
    ),
    funnel,
    "journey_funnel",
)
fcr = ui.rate(totals, "fcr").iloc[0]
churned_after = ui.rate(totals, "churn_30d_after_call").iloc[0]
churn_note = (
    f" Of the answered calls followed for 30 days, {churned_after:.1%} were followed by a "
    "cancellation within 30 days."
    if churn_followed
    else ""
)
st.caption(
    f"{counts[0]:,} calls from identified customers followed for {repeat_days} days. "
    f"FCR {fcr:.1%}: {counts[2]:,} resolved of the {counts[1]:,} answered (the Overview's "
    f"FCR for the same dates and filters).{churn_note} {hover('fcr')}."
)

OUTCOMES = {
    "Churn within 30 days": "churn_30d_after_call",
    "First-contact resolution": "fcr",
}
available = [label for label, metric in OUTCOMES.items() if churn_followed or metric == "fcr"]
st.subheader("What happened after the call")
outcome_label = st.radio("Outcome", available, horizontal=True, key="outcome")
outcome = OUTCOMES[outcome_label]
sample = ui.ratio_counts(outcome)[1]


def outcome_rates(frame: pd.DataFrame, by: str, labels: dict | None = None) -> pd.DataFrame:
    grouped = frame.groupby(by, dropna=True)[COUNTS].sum().reset_index()
    grouped = grouped[grouped[sample] > 0]
    grouped["rate"] = ui.rate(grouped, outcome)
    grouped["calls"] = grouped[sample]
    grouped["group"] = grouped[by].map(labels) if labels else grouped[by].astype(str)
    return grouped


def comparison(frame: pd.DataFrame, title: str, name: str, order: list[str] | None = None):
    if frame.empty:
        st.info(f"{title}: no calls followed long enough.")
        return
    frame = ui.mark_small_samples(frame, "calls", "calls followed")
    frame["label"] = [
        f"{rate:.1%} · n = {calls:,}"
        for rate, calls in zip(frame["rate"], frame["calls"], strict=True)
    ]
    bars = (
        alt.Chart(frame)
        .mark_bar(color=PALETTE[3])
        .encode(
            y=alt.Y("group:N", title=None, sort=order, axis=alt.Axis(labelLimit=200)),
            x=alt.X("rate:Q", title=outcome_label, axis=alt.Axis(format="%")),
            opacity=ui.SMALL_SAMPLE_OPACITY,
            tooltip=[
                "group",
                alt.Tooltip("rate:Q", format=".2%"),
                alt.Tooltip("sample:N", title="over"),
            ],
        )
    )
    labels = bars.mark_text(align="left", dx=4, color="#555").encode(text="label:N")
    ui.chart((bars + labels).properties(height=alt.Step(30), title=title), frame, name)


left, right = st.columns(2)
with left:
    if outcome == "churn_30d_after_call":
        comparison(
            outcome_rates(answered, "is_resolved", {True: "resolved", False: "not resolved"}),
            "Resolved or not",
            "after_resolution",
        )
    comparison(
        outcome_rates(answered, "is_transferred", {True: "transferred", False: "not transferred"}),
        "Transferred or not",
        "after_transfer",
    )
with right:
    waits = ["within threshold", "under 1 min", "1-3 min", "3-10 min", "10+ min"]
    comparison(outcome_rates(answered, "wait_band"), "By wait", "after_wait", waits)
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
st.caption(f"{hover(outcome)}. n: calls followed. {ui.small_sample_note('calls')}")

st.subheader("What happened before the call")


before = answered
tenures = ui.TENURE_BANDS
columns = st.columns(3)
for column, (field, title, order) in zip(
    columns,
    [
        ("self_service", "Self-service attempts, 30 days before", ["none", "one", "two or more"]),
        ("prior_contacts", "Calls and cases, 30 days before", ["none", "one", "two or more"]),
        ("customer_tenure_band", "Customer tenure", tenures),
    ],
    strict=True,
):
    with column:
        comparison(outcome_rates(before, field), title, f"before_{field}", order)
