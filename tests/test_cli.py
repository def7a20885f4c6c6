"""The ``ccw`` command as a user types it."""

from __future__ import annotations

import shutil
import subprocess
import sys

import duckdb
from click.testing import CliRunner

from ccw.cli import main
from ccw.contract import TABLES
from ccw.landing.loader import land_table
from ccw.vendors import LANDED_TABLES, LEG_TABLES
from tests.warehouse_support import copy_warehouse, differing_rows, query


def test_generate_help_explains_every_option():
    result = CliRunner().invoke(main, ["generate", "--help"])
    assert result.exit_code == 0
    for option in ("--out", "--start", "--days", "--agents", "--customers", "--seed", "--timezone"):
        assert option in result.output


def test_bad_arguments_get_a_clear_error(tmp_path):
    runner = CliRunner()
    cases = {
        ("--days", "0"): "0 is not in the range",
        ("--start", "2026-02-30"): "does not match the format",
        ("--timezone", "Mars/Olympus"): "not an IANA time zone",
        ("--agents", "many"): "'many' is not a valid integer",
    }
    for arguments, message in cases.items():
        result = runner.invoke(main, ["generate", "--out", str(tmp_path), *arguments])
        assert result.exit_code == 2
        assert message in result.output


def test_generate_writes_the_four_sources_and_refuses_to_mix_runs(tmp_path):
    runner = CliRunner()
    arguments = ["generate", "--out", str(tmp_path), "--days", "2", "--agents", "8",
                 "--customers", "200", "--quiet"]  # fmt: skip
    assert runner.invoke(main, arguments).exit_code == 0
    assert {path.name for path in tmp_path.iterdir()} == {"crm", "telephony", "survey", "hr"}
    again = runner.invoke(main, arguments)
    assert again.exit_code == 2 and "--overwrite" in again.output
    shorter = runner.invoke(main, [*arguments[:4], "1", *arguments[5:], "--overwrite"])
    assert shorter.exit_code == 0
    assert not list(tmp_path.glob("*/*_2026-03-03.*")), "an older run's days are removed"


def test_ccw_run_again_loads_nothing_and_refills_an_emptied_fact(built, landing, tmp_path):
    # `built` is the main job's run on these same files (tests/conftest.py).
    warehouse = copy_warehouse(built, tmp_path / "warehouse")
    with duckdb.connect(str(warehouse)) as con:  # lost by hand, or by an older version
        con.execute("delete from marts.fct_daily_service")
    again = CliRunner().invoke(
        main, ["run", "--landing", str(landing), "--warehouse", str(warehouse)]
    )
    assert again.exit_code == 0, again.output
    assert "Nothing new to load" in again.output
    # Nothing new came in, and the emptied fact is whole again all the same.
    assert not differing_rows(warehouse, built, "marts.fct_daily_service")


def test_ccw_run_fails_and_says_why_for_a_rejected_file_and_a_quarantined_row(landing, warehouse):
    # One night's delivery with both kinds of bad input: a file that breaks the
    # contract, and a good file with one bad row.
    (landing / "telephony" / "calls_2026-03-20.csv").write_text("call_id,leg\nCL1,1\n")
    calls = landing / "telephony" / "calls_2026-03-03.csv"
    lines = calls.read_text().splitlines()
    lines[5] = lines[5].replace(",inbound,", ",sideways,")
    calls.write_text("\n".join(lines) + "\n")
    result = CliRunner().invoke(
        main, ["run", "--landing", str(landing), "--warehouse", str(warehouse)]
    )
    assert result.exit_code == 1
    assert "Rejected telephony/calls_2026-03-20.csv" in result.output
    assert "lacks the contract's column(s) direction" in result.output
    assert "Check failed: raw/calls no_rejected_files" in result.output
    assert "1  calls.direction: … is not one of inbound, outbound" in result.output


def test_ccw_replay_reloads_a_file(built, landing, tmp_path):
    runner = CliRunner()
    warehouse = copy_warehouse(built, tmp_path / "warehouse")  # every file loaded once
    arguments = ["--landing", str(landing), "--warehouse", str(warehouse)]
    calls = landing / "telephony" / "calls_2026-03-03.csv"
    result = runner.invoke(main, ["replay", str(calls), *arguments])
    assert result.exit_code == 0, result.output
    assert "forgot 1 earlier delivery" in result.output
    assert "telephony/calls" in result.output
    outside = runner.invoke(main, ["replay", "/etc/hosts", *arguments])
    assert outside.exit_code == 2 and "not under the landing folder" in outside.output


def test_a_center_may_start_with_telephony_only(landing, warehouse):
    for source in ("crm", "survey", "hr"):
        shutil.rmtree(landing / source)
    result = CliRunner().invoke(
        main,
        ["run", "--landing", str(landing), "--warehouse", str(warehouse),
         "--var", "sources=[telephony]"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "telephony/calls" in result.output and ": ok" in result.output
    said = " ".join(result.output.split())
    # no check warns about the sources the center does not have...
    assert "Check warned" not in said and "Check failed" not in said
    assert "crm/customers" not in said  # ...nor lists their tables
    # ...and the run names what each missing source leaves empty
    assert "No hr exports (sources in the settings): dim_agents," in said
    assert "No crm exports (sources in the settings): dim_customers," in said
    counts = dict(
        query(
            warehouse,
            "select table_name, estimated_size from duckdb_tables() where schema_name = 'raw'",
        )
    )
    # every raw table exists, the platforms' records and legs included
    assert set(counts) == {table.name for table in LANDED_TABLES + LEG_TABLES}
    assert query(warehouse, "select count(*) from raw.customers") == [(0,)]
    assert query(warehouse, "select count(*) from raw.calls")[0][0] > 0


def test_ccw_run_says_when_the_landing_folder_is_missing(tmp_path):
    result = CliRunner().invoke(main, ["run", "--landing", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_ccw_run_on_a_damaged_or_held_warehouse_runs_nothing_and_says_what_to_do(
    landing, warehouse, monkeypatch
):
    land_table(TABLES[0], landing, warehouse)
    data = warehouse.read_bytes()
    warehouse.write_bytes(data[: len(data) * 2 // 3])  # a disk that filled up
    arguments = ["run", "--landing", str(landing), "--warehouse", str(warehouse)]
    damaged = CliRunner().invoke(main, arguments)
    assert damaged.exit_code == 1, damaged.output
    said = " ".join(damaged.output.split())
    assert "Nothing was run." in said and "it was cut short" in said
    assert f"mv {warehouse} {warehouse}.damaged" in said and "ccw run --full-refresh" in said

    warehouse.unlink()
    land_table(TABLES[0], landing, warehouse)
    reader = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time; con = duckdb.connect(sys.argv[1], read_only=True); "
         "print('open', flush=True); time.sleep(60)", str(warehouse)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert reader.stdout.readline().strip() == "open"
        monkeypatch.setenv("CCW_READER_WAIT_SECONDS", "1")
        held = CliRunner().invoke(main, arguments)
    finally:
        reader.kill()
    assert held.exit_code == 1, held.output
    said = " ".join(held.output.split())
    assert f"process {reader.pid}" in said and "has the warehouse" in said
    assert "Readers must open the published snapshot" in said
