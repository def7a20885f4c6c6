"""One settings file per center: read by every part, checked before anything loads,
and kept with the marts it built."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ccw.cli import main
from ccw.contract import TABLES
from ccw.landing.loader import land_table
from ccw.pipeline import run_pipeline
from ccw.settings import (
    OTHER_DEFAULTS,
    SETTINGS,
    SettingsError,
    dbt_defaults,
    load_settings,
    parse_overrides,
)
from tests.warehouse_support import copy_warehouse, query


def test_every_setting_has_one_default_and_one_rule():
    assert set(dbt_defaults()).isdisjoint(OTHER_DEFAULTS)
    assert set(dbt_defaults()) | set(OTHER_DEFAULTS) == set(SETTINGS)
    settings = load_settings()
    assert settings["sl_threshold_seconds"] == 20 and settings["timezone"] == "America/New_York"


def _write(tmp_path: Path, content: dict | str) -> Path:
    path = tmp_path / "ccw.yml"
    path.write_text(content if isinstance(content, str) else yaml.safe_dump(content))
    return path


@pytest.mark.parametrize(
    ("content", "names"),
    [
        ({"sl_treshold_seconds": 15}, ["unknown setting 'sl_treshold_seconds'",
                                       "Did you mean sl_threshold_seconds?"]),
        ({"sl_threshold_seconds": "twenty"}, ["sl_threshold_seconds must be a whole number"]),
        ({"sl_threshold_seconds": True}, ["sl_threshold_seconds must be"]),
        ({"sl_target": 1.2}, ["sl_target must be a number between 0 and 1", "got 1.2"]),
        ({"sl_target": 0}, ["sl_target must be a number between 0 and 1"]),
        ({"timezone": "Mars/Olympus"}, ["timezone must be an IANA time zone"]),
        ({"repeat_window_days": 0}, ["repeat_window_days must be a whole number of days, 1"]),
        ({"sl_abandon_treatment": "neutral"},
         ["sl_abandon_treatment must be negative, ignored or positive"]),
        ({"interval_minutes": 20}, ["interval_minutes must be 15, 30 or 60"]),
        ({"opening_hours": {"billing": {"fridays": "07:00-14:00"}}}, ["opening_hours must be"]),
        ({"opening_hours": {"billing": {"friday": "14:00-07:00"}}}, ["opening_hours must be"]),
        ({"sources": ["crm", "survey"]}, ["sources must be a list", "includes telephony"]),
        ({"queue_targets": {"all_queues": {"service_level": 0.9}}},
         ["queue_targets must be", "all_queues' service level is sl_target"]),
        ({"queue_targets": {"billing": {"asa": 20}}}, ["queue_targets must be"]),
        ({"queue_targets": {"billing": {"abandon_rate": 5}}}, ["queue_targets must be"]),
        ({"min_sample_size": 0}, ["min_sample_size must be a whole number, 1 or more"]),
        ("sl_target: [0.8", ["is not valid YAML"]),
        ("- sl_target", ["must hold `name: value` lines"]),
    ],
)  # fmt: skip
def test_a_bad_file_names_the_key_and_the_accepted_values(tmp_path, content, names):
    with pytest.raises(SettingsError) as raised:
        load_settings(_write(tmp_path, content))
    for name in names:
        assert name in str(raised.value)


def test_file_then_overrides_win_over_defaults_and_say_where_they_come_from(tmp_path):
    path = _write(tmp_path, {"sl_threshold_seconds": 30, "sl_abandon_treatment": "ignored"})
    settings = load_settings(path, parse_overrides(["sl_threshold_seconds=15"]))
    assert settings["sl_threshold_seconds"] == 15
    assert settings.origins["sl_threshold_seconds"] == "--var"
    assert settings["sl_abandon_treatment"] == "ignored"
    assert settings.origins["sl_abandon_treatment"] == str(path)
    assert settings.origins["sl_target"] == "default"
    assert '"sl_threshold_seconds": 15' in settings.dbt_vars_argument()
    with pytest.raises(SettingsError, match="NAME=VALUE"):
        parse_overrides(["sl_threshold_seconds"])


def test_a_queue_target_keeps_the_targets_the_file_leaves_out(tmp_path):
    """A file that sets one queue's ASA keeps every queue's default abandon target:
    dbt gets the whole table (macros/queue_targets.sql resolves it per queue)."""
    settings = load_settings(_write(tmp_path, {"queue_targets": {"billing": {"asa_seconds": 20}}}))
    assert settings["queue_targets"] == {
        "billing": {"asa_seconds": 20},
        "all_queues": dbt_defaults()["queue_targets"]["all_queues"],
    }
    assert '"billing": {"asa_seconds": 20}' in settings.dbt_vars_argument()


def test_the_settings_file_comes_from_ccw_config_or_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_settings().file is None  # none here: the defaults
    _write(tmp_path, {"interval_minutes": 15})
    assert load_settings()["interval_minutes"] == 15
    other = tmp_path / "other.yml"
    other.write_text("interval_minutes: 60\n")
    monkeypatch.setenv("CCW_CONFIG", str(other))
    assert load_settings()["interval_minutes"] == 60
    monkeypatch.setenv("CCW_CONFIG", str(tmp_path / "missing.yml"))
    with pytest.raises(SettingsError, match="does not exist"):
        load_settings()


def test_opening_hours_fall_back_from_queue_and_weekday(tmp_path):
    settings = load_settings(
        _write(
            tmp_path,
            {"opening_hours": {
                "all_queues": {"every_day": "07:00-21:00", "sunday": "closed"},
                "billing": {"friday": "07:00-14:00", "saturday": "18:00-24:00"},
            }},
        )
    )  # fmt: skip
    friday, saturday, sunday = 4, 5, 6
    assert str(settings.opening_hours("billing", friday)) == "07:00-14:00"
    assert str(settings.opening_hours("billing", saturday)) == "18:00-24:00"
    assert settings.opening_hours("billing", saturday).closes_minute == 1440
    assert str(settings.opening_hours("billing", 0)) == "07:00-21:00"
    assert settings.opening_hours("sales", sunday) is None


def test_ccw_run_stops_on_a_bad_setting_before_loading_anything(landing, tmp_path):
    warehouse = tmp_path / "warehouse" / "ccw.duckdb"
    bad = _write(tmp_path, {"sl_target": 80})
    for arguments in (["--config", str(bad)], ["--var", "churn_window_days=0"]):
        result = CliRunner().invoke(
            main, ["run", "--landing", str(landing), "--warehouse", str(warehouse), *arguments]
        )
        assert result.exit_code == 2, result.output
        assert "Nothing was run." in result.output
        assert not warehouse.parent.exists()
    shown = CliRunner().invoke(main, ["settings", "--config", str(bad)])
    assert shown.exit_code == 2 and "sl_target must be a number between 0 and 1" in shown.output


def test_ccw_settings_shows_each_value_and_where_it_comes_from(tmp_path):
    path = _write(tmp_path, {"sl_threshold_seconds": 30})
    shown = CliRunner().invoke(
        main, ["settings", "--config", str(path), "--var", "ramp_days=60"], env={"COLUMNS": "300"}
    )
    assert shown.exit_code == 0, shown.output
    lines = {line.split("│")[1].strip(): line for line in shown.output.splitlines() if "│" in line}
    assert "30" in lines["sl_threshold_seconds"] and str(path) in lines["sl_threshold_seconds"]
    assert "--var" in lines["ramp_days"] and "default" in lines["sl_target"]
    dbt_vars = CliRunner().invoke(main, ["settings", "--config", str(path), "--dbt-vars"])
    assert yaml.safe_load(dbt_vars.output)["sl_threshold_seconds"] == 30


def test_a_setting_that_alters_past_numbers_rebuilds_and_travels_with_the_marts(
    built, landing, tmp_path
):
    warehouse = copy_warehouse(built, tmp_path / "warehouse")
    published = warehouse.parent / "published" / "ccw.duckdb"
    # Per day, first day first: an incremental mart rebuilds only its last days, unless
    # the run rebuilds all history.
    within = (
        "select interval_local_date, sum(answered_within_threshold_legs) "
        "from marts.fct_interval_service group by 1 order by 1"
    )
    before = dict(query(warehouse, within))
    assert query(warehouse, "select setting_value, set_in from marts.build_settings "
                 "where setting_name = 'sl_threshold_seconds'") == [("20", "default")]  # fmt: skip

    outcome = run_pipeline(landing, warehouse, overrides={"sl_threshold_seconds": "60"})

    assert outcome.ok, (outcome.failed_steps, outcome.step_errors, outcome.failed_checks)
    assert outcome.settings_changes == [("sl_threshold_seconds", "20", "60")]
    after = dict(query(published, within))
    assert after.keys() == before.keys()
    # More legs answered within a longer threshold, on every day, the first one too.
    assert all(after[day] > before[day] for day in before)
    assert query(published, "select setting_value, set_in from marts.build_settings "
                 "where setting_name = 'sl_threshold_seconds'") == [("60", "--var")]  # fmt: skip
    # Every setting but the e-mail delivery's (no address in a mart), from one build.
    kept = {name for name, setting in SETTINGS.items() if setting.kept_with_marts}
    assert "report_recipients" not in kept and "sl_target" in kept
    assert query(published, "select count(*), count(distinct built_at) from marts.build_settings"
                 ) == [(len(kept), 1)]  # fmt: skip


def test_a_source_the_center_does_not_have_is_rejected_naming_the_setting(landing, tmp_path):
    survey = next(table for table in TABLES if table.source == "survey")
    settings = load_settings(overrides={"sources": ["crm", "telephony", "hr"]})
    report = land_table(survey, landing, tmp_path / "ccw.duckdb", settings=settings)
    assert report.rejected and report.rows_loaded == 0
    assert all("leave out survey" in file.message for file in report.rejected)
    assert all("`sources`" in file.message for file in report.rejected)


def test_a_scheduled_run_with_a_bad_settings_file_stops_before_its_first_step(landing, tmp_path):
    """The schedule and the sensor start the job without `ccw run`: the job's resource
    reads the settings and stops the run before anything is loaded."""
    import dagster as dg

    from orchestration.definitions import defs
    from orchestration.jobs import CCW_JOB_NAME

    warehouse = tmp_path / "warehouse" / "ccw.duckdb"
    bad = _write(tmp_path, {"interval_minutes": 20})
    result = defs.resolve_job_def(CCW_JOB_NAME).execute_in_process(
        run_config={
            "resources": {
                "warehouse": {
                    "config": {
                        "landing_dir": str(landing),
                        "warehouse_path": str(warehouse),
                        "config_file": str(bad),
                    }
                }
            }
        },
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )
    assert not result.success
    assert not result.get_step_success_events()
    assert not warehouse.exists()
    errors = [
        event.event_specific_data.error
        for event in result.all_events
        if event.is_failure and getattr(event.event_specific_data, "error", None)
    ]
    messages = ""
    for outer in errors:  # the settings' own sentence is under Dagster's wrapping
        error = outer
        while error is not None:
            messages += error.message
            error = error.cause
    assert "interval_minutes must be 15, 30 or 60" in messages, messages
