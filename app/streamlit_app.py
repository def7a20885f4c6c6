"""The managers' app: cost versus loyalty on the published marts. Run it with `ccw app`."""

import streamlit as st

st.set_page_config(
    page_title="ccw · cost versus loyalty",
    page_icon=":material/support_agent:",
    layout="wide",
)

PAGES = [
    st.Page(
        "views/scorecard.py", title="Queue scorecard", icon=":material/table_chart:", default=True
    ),
    st.Page("views/overview.py", title="Overview", icon=":material/dashboard:"),
    st.Page("views/cost_vs_loyalty.py", title="Cost vs loyalty", icon=":material/scatter_plot:"),
    st.Page("views/service.py", title="Service by interval", icon=":material/schedule:"),
    st.Page("views/journey.py", title="Customer journey", icon=":material/route:"),
    st.Page("views/agents.py", title="Agents and retention", icon=":material/groups:"),
    st.Page("views/definitions.py", title="Definitions", icon=":material/menu_book:"),
]

st.navigation(PAGES).run()
