"""Nightly runs rebuild only a window of recent days, and give the same warehouse as a
full build: every intermediate table and mart, row for row, and the same published
snapshot (which a nightly run updates rather than copies).

The full build rebuilds every model from all history (``--full-refresh``) on a copy of
the nightly warehouse, so both read the same raw tables and any difference is in the
models' windows. That landing night by night gives the same raw tables as landing
everything at once is tests/landing/test_load_generated.py's subject. The nightly run
catches up two days at once, as after a night the job did not run: its windows start
from two new days rather than one, the harder case of the same code (a separate
one-day night cost the suite a whole run and showed nothing this one does not).

The history is longer than the longest look-back, so every window's edge falls inside
the data, where a missing look-back would show up as a difference: with churn followed
for 30 days (a setting of these runs), the orders before a call reach back 65 days
from the latest (3 days of late data + 31 of churn + 31 of orders before it).
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from ccw.generator import GenerateRequest, generate
from ccw.pipeline import run_pipeline
from ccw.publish import published_path
from tests.warehouse_support import differing_rows, query

# 70 days of a small center: every look-back (42 days for repeat flags, 65 for the
# orders around a churn window of 30 days) ends inside the history.
LONG = {"start": date(2026, 2, 4), "days": 70, "agents": 12, "customers": 6_000, "seed": 8}
SETTINGS = {"churn_window_days": "30"}
# Landed together, as after a night the job did not run; the last is the last generated.
CATCH_UP_DAYS = ["2026-04-13", "2026-04-14"]


def _day_of(path: Path) -> str | None:
    found = re.search(r"_(\d{4}-\d{2}-\d{2})\.", path.name)
    return found.group(1) if found else None


def _copy_files(source: Path, target: Path, keep) -> None:
    for path in sorted(source.rglob("*.*")):
        day = _day_of(path)
        if day is None or not keep(day):
            continue
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)


def _tables(warehouse: Path) -> list[tuple[str, str]]:
    return query(
        warehouse,
        "select schema_name, table_name from duckdb_tables() "
        "where schema_name in ('intermediate', 'marts') order by all",
    )


@pytest.fixture(scope="module")
def long_landing(tmp_path_factory) -> Path:
    landing = tmp_path_factory.mktemp("long") / "landing"
    generate(GenerateRequest(out=landing, **LONG))
    assert max(filter(None, map(_day_of, landing.rglob("*.*")))) == CATCH_UP_DAYS[-1]
    return landing


def test_nightly_runs_give_the_same_warehouse_as_a_full_build(long_landing, tmp_path):
    nightly_landing, nightly = tmp_path / "nightly-landing", tmp_path / "nightly" / "ccw.duckdb"
    _copy_files(long_landing, nightly_landing, lambda day: day < CATCH_UP_DAYS[0])
    assert run_pipeline(nightly_landing, nightly, overrides=SETTINGS).ok
    _copy_files(long_landing, nightly_landing, lambda day: day in CATCH_UP_DAYS)
    outcome = run_pipeline(nightly_landing, nightly, overrides=SETTINGS)
    assert outcome.ok, (outcome.failed_steps, outcome.failed_checks)
    assert not outcome.settings_changes  # the same settings: no rebuild from scratch
    delivered = [path for day in CATCH_UP_DAYS for path in nightly_landing.rglob(f"*_{day}.*")]
    assert outcome.files_new == len(delivered)

    full = tmp_path / "full" / "ccw.duckdb"
    full.parent.mkdir()
    shutil.copy(nightly, full)
    rebuilt = run_pipeline(nightly_landing, full, full_refresh=True, overrides=SETTINGS)
    assert rebuilt.ok and rebuilt.files_new == 0 and rebuilt.published

    tables = _tables(full)
    assert len(tables) > 20 and _tables(nightly) == tables
    for schema, table in tables:
        assert not differing_rows(nightly, full, f"{schema}.{table}"), f"{schema}.{table}"
    # The nightly snapshots were updated in place of the rebuilt days, not copied whole.
    published = [(full, published_path(full)), (nightly, published_path(nightly))]
    for schema, table in tables:
        if schema == "marts":
            for warehouse, snapshot in published:
                assert not differing_rows(snapshot, warehouse, f"{schema}.{table}"), table
