"""Customer journey: what happened before a call and what followed it."""

import altair as alt
import pandas as pd
import streamlit as st

from ccw.dashboard import queries, ui
from ccw.dashboard.definitions import hover

filters = ui.start_page(
    "Customer journey",
    "Calls from identified customers: what they tried before calling, and whether they "
    "came back or left after. Only calls whose 7- or 30-day window has ended count in "
    "the rates after a call.",
)
calls = ui.load(queries.journey_summary, filters)  # counts of calls ("calls") by kind
if ui.nothing_to_show(calls, "calls from identified customers"):
    st.stop()
followed = calls[calls["is_repeat_observed"]]
if followed.empty:
    st.info(
        "None of these calls has been followed for 7 days yet: pick earlier dates to see "
        "what came after them."
    )
    st.stop()
# Churn needs 30 days after the call: only the calls followed that long carry it.
followed = followed.assign(
    has_churned_within_30d=followed["has_churned_within_30d"].where(followed["is_churn_observed"])
)
churn_followed = int(followed.loc[followed["is_churn_observed"], "calls"].sum())


def weighted_share(frame: pd.DataFrame, flag: str) -> float:
    """Share of the calls in `frame` whose `flag` is true, among those where it is known."""
    known = frame[frame[flag].notna()]
    total = known["calls"].sum()
    return (known["calls"] * known[flag].astype(float)).sum() / total if total else float("nan")


if churn_followed == 0:
    st.warning(
        "No call in these dates has been followed for 30 days yet, so churn after a call "
        "is blank below: move the start date back a month to see it."
    )

st.subheader("From call to outcome")
answered = followed[followed["is_answered"]]
resolved = answered[answered["is_resolved"].fillna(False).astype(bool)]
stages = ["Called", "Answered by an agent", "No repeat within 7 days"]
counts = [followed["calls"].sum(), answered["calls"].sum(), resolved["calls"].sum()]
if churn_followed:
    churned_share = weighted_share(resolved, "has_churned_within_30d")
    stages.append("Still a customer 30 days later")
    counts.append(round(counts[-1] * (1 - churned_share)))
funnel = pd.DataFrame({"stage": stages, "calls": counts})
funnel["share of calls"] = funnel["calls"] / funnel["calls"].iloc[0]
ui.chart(
    alt.Chart(funnel)
    .mark_bar(color=ui.PALETTE[0])
    .encode(
        y=alt.Y("stage:N", sort=list(funnel["stage"]), title=None, axis=alt.Axis(labelLimit=250)),
        x=alt.X("calls:Q", title="Calls (followed 7 days)"),
        tooltip=[
            "stage",
            alt.Tooltip("calls:Q", format=","),
            alt.Tooltip("share of calls:Q", format=".1%"),
        ],
    )
    .properties(height=200)
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
last_stage = (
    f"; the last stage applies the 30-day churn of the {churn_followed:,} followed that long"
    if churn_followed
    else ""
)
st.caption(
    f"{counts[0]:,} calls from identified customers followed for 7 days{last_stage}. "
    f"{hover('fcr')}."
)

OUTCOMES = {
    "Churn within 30 days": ("has_churned_within_30d", "churn_30d"),
    "Repeat contact within 7 days": ("has_repeat", "fcr"),
}
available = [label for label in OUTCOMES if churn_followed or "Repeat" in label]
st.subheader("What happened after the call")
outcome_label = st.radio("Outcome", available, horizontal=True, key="outcome")
outcome, definition = OUTCOMES[outcome_label]
followed = followed.assign(has_repeat=~followed["is_resolved"].fillna(True).astype(bool))
answered = followed[followed["is_answered"]]


def outcome_rates(frame: pd.DataFrame, by: str, labels: dict | None = None) -> pd.DataFrame:
    base = frame[frame[outcome].notna()]
    base = base.assign(hits=base["calls"] * base[outcome].astype(float))
    grouped = base.groupby(by, dropna=True)[["calls", "hits"]].sum().reset_index()
    grouped["rate"] = grouped["hits"] / grouped["calls"]
    grouped["group"] = grouped[by].map(labels) if labels else grouped[by].astype(str)
    return grouped


def comparison(frame: pd.DataFrame, title: str, name: str, order: list[str] | None = None):
    if frame.empty:
        st.info(f"{title}: no calls followed long enough.")
        return
    bars = (
        alt.Chart(frame)
        .mark_bar(color=ui.PALETTE[3])
        .encode(
            y=alt.Y("group:N", title=None, sort=order, axis=alt.Axis(labelLimit=200)),
            x=alt.X("rate:Q", title=outcome_label, axis=alt.Axis(format="%")),
            tooltip=[
                "group",
                alt.Tooltip("rate:Q", format=".2%"),
                alt.Tooltip("calls:Q", format=","),
            ],
        )
    )
    labels = bars.mark_text(align="left", dx=4, color="#555").encode(
        text=alt.Text("rate:Q", format=".1%")
    )
    ui.chart((bars + labels).properties(height=alt.Step(30), title=title), frame, name)


left, right = st.columns(2)
with left:
    if outcome == "has_churned_within_30d":
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
    comparison(outcome_rates(followed, "wait_band"), "By wait", "after_wait", waits)
    contained = calls[calls["is_ivr_contained"] & calls["is_repeat_observed"]]
    if contained.empty:
        st.info("No IVR-contained calls followed for 7 days in this view.")
    else:
        share = weighted_share(contained, "is_false_containment")
        total = int(contained["calls"].sum())
        st.metric("IVR false containment", f"{share:.1%}", help=hover("false_containment"))
        st.caption(
            f"{round(share * total):,} of {total:,} calls the IVR 'contained' came back "
            "within the containment window."
        )
st.caption(hover(definition))

st.subheader("What happened before the call")


before = followed
tenures = ["0-29 days", "30-89 days", "90-179 days", "180-364 days", "1-2 years", "2+ years"]
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
