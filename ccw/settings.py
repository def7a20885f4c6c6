"""A center's settings: one YAML file that every part of ccw reads.

The file is ``ccw.yml`` in the folder ccw runs from, or the file ``CCW_CONFIG``
names, or the one ``ccw run --config FILE`` names; ``ccw run --var NAME=VALUE``
overrides one value for one run. Its keys are the names the metrics use
(``sl_threshold_seconds``, ``sl_abandon_treatment``, ...); a key the file leaves out
keeps its default. docs/metrics.md defines what each metric parameter does,
docs/operations.md lists every setting; ``ccw settings`` prints the values in force
and where each comes from.

Each default is written once: the metric parameters' in the ``vars`` of
dbt_project.yml (so the dbt project also runs on its own), the others in
:data:`OTHER_DEFAULTS` here. :data:`SETTINGS` says what each setting accepts. A bad
file or value raises :class:`SettingsError`, naming the key and the values it
accepts, before anything is loaded.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import time
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

PROJECT_FILE = Path(__file__).resolve().parent.parent / "dbt_project.yml"
DEFAULT_FILE = Path("ccw.yml")
CONFIG_ENVIRONMENT = "CCW_CONFIG"

SOURCES = ("crm", "telephony", "survey", "hr")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
EVERY_DAY = "every_day"
ALL_QUEUES = "all_queues"
CLOSED = "closed"
LEARNED = "learned"  # opening hours: learned from the calls' history

# The settings that are not dbt vars, with their defaults.
OTHER_DEFAULTS: dict[str, Any] = {
    # Where exports arrive and where the warehouse is (CCW_LANDING_DIR, CCW_WAREHOUSE and
    # the commands' --landing and --warehouse options win over these).
    "landing_dir": "landing",
    "warehouse_path": "warehouse/ccw.duckdb",
    # When each queue is open, local time: the raw checks expect calls in every interval
    # of these hours. `learned`: the intervals busy on every recent same weekday; or per
    # queue and weekday, e.g. {all_queues: {every_day: "07:00-21:00", sunday: closed}}
    # (a queue not named follows `all_queues`, a weekday not named `every_day`).
    "opening_hours": LEARNED,
    # The daily run, local time.
    "daily_at": "06:00",
    # Landing's row rules (ccw/landing/rules.py).
    "clock_skew_tolerance_seconds": 5,
    "max_duration_seconds": 43_200,
    "max_days_after_file_date": 2,
    # The app and the weekly report: a rate counted over fewer than this many calls
    # (or responses, intervals, agent-months) is greyed and never called good or bad.
    "min_sample_size": 30,
    # How many standard errors a change must span before it is called a change
    # (2.58: about one false alarm in 100 comparisons of equal periods).
    "significant_change_z": 2.58,
    # The weekly report by e-mail (docs/operations.md): sent when smtp_host and
    # report_recipients are set; the password, if the server needs one, comes from the
    # environment (CCW_SMTP_PASSWORD), never this file. Not kept with the marts.
    "smtp_host": "",
    "smtp_port": 25,
    "smtp_starttls": False,
    "smtp_username": "",
    "report_sender": "ccw@localhost",
    "report_recipients": [],
    # The day's alert after each nightly run (queues that missed a target) goes to
    # these addresses, only on a day with a miss; empty: written, not sent.
    "alert_recipients": [],
}


class SettingsError(ValueError):
    """A settings file or value that cannot be used, said in one sentence."""


@dataclass(frozen=True)
class Setting:
    name: str
    accepts: str  # in words, for the error message
    parse: Callable[[Any], Any]  # the value as used, or ValueError
    # A change rebuilds the marts from all history (it alters past numbers).
    rebuilds: bool = False
    # Stored with the marts it built (marts.build_settings); e-mail delivery is not.
    kept_with_marts: bool = True


def _whole(low: int, high: int | None = None) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError
        if value < low or (high is not None and value > high):
            raise ValueError
        return value

    return parse


def _number(low: float, high: float | None = None, open_ends: bool = False):
    def parse(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError
        below = value <= low if open_ends else value < low
        above = high is not None and (value >= high if open_ends else value > high)
        if below or above:
            raise ValueError
        return value

    return parse


def _one_of(*choices: Any) -> Callable[[Any], Any]:
    def parse(value: Any) -> Any:
        if isinstance(value, bool) or value not in choices:
            raise ValueError
        return value

    return parse


def _time_zone(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError from error
    return value


def _clock_time(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
        raise ValueError
    return value


def _path(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError
    return value.strip()


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError
    return value


def _addresses(value: Any) -> list[str]:
    if not isinstance(value, list) or any(
        not isinstance(item, str) or not re.fullmatch(r"[^@\s]+@[^@\s]+", item) for item in value
    ):
        raise ValueError
    return value


def _addresses_one(value: Any) -> str:
    return _addresses([value])[0]


def _sources(value: Any) -> list[str]:
    if not isinstance(value, list) or not value or any(item not in SOURCES for item in value):
        raise ValueError
    if "telephony" not in value:  # every mart starts from the calls
        raise ValueError
    return sorted(set(value), key=SOURCES.index)


@dataclass(frozen=True)
class OpenHours:
    opens: time
    closes: time

    def __str__(self) -> str:
        return (
            f"{self.opens:%H:%M}-{'24:00' if self.closes == time.max else f'{self.closes:%H:%M}'}"
        )

    @property
    def opens_minute(self) -> int:
        """Minutes after local midnight."""
        return self.opens.hour * 60 + self.opens.minute

    @property
    def closes_minute(self) -> int:
        """Minutes after local midnight (1440 for 24:00)."""
        return 1440 if self.closes == time.max else self.closes.hour * 60 + self.closes.minute


def _hours(value: Any) -> OpenHours | None:
    if value == CLOSED:
        return None
    match = re.fullmatch(r"(\d\d):(\d\d)-(\d\d):(\d\d)", str(value).strip())
    if not match:
        raise ValueError
    opens_h, opens_m, closes_h, closes_m = (int(part) for part in match.groups())
    if opens_h > 23 or opens_m > 59 or closes_m > 59 or closes_h > 24:
        raise ValueError
    if closes_h == 24 and closes_m:
        raise ValueError
    opens = time(opens_h, opens_m)
    closes = time.max if closes_h == 24 else time(closes_h, closes_m)
    if closes <= opens:
        raise ValueError
    return OpenHours(opens, closes)


QUEUE_TARGETS = {
    "service_level": _number(0, 1, True),
    "abandon_rate": _number(0, 1, True),
    "asa_seconds": _number(0, None, True),
}


def _queue_targets(value: Any) -> dict[str, dict[str, float]]:
    """``{queue or all_queues: {service_level, abandon_rate, asa_seconds}}``; all_queues
    has no service_level (that is ``sl_target``), and what it leaves out keeps the
    default's."""
    if not isinstance(value, dict):
        raise ValueError
    for queue, targets in value.items():
        if not isinstance(queue, str) or not isinstance(targets, dict) or not targets:
            raise ValueError
        for name, target in targets.items():
            if name not in QUEUE_TARGETS or (queue == ALL_QUEUES and name == "service_level"):
                raise ValueError
            QUEUE_TARGETS[name](target)
    every_queue = {**dbt_defaults()["queue_targets"][ALL_QUEUES], **value.get(ALL_QUEUES, {})}
    return {**value, ALL_QUEUES: every_queue}


def _opening_hours(value: Any) -> dict[str, dict[str, str]]:
    """``learned``, or ``{queue or all_queues: {weekday or every_day: "HH:MM-HH:MM" or
    closed}}``."""
    if value == LEARNED:
        return value
    if not isinstance(value, dict) or not value:
        raise ValueError
    for queue, days in value.items():
        if not isinstance(queue, str) or not isinstance(days, dict) or not days:
            raise ValueError
        for day, hours in days.items():
            if day not in (*WEEKDAYS, EVERY_DAY):
                raise ValueError
            _hours(hours)
    return value


_SPECS = (
    Setting("timezone", "an IANA time zone, e.g. America/New_York", _time_zone, True),
    Setting("interval_minutes", "15, 30 or 60", _one_of(15, 30, 60), True),
    Setting("short_abandon_seconds", "a whole number of seconds, 0 or more", _whole(0), True),
    Setting("sl_threshold_seconds", "a whole number of seconds, 1 or more", _whole(1), True),
    Setting(
        "sl_abandon_treatment",
        "negative, ignored or positive",
        _one_of("negative", "ignored", "positive"),
        True,
    ),
    Setting("sl_target", "a number between 0 and 1, e.g. 0.8", _number(0, 1, True), True),
    Setting(
        "queue_targets",
        "queue names (or all_queues), each with service_level and abandon_rate (between 0 "
        "and 1) and asa_seconds (above 0); all_queues' service level is sl_target",
        _queue_targets,
        True,
    ),
    Setting(
        "patience_estimator",
        "mean_abandon_wait or time_at_risk",
        _one_of("mean_abandon_wait", "time_at_risk"),
        True,
    ),
    Setting("containment_window_hours", "a whole number of hours, 1 or more", _whole(1), True),
    Setting("repeat_window_days", "a whole number of days, 1 to 30", _whole(1, 30), True),
    Setting("upstream_window_days", "a whole number of days, 1 or more", _whole(1), True),
    Setting("churn_window_days", "a whole number of days, 1 or more", _whole(1), True),
    Setting("telephony_cost_per_minute", "a number, 0 or more", _number(0), True),
    Setting("overhead_per_contact", "a number, 0 or more", _number(0), True),
    Setting("cost_per_hire", "a number, 0 or more", _number(0), True),
    Setting("ramp_days", "a whole number of days, 1 or more", _whole(1), True),
    Setting("ramp_tenure_weeks", "a whole number of weeks, 1 to 104", _whole(1, 104), True),
    Setting("bad_trade_min_z", "a number above 0, e.g. 3", _number(0, None, True), True),
    Setting("early_attrition_days", "a whole number of days, 1 or more", _whole(1), True),
    Setting("incremental_lookback_days", "a whole number of days, 0 or more", _whole(0)),
    Setting("landing_dir", "a folder path", _path),
    Setting("warehouse_path", "a file path, e.g. warehouse/ccw.duckdb", _path),
    Setting("sources", f"a list of {', '.join(SOURCES)} that includes telephony", _sources),
    Setting(
        "opening_hours",
        "learned, or queue names (or all_queues), each with weekdays (monday ... sunday, "
        'or every_day) set to "HH:MM-HH:MM" or closed',
        _opening_hours,
    ),
    Setting("daily_at", "a time of day, HH:MM (24-hour)", _clock_time),
    Setting("clock_skew_tolerance_seconds", "a whole number of seconds, 0 or more", _whole(0)),
    Setting("max_duration_seconds", "a whole number of seconds, 1 or more", _whole(1)),
    Setting("max_days_after_file_date", "a whole number of days, 0 or more", _whole(0)),
    Setting("min_sample_size", "a whole number, 1 or more", _whole(1)),
    Setting("significant_change_z", "a number above 0, e.g. 2.58", _number(0, None, True)),
    Setting("smtp_host", "a host name, or empty for no e-mail", _text, kept_with_marts=False),
    Setting("smtp_port", "a port number, 1 to 65535", _whole(1, 65535), kept_with_marts=False),
    Setting("smtp_starttls", "true or false", _flag, kept_with_marts=False),
    Setting("smtp_username", "a user name, or empty", _text, kept_with_marts=False),
    Setting("report_sender", "an e-mail address", _addresses_one, kept_with_marts=False),
    Setting(
        "report_recipients",
        "a list of e-mail addresses, e.g. [ops@example.com]",
        _addresses,
        kept_with_marts=False,
    ),
    Setting(
        "alert_recipients",
        "a list of e-mail addresses, e.g. [team-leads@example.com]",
        _addresses,
        kept_with_marts=False,
    ),
)
SETTINGS: dict[str, Setting] = {spec.name: spec for spec in _SPECS}


@cache
def dbt_defaults() -> dict[str, Any]:
    """The metric parameters' defaults: the vars of dbt_project.yml."""
    with PROJECT_FILE.open() as file:
        return dict(yaml.safe_load(file)["vars"])


def defaults() -> dict[str, Any]:
    return {**dbt_defaults(), **OTHER_DEFAULTS}


DBT_VARS = tuple(dbt_defaults())


@dataclass(frozen=True)
class Settings(Mapping[str, Any]):
    """The settings in force: every key, each with its value and where it came from."""

    values: dict[str, Any]
    origins: dict[str, str] = field(default_factory=dict)
    file: Path | None = None

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def __iter__(self):
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)

    def dbt_vars(self) -> dict[str, Any]:
        """What dbt gets as ``--vars``: every metric parameter."""
        return {name: self.values[name] for name in DBT_VARS}

    def dbt_vars_argument(self) -> str:
        return json.dumps(self.dbt_vars(), sort_keys=True)

    def as_rows(self, kept_with_marts: bool = False) -> list[tuple[str, str]]:
        """(setting_name, setting_value as JSON) for every setting (or only those kept
        with the marts: no e-mail addresses in a mart), sorted by name."""
        return [
            (name, canonical(self.values[name]))
            for name in sorted(self.values)
            if not kept_with_marts or SETTINGS[name].kept_with_marts
        ]

    def opening_hours(self, queue: str, weekday: int) -> OpenHours | None:
        """The queue's hours on ``weekday`` (0 is Monday), or None when closed (or
        when the hours are learned from the history, not set)."""
        table = self.values["opening_hours"]
        if table == LEARNED:
            return None
        day = WEEKDAYS[weekday]
        for scope in (table.get(queue, {}), table.get(ALL_QUEUES, {})):
            for key in (day, EVERY_DAY):
                if key in scope:
                    return _hours(scope[key])
        return None


def canonical(value: Any) -> str:
    """A setting's value as it is stored and compared: JSON, keys sorted."""
    return json.dumps(value, sort_keys=True)


def settings_file(explicit: Path | None = None) -> tuple[Path | None, bool]:
    """The file to read and whether it must exist (a file someone named must)."""
    if explicit is not None:
        return explicit, True
    named = os.environ.get(CONFIG_ENVIRONMENT, "").strip()
    if named:
        return Path(named), True
    return DEFAULT_FILE, False


def load_settings(path: Path | None = None, overrides: Mapping[str, Any] | None = None) -> Settings:
    """The settings in force: the defaults, then the file's values, then ``overrides``
    (``--var`` values, as text to read as YAML, or values)."""
    file, required = settings_file(path)
    from_file = _read_file(file, required)
    values, origins = defaults(), dict.fromkeys(defaults(), "default")
    where = str(file)
    for name, value in from_file.items():
        values[name], origins[name] = _checked(name, value, where), where
    for name, value in (overrides or {}).items():
        parsed = _yaml_value(name, value) if isinstance(value, str) else value
        values[name], origins[name] = _checked(name, parsed, "--var"), "--var"
    for name in SETTINGS:  # the defaults themselves must hold (dbt_project.yml is edited)
        if origins[name] == "default":
            values[name] = _checked(name, values[name], "the defaults")
    return Settings(values, origins, file if from_file or required else None)


def _read_file(file: Path | None, required: bool) -> dict[str, Any]:
    if file is None or not file.exists():
        if required:
            raise SettingsError(f"The settings file {file} does not exist.")
        return {}
    try:
        content = yaml.safe_load(file.read_text()) or {}
    except yaml.YAMLError as error:
        raise SettingsError(f"{file} is not valid YAML: {error}") from error
    if not isinstance(content, dict):
        raise SettingsError(f"{file} must hold `name: value` lines, one setting each.")
    return content


def _yaml_value(name: str, text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise SettingsError(f"--var {name}={text}: not a value ({error}).") from error


def _checked(name: Any, value: Any, where: str) -> Any:
    spec = SETTINGS.get(name) if isinstance(name, str) else None
    if spec is None:
        close = [known for known in SETTINGS if _similar(str(name), known)]
        hint = f" Did you mean {close[0]}?" if close else ""
        raise SettingsError(
            f"{where}: unknown setting {name!r}.{hint} Known settings: {', '.join(SETTINGS)}."
        )
    try:
        return spec.parse(value)
    except (ValueError, TypeError):
        raise SettingsError(f"{where}: {name} must be {spec.accepts}; got {value!r}.") from None


def _similar(given: str, known: str) -> bool:
    from difflib import SequenceMatcher

    return SequenceMatcher(None, given.lower(), known).ratio() >= 0.8


def parse_overrides(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``NAME=VALUE`` pairs (``ccw run --var``) as a mapping; values stay text."""
    overrides = {}
    for pair in pairs:
        name, separator, value = pair.partition("=")
        if not separator or not name.strip():
            raise SettingsError(
                f"--var takes NAME=VALUE, e.g. sl_threshold_seconds=30; got {pair!r}."
            )
        overrides[name.strip()] = value.strip()
    return overrides


def describe_changes(changes: list[tuple[str, str, str]]) -> str:
    """What a run says when settings that alter past numbers changed."""
    changed = ", ".join(f"{name} {before} → {now}" for name, before, now in changes)
    return (
        f"Settings changed since the last build: {changed}. They alter past numbers, so "
        "the marts are rebuilt from all history."
    )


def changed_settings(previous: Mapping[str, str], current: Settings) -> list[tuple[str, str, str]]:
    """(name, before, now) for each setting whose change alters past numbers, between
    the stored settings of the last build (name → canonical value) and ``current``."""
    changes = []
    for name, value in current.as_rows():
        if SETTINGS[name].rebuilds and name in previous and previous[name] != value:
            changes.append((name, previous[name], value))
    return changes
