"""The managers' app's data layer: where the published snapshot is, the filters a page
carries in its URL, the queries every page runs (bound parameters only) and the metric
definitions. Streamlit itself stays in app/; this package has no UI and is tested on
its own."""
