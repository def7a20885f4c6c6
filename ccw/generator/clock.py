"""Local business time: the center's time zone, its days, and fast ISO-8601 text.

The simulation runs on integer epoch seconds. Exports carry local wall time with the
UTC offset in force (``2026-03-02T09:14:05-05:00``), so daylight-saving changes show
in the files exactly as a real ACD in that zone would write them.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_SECONDS = tuple(f"{second:02d}" for second in range(60))


class LocalClock:
    def __init__(self, timezone: str) -> None:
        self.zone = ZoneInfo(timezone)
        self._minute_text: dict[int, tuple[str, str]] = {}

    def epoch(self, day: date, minute_of_day: float = 0.0) -> int:
        """Epoch seconds of a local wall-clock time on ``day``."""
        # Aware-datetime arithmetic with ZoneInfo is wall-clock arithmetic, and
        # timestamp() applies the offset in force at the resulting wall time.
        wall = datetime.combine(day, time(), tzinfo=self.zone) + timedelta(minutes=minute_of_day)
        return int(wall.timestamp())

    def local_date(self, epoch: int) -> date:
        return datetime.fromtimestamp(epoch, self.zone).date()

    def minute_of_day(self, epoch: int) -> float:
        local = datetime.fromtimestamp(epoch, self.zone)
        return local.hour * 60 + local.minute + local.second / 60

    def iso(self, epoch: int | None) -> str | None:
        """ISO-8601 local time with offset; cached per minute because exports hold millions."""
        if epoch is None:
            return None
        minute = epoch // 60
        cached = self._minute_text.get(minute)
        if cached is None:
            if len(self._minute_text) > 200_000:
                self._minute_text.clear()
            local = datetime.fromtimestamp(minute * 60, self.zone)
            offset = local.utcoffset()
            assert offset is not None
            total = int(offset.total_seconds()) // 60
            sign = "-" if total < 0 else "+"
            offset_text = f"{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"
            cached = (local.strftime("%Y-%m-%dT%H:%M:"), offset_text)
            self._minute_text[minute] = cached
        return cached[0] + _SECONDS[epoch % 60] + cached[1]
