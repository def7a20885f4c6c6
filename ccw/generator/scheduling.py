"""Shift assignment: each agent gets a start time and days off that best cover demand.

A workforce-management team fits fixed shift patterns to the forecast. We do the same
greedily: every new agent takes the pattern that covers the most still-uncovered
demand. The fit is blocky, as in life: shifts start on the half hour and last 8 or 5
hours, so the morning ramp, lunch hours and the evening tail end up under- or
over-staffed -- exactly the interval-level pain a daily average hides.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

INTERVAL_MINUTES = 30
# Share of each half hour of a shift spent available for calls: 8 hours with two
# 15-minute breaks (after 2 h and 6 h 15) and a 30-minute lunch (after 4 h); 5 hours
# with one break. The planned day in workforce.py follows the same rhythm.
FULL_TIME_PROFILE = (1, 1, 1, 1, 0.5, 1, 1, 1, 0, 1, 1, 1, 0.5, 1, 1, 1)
PART_TIME_PROFILE = (1, 1, 1, 1, 1, 0.5, 1, 1, 1, 1)


@dataclass(frozen=True)
class ShiftPattern:
    start_minute: int
    length_minutes: int
    days_off: frozenset[int]  # weekday numbers, Monday = 0

    def works_on(self, weekday: int) -> bool:
        return weekday not in self.days_off


def _patterns(open_minute: int, intervals: int, profile: tuple[float, ...], days_off_count: int):
    shift_intervals = len(profile)
    patterns, masks = [], []
    for first in range(0, intervals - shift_intervals + 1):
        for off_start in range(7):
            days_off = frozenset((off_start + k) % 7 for k in range(days_off_count))
            mask = np.zeros((7, intervals))
            for weekday in range(7):
                if weekday not in days_off:
                    mask[weekday, first : first + shift_intervals] = profile
            patterns.append(
                ShiftPattern(
                    open_minute + first * INTERVAL_MINUTES,
                    shift_intervals * INTERVAL_MINUTES,
                    days_off,
                )
            )
            masks.append(mask.ravel())
    return patterns, np.array(masks)


SAFETY_STAFF = 1.0  # square-root staffing: heads = load + SAFETY_STAFF * sqrt(load)


class ShiftPlanner:
    """Greedy cover of each queue's weekly workload (queue x weekday x interval).

    Agents cover the queues they are skilled for, so a shift is chosen for the queues
    of the agent who works it. Small pools need proportionally more heads for the
    same service level (the economies of scale of Erlang C), so the target per queue
    and interval is square-root staffing on its workload, scaled to the heads the
    center has.
    """

    def __init__(self, workload: np.ndarray, open_minute: int) -> None:
        self.workload = workload.reshape(workload.shape[0], -1) / workload.sum()
        intervals = workload.shape[2]
        self.full_time = _patterns(open_minute, intervals, FULL_TIME_PROFILE, 2)
        self.part_time = _patterns(open_minute, intervals, PART_TIME_PROFILE, 3)
        self._mask_of: dict[ShiftPattern, np.ndarray] = {}
        for patterns, masks in (self.full_time, self.part_time):
            for pattern, mask in zip(patterns, masks, strict=True):
                self._mask_of[pattern] = mask

    def supply(self, pattern: ShiftPattern, skills: tuple[int, ...]) -> np.ndarray:
        """What an agent on ``pattern`` adds to each queue's coverage."""
        supply = np.zeros_like(self.workload)
        for skill in skills:
            supply[skill] = self._mask_of[pattern] / len(skills)
        return supply

    def assign(
        self,
        part_time: bool,
        skills: tuple[int, ...],
        coverage: np.ndarray,
        total_heads_intervals: float,
    ) -> ShiftPattern:
        """The pattern covering the most uncovered demand of ``skills``; ties go first."""
        deficit = np.clip(self.target_heads(total_heads_intervals) - coverage, 0, None)
        patterns, masks = self.part_time if part_time else self.full_time
        gains = masks @ deficit[list(skills)].sum(axis=0)
        return patterns[int(np.argmax(gains))]

    def target_heads(self, total_heads_intervals: float) -> np.ndarray:
        """Heads per queue and interval, square-root staffed, summing to the total."""
        load = self.planned_load(total_heads_intervals)
        return load + SAFETY_STAFF * np.sqrt(load)

    def planned_load(self, total_heads_intervals: float) -> np.ndarray:
        """The workload (busy agents per queue and interval) those heads can carry."""
        low, high = 0.0, total_heads_intervals
        for _ in range(40):  # bisection on the workload scale
            scale = (low + high) / 2
            load = self.workload * scale
            if (load + SAFETY_STAFF * np.sqrt(load)).sum() > total_heads_intervals:
                high = scale
            else:
                low = scale
        return self.workload * low
