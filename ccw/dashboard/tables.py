"""The app's tables as plain HTML: a frame's rows, formatted, with column labels, missing
figures as "n/a", and a colour where a page asks for one (a missed target in red, a
small sample in grey).

A page's table is a list a manager reads, in the order its caption says, with the
CSV of a long one beside it.
Plain HTML draws in the time the browser lays out the text, where Streamlit's
interactive grid loads and draws its own canvas (about a second of a page's load
through the menu, bench/findings.md); and the grid shows missing numbers as "None"
whatever the format says."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pandas as pd
from pandas.io.formats.style import Styler

STYLE = """
<style>
.ccw-table-wrap {overflow: auto}
.ccw-table {border-collapse: collapse; width: 100%; font-size: 13px;
  font-family: "Source Sans Pro", sans-serif; color: #262730}
.ccw-table th {position: sticky; top: 0; background: #ffffff; text-align: right;
  padding: 5px 6px; border-bottom: 2px solid #cccccc; font-weight: 600}
.ccw-table td {text-align: right; padding: 4px 6px; border-bottom: 1px solid #e6e6e6;
  white-space: nowrap; font-variant-numeric: tabular-nums}
</style>
"""
MISSING = "n/a"


def to_html(
    frame: pd.DataFrame,
    labels: dict[str, str] | None = None,
    formats: dict[str, str] | None = None,
    colour: Callable[[pd.Series], list[str]] | None = None,
    height: int | None = None,
) -> str:
    """``frame`` as an HTML table. ``labels``: the columns shown, in order, and their
    headings (None: every column as it is named); ``formats``: a format string per
    column; ``colour``: given a row (of the columns shown), a CSS declaration per cell
    ("" for none); ``height``: the most pixels it takes before it scrolls (its headings stay)."""
    shown = frame[list(labels)] if labels else frame
    given = formats or {}
    formats = {column: given.get(column) or _plain(shown[column]) for column in shown.columns}
    # Ids from the columns: the same table reads the same HTML on every run of the page.
    uuid = hashlib.sha1("|".join(map(str, shown.columns)).encode()).hexdigest()[:8]
    styler = Styler(shown, cell_ids=False, uuid=uuid).format(formats, na_rep=MISSING)
    if colour is not None:
        styler.apply(colour, axis=1)
    styler.hide(axis="index")
    if labels:
        styler.relabel_index(list(labels.values()), axis="columns")
    text_columns = [
        position
        for position, column in enumerate(shown.columns)
        if not pd.api.types.is_numeric_dtype(shown[column])
    ]
    left = [("text-align", "left")]
    styler.set_table_styles(
        [
            {"selector": f"td.col{position}, th.col_heading.col{position}", "props": left}
            for position in text_columns
        ]
    )
    styler.set_table_attributes('class="ccw-table"')
    limit = f' style="max-height: {height}px"' if height else ""
    return f'{STYLE}<div class="ccw-table-wrap"{limit}>{styler.to_html()}</div>'


def _plain(values: pd.Series) -> str | None:
    """A column without a format of its own: whole numbers with thousands separators,
    others with two decimals; text as it is."""
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        return None
    present = values.dropna()
    whole = pd.api.types.is_integer_dtype(values) or (present == present.round()).all()
    return "{:,.0f}" if whole else "{:,.2f}"
