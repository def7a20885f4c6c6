"""Where Dagster keeps the history of a warehouse's runs: one instance folder beside
the warehouse file (``<warehouse folder>/dagster/``), or the folder ``DAGSTER_HOME``
names when it is set (an operator's own, left as it is).

``ccw run`` records each run there, and ``ccw ui`` starts the Dagster UI, the
schedule and the sensors on the same folder, so the UI shows every run, whoever
started it: its steps, the assets it materialized with their row counts, and its
checks with their results (docs/operations.md).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

# Dagster's instance settings for this project (one run at a time, no telemetry).
INSTANCE_SETTINGS = Path(__file__).resolve().parent.parent / "orchestration" / "dagster.yaml"
FOLDER_NAME = "dagster"
OPENING_TIMEOUT_SECONDS = 120.0


def _operators_home() -> Path | None:
    configured = os.environ.get("DAGSTER_HOME", "").strip()
    return Path(configured) if configured else None


def instance_dir(warehouse: Path) -> Path:
    """``DAGSTER_HOME`` when set, else ``dagster/`` in the warehouse file's folder."""
    return _operators_home() or warehouse.resolve().parent / FOLDER_NAME


def instance_settings(folder: Path) -> str:
    """The ``dagster.yaml`` of an instance in ``folder``: the project's settings, and
    the event log that keeps an engine per database (:mod:`ccw.run_history_storage`),
    in the folder where Dagster's own would be."""
    events = (folder / "history" / "runs").resolve()
    return INSTANCE_SETTINGS.read_text() + (
        "event_log_storage:\n"
        "  module: ccw.run_history_storage\n"
        "  class: RunHistoryEventLogStorage\n"
        "  config:\n"
        f"    base_dir: {json.dumps(str(events))}\n"
    )


def prepare_instance_dir(warehouse: Path) -> Path:
    """The instance folder, created if need be, with its ``dagster.yaml`` (brought up
    to date in the folder beside the warehouse; an operator's folder keeps its own, and
    gets the project's only when it has none)."""
    folder = instance_dir(warehouse)
    folder.mkdir(parents=True, exist_ok=True)
    settings = folder / "dagster.yaml"
    wanted = instance_settings(folder)
    ours = _operators_home() is None
    if not settings.exists() or (ours and settings.read_text() != wanted):
        settings.write_text(wanted)
    return folder


def open_instance(warehouse: Path):
    """The warehouse's Dagster instance (a ``dagster.DagsterInstance``; close it, or
    use it in a ``with`` block, when done). Opened under a lock: the first opening
    creates the history's tables, and two runs started together (the second waits
    for the first at the warehouse's lock) would both create them."""
    import dagster as dg

    from ccw.landing.warehouse import exclusive_lock

    folder = instance_dir(warehouse)
    with exclusive_lock(folder / "dagster.yaml", OPENING_TIMEOUT_SECONDS):
        return dg.DagsterInstance.from_config(str(prepare_instance_dir(warehouse)))
