"""The app tests read the snapshot the main job publishes from the 35-day sample (long
enough for repeats and 30-day churn to have been followed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccw.publish import published_path


@pytest.fixture
def snapshot_path(sample_marts: Path, monkeypatch) -> Path:
    path = published_path(sample_marts)
    assert path.exists()
    monkeypatch.setenv("CCW_PUBLISHED", str(path))
    return path
