"""When new customer issues arise: the weekly and intraday shape, queue mix and surges.

The intraday shape is the bank curve from the landing contract; each queue tilts it
(sales and tech support peak later in the day, billing earlier). Day volumes follow
day-of-week factors with some noise. A few unforecast surge days -- an outage that
floods tech support for some hours, or a billing error that floods billing for a day
and a half -- are drawn once per run.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from ccw.generator.params import ArrivalParams

INTERVAL_MINUTES = 30


@dataclass(frozen=True)
class Surge:
    day: date
    kind: str  # "outage" or "billing_error"
    queue: int
    topic: int
    multipliers: np.ndarray  # per 30-minute interval, >= 1


@dataclass(frozen=True)
class NewIssue:
    epoch: int
    queue: int
    topic: int
    surge: bool


class Demand:
    def __init__(self, params: ArrivalParams) -> None:
        self.params = params
        curve = np.array(params.intraday_shares, dtype=float)
        self.intervals = len(curve)
        position = np.linspace(-1.0, 1.0, self.intervals)
        shapes = []
        for queue in params.queues:
            tilted = curve * np.clip(1.0 + queue.evening_tilt * position, 0.05, None)
            shapes.append(tilted / tilted.sum())
        self.queue_shapes = np.array(shapes)  # queue x interval, each row sums to 1
        self.queue_shares = np.array([queue.share for queue in params.queues])
        self.queue_shares = self.queue_shares / self.queue_shares.sum()
        self.topic_shares = [
            np.array([topic.share for topic in queue.topics]) for queue in params.queues
        ]
        self.surges: dict[date, list[Surge]] = {}
        self._cumulative_shape = list(np.cumsum(self.queue_shares @ self.queue_shapes))

    def interval_start_minute(self, interval: int) -> int:
        return self.params.open_minute + interval * INTERVAL_MINUTES

    def interval_length_minutes(self, interval: int) -> int:
        start = self.interval_start_minute(interval)
        return min(INTERVAL_MINUTES, self.params.close_minute - start)

    def random_minute(self, rng: random.Random) -> float:
        """A minute of the opening hours, drawn from the all-queue intraday shape."""
        interval = bisect.bisect(self._cumulative_shape, rng.random() * self._cumulative_shape[-1])
        interval = min(interval, self.intervals - 1)
        return self.interval_start_minute(interval) + rng.random() * self.interval_length_minutes(
            interval
        )

    def queue_workload_shares(self) -> np.ndarray:
        """Share of agent time each queue needs: volume times handle time, where
        unresolved issues come back, so a queue with low resolution needs more."""
        queues = self.params.queues
        handle = np.array([self.mean_handle_seconds(index) for index in range(len(queues))])
        resolution = np.array(
            [
                float(
                    np.dot(self.topic_shares[index], [topic.resolution for topic in queue.topics])
                )
                for index, queue in enumerate(queues)
            ]
        )
        workload = self.queue_shares * handle / resolution
        return workload / workload.sum()

    def mean_handle_seconds(self, queue_index: int, mean_hold_seconds: float = 55.0) -> float:
        queue = self.params.queues[queue_index]
        talk = float(np.dot(self.topic_shares[queue_index], [t.talk_seconds for t in queue.topics]))
        return talk + queue.hold_probability * mean_hold_seconds + queue.acw_seconds

    def weekly_workload(self, same_day_follow_up_share: float = 0.15) -> np.ndarray:
        """Workload by queue x weekday x interval, up to scale: what planners staff to.

        The forecast includes the same-day follow-ups (retries, callbacks, calls after
        a failed self-service), which arrive an hour or two after the first contact.
        """
        shares = self.queue_workload_shares()
        lag = 3  # intervals
        lagged = np.zeros_like(self.queue_shapes)
        lagged[:, lag:] = self.queue_shapes[:, :-lag]
        lagged[:, -1] += self.queue_shapes[:, -lag:].sum(axis=1)
        shapes = (
            1 - same_day_follow_up_share
        ) * self.queue_shapes + same_day_follow_up_share * lagged
        lengths = np.array([self.interval_length_minutes(i) for i in range(self.intervals)])
        per_minute = shapes * shares[:, None] / lengths
        weekdays = np.array(self.params.weekday_factors)
        return weekdays[None, :, None] * per_minute[:, None, :]

    def draw_surges(self, start: date, days: int, rng: random.Random) -> None:
        params = self.params
        count = days // params.surge_every_days if days >= 7 else 0
        if count == 0:
            return
        candidates = [
            start + timedelta(days=offset)
            for offset in range(1, days)
            if (start + timedelta(days=offset)).weekday() < 5
        ]
        chosen = sorted(rng.sample(candidates, min(count, len(candidates))))
        names = [queue.name for queue in params.queues]
        for number, day in enumerate(chosen):
            if number % 2 == 0:
                queue = names.index("tech_support")
                topic = [t.name for t in params.queues[queue].topics].index("outage")
                onset = rng.uniform(1.0, self.intervals - 2 * params.outage_hours)
                position = np.arange(self.intervals) + 0.5
                width = params.outage_hours  # intervals are half-hours: bump spans ~hours
                bump = np.exp(-(((position - onset - width) / width) ** 2))
                multipliers = 1.0 + (params.outage_multiplier - 1.0) * bump
                self.surges.setdefault(day, []).append(
                    Surge(day, "outage", queue, topic, multipliers)
                )
            else:
                queue = names.index("billing")
                topic = [t.name for t in params.queues[queue].topics].index("dispute")
                for offset, strength in ((0, 1.0), (1, 0.5)):
                    level = 1.0 + (params.billing_error_multiplier - 1.0) * strength
                    surge_day = day + timedelta(days=offset)
                    multipliers = np.full(self.intervals, level)
                    self.surges.setdefault(surge_day, []).append(
                        Surge(surge_day, "billing_error", queue, topic, multipliers)
                    )

    def new_issues(
        self, day: date, issues_per_unit_day: float, rng: np.random.Generator, opening_epoch: int
    ) -> list[NewIssue]:
        """New issues raised on ``day``, whose opening time is ``opening_epoch``."""
        params = self.params
        level = issues_per_unit_day * params.weekday_factors[day.weekday()]
        level *= max(0.5, rng.normal(1.0, params.daily_noise))
        expected = level * self.queue_shares[:, None] * self.queue_shapes  # queue x interval
        surge_by_queue = {surge.queue: surge for surge in self.surges.get(day, [])}
        issues: list[NewIssue] = []
        for queue_index in range(len(params.queues)):
            surge = surge_by_queue.get(queue_index)
            rates = expected[queue_index] * (surge.multipliers if surge is not None else 1.0)
            counts = rng.poisson(rates)
            topic_cumulative = np.cumsum(self.topic_shares[queue_index])
            for interval in np.nonzero(counts)[0]:
                count = int(counts[interval])
                start = self.interval_start_minute(int(interval))
                offsets = (
                    start
                    - params.open_minute
                    + rng.random(count) * self.interval_length_minutes(int(interval))
                ) * 60
                epochs = (opening_epoch + offsets.astype(np.int64)).tolist()
                topics = np.searchsorted(topic_cumulative, rng.random(count) * topic_cumulative[-1])
                surge_share = 0.0
                if surge is not None:
                    surge_share = 1.0 - 1.0 / surge.multipliers[interval]
                surge_draws = rng.random(count)
                for epoch, topic, draw in zip(
                    epochs, topics.tolist(), surge_draws.tolist(), strict=True
                ):
                    is_surge = draw < surge_share
                    issues.append(
                        NewIssue(epoch, queue_index, surge.topic if is_surge else topic, is_surge)
                    )
        issues.sort(key=lambda issue: (issue.epoch, issue.queue, issue.topic))
        return issues
