"""One suite per raw table: the rows that arrived obey the contract.

From ``ccw.contract`` (docs/sources.md): columns and types, keys unique per
delivery, enums, score scales, and the rules the contract states in words: time moves
forward (queued <= answered <= ended), answered legs have an agent, abandoned legs
have no talk time, a cancelled customer has a cancellation time.

Every expectation is critical and the suites block: a row that breaks the contract
would count wrong in every mart built on it. The landing step already quarantines
values of the wrong type or outside an enum, so those expectations guard the raw
tables themselves (a loader change, a hand edit); the ordering and cross-field rules
are checked here only.

A suite reads the current rows of the deliveries it has not yet passed
(``ingest.expectation_passes``), so a daily run validates the new day, not all of
history, and a failing delivery is checked again on every run until it is fixed.
Personal data is read as ``<redacted>`` so no sample shows it.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from ccw.contract import (
    DATE,
    DECIMAL,
    INTEGER,
    JSON,
    STRING,
    TIMESTAMP,
    Table,
)
from ccw.landing.sql import identifier
from ccw.vendors import LANDED_TABLES, LEG_TABLES, VENDORS
from expectations import builders as build
from expectations.frames import read_frame
from expectations.gx_import import gx_expectations
from expectations.suite import Scope, Suite

if TYPE_CHECKING:
    from collections.abc import Iterator

    import duckdb
    import pandas as pd
    from great_expectations.expectations import Expectation

PASSES_DDL = """
create table if not exists ingest.expectation_passes (
    suite_name VARCHAR NOT NULL,
    load_id BIGINT NOT NULL,
    run_id VARCHAR NOT NULL,
    passed_at TIMESTAMPTZ NOT NULL
)"""
LOCATION = ("_source_file", "_line_number")
# How each contract type reads into pandas, as GX names it.
PANDAS_TYPES = {
    STRING: "str",
    TIMESTAMP: "Timestamp",
    DATE: "datetime64",
    INTEGER: "int64",
    DECIMAL: "float64",
    JSON: "str",
}
DURATIONS = ("talk_seconds", "hold_seconds", "acw_seconds")


def _select(table: Table, con: duckdb.DuckDBPyConnection) -> str:
    """Every column the raw table has (so a missing or extra one shows), PII redacted."""
    pii = {column.name for column in table.columns if column.pii}
    present = [
        name
        for (name,) in con.execute(
            "select column_name from duckdb_columns() where database_name = current_database() "
            "and schema_name = 'raw' and table_name = ? and column_name not in (?, ?) "
            "order by column_index",
            [table.name, "_loaded_at", "_is_current"],
        ).fetchall()
    ]
    return ", ".join(
        f"case when {identifier(name)} is null then null else '<redacted>' end "
        f"as {identifier(name)}"
        if name in pii
        else identifier(name)
        for name in present
    )


NEW_ROWS = """from raw.{table}
    where _is_current and _load_id not in (
        select load_id from ingest.expectation_passes where suite_name = ?)"""
# Rows validated at once: a first load of a year is tens of millions of rows, more
# than pandas should hold; a daily delivery is one batch.
BATCH_ROWS = 1_000_000


def read_new_rows(table: Table, con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    con.execute(PASSES_DDL)
    return read_frame(
        con,
        f"select {_select(table, con)} {NEW_ROWS.format(table=identifier(table.name))} "
        "order by _load_id, _line_number",
        [scope.suite],
    )


def read_new_batches(
    table: Table, con: duckdb.DuckDBPyConnection, scope: Scope
) -> Iterator[pd.DataFrame]:
    """The new rows in batches of whole deliveries, about BATCH_ROWS rows each."""
    con.execute(PASSES_DDL)
    new_rows = NEW_ROWS.format(table=identifier(table.name))
    loads = con.execute(
        f"select _load_id, count(*) {new_rows} group by 1 order by 1", [scope.suite]
    ).fetchall()
    select = _select(table, con)
    for first, last in load_ranges(loads, BATCH_ROWS):
        yield read_frame(
            con,
            f"select {select} {new_rows} and _load_id between ? and ? "
            "order by _load_id, _line_number",
            [scope.suite, first, last],
        )


def load_ranges(loads: list[tuple[int, int]], batch_rows: int) -> list[tuple[int, int]]:
    """Consecutive (first, last) load ids holding about ``batch_rows`` rows each; a
    delivery larger than that is a batch of its own."""
    ranges: list[list[int]] = []
    rows = 0
    for load_id, count in loads:
        if ranges and rows + count <= batch_rows:
            ranges[-1][1] = load_id
            rows += count
        else:
            ranges.append([load_id, load_id])
            rows = count
    return [(first, last) for first, last in ranges]


def record_passed_loads(con: duckdb.DuckDBPyConnection, scope: Scope, frame: pd.DataFrame) -> None:
    con.execute(PASSES_DDL)
    loads = sorted({int(load) for load in frame["_load_id"].unique()})
    con.executemany(
        "insert into ingest.expectation_passes values (?, ?, ?, now())",
        [(scope.suite, load, scope.run_id) for load in loads],
    )


def contract_expectations(table: Table) -> list[Expectation]:
    gxe = gx_expectations()

    rules: list[Expectation] = [
        gxe.ExpectTableColumnsToMatchSet(
            column_set=[*table.column_names, *LOCATION, "_load_id", "_file_date"],
            exact_match=True,
            meta={"why": "the raw table has exactly the contract's columns"},
        ),
    ]
    if not table.is_vendor:  # a vendor's file may hold several versions of a record
        rules.append(
            gxe.ExpectCompoundColumnsToBeUnique(
                column_list=[*table.key, "_load_id"],
                meta={"why": "a delivery has one row per business key"},
            )
        )
    for item in table.columns:
        rules.append(
            gxe.ExpectColumnValuesToBeOfType(
                column=item.name,
                type_=PANDAS_TYPES[item.type],
                meta={"why": f"{item.name} is a {item.type}, as the contract says"},
            )
        )
        if not item.nullable:
            rules.append(build.not_null(item.name, f"{item.name} is required"))
        if item.enum:
            rules.append(
                build.in_set(
                    item.name, list(item.enum), f"{item.name} is one of the contract's values"
                )
            )
        if item.value_range:
            low, high = item.value_range
            rules.append(
                build.between(item.name, low, high, f"{item.name} is on its {low}-{high} scale")
            )
    rules_of = "calls" if table in LEG_TABLES else table.name
    return rules + TABLE_RULES.get(rules_of, list)()


def _calls_rules() -> list[Expectation]:
    unanswered = build.column("answered_at").is_null()
    disposition = build.column("disposition")
    rules = [
        build.between("leg", 1, None, "legs are numbered from 1"),
        build.not_below("queued_at", "ivr_started_at", "a call queues after its IVR starts"),
        build.not_below("answered_at", "queued_at", "a leg is answered after it queues"),
        build.not_below("ended_at", "answered_at", "a leg ends after it is answered"),
        build.not_below("ended_at", "queued_at", "a leg ends after it queues"),
        build.not_null(
            "agent_id",
            "an answered leg has the agent who answered it",
            when=build.column("answered_at").is_not_null(),
        ),
        build.not_null(
            "answered_at",
            "a leg with disposition answered has an answer time",
            when=disposition == "answered",
        ),
        build.null(
            "answered_at", "an abandoned leg was never answered", when=disposition == "abandoned"
        ),
        build.null(
            "ivr_started_at",
            "only the first leg of a call goes through the IVR",
            when=build.column("leg") > 1,
        ),
    ]
    for duration in DURATIONS:
        rules.append(build.between(duration, 0, None, f"{duration} is never negative"))
        rules.append(
            build.between(
                duration,
                0,
                0,
                f"a leg nobody answered has no {duration} (abandons included)",
                when=unanswered,
            )
        )
    return rules


def _agent_states_rules() -> list[Expectation]:
    return [build.not_below("ended_at", "started_at", "a state ends after it starts")]


def _customers_rules() -> list[Expectation]:
    status = build.column("status")
    return [
        build.not_below("updated_at", "created_at", "a customer changes after it is created"),
        build.not_below("cancelled_at", "created_at", "a customer cancels after it is created"),
        build.not_null(
            "cancelled_at",
            "a cancelled customer has a cancellation time (churn counts it)",
            when=status == "cancelled",
        ),
        build.null(
            "cancelled_at", "an active customer has no cancellation time", when=status == "active"
        ),
        build.between("monthly_revenue", 0, None, "revenue is never negative"),
    ]


def _cases_rules() -> list[Expectation]:
    return [build.not_below("closed_at", "opened_at", "a case closes after it opens")]


def _responses_rules() -> list[Expectation]:
    unanswered = build.column("responded_at").is_null()
    return [
        build.not_below("responded_at", "sent_at", "a survey is answered after it is sent"),
        build.not_null(
            "call_id",
            "a post-contact survey names its call",
            when=build.column("survey_type") == "post_contact",
        ),
        *(
            build.null(score, f"an unanswered survey has no {score}", when=unanswered)
            for score in ("csat", "nps", "ces")
        ),
    ]


def _agents_rules() -> list[Expectation]:
    return [
        build.not_below("terminated_on", "hired_on", "an agent leaves after being hired"),
        build.not_below("_file_date", "hired_on", "the roster lists agents hired by its date"),
        build.not_null(
            "termination_type",
            "a leaver is voluntary or involuntary (attrition splits on it)",
            when=build.column("terminated_on").is_not_null(),
        ),
        build.between(
            "hourly_cost", 0, None, "every agent costs something per hour", strict_low=True
        ),
        build.matches("skills", r"^[^|]+(?:\|[^|]+)*$", "skills are queue names separated by |"),
    ]


def _vendor_time_order(time_order: tuple[tuple[str, ...], ...]):
    """Every time in a vendor record's chains not before any earlier one (pairs, so a
    missing middle time leaves the others checked)."""

    def rules() -> list[Expectation]:
        pairs = {
            (later, earlier)
            for chain in time_order
            for position, later in enumerate(chain)
            for earlier in chain[:position]
        }
        return [
            build.not_below(later, earlier, f"{later} is not before {earlier}")
            for later, earlier in sorted(pairs)
        ]

    return rules


TABLE_RULES = {
    **{vendor.records.name: _vendor_time_order(vendor.time_order) for vendor in VENDORS},
    "calls": _calls_rules,
    "agent_states": _agent_states_rules,
    "customers": _customers_rules,
    "cases": _cases_rules,
    "responses": _responses_rules,
    "agents": _agents_rules,
}


def raw_rules_suite(table: Table, asset_table: Table | None = None) -> Suite:
    """The contract's suite for ``table``, on ``asset_table``'s asset when another
    asset writes it: the legs derived from a platform's records obey the calls
    contract, and are written by the records' asset, in the same transaction."""
    return Suite(
        name=f"raw_{table.name}_rules",
        asset=("raw", (asset_table or table).name),
        protects=(
            f"rows of {table.source}/{table.name} that break the landing contract: "
            "columns, types, keys, values, ordering and cross-field rules"
        ),
        blocking=True,
        read=partial(read_new_rows, table),
        read_batches=partial(read_new_batches, table),
        expectations=partial(contract_expectations, table),
        locate_by=LOCATION,
        on_pass=record_passed_loads,
    )


RAW_RULES_SUITES = [raw_rules_suite(table) for table in LANDED_TABLES] + [
    raw_rules_suite(vendor.legs, vendor.records) for vendor in VENDORS
]
