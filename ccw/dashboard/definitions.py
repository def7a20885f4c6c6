"""Metric definitions as the app shows them, with the settings the marts were built with.

Every rate comes from the metrics catalogue the published marts were built with (the
dbt project's metrics, kept in the snapshot: :mod:`ccw.metrics`), and the settings are
those of that build (``marts.build_settings``), never the settings file's current
content, so a definition on screen never disagrees with the number beside it. A few
things the app shows are not rates of the catalogue (a distribution, a staffing
model, a survival curve); :data:`OTHER_MEASURES` says what they are, naming the mart
columns that hold them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ccw.dashboard.snapshot import Snapshot
from ccw.settings import defaults


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
    """A setting of the published build; its default for a build older than the setting."""
    values = parameters(snapshot)
    return values[name] if name in values else defaults()[name]


def settings_named(text: str, snapshot: Snapshot | None = None, quote: str = "") -> str:
    """The settings a definition names in `backticks`, with their values in this build
    (each name between ``quote``)."""
    names = list(dict.fromkeys(re.findall(r"`([a-z_]+)`", text)))
    values = parameters(snapshot)
    return ", ".join(f"{quote}{name}{quote} = {values[name]}" for name in names if name in values)


@dataclass(frozen=True)
class Measure:
    """Something the app shows that is not a rate of the catalogue."""

    key: str
    name: str
    formula: str
    uses: tuple[str, ...] = ()
    mart: str = ""

    def summary(self, snapshot: Snapshot | None = None) -> str:
        """The one-line definition shown on hover."""
        values = ", ".join(f"{name} = {parameter(name, snapshot)}" for name in self.uses)
        sentence = self.formula[:1].upper() + self.formula[1:]
        return f"{sentence} ({values})" if values else sentence


OTHER_MEASURES = (
    Measure(
        "ces",
        "Customer effort (CES)",
        "mean effort score, 1-7, lower is easier",
        (),
        "fct_calls",
    ),
    Measure(
        "wait_percentiles",
        "Wait percentiles",
        "p50, p80, p90 and p95 of the wait of every offered leg (answered or not)",
        (),
        "fct_interval_service, fct_daily_service",
    ),
    Measure(
        "required_agents",
        "Required agents",
        "fewest agents with which Erlang C reaches the target within the threshold, "
        "for the interval's offered legs and AHT (Erlang A: callers abandon after the "
        "queue's measured patience)",
        ("sl_target", "sl_threshold_seconds", "patience_estimator"),
        "fct_interval_service",
    ),
    Measure(
        "staffed_agents",
        "Staffed agents",
        "productive agent-seconds (available, on call, hold, after-call work) / "
        "interval seconds; busy time counts in the queue of the call handled, "
        "available time equally in each of the agent's queues",
        ("interval_minutes",),
        "fct_interval_service",
    ),
    Measure(
        "bad_trade",
        "Bad trade",
        "handle time fell against the previous month while the repeat rate of answered "
        "calls or 30-day churn rose; significant when the rise has z >= the threshold",
        ("bad_trade_min_z",),
        "fct_bad_trades",
    ),
    Measure(
        "survival",
        "Agent survival (Kaplan-Meier)",
        "product over tenure days of (1 - exits / agents at risk); agents still "
        "employed at the last roster snapshot are censored there",
        (),
        "fct_agent_survival",
    ),
)

BY_KEY = {measure.key: measure for measure in OTHER_MEASURES}


def hover(key: str, snapshot: Snapshot | None = None) -> str:
    """The one-line definition of a catalogue metric (by its name) or another measure,
    with the values of the settings it names."""
    if key in BY_KEY:
        return BY_KEY[key].summary(snapshot)
    definition = (snapshot or Snapshot()).catalogue().definitions[key]
    values = settings_named(definition.description, snapshot)
    text = definition.description.rstrip(".")
    return f"{text} ({values})" if values else text
