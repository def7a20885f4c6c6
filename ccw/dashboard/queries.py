"""Every query the app's pages run, on the published marts, with bound parameters.

Each function takes a `Snapshot` and the page's `Filters` and returns a DataFrame.
Measures follow the marts' definitions (their YAML, the dbt docs); rates that need a window after
the call (repeats within `repeat_window_days`, churn within 30 days) only count calls
whose window has ended in the data, so the latest week never looks better than it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from ccw.dashboard.definitions import parameter
from ccw.dashboard.filters import Filters, Where
from ccw.dashboard.snapshot import Snapshot


@dataclass(frozen=True)
class DataRange:
    first_day: date
    last_day: date


def published_at(snapshot: Snapshot):
    return snapshot.refresh().published_at


def data_range(snapshot: Snapshot) -> DataRange | None:
    row = snapshot.query(
        "select min(started_local_date) as first_day, max(started_local_date) as last_day "
        "from marts.fct_calls"
    ).iloc[0]
    if pd.isna(row["first_day"]):
        return None
    return DataRange(row["first_day"].date(), row["last_day"].date())


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


# The counts behind every customer measure, summed from the daily pre-aggregate
# (marts.fct_daily_calls) over whatever the query groups by. FCR and churn count only
# days whose windows have ended before the data does.
CALL_COUNTS = """
    sum(calls.calls)::bigint as calls,
    sum(calls.answered_calls)::bigint as answered_calls,
    sum(calls.handle_seconds)::bigint as handle_seconds,
    sum(calls.answered_legs)::bigint as answered_legs,
    sum(calls.total_cost) as total_cost,
    coalesce(sum(calls.identified_calls) filter (
        where calls.started_local_date <= bounds.last_day - ?), 0)::bigint
        as resolution_observed_calls,
    coalesce(sum(calls.identified_resolved_calls) filter (
        where calls.started_local_date <= bounds.last_day - ?), 0)::bigint as resolved_calls,
    coalesce(sum(calls.identified_cost) filter (
        where calls.started_local_date <= bounds.last_day - ?), 0) as resolution_observed_cost,
    sum(calls.surveys_sent)::bigint as surveys_sent,
    sum(calls.survey_responses)::bigint as survey_responses,
    sum(calls.csat_responses)::bigint as csat_responses,
    sum(calls.csat_top_two_box)::bigint as csat_top_two_box,
    sum(calls.nps_responses)::bigint as nps_responses,
    sum(calls.nps_promoters)::bigint as nps_promoters,
    sum(calls.nps_detractors)::bigint as nps_detractors,
    coalesce(sum(calls.journey_calls) filter (
        where calls.started_local_date <= bounds.last_day - 31), 0)::bigint
        as churn_observed_calls,
    coalesce(sum(calls.churned_journey_calls) filter (
        where calls.started_local_date <= bounds.last_day - 31), 0)::bigint as churned_calls
"""


def _call_counts_parameters(snapshot: Snapshot) -> list:
    observed_after = parameter("repeat_window_days", snapshot) + 1
    return [observed_after, observed_after, observed_after]


def _call_counts(snapshot: Snapshot, filters: Filters, group_by: str | None) -> pd.DataFrame:
    """CALL_COUNTS over the filtered days, queues, segments, sites and teams."""
    where = calls_where(filters)
    select_key = f"{group_by} as key," if group_by else ""
    group = f"group by {group_by} order by 1" if group_by else ""
    return snapshot.query(
        f"""
        with bounds as (select max(started_local_date) as last_day from marts.fct_daily_calls)
        select {select_key} {CALL_COUNTS}
        from marts.fct_daily_calls as calls
        cross join bounds
        where {where.sql}
        {group}
        """,
        _call_counts_parameters(snapshot) + where.parameters,
    )


def add_customer_measures(counts: pd.DataFrame) -> pd.DataFrame:
    """The rates the marts define, from the counts, leaving NaN where a
    denominator is zero (no number is shown without the data behind it)."""
    frame = counts.copy()

    def ratio(numerator, denominator):
        return frame[numerator].astype(float) / frame[denominator].where(frame[denominator] > 0)

    frame["cost_per_contact"] = ratio("total_cost", "answered_calls")
    frame["aht_seconds"] = ratio("handle_seconds", "answered_legs")
    frame["fcr"] = ratio("resolved_calls", "resolution_observed_calls")
    frame["cost_per_resolved_contact"] = ratio("resolution_observed_cost", "resolved_calls")
    frame["survey_response_rate"] = ratio("survey_responses", "surveys_sent")
    frame["csat_top_two_box_share"] = ratio("csat_top_two_box", "csat_responses")
    frame["nps"] = (
        100
        * (frame["nps_promoters"] - frame["nps_detractors"])
        / frame["nps_responses"].where(frame["nps_responses"] > 0)
    )
    frame["churn_30d"] = ratio("churned_calls", "churn_observed_calls")
    return frame


def customer_measures(snapshot: Snapshot, filters: Filters) -> dict:
    """The counts and measures for the whole period (counts stay integers). A period
    with no calls (before the data starts) counts zero, not NULL, everywhere."""
    counts = _call_counts(snapshot, filters, None).fillna(0)
    return add_customer_measures(counts).to_dict("records")[0]


def customer_measures_by(snapshot: Snapshot, filters: Filters, key: str) -> pd.DataFrame:
    """Counts and measures per week, month, queue, segment or team."""
    expressions = {
        "week": "date_trunc('week', calls.started_local_date)",
        "month": "date_trunc('month', calls.started_local_date)",
        "queue": "calls.first_queue_name",
        "segment": "calls.customer_segment",
        "team": "calls.answering_team_name",
        "site": "calls.answering_site_name",
    }
    frame = _call_counts(snapshot, filters, expressions[key])
    if key == "team":
        frame = frame[frame["key"].notna()]
    return add_customer_measures(frame)


def customer_churn(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    """The spec's churn rate per week: customers who cancelled in the week / customers
    active at its start. A customer measure: only the segment filter applies.

    Customers are counted per day created and per day churned, then accumulated, so
    the query reads each customer once rather than once per week."""
    where = Where().any_of("customer_segment", filters.segment)
    return snapshot.query(
        f"""
        with weeks as (
            select unnest(generate_series(
                date_trunc('week', ?::date), ?::date, interval 7 day
            ))::date as week_start
        ),
        customers as (select * from marts.dim_customers where {where.sql}),
        created as (
            select created_date as day, count(*) as customers from customers group by 1
        ),
        churned as (
            select churned_date as day, count(*) as customers from customers
            where churned_date is not null group by 1
        )
        select
            weeks.week_start as key,
            ((select coalesce(sum(customers), 0) from created where day < weeks.week_start)
            - (select coalesce(sum(customers), 0) from churned where day < weeks.week_start)
            )::bigint as active_at_start,
            (select coalesce(sum(customers), 0) from churned
                where day >= weeks.week_start and day < weeks.week_start + 7)::bigint as churned
        from weeks
        order by 1
        """,
        [filters.start, filters.end, *where.parameters],
    ).assign(churn_rate=lambda frame: frame["churned"] / frame["active_at_start"])


def period_churn(snapshot: Snapshot, filters: Filters) -> dict:
    """The spec's churn rate over the whole period (segment filter only)."""
    where = Where().any_of("customer_segment", filters.segment)
    return (
        snapshot.query(
            f"""
        select
            count(*) filter (where created_date < ?
                and (churned_date is null or churned_date >= ?)) as active_at_start,
            count(*) filter (where created_date < ? and churned_date between ? and ?)
                as churned
        from marts.dim_customers
        where {where.sql}
        """,
            [*[filters.start] * 4, filters.end, *where.parameters],
        )
        .assign(
            churn_rate=lambda frame: (
                frame["churned"] / frame["active_at_start"].where(frame["active_at_start"] > 0)
            )
        )
        .to_dict("records")[0]
    )


def agent_attrition(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    """Per month overlapping the period: headcount, hires, exits, attrition, cost."""
    where = _months_where(filters)
    return snapshot.query(
        f"""
        select
            month_start as key,
            sum(average_daily_headcount) as average_daily_headcount,
            sum(hires) as hires,
            sum(exits) as exits,
            sum(voluntary_exits) as voluntary_exits,
            sum(involuntary_exits) as involuntary_exits,
            sum(early_exits) as early_exits,
            12 * sum(exits) / nullif(sum(average_daily_headcount), 0)
                as annualized_attrition_rate,
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
    """Per local day and interval, pooled over the selected queues."""
    where = (
        Where()
        .add("interval_local_date between ? and ?", filters.start, filters.end)
        .any_of("queue_name", filters.queue)
    )
    return snapshot.query(
        f"""
        select
            interval_local_date as day,
            interval_start_at,
            min(interval_start_local) as interval_start_local,
            strftime(min(interval_start_local), '%H:%M') as interval_label,
            sum(offered_legs) as offered_legs,
            sum(answered_within_threshold_legs) as answered_within_threshold_legs,
            sum(answered_legs) + sum(abandoned_legs) as service_level_base,
            sum(answered_within_threshold_legs) * 1.0
                / nullif(sum(answered_legs) + sum(abandoned_legs), 0) as service_level,
            sum(staffed_agents) as staffed_agents,
            sum(required_agents_erlang_c) as required_agents_erlang_c,
            sum(required_agents_erlang_a) as required_agents_erlang_a,
            bool_or(is_staffed) as is_staffed
        from marts.fct_interval_service
        where {where.sql}
        group by interval_local_date, interval_start_at
        order by interval_start_at
        """,
        where.parameters,
    )


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
    them (a few thousand rows, not one per call), with whether their 7-day and 30-day
    windows have ended in the data."""
    where = journeys_where(filters)
    observed_after = parameter("repeat_window_days", snapshot) + 1
    return snapshot.query(
        f"""
        with bounds as (select max(started_local_date) as last_day from marts.fct_calls)
        select
            journeys.is_answered,
            journeys.is_transferred,
            journeys.is_ivr_contained,
            journeys.is_false_containment,
            journeys.wait_band,
            journeys.agent_tenure_band,
            journeys.customer_tenure_band,
            case least(journeys.self_service_attempts_before, 2)
                when 0 then 'none' when 1 then 'one' else 'two or more' end as self_service,
            case least(journeys.prior_calls + journeys.prior_cases, 2)
                when 0 then 'none' when 1 then 'one' else 'two or more' end as prior_contacts,
            journeys.is_resolved,
            journeys.has_churned_within_30d,
            journeys.started_local_date <= bounds.last_day - ? as is_repeat_observed,
            journeys.started_local_date <= bounds.last_day - 31 as is_churn_observed,
            count(*) as calls
        from marts.fct_customer_journey as journeys
        cross join bounds
        where {where.sql}
        group by all
        """,
        [observed_after, *where.parameters],
    )


def agent_months(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    where = _months_where(filters)
    return snapshot.query(
        f"select * from marts.fct_agent_months where {where.sql} order by month_start",
        where.parameters,
    )


def team_attrition(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    where = _months_where(filters)
    return snapshot.query(
        f"""
        select
            site_name,
            team_name,
            sum(exits) as exits,
            sum(early_exits) as early_exits,
            sum(hires) as hires,
            avg(average_daily_headcount) as average_daily_headcount,
            12 * sum(exits) / nullif(sum(average_daily_headcount), 0) as annualized_attrition_rate,
            sum(attrition_cost) as attrition_cost
        from marts.fct_agent_retention
        where {where.sql}
        group by site_name, team_name
        order by exits desc, team_name
        """,
        where.parameters,
    )


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
    """AHT and repeat rate of the calls agents answered, by their tenure week (first
    26 weeks), against the same queues' agents past the ramp; summed from the daily
    pre-aggregate (marts.fct_daily_answered_calls_by_tenure)."""
    where = _started_where(Where(), filters, "calls", "calls.customer_segment")
    observed_after = parameter("repeat_window_days", snapshot) + 1
    return snapshot.query(
        f"""
        with bounds as (select max(started_local_date) as last_day from marts.fct_calls)
        select
            calls.tenure_week,
            sum(calls.answered_calls)::bigint as answered_calls,
            sum(calls.handle_seconds) * 1.0 / sum(calls.answered_legs) as aht_seconds,
            coalesce(sum(calls.identified_calls) filter (
                where calls.started_local_date <= bounds.last_day - ?), 0)::bigint
                as resolution_observed_calls,
            coalesce(sum(calls.identified_resolved_calls) filter (
                where calls.started_local_date <= bounds.last_day - ?), 0)::bigint
                as resolved_calls
        from marts.fct_daily_answered_calls_by_tenure as calls
        cross join bounds
        where {where.sql}
        group by 1
        order by 1
        """,
        [observed_after, observed_after, *where.parameters],
    ).pipe(_with_fcr)


def _with_fcr(frame: pd.DataFrame) -> pd.DataFrame:
    observed = frame["resolution_observed_calls"]
    return frame.assign(fcr=frame["resolved_calls"] / observed.where(observed > 0))


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


def page_queries(filters: Filters) -> dict[str, list[tuple]]:
    """The queries each page runs on load, as (function, arguments): what the app
    benchmark times (bench/app_child.py)."""
    previous = filters.previous_period()
    return {
        "Overview": [
            (customer_measures, (filters,)),
            (customer_measures, (previous,)),
            (period_churn, (filters,)),
            (period_churn, (previous,)),
            (agent_attrition, (filters,)),
            (agent_attrition, (previous,)),
            (customer_measures_by, (filters, "week")),
            (customer_churn, (filters,)),
        ],
        "Cost vs loyalty": [
            (customer_measures_by, (filters, "queue")),
            (customer_measures_by, (filters, "week")),
            (bad_trades, (filters,)),
        ],
        "Service by interval": [
            (interval_service, (filters,)),
            (daily_service, (filters,)),
        ],
        "Customer journey": [(journey_summary, (filters,))],
        "Agents and retention": [
            (agent_attrition, (filters,)),
            (team_attrition, (filters,)),
            (agent_months, (filters,)),
            (survival_curve, (filters,)),
            (engagement_and_exits, (filters,)),
            (new_hire_ramp, (filters,)),
            (journey_summary, (filters,)),
        ],
    }
