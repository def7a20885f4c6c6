"""Metric definitions as the app shows them, with the parameters the marts used.

The parameters are the settings the published marts were built with
(``marts.build_settings`` in the snapshot), never the settings file's current
content, so a definition on screen never disagrees with the number beside it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ccw.dashboard.snapshot import Snapshot


def parameters(snapshot: Snapshot | None = None) -> dict[str, object]:
    """Every setting of the published build: name → value."""
    snapshot = snapshot or Snapshot()
    return _build_settings(snapshot.path.resolve(), snapshot.version())


@lru_cache(maxsize=4)
def _build_settings(path: Path, _version: str) -> dict[str, object]:
    frame = Snapshot(path).query(
        "select setting_name, setting_value from marts.build_settings order by setting_name"
    )
    return {row.setting_name: json.loads(row.setting_value) for row in frame.itertuples()}


def parameter(name: str, snapshot: Snapshot | None = None):
    return parameters(snapshot)[name]


@dataclass(frozen=True)
class Metric:
    key: str
    name: str
    formula: str
    uses: tuple[str, ...] = ()
    mart: str = ""

    @property
    def summary(self) -> str:
        """The one-line definition shown on hover."""
        values = ", ".join(f"{name} = {parameter(name)}" for name in self.uses)
        return f"{self.formula} ({values})" if values else self.formula


METRICS = (
    Metric(
        "cost_per_contact",
        "Cost per contact",
        "(agent cost + telephony per connected minute + overhead per answered call) / "
        "answered calls; agent cost is the paid day spread over handle time",
        ("telephony_cost_per_minute", "overhead_per_contact"),
        "fct_calls, fct_cost_loyalty",
    ),
    Metric(
        "cost_per_resolved_contact",
        "Cost per resolved contact",
        "cost of identified callers' calls / those calls with no repeat contact within "
        "the repeat window, counting calls whose window has ended",
        ("repeat_window_days",),
        "fct_cost_loyalty",
    ),
    Metric(
        "fcr",
        "First-contact resolution (FCR)",
        "calls with no other inbound call or new case from the customer within the "
        "repeat window / calls from identified customers whose window has ended",
        ("repeat_window_days",),
        "fct_calls, fct_cost_loyalty",
    ),
    Metric(
        "csat",
        "CSAT (top-2-box)",
        "post-contact survey responses scoring 4 or 5 / responses; shown with the "
        "response count and the response rate (responses / surveys sent)",
        (),
        "fct_calls",
    ),
    Metric(
        "nps",
        "NPS",
        "% of responses scoring 9-10 minus % scoring 0-6, in points (-100 to 100)",
        (),
        "fct_calls",
    ),
    Metric(
        "ces",
        "Customer effort (CES)",
        "mean effort score, 1-7, lower is easier",
        (),
        "fct_calls",
    ),
    Metric(
        "churn",
        "Churn rate",
        "customers who cancelled in the period / customers active at its start",
        (),
        "dim_customers",
    ),
    Metric(
        "churn_30d",
        "Churn within 30 days of a call",
        "calls from identified customers followed by a cancellation within 30 days / "
        "such calls whose 30 days have ended",
        (),
        "fct_customer_journey",
    ),
    Metric(
        "attrition",
        "Agent attrition (annualized)",
        "exits / average daily headcount, monthly, x 12; early attrition = exits before "
        "the early-attrition tenure",
        ("early_attrition_days",),
        "fct_agent_retention",
    ),
    Metric(
        "attrition_cost",
        "Cost of agent attrition",
        "exits x cost per hire + ramp cost (handle time of agents under the ramp tenure "
        "above the tenured agents' AHT, priced at their hourly cost)",
        ("cost_per_hire", "ramp_days"),
        "fct_agent_retention",
    ),
    Metric(
        "service_level",
        "Service level",
        "legs answered within the threshold / (answered + abandoned), short abandons "
        "excluded; abandons count as missed",
        ("sl_threshold_seconds", "short_abandon_seconds", "sl_abandon_treatment"),
        "fct_interval_service, fct_daily_service",
    ),
    Metric(
        "intervals_meeting_target",
        "Intervals meeting target",
        "staffed intervals whose service level reaches the target / staffed intervals",
        ("sl_target", "interval_minutes"),
        "fct_daily_service",
    ),
    Metric(
        "wait_percentiles",
        "Wait percentiles",
        "p50, p80, p90 and p95 of the wait of every offered leg (answered or not)",
        (),
        "fct_interval_service, fct_daily_service",
    ),
    Metric(
        "required_agents",
        "Required agents",
        "fewest agents with which Erlang C reaches the target within the threshold, "
        "for the interval's offered legs and AHT (Erlang A: callers abandon after the "
        "queue's measured patience)",
        ("sl_target", "sl_threshold_seconds", "patience_estimator"),
        "fct_interval_service",
    ),
    Metric(
        "staffed_agents",
        "Staffed agents",
        "productive agent-seconds (available, on call, hold, after-call work) / "
        "interval seconds; busy time counts in the queue of the call handled, "
        "available time equally in each of the agent's queues",
        ("interval_minutes",),
        "fct_interval_service",
    ),
    Metric(
        "aht",
        "AHT",
        "(talk + hold + after-call work seconds) / answered legs",
        (),
        "fct_call_legs",
    ),
    Metric(
        "false_containment",
        "IVR false containment",
        "calls the IVR contained that the customer followed with another call or case "
        "within the containment window / contained calls",
        ("containment_window_hours",),
        "fct_calls",
    ),
    Metric(
        "bad_trade",
        "Bad trade",
        "handle time fell against the previous month while the repeat rate of answered "
        "calls or 30-day churn rose; significant when the rise has z >= the threshold",
        ("bad_trade_min_z",),
        "fct_bad_trades",
    ),
    Metric(
        "survival",
        "Agent survival (Kaplan-Meier)",
        "product over tenure days of (1 - exits / agents at risk); agents still "
        "employed at the last roster snapshot are censored there",
        (),
        "fct_agent_survival",
    ),
)

BY_KEY = {metric.key: metric for metric in METRICS}


def hover(key: str) -> str:
    return BY_KEY[key].summary
