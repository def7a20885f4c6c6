"""Staffing mathematics: how many agents an interval needs (Erlang C and Erlang A)."""
