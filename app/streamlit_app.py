"""The managers' app: cost versus loyalty on the published marts. Run it with `ccw app`."""

import streamlit as st

st.set_page_config(
    page_title="ccw · cost versus loyalty",
    page_icon=":material/support_agent:",
    layout="wide",
)

PAGES = [
    st.Page(
        "pages/scorecard.py", title="Queue scorecard", icon=":material/table_chart:", default=True
    ),
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:"),
    st.Page("pages/cost_vs_loyalty.py", title="Cost vs loyalty", icon=":material/scatter_plot:"),
    st.Page("pages/service.py", title="Service by interval", icon=":material/schedule:"),
    st.Page("pages/journey.py", title="Customer journey", icon=":material/route:"),
    st.Page("pages/agents.py", title="Agents and retention", icon=":material/groups:"),
    st.Page("pages/definitions.py", title="Definitions", icon=":material/menu_book:"),
]

st.navigation(PAGES).run()
