"""One raw asset per contract table: land its new files into ``raw.<table>``.

The work is :func:`ccw.landing.loader.land_table`; the asset adds what an operator
reads in the Dagster UI: files and rows loaded, quarantined rows, rejected files with
their reasons, and a preview of current rows with personal data left out. With the
Spark engine it also writes the table as Parquet to the lake, where Spark reads it
(:mod:`ccw.landing.lake`).
"""

import dagster as dg

from ccw.contract import Table
from ccw.landing.lake import export_manifest, export_raw_table, lake_path
from ccw.landing.loader import DUPLICATE, LOADED, FileReport, TableReport, land_table
from ccw.landing.sql import identifier
from ccw.landing.warehouse import open_warehouse
from ccw.vendors import LANDED_TABLES, vendor_of
from orchestration.resources import WarehouseResource

PREVIEW_ROWS = 5


def raw_asset_key(table: Table) -> dg.AssetKey:
    return dg.AssetKey(["raw", table.name])


def _preview(resource: WarehouseResource, table: Table) -> str:
    columns = [column.name for column in table.columns if not column.pii]
    select = ", ".join(identifier(name) for name in columns)
    with open_warehouse(resource.warehouse) as con:
        rows = con.execute(
            f"select {select} from raw.{identifier(table.name)} where _is_current "
            f"order by _load_id desc, _line_number limit {PREVIEW_ROWS}"
        ).fetchall()
    header = "| " + " | ".join(columns) + " |\n|" + "---|" * len(columns) + "\n"
    body = "".join(
        "| " + " | ".join("" if value is None else str(value) for value in row) + " |\n"
        for row in rows
    )
    return header + body


def _metadata(report: TableReport, preview: str) -> dict[str, dg.MetadataValue | int | str]:
    rejected = "\n".join(f"- `{file.path}`: {file.message}" for file in report.rejected)
    return {
        "files_loaded": report.count(LOADED),
        "files_duplicate": report.count(DUPLICATE),
        "files_rejected": len(report.rejected),
        "rows_loaded": report.rows_loaded,
        "rows_quarantined": report.rows_quarantined,
        "dagster/row_count": report.current_rows,
        "files": dg.MetadataValue.md(
            "\n".join(
                f"- `{file.path}` {file.status}: {file.rows_loaded} rows, "
                f"{file.rows_quarantined} quarantined"
                for file in report.files
            )
            or "no new files"
        ),
        "rejected_files": dg.MetadataValue.md(rejected or "none"),
        "preview": dg.MetadataValue.md(preview),
    }


def _export_to_lake(resource: WarehouseResource, table: Table):
    """With the Spark engine, the table (and the manifest) as Parquet for Spark to read."""
    lake = lake_path(resource.warehouse).resolve()
    vendor = vendor_of(table)
    with open_warehouse(resource.warehouse) as con:
        exported = export_raw_table(con, table, lake)
        if vendor is not None:
            export_raw_table(con, vendor.legs, lake)
        export_manifest(con, lake)
    return exported.path


def build_raw_asset(table: Table) -> dg.AssetsDefinition:
    @dg.asset(
        key=raw_asset_key(table),
        group_name=f"raw_{table.source}",
        kinds={"duckdb"},
        description=(
            f"raw.{table.name}: {table.description} Every delivered version of each key, "
            "with lineage (_source_file, _line_number, _load_id, _loaded_at, _file_date) "
            "and _is_current marking the version staging reads."
        ),
    )
    def raw_table(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
        def log_file(file: FileReport) -> None:
            if file.status == "rejected":
                context.log.error(f"rejected {file.path}: {file.message}")
            else:
                context.log.info(
                    f"{file.status} {file.path}: {file.rows_loaded} rows, "
                    f"{file.rows_quarantined} quarantined"
                )

        report = land_table(
            table,
            warehouse.landing,
            warehouse.warehouse,
            context.run.run_id,
            progress=log_file,
            settings=warehouse.settings(),
        )
        metadata = _metadata(report, _preview(warehouse, table))
        if warehouse.on_spark:
            metadata["lake_path"] = dg.MetadataValue.path(str(_export_to_lake(warehouse, table)))
        return dg.MaterializeResult(metadata=metadata)

    return raw_table


RAW_ASSETS = [build_raw_asset(table) for table in LANDED_TABLES]
