"""Definitions: every metric the app shows, with its formula and parameters."""

import pandas as pd
import streamlit as st

from ccw.dashboard.definitions import METRICS, parameters

st.title("Definitions")
st.caption(
    "Every number in this app follows these definitions, the same ones the warehouse "
    "models use, with the settings the published numbers were built with."
)
for metric in METRICS:
    with st.container(border=True):
        st.markdown(f"**{metric.name}**")
        st.markdown(metric.formula[0].upper() + metric.formula[1:] + ".")
        if metric.uses:
            st.caption(
                "Parameters: "
                + ", ".join(f"`{name}` = {parameters()[name]}" for name in metric.uses)
            )
        st.caption(f"Mart: {metric.mart}")
st.subheader("All settings of this build")
table = pd.DataFrame(
    [{"parameter": name, "value": str(value)} for name, value in parameters().items()]
)
st.dataframe(table, hide_index=True, use_container_width=False)
