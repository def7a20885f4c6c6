"""Contact-center platforms' own exports, read as they deliver them.

Each vendor module states its records' contract (a :class:`ccw.contract.Table` with
the JSONPath of every field read) and how its current records become the contract's
call legs. Landing (:mod:`ccw.landing.loader`) loads the records like any export,
then, in the same transaction, rebuilds the legs of the calls the new records touch
in ``raw.<vendor>_call_legs``, which staging reads beside ``raw.calls``: every model,
check and page downstream works unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from ccw.contract import CALLS, TABLES, Column, Table
from ccw.vendors import connect, genesys


@dataclass(frozen=True)
class Vendor:
    name: str  # as in the landing folder
    label: str
    records: Table
    time_order: tuple[tuple[str, ...], ...]
    durations: tuple[str, ...]
    legs_sql: Callable[[str], str]
    affected_calls_sql: Callable[[str], str]
    channel_column: str  # of the records: voice becomes legs, the rest stays in raw
    # SQL over the records: a voice record still going, which has no legs until it ends.
    open_filter: str = "false"

    @property
    def legs(self) -> Table:
        return legs_table(self)


def legs_table(vendor: Vendor) -> Table:
    return Table(
        "telephony",
        f"{vendor.name}_call_legs",
        key=CALLS.key,
        columns=(*CALLS.columns, Column("record_id")),
        description=(
            f"Call legs derived from the current {vendor.label} records, in the columns "
            "of the calls export; record_id names the record each leg comes from."
        ),
    )


VENDORS: tuple[Vendor, ...] = (
    Vendor(
        connect.VENDOR,
        "Amazon Connect",
        connect.CONTACT_RECORDS,
        connect.TIME_ORDER,
        connect.DURATIONS,
        connect.legs_sql,
        connect.affected_calls_sql,
        "channel",
    ),
    Vendor(
        genesys.VENDOR,
        "Genesys Cloud",
        genesys.CONVERSATIONS,
        genesys.TIME_ORDER,
        genesys.DURATIONS,
        genesys.legs_sql,
        genesys.affected_calls_sql,
        "media_type",
        "conversation_end is null",
    ),
)
VENDOR_TABLES = tuple(vendor.records for vendor in VENDORS)
LEG_TABLES = tuple(vendor.legs for vendor in VENDORS)
# Every table a delivery lands in: the contract's, then the vendors' records.
LANDED_TABLES: tuple[Table, ...] = TABLES + VENDOR_TABLES


def vendor_of(table: Table) -> Vendor | None:
    return next((vendor for vendor in VENDORS if vendor.records == table), None)


def derive_legs(con: duckdb.DuckDBPyConnection, vendor: Vendor) -> None:
    """Rebuild the legs of every call the records in ``_affected`` (the keys a load
    touched) belong to, now or before, from the vendor's current records. Runs inside
    the load's transaction, so records and legs are never out of step."""
    legs = f"raw.{vendor.legs.name}"
    con.execute(
        "create or replace temp table _affected_calls as " + vendor.affected_calls_sql("_affected")
    )
    con.execute(f"delete from {legs} where call_id in (select call_id from _affected_calls)")
    con.execute(f"insert into {legs} by name {vendor.legs_sql('_affected_calls')}")


@dataclass(frozen=True)
class RecordAccount:
    """Where every record of a vendor's delivered files went, over all loads."""

    vendor: Vendor
    read: int  # records in the files loaded (ingest.manifest)
    current: int
    superseded: int  # older versions of a record, or the same version delivered again
    quarantined: int
    legs: int  # rows of raw.<vendor>_call_legs
    stale_legs: int  # legs whose record is no longer current: never, unless a bug
    records_with_legs: int  # the current ended records those legs come from
    voice_records: int  # current records of voice contacts that have ended
    open_records: int  # current records of voice contacts still going: no legs yet
    other_channels: tuple[tuple[str, int], ...]

    @property
    def balances(self) -> bool:
        return (
            self.read == self.current + self.superseded + self.quarantined
            and self.records_with_legs == self.voice_records
            and self.stale_legs == 0
        )

    def sentence(self) -> str:
        others = ", ".join(f"{channel.lower()} {count:,}" for channel, count in self.other_channels)
        still_going = (
            f"; {self.open_records:,} still going when exported (legs as their visits end)"
            if self.open_records
            else ""
        )
        return (
            f"{self.vendor.label} records: {self.read:,} read = {self.current:,} current + "
            f"{self.superseded:,} superseded versions + {self.quarantined:,} quarantined; "
            f"{self.legs:,} call legs in raw.{self.vendor.legs.name}{still_going}"
            + (f"; other channels kept in raw: {others}" if others else "")
            + ("" if self.balances else " -- DOES NOT BALANCE (a bug: report it)")
        )


def account(con: duckdb.DuckDBPyConnection, vendor: Vendor) -> RecordAccount:
    name = vendor.records.name
    read, quarantined = con.execute(
        "select coalesce(sum(rows_read), 0), coalesce(sum(rows_quarantined), 0) "
        "from ingest.manifest where table_name = ? and status = 'loaded'",
        [name],
    ).fetchone()
    current, superseded = con.execute(
        f"select count(*) filter (where _is_current), count(*) filter (where not _is_current) "
        f"from raw.{name}"
    ).fetchone()
    channels = dict(
        con.execute(
            f"select upper({vendor.channel_column}), count(*) from raw.{name} "
            f"where _is_current and not ({vendor.open_filter}) group by all order by all"
        ).fetchall()
    )
    open_records = con.execute(
        f"select count(*) from raw.{name} where _is_current and ({vendor.open_filter}) "
        f"and upper({vendor.channel_column}) = 'VOICE'"
    ).fetchone()[0]
    key = vendor.records.key[0]
    legs, stale, records_with_legs = con.execute(
        f"""select count(*), count(*) filter (where records.{key} is null),
            count(distinct records.{key}) filter (where not records.is_open)
        from raw.{vendor.legs.name} as legs
        left join (
            select {key}, ({vendor.open_filter}) as is_open from raw.{name} where _is_current
        ) as records on records.{key} = legs.record_id"""
    ).fetchone()
    return RecordAccount(
        vendor,
        int(read),
        current,
        superseded,
        int(quarantined),
        legs,
        stale,
        records_with_legs,
        channels.get("VOICE", 0),
        open_records,
        tuple((channel, count) for channel, count in channels.items() if channel != "VOICE"),
    )
