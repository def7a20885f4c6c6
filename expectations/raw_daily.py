"""One suite per daily raw table: each day's delivery looks like a working day.

These are the expectations a data team adds after being burned: a day's file that is
a tenth of its usual size, a day that never arrived, an IVR that stopped identifying
callers, an ACD that stopped reporting abandons, a survey tool that stopped recording
answers, agents logged in who are not on the roster, an hour of calls missing.

The suite reads one row per calendar day, from the table's first delivered day to
the latest day any source delivered (so a source that stops delivering shows up as
missing days). Every day is checked for a delivery; the volume and distribution
measures are filled in for the days delivered in this run only, so a day is judged
once, when it arrives, against the weeks before it.

All expectations here are warnings and the suites do not block: volumes really do
move (holidays, outages, campaigns), and a person must look before data is held
back. The run reports each warning and the check shows the days concerned.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from ccw.contract import TABLES, Table
from ccw.landing.sql import literal
from ccw.settings import ALL_QUEUES, LEARNED, Settings
from ccw.vendors import VENDORS
from expectations import builders as build
from expectations import thresholds as limits
from expectations.suite import Scope, Suite

if TYPE_CHECKING:
    import duckdb
    import pandas as pd
    from great_expectations.expectations import Expectation

# Tables delivered once a month rather than daily: no day-by-day expectations.
MONTHLY_TABLES = ("engagement",)
# The platforms' records are judged as the calls export is, on the legs they became.
DAILY_TABLES = tuple(table for table in TABLES if table.name not in MONTHLY_TABLES) + tuple(
    vendor.records for vendor in VENDORS
)
LEGS_OF = {"calls": "calls", **{vendor.records.name: vendor.legs.name for vendor in VENDORS}}
DAY = ("day",)


def _days_sql(table: Table) -> str:
    """One row per calendar day: delivered?, rows, and rows against recent weeks."""
    daily = ", ".join(literal(t.name) for t in DAILY_TABLES)
    # The last day: the contract's exports' (a platform's files are dated in UTC, so
    # its last one may be the day after the center's), else the platform's own.
    native = ", ".join(literal(t.name) for t in DAILY_TABLES if not t.is_vendor)
    return f"""
    with deliveries as (
        select file_date as day, {_delivered_rows(table)} as delivered_rows,
            bool_or(run_id = $run_id) as arrived_this_run
        from ingest.manifest
        where table_name = '{table.name}' and status = 'loaded' and file_date is not null
        group by all
    ),
    days as (
        select unnest(generate_series(
            (select min(day) from deliveries),
            (select coalesce(max(file_date) filter (where table_name in ({native})),
                    max(file_date))
             from ingest.manifest
             where status = 'loaded' and table_name in ({daily})),
            interval 1 day))::date as day
    ),
    profile as (
        select day, delivered_rows is not null as is_delivered,
            coalesce(delivered_rows, 0) as delivered_rows,
            coalesce(arrived_this_run, false) as arrived_this_run,
            median(delivered_rows) over recent as recent_median_rows,
            count(delivered_rows) over recent as recent_weekdays
        from days left join deliveries using (day)
        window recent as (
            partition by dayofweek(day) order by day
            range between interval {7 * limits.RECENT_WEEKS} days preceding
                and interval 1 day preceding)
    )
    select day, is_delivered, delivered_rows, arrived_this_run, recent_median_rows,
        case when arrived_this_run and recent_weekdays >= {limits.MIN_HISTORY_WEEKDAYS}
            then delivered_rows / recent_median_rows end as rows_to_recent_median
    from profile order by day"""


def _delivered_rows(table: Table) -> str:
    """A day's rows: its file's latest delivery; a platform writes many files a day."""
    return "sum(rows_read)" if table.is_vendor else "max_by(rows_read, load_id)"


def _opening_rows(settings: Settings) -> str:
    """The settings' opening hours as (queue, isodow, opens, closes) rows, minutes
    after local midnight: one set per queue the settings name, and `*` for the rest;
    a closed day has null times."""
    queues = [name for name in settings["opening_hours"] if name != ALL_QUEUES]
    rows = []
    for queue in [*queues, "*"]:
        for weekday in range(7):
            hours = settings.opening_hours(queue if queue != "*" else ALL_QUEUES, weekday)
            opens, closes = (hours.opens_minute, hours.closes_minute) if hours else ("null", "null")
            rows.append(f"({literal(queue)}, {weekday + 1}, {opens}, {closes})")
    return ", ".join(rows)


def _set_open_slots(settings: Settings) -> str:
    """CTEs ending in ``open_slots(day, slot)``: the intervals of each judged day in the
    settings' opening hours of any queue that had calls that day."""
    interval = settings["interval_minutes"]
    named = ", ".join(literal(name) for name in settings["opening_hours"] if name != ALL_QUEUES)
    is_named = f"queue in ({named})" if named else "false"
    return f"""
    opening(queue, isodow, opens, closes) as (values {_opening_rows(settings)}),
    queue_days as (
        select distinct day, case when {is_named} then queue else '*' end as hours_of
        from calls where queued_at is not null
    ),
    open_slots as (
        select distinct queue_days.day, slots.slot
        from queue_days
        join opening
            on opening.queue = queue_days.hours_of and opening.isodow = isodow(queue_days.day)
        cross join (select unnest(range(0, 1440, {interval})) as slot) as slots
        where slots.slot >= opening.opens and slots.slot + {interval} <= opening.closes
    ),"""


def _learned_open_slots(settings: Settings, legs: str) -> str:
    """CTEs ending in ``open_slots(day, slot)``: the intervals busy on every one of the
    recent same weekdays before each judged day (limits.LEARNED_OPEN_MIN_CALLS calls
    or more, over at least MIN_HISTORY_WEEKDAYS weekdays)."""
    interval = settings["interval_minutes"]
    weeks = limits.RECENT_WEEKS
    return f"""
    history as (
        select _file_date as day,
            (hour(local) * 60 + minute(local)) // {interval} * {interval} as slot,
            count(*) as calls
        from (
            select _file_date, timezone($timezone, queued_at) as local from raw.{legs}
            where _is_current and queued_at is not null
                and _file_date >= (select min(day) from days_this_run) - {7 * weeks}
                and _file_date < (select max(day) from days_this_run)
        )
        where local::date = _file_date
        group by all
    ),
    recent as (  -- the same weekdays with calls in the weeks before each judged day
        select judged.day, count(distinct history.day) as weekdays
        from (select distinct day from calls) as judged
        join history on isodow(history.day) = isodow(judged.day)
            and history.day between judged.day - {7 * weeks} and judged.day - 1
        group by all
    ),
    open_slots as (
        select recent.day, history.slot
        from recent
        join history on isodow(history.day) = isodow(recent.day)
            and history.day between recent.day - {7 * weeks} and recent.day - 1
        where recent.weekdays >= {limits.MIN_HISTORY_WEEKDAYS}
        group by recent.day, history.slot, recent.weekdays
        having count(*) filter (where history.calls >= {limits.LEARNED_OPEN_MIN_CALLS})
            = recent.weekdays
    ),"""


def _calls_measures(settings: Settings, legs: str = "calls") -> str:
    """Identified callers, abandons, and the day's intervals in opening hours in which
    no call at all was queued: the settings' hours per queue and weekday, or, with
    ``opening_hours: learned``, the intervals busy on every recent same weekday.
    ``legs``: the raw table of call legs, the export's or those a platform's became."""
    interval = settings["interval_minutes"]
    open_slots = (
        _learned_open_slots(settings, legs)
        if settings["opening_hours"] == LEARNED
        else _set_open_slots(settings)
    )
    return f"""
    with calls as (
        select _file_date as day, *, timezone($timezone, queued_at) as queued_local
        from raw.{legs}
        where _is_current and _file_date in (select day from days_this_run)
    ),
    {open_slots}
    called_slots as (
        select distinct day,
            (hour(queued_local) * 60 + minute(queued_local)) // {interval} * {interval} as slot
        from calls
        where queued_local::date = day
    ),
    empty_slots as (
        select open_slots.day, count(*) as opening_intervals_without_calls
        from open_slots left join called_slots using (day, slot)
        where called_slots.slot is null
        group by all
    )
    select day,
        avg((customer_id is null)::int) filter (where leg = 1 and direction = 'inbound')
            as unidentified_caller_share,
        count(*) filter (where disposition = 'abandoned')
            / nullif(count(*) filter (where queued_at is not null), 0) as abandon_rate,
        coalesce(any_value(empty_slots.opening_intervals_without_calls), 0)
            as opening_intervals_without_calls
    from calls left join empty_slots using (day)
    group by day"""


def _responses_measures(_: Settings) -> str:
    lag = limits.SURVEY_MATURITY_DAYS
    return f"""
    select day, avg((responded_at is not null)::int) as response_rate_week_before
    from days_this_run
    join raw.responses
        on timezone($timezone, sent_at)::date = day - interval {lag} days
    where _is_current and survey_type = 'post_contact'
    group by all
    having count(*) >= 30"""


def _agent_states_measures(_: Settings) -> str:
    return """
    with logged_in as (
        select distinct _file_date as day, agent_id from raw.agent_states
        where _is_current and state <> 'offline'
            and _file_date in (select day from days_this_run)
    ),
    roster as (
        select _file_date as day, agent_id from raw.agents
        where _is_current and _file_date in (select day from days_this_run)
            and hired_on <= _file_date
            and (terminated_on is null or terminated_on >= _file_date)
    ),
    roster_size as (select day, count(*) as roster_agents from roster group by all)
    select day, count(*) as logged_in_agents,
        count(*) filter (where roster.agent_id is null) as agents_not_on_roster,
        count(*) / any_value(roster_agents) as logged_in_share_of_roster
    from logged_in
    join roster_size using (day)  -- no snapshot for the day yet: nothing to compare
    left join roster using (day, agent_id)
    group by all"""


MEASURES = {
    **{name: partial(_calls_measures, legs=legs) for name, legs in LEGS_OF.items()},
    "responses": _responses_measures,
    "agent_states": _agent_states_measures,
}


def read_days(table: Table, con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    parameters = {"run_id": scope.run_id}
    days = _days_sql(table)
    if table.name not in MEASURES:
        return con.execute(days, parameters).df()
    measures = MEASURES[table.name](scope.settings)
    if "$timezone" in measures:
        parameters["timezone"] = scope.settings["timezone"]
    return con.execute(
        f"""with all_days as ({days}),
        days_this_run as (select day from all_days where arrived_this_run),
        measures as ({measures})
        select * from all_days left join measures using (day) order by day""",
        parameters,
    ).df()


def _warn_outside(name: str, low: float | None, high: float | None, why: str) -> Expectation:
    return build.between(name, low, high, why, severity="warning")


def daily_expectations(table: Table) -> list[Expectation]:
    rules: list[Expectation] = [
        build.in_set(
            "is_delivered",
            [True],
            f"no day is missing from {table.source}/{table.name}",
            severity="warning",
        ),
        _warn_outside(
            "rows_to_recent_median",
            limits.DAILY_ROWS_MIN_RATIO,
            limits.DAILY_ROWS_MAX_RATIO_EXCEPTIONS.get(table.name, limits.DAILY_ROWS_MAX_RATIO),
            "a day's rows are within the band of the same weekday in recent weeks",
        ),
    ]
    bands = MEASURE_BANDS.get("calls" if table.name in LEGS_OF else table.name, [])
    return rules + [_warn_outside(*measure) for measure in bands]


# The measures of each table and their bands: (column, low, high, what it protects).
MEASURE_BANDS: dict[str, list[tuple[str, float | None, float | None, str]]] = {
    "calls": [
        (
            "unidentified_caller_share",
            0,
            limits.UNIDENTIFIED_SHARE_MAX,
            "the IVR still identifies most callers (journeys need customer_id)",
        ),
        (
            "abandon_rate",
            limits.ABANDON_RATE_MIN,
            limits.ABANDON_RATE_MAX,
            "the ACD still reports abandons, and not only abandons",
        ),
        (
            "opening_intervals_without_calls",
            0,
            0,
            "every interval in the opening hours (settings: opening_hours; learned from "
            "the recent same weekdays by default) has calls (no hour lost from the export)",
        ),
    ],
    "responses": [
        (
            "response_rate_week_before",
            limits.SURVEY_RESPONSE_RATE_MIN,
            limits.SURVEY_RESPONSE_RATE_MAX,
            "the survey tool still records answers",
        )
    ],
    "agent_states": [
        (
            "agents_not_on_roster",
            0,
            0,
            "every agent logged in that day is employed on that day's HR roster",
        ),
        (
            "logged_in_share_of_roster",
            limits.LOGGED_IN_SHARE_OF_ROSTER_MIN,
            1,
            "the ACD reports states for a plausible part of the roster",
        ),
    ],
}


def daily_suite(table: Table) -> Suite:
    return Suite(
        name=f"raw_{table.name}_daily",
        asset=("raw", table.name),
        protects=(f"missing, truncated or implausible days of {table.source}/{table.name}"),
        blocking=False,
        read=partial(read_days, table),
        expectations=partial(daily_expectations, table),
        locate_by=DAY,
        reads_assets=tuple(("raw", other.name) for other in DAILY_TABLES if other != table),
    )


DAILY_SUITES = [daily_suite(table) for table in DAILY_TABLES]
