"""The contract's row rules, applied while landing: a row that breaks one is quarantined.

Beyond types and enums (``validation.py``), the contract states rules in words: time
moves forward (a leg is queued, then answered, then ends), an answered leg has an
agent, nobody talks on an abandoned leg, a cancelled customer has a cancellation
time. A row that breaks one would count wrong in every mart built on it, so it goes
to ``ingest.quarantine`` with its file, line, column and reason, and the rest of the
file loads: one bad row never stops a load or a publish.

Three bounds are the center's to set, in its settings (:mod:`ccw.settings`):

- ``clock_skew_tolerance_seconds``: two systems' clocks may disagree by a second or
  two, so a time up to this much before the one it must follow is raised to it, and
  the change is recorded in ``ingest.corrections``; beyond it, the row is quarantined.
- ``max_duration_seconds``: talk, hold or after-call work longer than this is not a
  call but a broken counter.
- ``max_days_after_file_date``: a time more than this many days after the business
  day in the file's name is a clock or export error (a row dated five years ahead
  would otherwise hold the marts' recent days hostage).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ccw.contract import TIMESTAMP, Table
from ccw.vendors import VENDORS, connect, genesys

TYPED_PREFIX = "_typed_"


@dataclass(frozen=True)
class RowBounds:
    clock_skew_tolerance_seconds: int
    max_duration_seconds: int
    max_days_after_file_date: int

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> RowBounds:
        return cls(
            settings["clock_skew_tolerance_seconds"],
            settings["max_duration_seconds"],
            settings["max_days_after_file_date"],
        )


def typed(column: str) -> str:
    """The typed value of a column (NULL when its text is empty or not of its type)."""
    return f'"{TYPED_PREFIX}{column}"'


@dataclass(frozen=True)
class RowRule:
    """A condition on a row's typed values that breaks the contract when true."""

    column: str  # the column the quarantine names
    broken_when: str  # SQL over typed(...) values
    reason: str  # reads after "<column>: " (and after the value, with show_value)
    show_value: bool = False
    # SQL for the reason instead of ``reason``, for one that depends on the row.
    reason_sql: str | None = None


# Times that must not go backwards, earliest first. A later time may be missing.
TIME_ORDER: dict[str, tuple[tuple[str, ...], ...]] = {
    "calls": (("ivr_started_at", "queued_at", "answered_at", "ended_at"),),
    "agent_states": (("started_at", "ended_at"),),
    "customers": (("created_at", "updated_at"), ("created_at", "cancelled_at")),
    "cases": (("opened_at", "closed_at"),),
    "responses": (("sent_at", "responded_at"),),
    **{vendor.records.name: vendor.time_order for vendor in VENDORS},
}
DURATIONS = ("talk_seconds", "hold_seconds", "acw_seconds")


def earlier_times(table: Table, column: str) -> list[str]:
    """The times ``column`` must not be before, in the table's time order."""
    earlier: list[str] = []
    for chain in TIME_ORDER.get(table.name, ()):
        if column in chain:
            earlier += [name for name in chain[: chain.index(column)] if name not in earlier]
    return earlier


def _duration_rules(durations: tuple[str, ...], bounds: RowBounds) -> list[RowRule]:
    rules = []
    for duration in durations:
        value = typed(duration)
        rules += [
            RowRule(duration, f"{value} < 0", "is negative", True),
            RowRule(
                duration,
                f"{value} > {bounds.max_duration_seconds}",
                f"is over {bounds.max_duration_seconds:,} s, not a plausible call "
                "(max_duration_seconds in the settings)",
                True,
            ),
        ]
    return rules


def _connect_rules(bounds: RowBounds) -> list[RowRule]:
    connected = typed("agent_connected_timestamp")
    return [
        RowRule(
            "disconnect_timestamp",
            f"{typed('channel')} = 'VOICE' and {typed('disconnect_timestamp')} is null",
            "missing on a voice contact (when did the call end?)",
        ),
        RowRule(
            "agent_arn",
            f"{connected} is not null and not regexp_matches("
            f"coalesce({typed('agent_arn')}, ''), '/agent/[^/]+$')",
            "missing or not an agent's ARN on a contact an agent took (who took it?)",
        ),
        RowRule(
            "initial_contact_id",
            f"{typed('initiation_method')} in ('TRANSFER', 'QUEUE_TRANSFER') "
            f"and {typed('initial_contact_id')} is null",
            "missing on a transferred contact (which call is it a leg of?)",
        ),
        *_duration_rules(connect.DURATIONS, bounds),
    ]


def _genesys_rules(bounds: RowBounds) -> list[RowRule]:
    participants = typed("participants")
    return [
        RowRule(
            "participants",
            f"json_type({participants}) <> 'ARRAY'",
            "is not a list of participants",
        ),
        RowRule(
            "participants",
            genesys.segments_out_of_order_sql(participants, bounds.clock_skew_tolerance_seconds),
            f"has a segment that ends more than {bounds.clock_skew_tolerance_seconds} s before "
            "it starts (clock_skew_tolerance_seconds in the settings)",
        ),
    ]


def _calls_rules(bounds: RowBounds) -> list[RowRule]:
    answered, disposition = typed("answered_at"), typed("disposition")
    rules = [
        RowRule("leg", f"{typed('leg')} < 1", "is not a leg number (legs count from 1)", True),
        RowRule(
            "agent_id",
            f"{answered} is not null and {typed('agent_id')} is null",
            "missing on an answered leg (who answered it?)",
        ),
        RowRule(
            "answered_at",
            f"{disposition} = 'answered' and {answered} is null",
            "missing on a leg whose disposition is answered",
        ),
        RowRule(
            "answered_at",
            f"{disposition} = 'abandoned' and {answered} is not null",
            "set on a leg whose disposition is abandoned",
        ),
        RowRule(
            "ivr_started_at",
            f"{typed('leg')} > 1 and {typed('ivr_started_at')} is not null",
            "set on a later leg (only a call's first leg goes through the IVR)",
        ),
    ]
    for duration in DURATIONS:
        value = typed(duration)
        rules += [
            *_duration_rules((duration,), bounds),
            RowRule(
                duration,
                f"{answered} is null and {value} > 0",
                "on a leg nobody answered (abandons included)",
                True,
            ),
        ]
    return rules


def _customers_rules(_: RowBounds) -> list[RowRule]:
    status, cancelled = typed("status"), typed("cancelled_at")
    return [
        RowRule(
            "cancelled_at",
            f"{status} = 'cancelled' and {cancelled} is null",
            "missing on a cancelled customer",
        ),
        RowRule(
            "cancelled_at",
            f"{status} = 'active' and {cancelled} is not null",
            "set on an active customer",
        ),
        RowRule("monthly_revenue", f"{typed('monthly_revenue')} < 0", "is negative", True),
    ]


def _responses_rules(_: RowBounds) -> list[RowRule]:
    rules = [
        RowRule(
            "call_id",
            f"{typed('survey_type')} = 'post_contact' and {typed('call_id')} is null",
            "missing on a post-contact survey (which call was it about?)",
        )
    ]
    for score in ("csat", "nps", "ces"):
        rules.append(
            RowRule(
                score,
                f"{typed('responded_at')} is null and {typed(score)} is not null",
                "set on a survey nobody answered",
                True,
            )
        )
    return rules


def _agents_rules(_: RowBounds) -> list[RowRule]:
    return [
        RowRule(
            "terminated_on",
            f"{typed('terminated_on')} < {typed('hired_on')}",
            "is before hired_on",
            True,
        ),
        RowRule(
            "hired_on",
            f"{typed('hired_on')} > _file_date",
            "is after the roster's day (a roster lists agents hired by then)",
            True,
        ),
        RowRule(
            "termination_type",
            f"{typed('terminated_on')} is not null and {typed('termination_type')} is null",
            "missing for a leaver (voluntary or involuntary?)",
        ),
        RowRule("hourly_cost", f"{typed('hourly_cost')} <= 0", "is not above zero", True),
        RowRule(
            "skills",
            f"not regexp_matches({typed('skills')}, '^[^|]+(\\|[^|]+)*$')",
            "is not queue names separated by |",
            True,
        ),
    ]


_TABLE_RULES = {
    "calls": _calls_rules,
    "customers": _customers_rules,
    "responses": _responses_rules,
    "agents": _agents_rules,
    connect.CONTACT_RECORDS.name: _connect_rules,
    genesys.CONVERSATIONS.name: _genesys_rules,
}


def _time_order_rules(table: Table, bounds: RowBounds) -> list[RowRule]:
    """One rule per time: not more than the tolerance before any time it follows."""
    seconds = bounds.clock_skew_tolerance_seconds
    tolerance = f"interval {seconds} second"
    rules = []
    for column in table.column_names:
        earlier = earlier_times(table, column)
        if not earlier:
            continue
        value = typed(column)
        latest = f"greatest({', '.join(typed(name) for name in earlier)})"
        names = ", ".join(
            f"case when {value} < {typed(name)} - {tolerance} then '{name}' end" for name in earlier
        )
        violated = f"list_filter([{names}], lambda name: name is not null)"
        rules.append(
            RowRule(
                column,
                f"{value} < {latest} - {tolerance}",
                "",
                True,
                reason_sql=(
                    f"'is more than {seconds} s before ' || array_to_string({violated}, ', ') "
                    "|| ' (clock_skew_tolerance_seconds in the settings)'"
                ),
            )
        )
    return rules


def _future_rules(table: Table, bounds: RowBounds) -> list[RowRule]:
    days = bounds.max_days_after_file_date
    # The file's business day ends at most 14 hours after midnight UTC in any zone.
    limit = f"(_file_date + {days + 1})::timestamp + interval 14 hour"
    return [
        RowRule(
            column.name,
            f"{typed(column.name)} > {limit}",
            f"is more than {days} day(s) after the file's business day "
            "(max_days_after_file_date in the settings)",
            True,
        )
        for column in table.columns
        if column.type == TIMESTAMP
    ]


def row_rules(table: Table, bounds: RowBounds) -> list[RowRule]:
    specific = _TABLE_RULES.get(table.name)
    return (
        _time_order_rules(table, bounds)
        + _future_rules(table, bounds)
        + (specific(bounds) if specific else [])
    )


@dataclass(frozen=True)
class Correction:
    """A value changed on the way in, recorded in ``ingest.corrections``."""

    column: str
    changed_when: str  # SQL over the row: typed(...) values and the text columns
    reason: str


def time_order_corrections(table: Table, bounds: RowBounds) -> list[Correction]:
    tolerance = bounds.clock_skew_tolerance_seconds
    return [
        Correction(
            column,
            f"{typed(column)} < {typed(earlier)}",
            f"{column} was up to {tolerance} s before {earlier} (clock skew): set to {earlier}",
        )
        for column in table.column_names
        for earlier in earlier_times(table, column)
    ]
