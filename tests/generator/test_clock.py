"""Export timestamps: local wall time with the offset in force, to the second."""

from __future__ import annotations

import random
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from ccw.generator.clock import LocalClock


def reference_iso(epoch: int, zone: ZoneInfo) -> str:
    return datetime.fromtimestamp(epoch, zone).isoformat()


@pytest.mark.parametrize(
    "timezone",
    # DST both ways, half and three-quarter hour offsets, a half-hour DST shift, UTC.
    ["America/New_York", "Europe/Berlin", "Australia/Sydney", "Asia/Kolkata",
     "Asia/Kathmandu", "Australia/Lord_Howe", "America/St_Johns", "UTC"],
)  # fmt: skip
def test_iso_matches_python_around_every_change_of_offset_and_at_random(timezone):
    clock, zone = LocalClock(timezone), ZoneInfo(timezone)
    rng = random.Random(timezone)
    epochs = [rng.randrange(1_600_000_000, 1_900_000_000) for _ in range(20_000)]
    # Each second from a minute before to a minute after each change of offset in
    # 2026, and the first and last second of each quarter hour around it.
    start = int(datetime(2026, 1, 1, tzinfo=zone).timestamp())
    previous = zone.utcoffset(datetime.fromtimestamp(start, zone))
    for hour in range(0, 366 * 24):
        instant = start + hour * 3600
        offset = datetime.fromtimestamp(instant, zone).utcoffset()
        if offset != previous:
            for moment in range(instant - 7200, instant + 1):
                if datetime.fromtimestamp(moment, zone).utcoffset() == offset:
                    epochs.extend(range(moment - 960, moment + 960))
                    break
            previous = offset
    for epoch in epochs:
        assert clock.iso(epoch) == reference_iso(epoch, zone), epoch
    assert clock.iso(None) is None


def test_an_offset_in_seconds_is_written_second_by_second():
    # New York's local mean time (-4:56:02) before 1883: no quarter hour shares one
    # whole-minute offset, so every time is written through datetime.
    clock, zone = LocalClock("America/New_York"), ZoneInfo("America/New_York")
    epoch = int(datetime(1880, 6, 1, 12, 0, 0, tzinfo=zone).timestamp())
    text = clock.iso(epoch)
    assert text.startswith(reference_iso(epoch, zone)[:19]) and text.endswith("-04:57")
