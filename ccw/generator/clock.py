"""Local business time: the center's time zone, its days, and fast ISO-8601 text.

The simulation runs on integer epoch seconds. Exports carry local wall time with the
UTC offset in force (``2026-03-02T09:14:05-05:00``), so daylight-saving changes show
in the files exactly as a real ACD in that zone would write them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_TWO_DIGITS = tuple(f"{number:02d}" for number in range(60))
_UNIX_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
# Offsets are looked up once per quarter hour (UTC): every time zone's offset today is
# a whole number of quarter hours and changes on a quarter hour, so one lookup serves
# each of the quarter's 900 seconds; a quarter whose start and end disagree (an
# older, odd offset) is written second by second through ``datetime``.
_QUARTER = 900
_CACHED_QUARTERS = 500_000
_NOT_LOOKED_UP = object()


class LocalClock:
    def __init__(self, timezone: str) -> None:
        self.zone = ZoneInfo(timezone)
        self._quarter_offsets: dict[int, int | None] = {}
        self._offset_texts: dict[int, str] = {}
        self._date_texts: dict[int, str] = {}

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
        """ISO-8601 local time with offset (``2026-03-02T09:14:05-05:00``) of integer
        epoch seconds; None stays None."""
        return self.iso_column((epoch,))[0]

    def iso_column(self, values: Iterable) -> list:
        """Each epoch of ``values`` as :meth:`iso` writes it (None, or text already, as it
        is). Exports hold millions: plain arithmetic on the offset of the epoch's quarter
        hour, each local day's text cached."""
        offsets, day_texts, offset_texts = (
            self._quarter_offsets,
            self._date_texts,
            self._offset_texts,
        )
        two_digits, texts = _TWO_DIGITS, []
        append = texts.append
        for epoch in values:
            if epoch is None or isinstance(epoch, str):
                append(epoch)
                continue
            quarter = epoch // _QUARTER
            offset = offsets.get(quarter, _NOT_LOOKED_UP)
            if offset is _NOT_LOOKED_UP:
                offset = self._quarter_offset(quarter)
            if offset is None:
                append(self._iso_exactly(epoch))
                continue
            day, second_of_day = divmod(epoch + offset, 86400)
            day_text = day_texts.get(day)
            if day_text is None:
                day_text = day_texts[day] = date.fromordinal(day + _UNIX_EPOCH_ORDINAL).isoformat()
            hour, second_of_hour = divmod(second_of_day, 3600)
            minute, second = divmod(second_of_hour, 60)
            append(
                f"{day_text}T{two_digits[hour]}:{two_digits[minute]}:{two_digits[second]}"
                f"{offset_texts[offset]}"
            )
        return texts

    def _quarter_offset(self, quarter: int) -> int | None:
        """The UTC offset (seconds) in force for the whole quarter hour, else None."""
        if len(self._quarter_offsets) > _CACHED_QUARTERS:
            self._quarter_offsets.clear()
        first, last = (
            self._offset_seconds(quarter * _QUARTER + second) for second in (0, _QUARTER - 1)
        )
        offset = first if first == last and first % 60 == 0 else None
        self._quarter_offsets[quarter] = offset
        if offset is not None and offset not in self._offset_texts:
            self._offset_texts[offset] = _offset_text(offset)
        return offset

    def _offset_seconds(self, epoch: int) -> int:
        offset = datetime.fromtimestamp(epoch, self.zone).utcoffset()
        assert offset is not None
        return int(offset.total_seconds())

    def _iso_exactly(self, epoch: int) -> str:
        local = datetime.fromtimestamp(epoch, self.zone)
        return local.strftime("%Y-%m-%dT%H:%M:%S") + _offset_text(self._offset_seconds(epoch))


def _offset_text(offset_seconds: int) -> str:
    """``-05:00`` for -18000 (whole minutes)."""
    total = offset_seconds // 60
    sign = "-" if total < 0 else "+"
    return f"{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"
