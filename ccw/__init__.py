"""Contact-center warehouse: CRM, telephony, survey and HR exports in one DuckDB warehouse."""
