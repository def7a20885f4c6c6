"""Every query the app's pages run, on the published marts, with bound parameters.

Each function takes a `Snapshot` and the page's `Filters` and returns a DataFrame.
Measures follow the marts' definitions (their YAML, the dbt docs); rates that need a window after
the call (repeats within `repeat_window_days`, churn within 30 days) only count calls
whose window has ended in the data, so the latest week never looks better than it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from ccw.coverage import marts_waiting
from ccw.dashboard.filters import Filters, Where
from ccw.dashboard.snapshot import Snapshot
from ccw.metrics import Catalogue, metric_time, one_of, output_column, quoted


@dataclass(frozen=True)
class DataRange:
    first_day: date
    last_day: date
    # The last day whose answered calls have all been followed for the repeat window:
    # FCR and cost per resolved contact of a later day are still partial.
    resolution_known_until: date


def published_at(snapshot: Snapshot):
    return snapshot.refresh().published_at


def waiting_sources(snapshot: Snapshot) -> dict[str, list[str]]:
    """For each source the build's settings left out, the marts that need it (an older
    snapshot, without the marts' needs: none)."""
    try:
        needs = snapshot.query("select mart_name, needs_sources from main.mart_needs")
        sources = snapshot.query(
            "select setting_value from marts.build_settings where setting_name = 'sources'"
        )
    except duckdb.Error:
        return {}
    if sources.empty:
        return {}
    return marts_waiting(
        {row.mart_name: tuple(row.needs_sources) for row in needs.itertuples()},
        json.loads(sources["setting_value"][0]),
    )


def data_range(snapshot: Snapshot) -> DataRange | None:
    row = snapshot.query(
        """
        select
            min(started_local_date) as first_day,
            max(started_local_date) as last_day,
            coalesce(
                min(started_local_date) filter (
                    where is_answered and customer_id is not null and not is_repeat_window_ended
                ) - 1,
                max(started_local_date)
            ) as resolution_known_until
        from marts.fct_calls
        where direction = 'inbound'
        """
    ).iloc[0]
    if pd.isna(row["first_day"]):
        return None
    return DataRange(
        row["first_day"].date(), row["last_day"].date(), row["resolution_known_until"].date()
    )


def dimension_values(snapshot: Snapshot) -> dict[str, list[str]]:
    frame = snapshot.query(
        """
        select 'queue' as dimension, queue_name as value from marts.fct_daily_service
        union
        select 'segment', customer_segment from marts.fct_calls
        union
        select 'site', site_name from marts.dim_agents where site_name is not null
        union
        select 'team', team_name from marts.dim_agents where team_name is not null
        order by 1, 2
        """
    )
    return {dimension: list(group["value"]) for dimension, group in frame.groupby("dimension")}


def bands(snapshot: Snapshot) -> dict[str, list[str]]:
    """Each kind of band's labels (``tenure``, ``wait``), shortest first (marts.dim_bands)."""
    frame = snapshot.query(
        "select band_kind, band_label from marts.dim_bands order by band_kind, band_order"
    )
    return {kind: list(group["band_label"]) for kind, group in frame.groupby("band_kind")}


def _months_where(filters: Filters) -> Where:
    """Months overlapping the period, in the selected sites and teams."""
    return (
        Where()
        .add("month_start between date_trunc('month', ?::date) and ?", filters.start, filters.end)
        .any_of("site_name", filters.site)
        .any_of("team_name", filters.team)
    )


def _started_where(where: Where, filters: Filters, alias: str, segment: str) -> Where:
    return (
        where.add(f"{alias}.started_local_date between ? and ?", filters.start, filters.end)
        .any_of(f"{alias}.first_queue_name", filters.queue)
        .any_of(segment, filters.segment)
        .any_of(f"{alias}.answering_site_name", filters.site)
        .any_of(f"{alias}.answering_team_name", filters.team)
    )


def calls_where(filters: Filters, alias: str = "calls") -> Where:
    """Inbound calls started in the period, in the selected queues (first queue),
    segments, and sites and teams (of the agent who answered the last leg)."""
    inbound = Where().add(f"{alias}.direction = 'inbound'")
    return _started_where(inbound, filters, alias, f"{alias}.customer_segment")


def journeys_where(filters: Filters) -> Where:
    """calls_where for marts.fct_customer_journey (inbound calls only), whose segment
    is null where fct_calls says 'unknown' (a customer id the CRM does not know)."""
    segment = "coalesce(journeys.customer_segment, 'unknown')"
    return _started_where(Where(), filters, "journeys", segment)


# The customer metrics the pages show, and the counts behind them (each rate's sample).
CUSTOMER_COUNTS = (
    "calls", "answered_calls", "resolution_observed_calls", "resolved_calls",
    "surveys_sent", "survey_responses", "csat_responses", "nps_responses",
    "churn_observed_calls", "churned_calls", "nps_promoters", "nps_detractors",
)  # fmt: skip
CUSTOMER_COSTS = ("total_cost", "resolution_observed_cost")
CUSTOMER_RATES = (
    "cost_per_contact", "cost_per_resolved_contact", "fcr", "csat_top2", "nps",
    "survey_response_rate", "churn_30d_after_call", "retention_30d_after_call",
)  # fmt: skip
# What a customer measure can be broken down by: the catalogue's group-by names.
CUSTOMER_BREAKDOWNS = {
    "week": "metric_time__week",
    "month": "metric_time__month",
    "queue": "daily_calls__first_queue_name",
    "segment": "daily_calls__customer_segment",
    "team": "daily_calls__answering_team_name",
    "site": "daily_calls__answering_site_name",
}


def _period(filters: Filters, first: date | None = None) -> str:
    start = (first or filters.start).isoformat()
    return f"{metric_time()} between {quoted(start)} and {quoted(filters.end.isoformat())}"


def calls_metric_where(filters: Filters) -> tuple[str, ...]:
    """The filters of calls_where as the catalogue's filter expressions."""
    return _present(
        _period(filters),
        one_of("daily_calls", "direction", ("inbound",)),
        one_of("daily_calls", "first_queue_name", filters.queue),
        one_of("daily_calls", "customer_segment", filters.segment),
        one_of("daily_calls", "answering_site_name", filters.site),
        one_of("daily_calls", "answering_team_name", filters.team),
    )


def _present(*conditions: str | None) -> tuple[str, ...]:
    return tuple(condition for condition in conditions if condition)


def _metrics(
    snapshot: Snapshot,
    metrics: tuple[str, ...],
    where: tuple[str, ...],
    group_by: str | None = None,
) -> pd.DataFrame:
    """The catalogue's metrics, grouped by one of its group-by names (as "key")."""
    sql = snapshot.catalogue().sql(metrics, (group_by,) if group_by else (), where)
    frame = snapshot.query(sql)
    if group_by:
        frame = frame.rename(columns={output_column(group_by): "key"}).sort_values("key")
        frame = frame.reset_index(drop=True)
    return frame


def _whole_counts(
    frame: pd.DataFrame, counts: tuple[str, ...], money: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Counts as integers, sums of money as floats; zero where nothing was counted."""
    for column in counts:
        frame[column] = frame[column].fillna(0).astype("int64")
    for column in money:
        frame[column] = frame[column].fillna(0.0)
    return frame


def _customer_totals(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    """The customer metrics and their counts over the whole period, as one row. A
    period with no calls (before the data starts) counts zero, and its rates are NaN."""
    frame = _metrics(
        snapshot, CUSTOMER_COUNTS + CUSTOMER_COSTS + CUSTOMER_RATES, calls_metric_where(filters)
    )
    return _whole_counts(frame, CUSTOMER_COUNTS, CUSTOMER_COSTS)


def customer_measures(snapshot: Snapshot, filters: Filters) -> dict:
    """The customer metrics and their counts over the whole period, with the sums of
    squares of the calls' costs (their noise, ccw/noise.py)."""
    measures = _customer_totals(snapshot, filters).to_dict("records")[0]
    where = calls_where(filters)
    moments = snapshot.query(
        f"select {COST_MOMENTS} from marts.fct_daily_calls as calls where {where.sql}",
        where.parameters,
    )
    return measures | moments.to_dict("records")[0]


# The sums of squares the noise of cost per contact and per resolved contact needs
# (units: calls; ccw/noise.py), over the calls of `calls_where`: summed from
# fct_daily_calls, which keeps them per day and filter (a year of a large center's
# calls took 180 ms to square and sum).
COST_MOMENTS = """
    sum(calls.cost_squared) as cost_squared,
    sum(calls.answered_cost) as answered_cost,
    sum(calls.resolution_observed_cost_squared) as observed_cost_squared,
    sum(calls.resolved_cost) as resolved_cost
"""


def customer_measures_by(snapshot: Snapshot, filters: Filters, key: str) -> pd.DataFrame:
    """The customer metrics and their counts per week, month, queue, segment or team."""
    frame = _metrics(
        snapshot,
        CUSTOMER_COUNTS + CUSTOMER_COSTS + CUSTOMER_RATES,
        calls_metric_where(filters),
        CUSTOMER_BREAKDOWNS[key],
    )
    if key in ("team", "site"):
        frame = frame[frame["key"].notna()].reset_index(drop=True)
    return _whole_counts(frame, CUSTOMER_COUNTS, CUSTOMER_COSTS)


def cost_per_resolved_by_queue_and_segment(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    """Cost per resolved contact and its counts for every first queue and customer
    segment (as "queue" and "segment")."""
    group_by = (CUSTOMER_BREAKDOWNS["queue"], CUSTOMER_BREAKDOWNS["segment"])
    counts = ("resolved_calls", "resolution_observed_calls", "resolution_observed_cost")
    frame = snapshot.query(
        snapshot.catalogue().sql(
            ("cost_per_resolved_contact", *counts), group_by, calls_metric_where(filters)
        )
    ).rename(columns={output_column(group_by[0]): "queue", output_column(group_by[1]): "segment"})
    frame = frame[frame["queue"].notna()].sort_values(["queue", "segment"])
    return _whole_counts(frame.reset_index(drop=True), counts[:2], counts[2:])


CHURN = ("churn_rate", "customers_churned", "customers_active_at_start")


def _churn_where(filters: Filters) -> tuple[str, ...]:
    """Customers of the period: only the segment filter applies to them."""
    return _present(_period(filters), one_of("segment_day", "customer_segment", filters.segment))


def customer_churn(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    """The churn rate per week: customers who cancelled in the week / customers
    active at its start (its first day in the period)."""
    frame = _metrics(snapshot, CHURN, _churn_where(filters), "metric_time__week")
    return _whole_counts(frame, CHURN[1:])


def period_churn(snapshot: Snapshot, filters: Filters) -> dict:
    """The churn rate over the whole period (segment filter only)."""
    frame = _metrics(snapshot, CHURN, _churn_where(filters))
    return _whole_counts(frame, CHURN[1:]).to_dict("records")[0]


ATTRITION = ("agent_attrition_annualized", "agent_exits", "agent_days")


def _months_metric_where(filters: Filters, entity: str = "agent_month") -> tuple[str, ...]:
    """Months overlapping the period, in the selected sites and teams."""
    first_month = filters.start.replace(day=1)
    return _present(
        f"{metric_time('month')} between {quoted(first_month.isoformat())} "
        f"and {quoted(filters.end.isoformat())}",
        one_of(entity, "site_name", filters.site),
        one_of(entity, "team_name", filters.team),
    )


def attrition_measures(snapshot: Snapshot, filters: Filters) -> dict:
    """Annualized agent attrition and its counts over the months of the period, and
    what the turnover cost."""
    frame = _metrics(snapshot, ATTRITION, _months_metric_where(filters))
    cost = _metrics(
        snapshot, ("agent_attrition_cost",), _months_metric_where(filters, "team_month")
    )
    measures = _whole_counts(frame, ATTRITION[1:]).to_dict("records")[0]
    return measures | {"agent_attrition_cost": cost["agent_attrition_cost"].fillna(0)[0]}


def attrition_by_tenure(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    """Annualized attrition by the agents' tenure band, over the months of the period."""
    frame = _metrics(snapshot, ATTRITION, _months_metric_where(filters), "agent_month__tenure_band")
    return _whole_counts(frame, ATTRITION[1:])


def agent_attrition(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    """Per month overlapping the period: hires and exits (summed from the mart), and
    annualized attrition from the catalogue."""
    where = _months_where(filters)
    counts = snapshot.query(
        f"""
        select
            month_start as key,
            sum(average_daily_headcount) as average_daily_headcount,
            sum(hires) as hires,
            sum(exits) as exits,
            sum(voluntary_exits) as voluntary_exits,
            sum(involuntary_exits) as involuntary_exits,
            sum(early_exits) as early_exits,
            sum(hire_cost) as hire_cost,
            sum(ramp_cost) as ramp_cost,
            sum(attrition_cost) as attrition_cost
        from marts.fct_agent_retention
        where {where.sql}
        group by month_start
        order by 1
        """,
        where.parameters,
    )
    rates = _metrics(
        snapshot, ("agent_attrition_annualized",), _months_metric_where(filters),
        "metric_time__month",
    )  # fmt: skip
    rates["key"] = pd.to_datetime(rates["key"])
    counts["key"] = pd.to_datetime(counts["key"])
    return counts.merge(rates, on="key", how="left")


def bad_trades(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    where = (
        Where()
        .add("month_start between date_trunc('month', ?::date) and ?", filters.start, filters.end)
        .any_of("queue_name", filters.queue)
        .any_of("customer_segment", filters.segment)
    )
    return snapshot.query(
        f"""
        select * from marts.fct_bad_trades
        where {where.sql}
        order by is_significant_bad_trade desc, is_bad_trade desc,
            greatest(coalesce(answered_repeat_rate_change_z, 0),
                coalesce(churn_rate_30d_change_z, 0)) desc
        """,
        where.parameters,
    )


def interval_service(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    """Per local day and interval, pooled over the selected queues: the counts of the
    service-level metric (as the build's abandon treatment counts them), its rate, and
    the target those legs had to reach: each queue's own (dim_queue_targets), blended
    by the legs measured (so a cell meets it when its legs meeting the threshold are at
    least what each queue's target asks of its own legs; one queue: its target)."""
    where = (
        Where()
        .add("intervals.interval_local_date between ? and ?", filters.start, filters.end)
        .any_of("intervals.queue_name", filters.queue)
    )
    catalogue = snapshot.catalogue()
    met, base = catalogue.ratio_counts("service_level")
    frame = snapshot.query(
        f"""
        select
            intervals.interval_local_date as day,
            intervals.interval_start_at,
            min(intervals.interval_start_local) as interval_start_local,
            strftime(min(intervals.interval_start_local), '%H:%M') as interval_label,
            sum(intervals.offered_legs) as offered_legs,
            sum(intervals.{met}) as {met},
            sum(intervals.{base}) as {base},
            sum(intervals.{base} * targets.service_level_target)
                / nullif(sum(intervals.{base}), 0) as service_level_target,
            sum(intervals.staffed_agents) as staffed_agents,
            sum(intervals.required_agents_erlang_c) as required_agents_erlang_c,
            sum(intervals.required_agents_erlang_a) as required_agents_erlang_a,
            bool_or(intervals.is_staffed) as is_staffed
        from marts.fct_interval_service as intervals
        left join marts.dim_queue_targets as targets
            on intervals.queue_name = targets.queue_name
        where {where.sql}
        group by intervals.interval_local_date, intervals.interval_start_at
        order by intervals.interval_start_at
        """,
        where.parameters,
    )
    return frame.assign(service_level=catalogue.rate(frame, "service_level"))


def daily_service(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    where = (
        Where()
        .add("service_date between ? and ?", filters.start, filters.end)
        .any_of("queue_name", filters.queue)
    )
    return snapshot.query(
        f"""
        with days as (
            select *,
                median(offered_legs) over (
                    partition by queue_name, dayofweek(service_date)
                ) as usual_offered_legs
            from marts.fct_daily_service
        )
        select
            queue_name,
            service_date,
            offered_legs,
            usual_offered_legs,
            offered_legs > 1.25 * usual_offered_legs as is_surge_day,
            service_level,
            share_of_intervals_meeting_target,
            staffed_intervals_with_service_level,
            intervals_meeting_target,
            worst_interval_service_level,
            wait_p50_seconds,
            wait_p80_seconds,
            wait_p90_seconds,
            wait_p95_seconds,
            understaffed_intervals,
            staffing_gap_agent_hours
        from days
        where {where.sql}
        order by service_date, queue_name
        """,
        where.parameters,
    )


def journey_summary(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    """Calls from identified customers counted by what came before, during and after
    them (a few thousand rows, not one per call), with whether their repeat and 30-day
    windows have ended in the data (the marts say), and the counts FCR, churn after a
    call, CSAT and NPS divide (the calls' own surveys), so a page can roll them up by
    any of these columns."""
    where = journeys_where(filters)
    counts = ",\n".join(
        f"cast(coalesce(sum(counted.calls) filter (where {rule}), 0) as bigint) as {name}"
        for name, rule in JOURNEY_COUNTS.items()
    )
    # A year of a large center is millions of journeys: they are counted by one column,
    # their kind (dim_journey_kinds), whose values are then read for each kind.
    return snapshot.query(
        f"""
        with counted as (
            select journeys.journey_kind, count(*) as calls
            from marts.fct_customer_journey as journeys
            where {where.sql}
            group by journeys.journey_kind
        )
        select
            kinds.is_answered,
            kinds.is_transferred,
            kinds.is_callback_after_abandon,
            kinds.is_ivr_contained,
            kinds.is_false_containment,
            kinds.wait_band,
            kinds.agent_tenure_band,
            kinds.customer_tenure_band,
            kinds.self_service_before as self_service,
            kinds.prior_contacts,
            kinds.is_resolved,
            kinds.has_churned_within_30d,
            kinds.is_repeat_window_ended as is_repeat_observed,
            kinds.is_churn_30d_window_ended as is_churn_observed,
            {counts}
        from counted
        inner join marts.dim_journey_kinds as kinds on counted.journey_kind = kinds.journey_kind
        group by all
        """,
        where.parameters,
    )


# The counts of journey_summary: calls of the kinds where each rule holds.
JOURNEY_COUNTS = {
    "calls": "true",
    "resolution_observed_calls": "kinds.is_resolved is not null",
    "resolved_calls": "kinds.is_resolved",
    "churn_observed_calls": "kinds.is_churn_30d_window_ended",
    "ivr_contained_calls": "kinds.is_ivr_contained",
    "falsely_contained_calls": "kinds.is_false_containment",
    "churned_calls": "kinds.is_churn_30d_window_ended and kinds.has_churned_within_30d",
    "csat_responses": "kinds.is_csat_top_two_box is not null",
    "csat_top_two_box": "kinds.is_csat_top_two_box",
    "nps_responses": "kinds.is_nps_promoter is not null",
    "nps_promoters": "kinds.is_nps_promoter",
    "nps_detractors": "kinds.is_nps_detractor",
}


def team_attrition(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    """Per team over the months of the period: exits, hires and their cost (summed from
    the mart), and annualized attrition from the catalogue."""
    where = _months_where(filters)
    counts = snapshot.query(
        f"""
        select
            site_name,
            team_name,
            sum(exits) as exits,
            sum(early_exits) as early_exits,
            sum(hires) as hires,
            avg(average_daily_headcount) as average_daily_headcount,
            sum(attrition_cost) as attrition_cost
        from marts.fct_agent_retention
        where {where.sql}
        group by site_name, team_name
        order by exits desc, team_name
        """,
        where.parameters,
    )
    group_by = ("agent_month__site_name", "agent_month__team_name")
    rates = snapshot.query(
        snapshot.catalogue().sql(
            ("agent_attrition_annualized", "agent_days"), group_by, _months_metric_where(filters)
        )
    ).rename(columns={output_column(name): name.split("__")[1] for name in group_by})
    return counts.merge(rates, on=["site_name", "team_name"], how="left")


def survival_curve(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    """Kaplan-Meier survival of agent tenure, pooled over the selected sites and teams
    (all the history the roster shows, not only the period)."""
    where = Where().any_of("site_name", filters.site).any_of("team_name", filters.team)
    return snapshot.query(
        f"""
        with pooled as (
            select tenure_days, sum(agents_at_risk) as at_risk, sum(exits) as exits,
                sum(censored) as censored
            from marts.fct_agent_survival
            where {where.sql}
            group by tenure_days
        )
        select
            tenure_days,
            at_risk,
            exits,
            censored,
            case when max(exits / at_risk) over by_tenure < 1
                then exp(sum(ln(greatest(1 - exits / at_risk, 1e-12))) over by_tenure)
                else 0 end as survival
        from pooled
        window by_tenure as (order by tenure_days rows between unbounded preceding
            and current row)
        order by tenure_days
        """,
        where.parameters,
    )


def new_hire_ramp(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    """AHT and FCR of the calls agents answered, by their tenure week (first 26
    weeks), against the same queues' agents past the ramp."""
    counts = {
        "answered_calls": "answered_calls",
        "handle_seconds": "handle_seconds",
        "handled_legs": "answered_legs",
        "resolution_observed_calls": "resolution_observed_calls",
        "resolved_calls": "resolved_calls",
    }
    return _answered_calls_by(snapshot, filters, "tenure_week", counts, ("aht_seconds", "fcr"))


def outcomes_by_agent_tenure(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    """FCR and churn within 30 days after the call, with the counts behind them, of the
    answered calls by the tenure band of the agent who answered (calls of agents not on
    the roster left out)."""
    counts = ("resolution_observed_calls", "resolved_calls", "churn_observed_calls",
              "churned_calls")  # fmt: skip
    frame = _answered_calls_by(
        snapshot, filters, "agent_tenure_band", {name: name for name in counts},
        ("fcr", "churn_30d_after_call"),
    )  # fmt: skip
    return frame[frame["agent_tenure_band"].notna()].reset_index(drop=True)


def _answered_calls_by(
    snapshot: Snapshot,
    filters: Filters,
    key: str,
    counts: dict[str, str],
    rates: tuple[str, ...],
) -> pd.DataFrame:
    """Counts of the answered inbound calls (output name: column) summed by `key` from
    their daily pre-aggregate (marts.fct_daily_answered_calls_by_tenure), with the
    catalogue's rates over them."""
    where = _started_where(Where(), filters, "calls", "calls.customer_segment")
    sums = ", ".join(f"sum(calls.{column})::bigint as {name}" for name, column in counts.items())
    frame = snapshot.query(
        f"""
        select calls.{key}, {sums}
        from marts.fct_daily_answered_calls_by_tenure as calls
        where {where.sql}
        group by 1
        order by 1
        """,
        where.parameters,
    )
    catalogue = snapshot.catalogue()
    return frame.assign(**{rate: catalogue.rate(frame, rate) for rate in rates})


def engagement_and_exits(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    """Exits in the next 90 days by the agent's pulse engagement score (a leading
    indicator): agent-months with a pulse response."""
    where = Where().any_of("site_name", filters.site).any_of("team_name", filters.team)
    return snapshot.query(
        f"""
        with months as (select * from marts.fct_agent_months where {where.sql}),
        pulses as (
            select agent_id, month_start, round(engagement_score) as engagement
            from months where engagement_score is not null
        )
        select
            pulses.engagement,
            count(*) as agent_months,
            count(*) filter (where exists (
                select 1 from months as later
                where later.agent_id = pulses.agent_id and later.has_exited
                    and later.month_start between pulses.month_start
                        and pulses.month_start + interval 3 month
            )) as exited_within_3_months
        from pulses
        group by pulses.engagement
        order by 1
        """,
        where.parameters,
    )


def page_queries(snapshot: Snapshot, filters: Filters) -> dict[str, list[tuple]]:
    """The queries each page runs on load, as (function, arguments): what the app
    benchmark times (bench/app_child.py). The drill-downs open on the first queue and
    team and the interval with the lowest service level, as the pages do; finding
    them is not timed."""
    first_day = data_range(snapshot).first_day
    previous = filters.previous_period()
    trend = filters.trend_window(first_day)
    values = dimension_values(snapshot)
    intervals = interval_service(snapshot, filters)
    measured = intervals[intervals["service_level"].notna()]
    worst = measured.sort_values(["service_level", "interval_start_at"]).head(1)
    return {
        "Queue scorecard": [
            (queue_scorecard, (filters,)),
            *((queue_scorecard, (earlier,)) for _, earlier in filters.comparisons(first_day)),
            *((worst_intervals, (filters, queue, None)) for queue in values.get("queue", [])[:1]),
        ],
        "Overview": [
            (customer_measures, (filters,)),
            (customer_measures, (previous,)),
            (period_churn, (filters,)),
            (period_churn, (previous,)),
            (attrition_measures, (filters,)),
            (attrition_measures, (previous,)),
            (customer_measures_by, (trend, "week")),
            (customer_churn, (trend,)),
            (agent_attrition, (trend,)),
        ],
        "Cost vs loyalty": [
            (customer_measures_by, (filters, "queue")),
            (customer_measures_by, (filters, "week")),
            (cost_per_resolved_by_queue_and_segment, (filters,)),
            (bad_trades, (filters,)),
        ],
        "Service by interval": [
            (interval_service, (filters,)),
            (daily_service, (filters,)),
            *((interval_detail, (filters, start)) for start in worst["interval_start_at"]),
        ],
        "Customer journey": [(journey_summary, (filters,))],
        "Agents and retention": [
            (agent_attrition, (filters,)),
            (team_attrition, (filters,)),
            (attrition_by_tenure, (filters,)),
            (survival_curve, (filters,)),
            (engagement_and_exits, (filters,)),
            *((team_agents, (filters, team)) for team in values.get("team", [])[:1]),
            (new_hire_ramp, (filters,)),
            (outcomes_by_agent_tenure, (filters,)),
        ],
    }


# The queue scorecard: every queue and all of them together ("all_queues").
ALL_QUEUES = "all_queues"
SERVICE_COUNTS = (
    "offered_legs", "answered_legs", "abandoned_legs", "service_level_met_legs",
    "service_level_base_legs", "answered_wait_seconds", "handled_legs", "handle_seconds",
    "busy_agent_seconds", "productive_agent_seconds",
)  # fmt: skip
SERVICE_RATES = ("service_level", "abandon_rate", "asa_seconds", "aht_seconds", "occupancy")
TARGET_COUNTS = ("intervals_meeting_target", "staffed_intervals_with_service_level")


def _queues_metric_where(filters: Filters, entity: str) -> tuple[str, ...]:
    """The period and the queue filter (the service side has no segment, site or team)."""
    return _present(_period(filters), one_of(entity, "queue_name", filters.queue))


def _by_queue_and_all(
    snapshot: Snapshot, metrics: tuple[str, ...], where: tuple[str, ...], group_by: str
) -> pd.DataFrame:
    """The catalogue's metrics per queue, and over all of them as key "all_queues"."""
    per_queue = _metrics(snapshot, _with_their_counts(snapshot, metrics), where, group_by)
    pooled = _pooled(snapshot.catalogue(), per_queue, metrics).assign(key=ALL_QUEUES)
    per_queue = per_queue[per_queue["key"].notna()]
    both = pd.concat([pooled, per_queue], ignore_index=True)
    return both[["key", *metrics]].set_index("key")


def _with_their_counts(snapshot: Snapshot, metrics: tuple[str, ...]) -> tuple[str, ...]:
    """The metrics and every count their ratios divide."""
    catalogue = snapshot.catalogue()
    rates = [name for name in metrics if catalogue.definitions[name].kind != "simple"]
    return tuple(dict.fromkeys([*metrics, *(c for rate in rates for c in catalogue.counts(rate))]))


def _pooled(catalogue: Catalogue, frame: pd.DataFrame, metrics: tuple[str, ...]) -> pd.DataFrame:
    """The metrics over all of `frame`'s rows (each row a breakdown of the same
    period, its counts included), as one row: the counts are sums, so they add up and
    the rates divide the sums as the catalogue defines them (one query instead of a
    second run of the catalogue without the breakdown). A count that is not a sum (a
    distinct count does not add up over queues) is refused."""
    counts = [name for name in frame.columns if name in catalogue.definitions
              and catalogue.definitions[name].kind == "simple"]  # fmt: skip
    not_sums = [name for name in counts if catalogue.definitions[name].aggregation != "sum"]
    if not_sums:
        raise ValueError(
            f"cannot pool {', '.join(not_sums)} over the breakdown: only sums add up "
            "(query the catalogue without the breakdown instead)"
        )
    sums = {name: float(frame[name].sum(min_count=1)) for name in counts}
    rates = {name: catalogue.rate(sums, name) for name in metrics if name not in sums}
    return pd.DataFrame([sums | rates])


def queue_scorecard(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    """Per queue (first queue, for the customer figures) and over all queues: the
    service, staffing, cost and loyalty figures of the scorecard with the counts each
    rate divides, the queue's targets, and the sums of squares its noise needs
    (ccw/noise.py). Service figures follow the queue filter only; the customer
    figures (cost, FCR, CSAT) every filter."""
    service = _by_queue_and_all(
        snapshot, SERVICE_COUNTS + SERVICE_RATES,
        _queues_metric_where(filters, "queue_interval"), "queue_interval__queue_name",
    )  # fmt: skip
    targets_met = _by_queue_and_all(
        snapshot, TARGET_COUNTS, _queues_metric_where(filters, "queue_day"),
        "queue_day__queue_name",
    )  # fmt: skip
    # The sums of squares of the calls' costs come with the extras, for every queue.
    customers = _by_queue_and_all(
        snapshot, CUSTOMER_COUNTS + CUSTOMER_COSTS + CUSTOMER_RATES,
        calls_metric_where(filters), CUSTOMER_BREAKDOWNS["queue"],
    )  # fmt: skip
    extra = _scorecard_extras(snapshot, filters).set_index("key")
    frame = service.join(targets_met, how="outer").join(extra, how="left")
    frame = frame.join(customers, how="left", rsuffix="_calls")
    frame = _whole_counts(
        frame.reset_index(), SERVICE_COUNTS + TARGET_COUNTS + CUSTOMER_COUNTS, CUSTOMER_COSTS
    )
    order = [ALL_QUEUES, *sorted(key for key in frame["key"] if key != ALL_QUEUES)]
    return frame.set_index("key").loc[order].reset_index()


def _scorecard_extras(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    """What the scorecard shows beside the catalogue's rates (a period's wait p90, the
    intervals below target and by how much, agent-hours staffed and required, the
    targets) and the sums of squares of waits, handle times and costs.

    The wait p90 is `quantile_cont(wait_seconds, 0.9)` of the period's offered legs,
    computed from fct_daily_wait_distribution (each wait with its count of legs): the
    waits at positions floor(h) and ceil(h) of the sorted list, h = 0.9 * (n - 1),
    interpolated as `quantile_cont` does. It reads a fraction of the rows the legs are
    (66,010 against 456,925 at the demo)."""
    waits = (
        Where()
        .add("queued_local_date between ? and ?", filters.start, filters.end)
        .any_of("queue_name", filters.queue)
    )
    intervals = (
        Where()
        .add("intervals.interval_local_date between ? and ?", filters.start, filters.end)
        .any_of("intervals.queue_name", filters.queue)
    )
    days = (
        Where()
        .add("service_date between ? and ?", filters.start, filters.end)
        .any_of("queue_name", filters.queue)
    )
    calls = calls_where(filters)
    key = f"case when grouping(queue_name) = 1 then '{ALL_QUEUES}' else queue_name end"
    return snapshot.query(
        f"""
        with waits as (
            select
                {key} as key,
                wait_seconds,
                sum(offered_legs) as offered_legs,
                sum(answered_legs * wait_seconds * wait_seconds) as answered_wait_squared,
                sum(answered_handle_seconds_squared) as handle_squared
            from marts.fct_daily_wait_distribution
            where {waits.sql}
            group by grouping sets ((queue_name, wait_seconds), (wait_seconds))
        ),
        offered_waits as (
            select
                key,
                wait_seconds,
                sum(offered_legs) over (partition by key order by wait_seconds) as through,
                0.9 * (sum(offered_legs) over (partition by key) - 1) as position
            from waits
            where offered_legs > 0
        ),
        p90 as (
            select
                key,
                min(wait_seconds) filter (where through > floor(position)) as below,
                min(wait_seconds) filter (where through > ceil(position)) as above,
                any_value(position - floor(position)) as fraction
            from offered_waits
            group by key
        ),
        legs as (
            select
                key,
                any_value(p90.below + (p90.above - p90.below) * p90.fraction)
                    as wait_p90_seconds,
                sum(waits.answered_wait_squared) as answered_wait_squared,
                sum(waits.handle_squared) as handle_squared
            from waits
            left join p90 using (key)
            group by key
        ),
        below_target as (
            select
                {key} as key,
                avg(targets.service_level_target - intervals.service_level) filter (
                    where intervals.is_staffed and not intervals.meets_target
                ) as below_target_gap
            from marts.fct_interval_service as intervals
            inner join marts.dim_queue_targets as targets using (queue_name)
            where {intervals.sql}
            group by grouping sets ((queue_name), ())
        ),
        agent_hours as (
            select
                {key} as key,
                sum(staffed_agent_hours) as staffed_agent_hours,
                sum(required_agent_hours_erlang_c) as required_agent_hours
            from marts.fct_daily_service
            where {days.sql}
            group by grouping sets ((queue_name), ())
        ),
        costs as (
            select
                case when grouping(calls.first_queue_name) = 1 then '{ALL_QUEUES}'
                    else calls.first_queue_name end as key,
                {COST_MOMENTS}
            from marts.fct_daily_calls as calls
            where {calls.sql}
            group by grouping sets ((calls.first_queue_name), ())
        ),
        targets as (
            select queue_name as key, service_level_target, abandon_rate_target,
                asa_target_seconds
            from marts.dim_queue_targets
            union all
            -- All queues together: the center's targets.
            select
                '{ALL_QUEUES}',
                cast(sl_target as double),
                cast(json_extract(queue_targets, '$.all_queues.abandon_rate') as double),
                cast(json_extract(queue_targets, '$.all_queues.asa_seconds') as double)
            from (
                select
                    max(setting_value) filter (where setting_name = 'sl_target') as sl_target,
                    max(setting_value) filter (where setting_name = 'queue_targets')
                        as queue_targets
                from marts.build_settings
            )
        )
        select *
        from (
            -- Every queue with a figure in the period, and all queues together.
            select '{ALL_QUEUES}' as key
            union select key from legs
            union select key from below_target
            union select key from agent_hours
            union select key from costs
        ) as keys
        left join legs using (key)
        left join below_target using (key)
        left join agent_hours using (key)
        left join costs using (key)
        left join targets using (key)
        """,
        waits.parameters + intervals.parameters + days.parameters + calls.parameters,
    )


def missed_targets(snapshot: Snapshot, filters: Filters, min_sample: int) -> pd.DataFrame:
    """Every queue and day of the period that missed one of its targets (service
    level, abandon rate, ASA; dim_queue_targets), over at least ``min_sample`` legs:
    one row per queue, day and target missed, the worst miss first."""
    where = (
        Where()
        .add("days.service_date between ? and ?", filters.start, filters.end)
        .add("days.offered_legs >= ?", min_sample)
        .any_of("days.queue_name", filters.queue)
    )
    return snapshot.query(
        f"""
        with misses as (
            select days.queue_name, days.service_date, days.offered_legs,
                'service_level' as figure, days.service_level as value,
                targets.service_level_target as target,
                targets.service_level_target - days.service_level as shortfall
            from marts.fct_daily_service as days
            inner join marts.dim_queue_targets as targets using (queue_name)
            where {where.sql} and days.service_level < targets.service_level_target
            union all
            select days.queue_name, days.service_date, days.offered_legs,
                'abandon_rate', days.abandon_rate, targets.abandon_rate_target,
                days.abandon_rate - targets.abandon_rate_target
            from marts.fct_daily_service as days
            inner join marts.dim_queue_targets as targets using (queue_name)
            where {where.sql} and days.abandon_rate > targets.abandon_rate_target
            union all
            select days.queue_name, days.service_date, days.offered_legs,
                'asa_seconds', days.asa_seconds, targets.asa_target_seconds,
                (days.asa_seconds - targets.asa_target_seconds) / targets.asa_target_seconds
            from marts.fct_daily_service as days
            inner join marts.dim_queue_targets as targets using (queue_name)
            where {where.sql} and days.asa_seconds > targets.asa_target_seconds
        )
        select * from misses order by shortfall desc, service_date, queue_name
        """,
        where.parameters * 3,
    )


def worst_intervals(
    snapshot: Snapshot, filters: Filters, queue: str | None = None, limit: int | None = 10
) -> pd.DataFrame:
    """Intervals of the period with calls, in one queue (the scorecard's drill-down) or
    below their queue's target in the selected queues (the weekly report), the most
    callers past the threshold (or hung up) first, with their figures and target."""
    where = Where().add("intervals.interval_local_date between ? and ?", filters.start, filters.end)
    if queue is None:
        where.add("intervals.is_staffed and not intervals.meets_target").any_of(
            "intervals.queue_name", filters.queue
        )
    else:
        where.add("intervals.queue_name = ? and intervals.offered_legs > 0", queue)
    return snapshot.query(
        f"""
        select
            intervals.queue_name,
            intervals.interval_start_local,
            intervals.offered_legs,
            intervals.service_level_base_legs - intervals.service_level_met_legs
                as legs_missing_the_threshold,
            intervals.service_level,
            targets.service_level_target,
            intervals.meets_target,
            intervals.abandon_rate,
            intervals.asa_seconds,
            intervals.wait_p90_seconds,
            intervals.aht_seconds,
            intervals.staffed_agents,
            intervals.required_agents_erlang_c
        from marts.fct_interval_service as intervals
        inner join marts.dim_queue_targets as targets using (queue_name)
        where {where.sql}
        order by legs_missing_the_threshold desc, intervals.interval_start_local
        {f"limit {int(limit)}" if limit else ""}
        """,
        where.parameters,
    )


def interval_detail(
    snapshot: Snapshot, filters: Filters, interval_start_at
) -> dict[str, pd.DataFrame]:
    """One interval (its UTC start), in the selected queues: each queue's figures, the
    legs queued in it (callers as hashes, never numbers or names), and the agents who
    answered them."""
    queues = (
        Where().add("interval_start_at = ?", interval_start_at).any_of("queue_name", filters.queue)
    )
    legs = (
        Where()
        .add("legs.queued_interval_start_at = ?", interval_start_at)
        .any_of("legs.queue_name", filters.queue)
    )
    figures = snapshot.query(
        f"""
        select queue_name, offered_legs, answered_legs, abandoned_legs, service_level,
            asa_seconds, wait_p90_seconds, aht_seconds, staffed_agents,
            required_agents_erlang_c
        from marts.fct_interval_service where {queues.sql} order by queue_name
        """,
        queues.parameters,
    )
    calls = snapshot.query(
        f"""
        select legs.queued_at, legs.queue_name, legs.call_id, left(legs.caller_hash, 12)
                as caller, legs.wait_seconds, legs.disposition, legs.handle_seconds,
            legs.agent_id
        from marts.fct_call_legs as legs
        where {legs.sql} and legs.is_offered
        order by legs.queued_at
        """,
        legs.parameters,
    )
    agents = snapshot.query(
        f"""
        select legs.agent_id, any_value(legs.team_name) as team_name,
            any_value(legs.site_name) as site_name,
            any_value(legs.agent_tenure_days) as tenure_days,
            count(*) as legs_answered, avg(legs.wait_seconds) as average_wait_seconds,
            avg(legs.handle_seconds) as average_handle_seconds
        from marts.fct_call_legs as legs
        where {legs.sql} and legs.is_answered
        group by legs.agent_id
        order by legs_answered desc, legs.agent_id
        """,
        legs.parameters,
    )
    return {"figures": figures, "calls": calls, "agents": agents}


def team_agents(snapshot: Snapshot, filters: Filters, team: str) -> pd.DataFrame:
    """The scorecard of one team's agents over the period: their calls answered, AHT,
    FCR and CSAT with the counts behind them, and their tenure (the team's agents of
    the period are those who answered its calls; adherence is not in the data). The
    counts are summed from two daily pre-aggregates: the legs each agent answered
    (marts.fct_daily_agent_legs) and the answered inbound calls whose last answered
    leg they took (marts.fct_daily_answered_calls_by_tenure)."""
    where = _started_where(Where(), filters, "calls", "calls.customer_segment").add(
        "calls.answering_team_name = ?", team
    )
    team_days = (
        Where()
        .add("legs.contact_local_date between ? and ?", filters.start, filters.end)
        .add("legs.team_name = ?", team)
    )
    legs = Where(list(team_days.conditions), list(team_days.parameters)).any_of(
        "legs.queue_name", filters.queue
    )
    frame = snapshot.query(
        f"""
        with handled as (
            -- Handle time of the legs each agent answered (a call's outcome, below,
            -- belongs to the agent of its last answered leg).
            select legs.agent_id,
                sum(legs.handled_legs)::bigint as handled_legs,
                sum(legs.handle_seconds)::bigint as handle_seconds
            from marts.fct_daily_agent_legs as legs
            where {legs.sql}
            group by legs.agent_id
        ),
        outcomes as (
            select
                calls.answering_agent_id as agent_id,
                sum(calls.answered_calls)::bigint as answered_calls,
                sum(calls.resolution_observed_calls)::bigint as resolution_observed_calls,
                sum(calls.resolved_calls)::bigint as resolved_calls,
                sum(calls.csat_responses)::bigint as csat_responses,
                sum(calls.csat_top_two_box)::bigint as csat_top_two_box
            from marts.fct_daily_answered_calls_by_tenure as calls
            where {where.sql}
            group by calls.answering_agent_id
        ),
        tenure as (
            -- On the last day of the period the agent answered a leg of any queue: an
            -- agent whose calls came by transfer from the queue picked has no leg in it.
            select legs.agent_id, max(legs.agent_tenure_days) as tenure_days
            from marts.fct_daily_agent_legs as legs
            where {team_days.sql}
            group by legs.agent_id
        )
        select agent_id, tenure.tenure_days,
            coalesce(outcomes.answered_calls, 0) as answered_calls,
            coalesce(handled.handled_legs, 0) as handled_legs, handled.handle_seconds,
            coalesce(outcomes.resolution_observed_calls, 0) as resolution_observed_calls,
            coalesce(outcomes.resolved_calls, 0) as resolved_calls,
            coalesce(outcomes.csat_responses, 0) as csat_responses,
            coalesce(outcomes.csat_top_two_box, 0) as csat_top_two_box
        from handled
        full join outcomes using (agent_id)
        left join tenure using (agent_id)
        order by handled_legs desc, agent_id
        """,
        legs.parameters + where.parameters + team_days.parameters,
    )
    catalogue = snapshot.catalogue()
    return frame.assign(
        aht_seconds=catalogue.rate(frame, "aht_seconds"),
        fcr=catalogue.rate(frame, "fcr"),
        csat_top2=catalogue.rate(frame, "csat_top2"),
    )
