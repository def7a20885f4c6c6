"""Definitions: every metric the app shows, as the published numbers were built."""

import pandas as pd
import streamlit as st

from ccw.dashboard.definitions import OTHER_MEASURES, parameters, settings_named
from ccw.dashboard.snapshot import Snapshot

st.title("Definitions")
st.caption(
    "Every number in this app follows these definitions: the warehouse's metrics "
    "catalogue and the settings the published numbers were built with. Analysts get "
    "the same numbers from `mf query` (docs/analysts.md); docs/metrics.md says more."
)
catalogue = Snapshot().catalogue()
st.subheader("Rates")
for definition in catalogue.definitions.values():
    if definition.kind == "simple":
        continue
    with st.container(border=True):
        st.markdown(f"**{definition.label}** · `{definition.name}`")
        st.markdown(definition.description)
        st.caption(f"Computed as {definition.formula}")
        values = settings_named(definition.description, quote="`")
        if values:
            st.caption(f"Settings: {values}")
st.subheader("Counts behind the rates")
st.dataframe(
    pd.DataFrame(
        [
            {"count": d.name, "what it counts": d.label, "mart": d.model}
            for d in catalogue.definitions.values()
            if d.kind == "simple"
        ]
    ),
    hide_index=True,
)
st.subheader("Other measures")
for measure in OTHER_MEASURES:
    with st.container(border=True):
        st.markdown(f"**{measure.name}**")
        st.markdown(measure.formula[0].upper() + measure.formula[1:] + ".")
        if measure.uses:
            values = ", ".join(f"`{name}` = {parameters()[name]}" for name in measure.uses)
            st.caption(f"Settings: {values}")
        st.caption(f"Mart: {measure.mart}")
st.subheader("All settings of this build")
table = pd.DataFrame(
    [{"setting": name, "value": str(value)} for name, value in parameters().items()]
)
st.dataframe(table, hide_index=True, width="content")
