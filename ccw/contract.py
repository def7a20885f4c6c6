"""The landing contract (docs/sources.md) as data.

One definition of every source table -- columns, types, nullability, enums, keys and
PII -- that the generator writes, the loaders read and the tests check against. When
the contract changes, this file changes and everything that speaks it follows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SOURCES = ("crm", "telephony", "survey", "hr")

# Logical column types. Loaders map them to DuckDB types; the generator formats them.
STRING = "string"
TIMESTAMP = "timestamp"  # ISO-8601 with a UTC offset
DATE = "date"  # YYYY-MM-DD
INTEGER = "int"
DECIMAL = "decimal"  # written with two decimals
JSON = "json"  # a nested JSON value of a vendor record, kept as JSON

DUCKDB_TYPES = {
    STRING: "VARCHAR",
    TIMESTAMP: "TIMESTAMPTZ",
    DATE: "DATE",
    INTEGER: "BIGINT",
    DECIMAL: "DECIMAL(18, 2)",
    JSON: "JSON",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str = STRING
    nullable: bool = False
    enum: tuple[str, ...] | None = None
    pii: bool = False
    value_range: tuple[int, int] | None = None  # inclusive bounds for scored answers
    # Vendor records: the JSONPath of the value in the record, or SQL over the parsed
    # record ``_doc`` for a value computed from it.
    json_path: str | None = None
    sql: str | None = None


@dataclass(frozen=True)
class Table:
    source: str
    name: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    description: str
    # Formats the delivering system uses for this table (the generator's choice within
    # the contract, which accepts csv, jsonl and parquet, each optionally gzipped).
    delivered_as: str = "csv"
    snapshot: bool = False  # a full snapshot per day rather than a delta
    key_includes_file_date: bool = field(default=False)
    # A column that orders versions of a key before delivery order does (customers).
    version_column: str | None = None
    # Vendor records (ccw/vendors): the folder under the landing folder they arrive in,
    # in files of any name, at any depth; and the key of the array that holds the
    # records when a file is a page object (Genesys: ``conversations``).
    folder: str | None = None
    page_key: str | None = None

    @property
    def is_vendor(self) -> bool:
        return self.folder is not None

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.source}/{self.name} has no column {name!r}")

    def file_name(self, business_day: str, extension: str | None = None) -> str:
        return f"{self.name}_{business_day}.{extension or self.delivered_as}"


def _ts(name: str, nullable: bool = False) -> Column:
    return Column(name, TIMESTAMP, nullable)


SEGMENTS = ("consumer", "small_business", "enterprise")
CUSTOMER_STATUSES = ("active", "cancelled")
ORDER_TYPES = ("new", "renewal", "upgrade", "downgrade", "add_on")
ORDER_CHANNELS = ("web", "phone", "store")
CASE_STATUSES = ("open", "resolved", "escalated")
DIGITAL_CHANNELS = ("web", "app", "chatbot")
DIGITAL_EVENT_TYPES = (
    "help_article_view",
    "self_service_attempt",
    "self_service_success",
    "login",
)
DIRECTIONS = ("inbound", "outbound")
DISPOSITIONS = (
    "answered",
    "abandoned",
    "transferred",
    "voicemail",
    "ivr_contained",
    "callback_requested",
)
AGENT_STATES = (
    "available",
    "on_call",
    "hold",
    "acw",
    "break",
    "lunch",
    "training",
    "meeting",
    "coaching",
    "offline",
)
PRODUCTIVE_STATES = ("available", "on_call", "hold", "acw")
SURVEY_TYPES = ("post_contact", "relationship")
ROLES = ("agent", "team_lead")
EMPLOYMENT_TYPES = ("full_time", "part_time", "contractor")
TERMINATION_TYPES = ("voluntary", "involuntary")
INTENT_TO_STAY = ("yes", "unsure", "no")

CUSTOMERS = Table(
    "crm",
    "customers",
    key=("customer_id",),
    description="Customers changed since the last export (delta); updated_at orders versions.",
    version_column="updated_at",
    columns=(
        Column("customer_id"),
        _ts("created_at"),
        _ts("updated_at"),
        Column("segment", enum=SEGMENTS),
        Column("plan"),
        Column("region"),
        Column("monthly_revenue", DECIMAL),
        Column("status", enum=CUSTOMER_STATUSES),
        _ts("cancelled_at", nullable=True),
        Column("cancel_reason", nullable=True),
        Column("email", pii=True),
        Column("phone", pii=True),
    ),
)

ORDERS = Table(
    "crm",
    "orders",
    key=("order_id",),
    description="Orders placed; refunds have a negative amount.",
    columns=(
        Column("order_id"),
        Column("customer_id"),
        _ts("ordered_at"),
        Column("order_type", enum=ORDER_TYPES),
        Column("amount", DECIMAL),
        Column("channel", enum=ORDER_CHANNELS),
    ),
)

CASES = Table(
    "crm",
    "cases",
    key=("case_id",),
    description="Cases opened or changed that day; the latest delivered version wins.",
    columns=(
        Column("case_id"),
        Column("customer_id"),
        _ts("opened_at"),
        _ts("closed_at", nullable=True),
        Column("topic"),
        Column("status", enum=CASE_STATUSES),
        Column("call_id", nullable=True),
    ),
)

DIGITAL_EVENTS = Table(
    "crm",
    "digital_events",
    key=("event_id",),
    description="Web, app and chatbot events of identified customers.",
    delivered_as="jsonl",
    columns=(
        Column("event_id"),
        Column("customer_id"),
        _ts("occurred_at"),
        Column("channel", enum=DIGITAL_CHANNELS),
        Column("event_type", enum=DIGITAL_EVENT_TYPES),
        Column("topic", nullable=True),
    ),
)

CALLS = Table(
    "telephony",
    "calls",
    key=("call_id", "leg"),
    description="One row per call leg; a transfer ends leg n and starts leg n+1.",
    columns=(
        Column("call_id"),
        Column("leg", INTEGER),
        Column("direction", enum=DIRECTIONS),
        Column("ani", pii=True),
        Column("customer_id", nullable=True),
        Column("queue"),
        _ts("ivr_started_at", nullable=True),
        _ts("queued_at", nullable=True),
        _ts("answered_at", nullable=True),
        _ts("ended_at"),
        Column("agent_id", nullable=True),
        Column("talk_seconds", INTEGER),
        Column("hold_seconds", INTEGER),
        Column("acw_seconds", INTEGER),
        Column("disposition", enum=DISPOSITIONS),
        Column("wrap_code", nullable=True),
        Column("ivr_path", nullable=True),
    ),
)

AGENT_STATES_TABLE = Table(
    "telephony",
    "agent_states",
    key=("agent_id", "started_at"),
    description="Agent state changes; logged-in (paid) time is every state but offline.",
    delivered_as="csv.gz",
    columns=(
        Column("agent_id"),
        Column("state", enum=AGENT_STATES),
        _ts("started_at"),
        _ts("ended_at"),
    ),
)

RESPONSES = Table(
    "survey",
    "responses",
    key=("response_id",),
    description="One row per survey sent, answered or not; a later row carries the answer.",
    delivered_as="jsonl",
    columns=(
        Column("response_id"),
        Column("survey_type", enum=SURVEY_TYPES),
        Column("call_id", nullable=True),
        Column("customer_id"),
        _ts("sent_at"),
        _ts("responded_at", nullable=True),
        Column("csat", INTEGER, nullable=True, value_range=(1, 5)),
        Column("nps", INTEGER, nullable=True, value_range=(0, 10)),
        Column("ces", INTEGER, nullable=True, value_range=(1, 7)),
        Column("comment", nullable=True, pii=True),
    ),
)

AGENTS = Table(
    "hr",
    "agents",
    key=("agent_id",),
    key_includes_file_date=True,
    snapshot=True,
    description="Full roster snapshot each day, every agent ever employed.",
    columns=(
        Column("agent_id"),
        Column("employee_number"),
        Column("full_name", pii=True),
        Column("site"),
        Column("team"),
        Column("supervisor_id", nullable=True),
        Column("role", enum=ROLES),
        Column("employment_type", enum=EMPLOYMENT_TYPES),
        Column("hired_on", DATE),
        Column("terminated_on", DATE, nullable=True),
        Column("termination_type", nullable=True, enum=TERMINATION_TYPES),
        Column("termination_reason", nullable=True),
        Column("hourly_cost", DECIMAL),
        Column("skills"),
    ),
)

ENGAGEMENT = Table(
    "hr",
    "engagement",
    key=("agent_id", "surveyed_on"),
    description="Monthly engagement pulse survey answers.",
    columns=(
        Column("agent_id"),
        Column("surveyed_on", DATE),
        Column("engagement", INTEGER, value_range=(1, 5)),
        Column("enps", INTEGER, value_range=(0, 10)),
        Column("intent_to_stay", enum=INTENT_TO_STAY),
    ),
)

TABLES: tuple[Table, ...] = (
    CUSTOMERS,
    ORDERS,
    CASES,
    DIGITAL_EVENTS,
    CALLS,
    AGENT_STATES_TABLE,
    RESPONSES,
    AGENTS,
    ENGAGEMENT,
)


def table(source: str, name: str) -> Table:
    for candidate in TABLES:
        if candidate.source == source and candidate.name == name:
            return candidate
    raise KeyError(f"the contract has no table {source}/{name}")
