"""Helpers for the suite tests: private warehouse copies and what failed."""

from __future__ import annotations

import shutil
from pathlib import Path

from expectations import SuiteOutcome


def copy_warehouse(warehouse: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(warehouse, folder / warehouse.name))


def failed_names(outcome: SuiteOutcome) -> list[str]:
    return [failure.expectation for failure in outcome.failed()]
