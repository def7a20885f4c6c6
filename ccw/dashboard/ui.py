"""What every page of the app shares: the snapshot, cached queries, the filter sidebar
(kept in the URL), the refresh line, metric tiles with definitions, downloads and
empty states. Imported by the pages in app/, never by the pipeline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import altair as alt
import pandas as pd
import streamlit as st

from ccw.coverage import page_notice
from ccw.dashboard import queries, tables
from ccw.dashboard.definitions import hover, parameter
from ccw.dashboard.filters import CUSTOM, DIMENSIONS, PERIODS, Filters, period_dates
from ccw.dashboard.snapshot import Snapshot, SnapshotMissingError, SnapshotUnreadableError
from ccw.dashboard.theme import use_ccw_theme

FILTER_STATE = "ccw_filters"
# The address's keys the sidebar's filters own (Filters.to_query_params).
FILTER_KEYS = ("period", "start", "end", *DIMENSIONS)


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(name: str, version: str, path: str, *arguments):
    """One cache entry per query, snapshot version and arguments: a new publish
    changes the version, so the next run reads the new data without a restart."""
    return getattr(queries, name)(Snapshot(Path(path)), *arguments)


def rate(frame: pd.DataFrame, metric: str) -> pd.Series:
    """A ratio metric of the catalogue over rows holding its summed counts."""
    return Snapshot().catalogue().rate(frame, metric)


def ratio_counts(metric: str) -> tuple[str, str]:
    """The counts a ratio metric of the catalogue divides."""
    return Snapshot().catalogue().ratio_counts(metric)


def metric_counts(metric: str) -> tuple[str, ...]:
    """Every count a ratio or derived metric of the catalogue divides."""
    return Snapshot().catalogue().counts(metric)


def sample_count(metric: str) -> str:
    """The count that is a metric's sample (a ratio's denominator)."""
    return Snapshot().catalogue().sample_count(metric)


def load(function: Callable, *arguments):
    snapshot = Snapshot()
    return _cached(function.__name__, snapshot.version(), str(snapshot.path), *arguments)


def bands(kind: str) -> list[str]:
    """The labels of a kind of band (``tenure``, ``wait``), shortest first: the order a
    chart sorts them in."""
    return load(queries.bands)[kind]


def start_page(title: str, purpose: str, marts: tuple[str, ...] = ()) -> Filters:
    """Title, refresh line and filters; stops the page with an explanation when there
    is no data to show. ``marts``: what the page reads, to say which parts a source
    the center does not send leaves empty."""
    st.title(title)
    st.caption(purpose)
    snapshot = Snapshot()
    try:
        refresh = load(queries.published_at)
        span = load(queries.data_range)
    except SnapshotMissingError:
        st.error(
            f"No published data yet at `{snapshot.path}`. Run the pipeline "
            "(`make demo` or `ccw run`); the app shows the marts it publishes after a "
            "good run, and picks them up without a restart."
        )
        st.stop()
    except SnapshotUnreadableError as error:  # cut short, corrupt
        st.error(str(error))
        st.stop()
    except Exception as error:  # a snapshot from an older version of ccw
        st.error(
            f"The published data at `{snapshot.path}` cannot be read by this version of "
            f"the app ({str(error).splitlines()[0]}). Run `ccw run` to publish it again."
        )
        st.stop()
    if span is None:
        st.warning("The published snapshot holds no calls yet.")
        st.stop()
    notice = page_notice(load(queries.waiting_sources), marts)
    if notice:
        st.info(notice)
    filters = sidebar_filters(span)
    partial = " (the week so far: not a full week)" if filters.is_partial_week else ""
    st.caption(
        f"Data from {span.first_day:%d %b %Y} to {span.last_day:%d %b %Y}, published "
        f"{refresh:%d %b %Y %H:%M} UTC. Showing {days_words(filters)}{partial}."
    )
    return filters


def days_words(filters: Filters) -> str:
    if filters.start == filters.end:
        return f"{filters.start:%a %d %b %Y}"
    return f"{filters.start:%a %d %b} to {filters.end:%a %d %b %Y}"


def sidebar_filters(span: queries.DataRange) -> Filters:
    """Filters from the URL, else from this session, else the last 28 days; written
    back to the URL so the address shares the view."""
    params = st.query_params
    if any(key in params for key in FILTER_KEYS):
        current = Filters.from_query_params(params, span.first_day, span.last_day)
    elif FILTER_STATE in st.session_state:
        current = st.session_state[FILTER_STATE]
    else:
        current = Filters.from_query_params({}, span.first_day, span.last_day)
    values = load(queries.dimension_values)
    with st.sidebar:
        st.header("Filters")
        period = st.selectbox(
            "Period",
            list(PERIODS),
            index=list(PERIODS).index(current.period),
            format_func=PERIODS.get,
            key="filter_period",
            help=f"Counted back from the latest day in the data, {span.last_day:%a %d %b %Y}.",
        )
        if period == CUSTOM:
            chosen = st.date_input(
                "Dates",
                value=(current.start, current.end),
                min_value=span.first_day,
                max_value=span.last_day,
                key="filter_dates",
            )
            start, end = _date_pair(chosen, current)
        else:
            start, end = period_dates(period, span.first_day, span.last_day)
        selections = {
            dimension: st.multiselect(
                label,
                values.get(dimension, []),
                default=[v for v in getattr(current, dimension) if v in values.get(dimension, [])],
                placeholder="All",
                key=f"filter_{dimension}",
            )
            for dimension, label in (
                ("queue", "Queue"),
                ("segment", "Customer segment"),
                ("site", "Site"),
                ("team", "Team"),
            )
        }
        st.caption("The address bar keeps these filters: copy it to share this view.")
    filters = Filters(
        start=start,
        end=end,
        period=period,
        **{key: tuple(sorted(value)) for key, value in selections.items()},
    )
    st.session_state[FILTER_STATE] = filters
    # Only the filters' own keys: the page's open section and choices stay in the address.
    address = filters.to_query_params()
    for key in FILTER_KEYS:
        if key in address:
            params[key] = address[key]
        elif key in params:
            del params[key]
    return filters


def addresses_choosing(key: str, anchor: str = "") -> Callable[[str], str]:
    """The address of this view (its filters, open section and choices) with ``key``
    set to a given value, relative to the page: a link per value, each opening the
    same view with that choice made, scrolled to the heading ``anchor``."""
    kept = urlencode(
        {name: st.query_params.get_all(name) for name in st.query_params if name != key},
        doseq=True,
    )
    before = f"?{kept}&" if kept else "?"
    after = f"#{anchor}" if anchor else ""
    return lambda value: f"{before}{urlencode({key: value})}{after}"


def _date_pair(chosen, current: Filters) -> tuple[date, date]:
    if isinstance(chosen, tuple | list) and len(chosen) == 2:
        return chosen[0], chosen[1]
    return current.start, current.end  # half-picked range: keep the last full one


VERDICT_WORDS = {
    "within noise": "change within noise",
    "not judged": "too few to judge the change",
}


def tile(
    column, label: str, value, previous, fmt: str, metric: str, sample: str, better="up",
    verdict: str | None = None,
):  # fmt: skip
    """A number with its change against the previous period, its definition on hover
    and its sample size underneath. Shares change in points, not percent of percent.
    The change is coloured only when ``verdict`` (scorecard.judge) calls it better or
    worse; a tile without a verdict is not judged and stays grey."""
    missing = value is None or pd.isna(value)
    shown = "n/a" if missing else fmt.format(value)
    delta = None
    if not missing and previous is not None and not pd.isna(previous):
        change = value - previous
        if "%" in fmt:
            delta = f"{100 * change:+.1f} pts"
        else:
            delta = ("+" if change >= 0 else "-") + fmt.format(abs(change))
    judged = verdict in ("better", "worse")
    column.metric(
        label,
        shown,
        delta=delta,
        delta_color=("normal" if better == "up" else "inverse") if judged else "off",
        help=hover(metric),
    )
    note = VERDICT_WORDS.get(verdict or "not judged", "") if delta else ""
    column.caption(f"{sample} · {note}" if note else sample)


def followed_in_full(column, followed: Filters | None, measures: dict | None, key: str, fmt: str):
    """Under a tile whose calls are still being followed (FCR's repeat window), the
    same figure for the latest period of its kind whose calls all have been."""
    if followed is None or measures is None:
        return
    value = measures[key]
    shown = "n/a" if value is None or pd.isna(value) else fmt.format(value)
    column.caption(
        f"Calls of the latest {parameter('repeat_window_days')} days are still being followed. "
        f"Followed in full, {days_words(followed)}: **{shown}** over "
        f"{measures['resolution_observed_calls']:,} calls."
    )


def months_words(months: Filters, last_day: date | None = None) -> str:
    """'May 2026', 'Apr to May 2026', with '(to 30 May: not over)' for a month the
    data has not finished."""
    first, last = months.start, months.end
    if (first.year, first.month) == (last.year, last.month):
        words = f"{last:%b %Y}"
    elif first.year == last.year:
        words = f"{first:%b} to {last:%b %Y}"
    else:
        words = f"{first:%b %Y} to {last:%b %Y}"
    if last_day is not None and last_day < last:
        words += f" (to {last_day:%d %b}: not over)"
    return words


def min_sample() -> int:
    """Rates over fewer units than this are greyed (the setting min_sample_size)."""
    return int(parameter("min_sample_size"))


def mark_small_samples(frame: pd.DataFrame, count: str, unit: str) -> pd.DataFrame:
    """Add ``sample`` (the count a rate is over, as words) and ``is_small`` (fewer
    than min_sample_size), for a chart to grey and say."""
    smallest = min_sample()
    counts = frame[count].fillna(0)
    return frame.assign(
        is_small=counts < smallest,
        sample=[f"{n:,.0f} {unit}" + (" (small sample)" if n < smallest else "") for n in counts],
    )


# The opacity of a mark over a small sample (mark_small_samples), and what it means.
SMALL_SAMPLE_OPACITY = alt.condition("datum.is_small", alt.value(0.3), alt.value(1.0))


def readable_domain(values: pd.Series, least_share: float = 0.2) -> list[float] | None:
    """An axis range around ``values`` at least ``least_share`` of their size wide, so
    that a few cents or points between groups do not fill the whole chart."""
    present = values.dropna()
    if present.empty:
        return None
    low, high = float(present.min()), float(present.max())
    middle, spread = (low + high) / 2, high - low
    half = max(spread * 0.6, abs(middle) * least_share / 2, 1e-9)
    return [middle - half, middle + half]


def mark_partial_periods(frame: pd.DataFrame, filters: Filters, grain: str = "week"):
    """Add ``partial`` and ``part`` ("whole" or "partial: ...") for rows keyed by the
    first day of a week (Monday) or month: one only partly inside the period shown is
    not comparable with the others."""
    starts = pd.to_datetime(frame["key"])
    ends = starts + (pd.Timedelta(days=6) if grain == "week" else pd.offsets.MonthEnd(0))
    partial = (starts.dt.date < filters.start) | (ends.dt.date > filters.end)
    return frame.assign(
        partial=partial.to_numpy(),
        part=["partial: not every day in the period" if p else "whole" for p in partial],
    )


def small_sample_note(unit: str) -> str:
    return f"Pale bars rest on fewer than {min_sample()} {unit}: too few to read as a rate."


def download(frame: pd.DataFrame, name: str, label: str = "Download CSV") -> None:
    """A button that downloads ``frame`` as a CSV. The file is written when the button
    is pressed, not on every run of the page (a page has one per chart), and pressing
    it does not run the page again."""
    st.download_button(
        label,
        lambda: frame.to_csv(index=False).encode(),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"download_{name}",
        on_click="ignore",
    )


def table(
    frame: pd.DataFrame,
    labels: dict[str, str] | None = None,
    formats: dict[str, str] | None = None,
    colour: Callable[[pd.Series], list[str]] | None = None,
    height: int | None = None,
) -> None:
    """A table for reading (ccw.dashboard.tables.to_html says what each argument does)."""
    st.html(tables.to_html(frame, labels, formats, colour, height))


def nothing_to_show(frame: pd.DataFrame, what: str) -> bool:
    if frame is None or frame.empty:
        st.info(f"No {what} for these filters. Widen the dates or clear a filter.")
        return True
    return False


FILTER_NAMES = ("dates", "queue", "segment", "site", "team")
# A time axis of days: local dates, never a tick between two days ("12 PM").
DAY_AXIS = alt.Axis(format="%a %d %b", tickMinStep=24 * 3600 * 1000, labelOverlap=True)


def filters_note(follows: tuple[str, ...] = FILTER_NAMES) -> str:
    """Which of the sidebar's filters a chart follows, in a sentence."""
    ignored = [name for name in FILTER_NAMES if name not in follows]
    if not ignored:
        return "Follows every filter."
    verb = "does" if len(ignored) == 1 else "do"
    return f"Follows {_words(list(follows))}; {_words(ignored)} {verb} not apply."


def _words(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def sections(draw: dict[str, Callable[[], None]], first: str | None = None) -> None:
    """A page's sections as tabs, ``first`` (else the first) open at first. Only the
    open section runs and reaches the browser: a page takes about as long to draw as
    its charts (bench/findings.md), so a long page shows one part at a time. The open
    section is kept in the address (``section=`` its label), so a shared link opens
    it."""
    tabs = st.tabs(list(draw), default=first, key="section", bind="query-params")
    for tab, section in zip(tabs, draw.values(), strict=True):
        if tab.open:
            with tab:
                section()


def chart(
    spec: alt.Chart, frame: pd.DataFrame, name: str, follows: tuple[str, ...] = FILTER_NAMES
) -> None:
    """A chart, the filters it follows, and its data as a CSV."""
    st.altair_chart(spec, width="stretch")
    st.caption(filters_note(follows))
    download(frame, name)


use_ccw_theme()
