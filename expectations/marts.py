"""One suite per mart the app reads: the marts still look like a working contact center.

dbt tests guard each model's logic (keys, relationships, unit tests). These suites
guard the published numbers themselves: rates within [0, 1], headcounts never
negative, never more agents staffed than logged in, cost per contact within a
plausible band, every answered call costed, no caller number in clear text.

Every suite blocks: the snapshot the app and analysts read is published only when
all of them pass, so a bad build leaves the last good snapshot in place. The
plausibility band for cost per contact is critical too, because the errors it catches
(a rate in cents, a duration in minutes) would mislead every manager at once.

On an incremental mart a suite reads the rows the run rebuilt (the latest
`built_at`): all of them on a full build, a few recent days on a nightly run.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from ccw.landing.sql import identifier
from expectations import builders as build
from expectations import thresholds as limits
from expectations.frames import read_frame
from expectations.suite import Scope, Suite, columns_used

if TYPE_CHECKING:
    import duckdb
    import pandas as pd
    from great_expectations.expectations import Expectation


def _columns_used(expectations: list[Expectation]) -> list[str]:
    columns: list[str] = []
    for expectation in expectations:
        for column in columns_used(expectation.configuration.kwargs):
            if column not in columns:
                columns.append(column)
    return columns


def read_mart(
    mart: str,
    expectations: Callable[[], list[Expectation]],
    key: str,
    con: duckdb.DuckDBPyConnection,
    _: Scope,
) -> pd.DataFrame:
    columns = [key, *(c for c in _columns_used(expectations()) if c != key)]
    select = ", ".join(identifier(column) for column in columns)
    table = f"marts.{identifier(mart)}"
    rebuilt = ""
    if "built_at" in con.table(table).columns:
        # An incremental mart: the rows this run rebuilt (every row on a full build).
        rebuilt = f" where built_at = (select max(built_at) from {table})"
    return read_frame(con, f"select {select} from {table}{rebuilt}")


def _share(name: str, why: str | None = None) -> Expectation:
    return build.between(name, 0, 1, why or f"{name} is a share")


def _at_least_zero(name: str, why: str | None = None) -> Expectation:
    return build.between(name, 0, None, why or f"{name} is never negative")


def _unique(name: str) -> Expectation:
    return build.unique(name, f"{name} identifies one row (no fan-out in a join)")


def _not_more_than(smaller: str, larger: str, why: str) -> Expectation:
    return build.not_below(larger, smaller, why)


def _service_rules(key: str) -> list[Expectation]:
    return [
        _unique(key),
        *(_share(column) for column in ("service_level", "abandon_rate", "occupancy", "shrinkage")),
        *(_at_least_zero(column) for column in ("offered_legs", "asa_seconds", "aht_seconds")),
        _not_more_than("answered_legs", "offered_legs", "no more legs answered than offered"),
    ]


def _interval_service() -> list[Expectation]:
    return [
        *_service_rules("queue_interval_id"),
        _not_more_than(
            "staffed_agents", "logged_in_agents", "staffed agents never exceed logged-in agents"
        ),
        _at_least_zero("logged_in_agents"),
        _at_least_zero("required_agents_erlang_c"),
    ]


def _daily_service() -> list[Expectation]:
    return [
        *_service_rules("queue_day_id"),
        _share("share_of_intervals_meeting_target"),
        _not_more_than(
            "intervals_meeting_target",
            "intervals",
            "no more intervals meet the target than there are intervals",
        ),
    ]


def _calls() -> list[Expectation]:
    answered = build.column("is_answered") == True  # noqa: E712 (a GX row condition)
    return [
        _unique("call_id"),
        build.not_null("call_cost", "every answered call has a cost", when=answered),
        build.between(
            "call_cost",
            0,
            None,
            "an answered call costs more than nothing",
            when=answered,
            strict_low=True,
        ),
        *(
            _at_least_zero(name)
            for name in ("wait_seconds", "handle_seconds", "leg_count", "call_cost")
        ),
        build.matches(
            "caller_hash", "^[0-9a-f]{64}$", "the caller's number reaches the mart only as a hash"
        ),
        build.between("csat_score", 1, 5, "CSAT is on 1-5"),
    ]


def _cost_loyalty() -> list[Expectation]:
    return [
        _unique("cost_loyalty_id"),
        build.between(
            "cost_per_contact",
            limits.COST_PER_CONTACT_MIN,
            limits.COST_PER_CONTACT_MAX,
            "cost per contact is within a plausible band (units and rates right)",
        ),
        *(
            _share(name)
            for name in (
                "fcr",
                "repeat_contact_rate",
                "survey_response_rate",
                "csat_top_two_box_share",
                "churn_rate",
                "churn_rate_30d",
            )
        ),
        build.between("nps", -100, 100, "NPS is in points"),
        _not_more_than("answered_calls", "inbound_calls", "no more calls answered than received"),
        _at_least_zero("total_cost"),
    ]


def _daily_calls() -> list[Expectation]:
    return [
        _unique("daily_calls_id"),
        _not_more_than("answered_calls", "calls", "no more calls answered than received"),
        _not_more_than("survey_responses", "surveys_sent", "no more responses than surveys"),
        _not_more_than(
            "resolved_calls", "resolution_observed_calls", "no more resolved than followed"
        ),
        _not_more_than(
            "resolution_observed_calls", "answered_calls", "resolution is for answered calls"
        ),
        _at_least_zero("total_cost"),
        _at_least_zero("handle_seconds"),
    ]


def _daily_answered_calls_by_tenure() -> list[Expectation]:
    return [
        _unique("daily_tenure_calls_id"),
        _not_more_than(
            "resolved_calls", "resolution_observed_calls", "no more resolved than followed"
        ),
        _not_more_than("identified_calls", "answered_calls", "no more identified than answered"),
        _not_more_than("csat_top_two_box", "csat_responses", "no more top-two-box than responses"),
        _not_more_than("churned_calls", "churn_observed_calls", "no more churned than followed"),
        _at_least_zero("tenure_week", "tenure is never negative"),
        _at_least_zero("handle_seconds"),
    ]


def _bad_trades() -> list[Expectation]:
    return [
        _unique("bad_trade_id"),
        *(
            _share(column)
            for column in (
                "answered_repeat_rate",
                "previous_answered_repeat_rate",
                "churn_rate_30d",
                "previous_churn_rate_30d",
            )
        ),
        _at_least_zero("aht_seconds"),
    ]


def _customer_journey() -> list[Expectation]:
    return [
        _unique("call_id"),
        _at_least_zero("wait_seconds"),
        _at_least_zero("call_cost"),
        _at_least_zero("prior_calls"),
    ]


def _agent_months() -> list[Expectation]:
    return [
        _unique("agent_month_id"),
        _at_least_zero("headcount_days", "headcount is never negative"),
        *(_share(column) for column in ("occupancy", "fcr", "csat_top_two_box_share")),
        _at_least_zero("paid_cost"),
    ]


def _agent_retention() -> list[Expectation]:
    return [
        _unique("team_month_id"),
        *(
            _at_least_zero(column, "headcount is never negative")
            for column in ("headcount_at_start", "headcount_at_end", "average_daily_headcount")
        ),
        *(_at_least_zero(column) for column in ("hires", "exits", "attrition_cost")),
        _not_more_than("early_exits", "exits", "early exits are a part of all exits"),
        _at_least_zero("attrition_rate"),
    ]


def _agent_survival() -> list[Expectation]:
    return [
        _unique("survival_id"),
        _share("survival_probability", "Kaplan-Meier survival is a probability"),
        _share("conditional_survival"),
        _at_least_zero("agents_at_risk", "headcount is never negative"),
        _not_more_than("exits", "agents_at_risk", "no more exits than agents at risk"),
    ]


def _agents() -> list[Expectation]:
    return [
        _unique("agent_version_id"),
        build.not_null("agent_id", "every version names its agent"),
        build.between(
            "hourly_cost", 0, None, "every agent costs something per hour", strict_low=True
        ),
    ]


def _customers() -> list[Expectation]:
    return [
        _unique("customer_id"),
        _at_least_zero("monthly_revenue"),
        _at_least_zero("lifetime_calls"),
    ]


MART_RULES: dict[str, tuple[str, Callable[[], list[Expectation]], str]] = {
    # mart: (key, expectations, what it protects against)
    "fct_interval_service": ("queue_interval_id", _interval_service, "impossible interval service"),
    "fct_daily_service": ("queue_day_id", _daily_service, "impossible daily service"),
    "fct_calls": ("call_id", _calls, "uncosted calls, clear-text callers, impossible calls"),
    "fct_cost_loyalty": ("cost_loyalty_id", _cost_loyalty, "implausible cost and loyalty rates"),
    "fct_daily_calls": ("daily_calls_id", _daily_calls, "counts that cannot add up"),
    "fct_daily_answered_calls_by_tenure": (
        "daily_tenure_calls_id",
        _daily_answered_calls_by_tenure,
        "a new-hire ramp that cannot add up",
    ),
    "fct_bad_trades": ("bad_trade_id", _bad_trades, "impossible month-on-month comparisons"),
    "fct_customer_journey": ("call_id", _customer_journey, "duplicated or negative journeys"),
    "fct_agent_months": ("agent_month_id", _agent_months, "negative headcount, impossible rates"),
    "fct_agent_retention": ("team_month_id", _agent_retention, "negative headcount and flows"),
    "fct_agent_survival": ("survival_id", _agent_survival, "a survival curve that is not one"),
    "dim_agents": ("agent_version_id", _agents, "agents without a cost or an id"),
    "dim_customers": ("customer_id", _customers, "duplicated customers, negative revenue"),
}


def mart_suite(mart: str) -> Suite:
    key, expectations, protects = MART_RULES[mart]
    return Suite(
        name=f"mart_{mart}",
        asset=("marts", mart),
        protects=protects,
        blocking=True,
        read=partial(read_mart, mart, expectations, key),
        expectations=expectations,
        locate_by=(key,),
    )


MART_SUITES = [mart_suite(mart) for mart in MART_RULES]
