"""The volume and distribution suites warn about the days a data team gets burned by.

Four generated weeks of a small center, landed by the real loader, with two things a
feed really does: the calls file of 2026-03-11 never arrives, and the one of
2026-03-27 (a Friday, three Fridays of history before it) is cut to a tenth of its
lines. The other cases change one day by hand in a private copy.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ccw.contract import TABLES
from ccw.generator import GenerateRequest, generate
from ccw.landing.loader import land_table
from ccw.settings import load_settings
from expectations.raw_daily import DAILY_SUITES
from tests.expectations.support import failed_names
from tests.warehouse_support import copy_warehouse

# The generated weeks are the contract's exports: no platform records to judge.
NATIVE_DAILY_SUITES = [s for s in DAILY_SUITES if s.asset[1] in {t.name for t in TABLES}]

RUN = "landing-run"
MISSING_DAY = "2026-03-11"
TRUNCATED_DAY = "2026-03-27"
CHANGED_DAY = "2026-03-20"
JUDGED_MONDAY = "2026-03-23"


@pytest.fixture(scope="module")
def delivered(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("daily")
    landing = root / "landing"
    generate(
        GenerateRequest(
            out=landing, start=date(2026, 3, 2), days=28, agents=40, customers=30_000, seed=7
        )
    )
    (landing / "telephony" / f"calls_{MISSING_DAY}.csv").unlink()
    truncated = landing / "telephony" / f"calls_{TRUNCATED_DAY}.csv"
    lines = truncated.read_text().splitlines(keepends=True)
    truncated.write_text("".join(lines[: 1 + (len(lines) - 1) // 10]))
    warehouse = root / "warehouse" / "ccw.duckdb"
    for table in TABLES:
        land_table(table, landing, warehouse, run_id=RUN)
    return warehouse


def test_every_daily_suite_but_calls_passes_on_the_generated_weeks(delivered, run_suite_on):
    for suite in NATIVE_DAILY_SUITES:
        outcome = run_suite_on(delivered, suite.name, RUN)
        assert outcome.rows == 28 and outcome.outcomes
        if suite.name != "raw_calls_daily":
            assert not outcome.failed(), (suite.name, failed_names(outcome))


def test_a_missing_day_and_a_day_at_a_tenth_of_its_volume_are_named(delivered, run_suite_on):
    outcome = run_suite_on(delivered, "raw_calls_daily", RUN)
    assert outcome.passed  # warnings only: the run goes on
    failures = {failure.expectation: failure for failure in outcome.failed()}
    assert set(failures) == {
        "expect_column_values_to_be_in_set(is_delivered)",
        "expect_column_values_to_be_between(rows_to_recent_median)",
        # The file was cut after its first lines: the afternoon's intervals are empty.
        "expect_column_values_to_be_between(opening_intervals_without_calls)",
    }
    missing = failures["expect_column_values_to_be_in_set(is_delivered)"]
    assert missing.severity == "warning" and missing.unexpected == 1
    assert missing.sample == (f"day={MISSING_DAY}: False",)
    volume = failures["expect_column_values_to_be_between(rows_to_recent_median)"]
    (sample,) = volume.sample
    day, ratio = sample.split(": ")
    assert day == f"day={TRUNCATED_DAY}" and 0.08 < float(ratio) < 0.12
    hours = failures["expect_column_values_to_be_between(opening_intervals_without_calls)"]
    assert [line.split(":")[0] for line in hours.sample] == [f"day={TRUNCATED_DAY}"]


def test_days_from_earlier_runs_are_not_judged_again(delivered, run_suite_on):
    outcome = run_suite_on(delivered, "raw_calls_daily", "a-later-run")
    # A missing day stays missing until it arrives; the volume was judged on arrival.
    assert failed_names(outcome) == ["expect_column_values_to_be_in_set(is_delivered)"]


DAY_CHANGES = {
    "the IVR stops identifying callers": (
        "raw_calls_daily",
        f"update raw.calls set customer_id = null where _file_date = '{CHANGED_DAY}'",
        "expect_column_values_to_be_between(unidentified_caller_share)",
    ),
    "the ACD stops reporting abandons": (
        "raw_calls_daily",
        "update raw.calls set disposition = 'voicemail' "
        f"where disposition = 'abandoned' and _file_date = '{CHANGED_DAY}'",
        "expect_column_values_to_be_between(abandon_rate)",
    ),
    # A Monday with three Mondays before it: the opening hours learned from them
    # (the default) judge it.
    "an hour of calls is missing": (
        "raw_calls_daily",
        f"delete from raw.calls where _file_date = '{JUDGED_MONDAY}' "
        "and hour(timezone('America/New_York', queued_at)) = 11",
        "expect_column_values_to_be_between(opening_intervals_without_calls)",
        JUDGED_MONDAY,
    ),
    "the survey tool stops recording answers": (
        "raw_responses_daily",
        "update raw.responses set responded_at = null, csat = null, nps = null, ces = null "
        f"where timezone('America/New_York', sent_at)::date = date '{CHANGED_DAY}' - 7",
        "expect_column_values_to_be_between(response_rate_week_before)",
    ),
    "agents log in who are not on the roster": (
        "raw_agent_states_daily",
        f"delete from raw.agents where _file_date = '{CHANGED_DAY}' and agent_id in ("
        "select agent_id from raw.agent_states "
        f"where _file_date = '{CHANGED_DAY}' and state <> 'offline' limit 1)",
        "expect_column_values_to_be_between(agents_not_on_roster)",
    ),
}


@pytest.mark.parametrize("case", list(DAY_CHANGES))
def test_a_broken_day_is_named(case, delivered, tmp_path, run_suite_on):
    suite, change, expected, *day = DAY_CHANGES[case]
    warehouse = copy_warehouse(delivered, tmp_path)
    outcome = run_suite_on(warehouse, suite, RUN, change)
    failures = {failure.expectation: failure for failure in outcome.failed()}
    assert expected in failures
    assert failures[expected].sample[0].startswith(f"day={(day or [CHANGED_DAY])[0]}: ")
    assert failures[expected].severity == "warning"


@pytest.mark.parametrize("suite", [suite.name for suite in NATIVE_DAILY_SUITES])
def test_every_daily_suite_names_a_missing_day_and_a_collapsed_one(
    suite, delivered, tmp_path, run_suite_on
):
    table = suite.removeprefix("raw_").removesuffix("_daily")
    warehouse = copy_warehouse(delivered, tmp_path)
    outcome = run_suite_on(
        warehouse,
        suite,
        RUN,
        # As if the source never sent 2026-03-18, and sent a tenth of 2026-03-27.
        f"delete from ingest.manifest where table_name = '{table}' and file_date = '2026-03-18'",
        f"update ingest.manifest set rows_read = rows_read // 10 "
        f"where table_name = '{table}' and file_date = '{TRUNCATED_DAY}'",
    )
    failures = {failure.expectation: failure for failure in outcome.failed()}
    missing = failures["expect_column_values_to_be_in_set(is_delivered)"]
    assert "day=2026-03-18: False" in missing.sample
    volume = failures["expect_column_values_to_be_between(rows_to_recent_median)"]
    assert any(line.startswith(f"day={TRUNCATED_DAY}: ") for line in volume.sample)


HOUR_11_MISSING = (
    f"delete from raw.calls where _file_date = '{CHANGED_DAY}' "
    "and hour(timezone('America/New_York', queued_at)) = 11"
)
EMPTY_HOURS = "expect_column_values_to_be_between(opening_intervals_without_calls)"


@pytest.mark.parametrize(
    ("opening_hours", "flagged"),
    [
        # CHANGED_DAY is a Friday. Closing at 11:00 on Fridays: the empty hour is after it.
        ({"all_queues": {"every_day": "07:00-21:00", "friday": "07:00-11:00"}}, False),
        ({"all_queues": {"every_day": "07:00-21:00", "friday": "closed"}}, False),
        # Billing keeps the usual hours: the hour it lost is in them again.
        (
            {
                "all_queues": {"every_day": "07:00-21:00", "friday": "07:00-11:00"},
                "billing": {"every_day": "07:00-21:00"},
            },
            True,
        ),
    ],
)
def test_opening_hours_per_queue_and_weekday_come_from_the_settings(
    opening_hours, flagged, delivered, tmp_path, run_suite_on
):
    settings = load_settings(overrides={"opening_hours": opening_hours})
    warehouse = copy_warehouse(delivered, tmp_path)
    outcome = run_suite_on(warehouse, "raw_calls_daily", RUN, HOUR_11_MISSING, settings=settings)
    failures = {failure.expectation: failure for failure in outcome.failed()}
    if flagged:
        assert failures[EMPTY_HOURS].sample[0].startswith(f"day={CHANGED_DAY}: ")
    else:
        samples = failures[EMPTY_HOURS].sample if EMPTY_HOURS in failures else ()
        assert not any(line.startswith(f"day={CHANGED_DAY}: ") for line in samples)


FRIDAYS_CLOSE_AT_14 = (
    "delete from raw.calls where isodow(_file_date) = 5 "
    "and hour(timezone('America/New_York', queued_at)) >= 14"
)
HOUR_11_MISSING_ON_TRUNCATED_FRIDAY = (
    f"delete from raw.calls where _file_date = '{TRUNCATED_DAY}' "
    "and hour(timezone('America/New_York', queued_at)) = 11"
)


def test_opening_hours_are_learned_from_the_recent_same_weekdays(delivered, tmp_path, run_suite_on):
    """By default the hours are learned: a center that closes at 14:00 every Friday is
    not warned about its Friday afternoons, and an hour lost in the morning is named."""
    assert load_settings(overrides={})["opening_hours"] == "learned"
    warehouse = copy_warehouse(delivered, tmp_path)
    closes_early = run_suite_on(warehouse, "raw_calls_daily", RUN, FRIDAYS_CLOSE_AT_14)
    failures = {failure.expectation: failure for failure in closes_early.failed()}
    samples = failures[EMPTY_HOURS].sample if EMPTY_HOURS in failures else ()
    # the truncated Friday lost its late morning too, which stays flagged
    assert [line.split(":")[0] for line in samples] == [f"day={TRUNCATED_DAY}"]
    truncated_empty = int(samples[0].split(": ")[1])

    warehouse = copy_warehouse(delivered, tmp_path / "again")
    lost_hour = run_suite_on(
        warehouse, "raw_calls_daily", RUN, FRIDAYS_CLOSE_AT_14, HOUR_11_MISSING_ON_TRUNCATED_FRIDAY
    )
    failures = {failure.expectation: failure for failure in lost_hour.failed()}
    (sample,) = failures[EMPTY_HOURS].sample
    assert (
        sample.startswith(f"day={TRUNCATED_DAY}: ")
        and int(sample.split(": ")[1]) >= truncated_empty
    )
