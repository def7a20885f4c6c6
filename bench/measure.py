"""Wall time, CPU time and peak memory of a command, and of any window inside it.

The command runs in a child process; a thread samples the whole process tree (the
child and everything it starts, such as dbt) every few milliseconds: its CPU time,
reaped children included, and the sum of its resident memory. A stage of the run,
known by its start and end time, is then measured from the samples in its window.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path

import psutil

SAMPLE_SECONDS = 0.02


@dataclass(frozen=True)
class Usage:
    wall_seconds: float
    cpu_seconds: float
    peak_rss_bytes: int

    def as_dict(self) -> dict[str, float]:
        return {
            "wall_seconds": round(self.wall_seconds, 3),
            "cpu_seconds": round(self.cpu_seconds, 3),
            "peak_rss_mb": round(self.peak_rss_bytes / 2**20, 1),
        }


@dataclass
class Timeline:
    """Samples of a process tree: time (epoch seconds), CPU seconds, resident bytes."""

    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)

    def add(self, moment: float, cpu_seconds: float, rss_bytes: int) -> None:
        self.times.append(moment)
        # A process that exits between two samples takes its CPU time with it until
        # its parent reaps it: never let the running total go backwards.
        self.cpu.append(max(cpu_seconds, self.cpu[-1] if self.cpu else 0.0))
        self.rss.append(rss_bytes)

    def _cpu_at(self, moment: float) -> float:
        index = bisect_left(self.times, moment)
        if index == 0:
            return self.cpu[0] if self.cpu else 0.0
        if index >= len(self.times):
            return self.cpu[-1]
        before, after = self.times[index - 1], self.times[index]
        share = (moment - before) / (after - before) if after > before else 1.0
        return self.cpu[index - 1] + share * (self.cpu[index] - self.cpu[index - 1])

    def usage(self, start: float, end: float) -> Usage:
        """What the tree used between two moments (several windows: see ``usage_of``)."""
        return self.usage_of([(start, end)])

    def usage_of(self, windows: list[tuple[float, float]]) -> Usage:
        wall = sum(end - start for start, end in windows)
        cpu = sum(self._cpu_at(end) - self._cpu_at(start) for start, end in windows)
        peak = 0
        for start, end in windows:
            low = max(bisect_left(self.times, start) - 1, 0)
            high = bisect_right(self.times, end) + 1
            peak = max([peak, *self.rss[low:high]])
        return Usage(wall, max(cpu, 0.0), peak)


def _tree_sample(root: psutil.Process) -> tuple[float, int]:
    cpu, rss = 0.0, 0
    try:
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0, 0
    for process in processes:
        try:
            with process.oneshot():
                times = process.cpu_times()
                cpu += times.user + times.system + times.children_user + times.children_system
                rss += process.memory_info().rss
        except psutil.Error:  # exited while being sampled
            continue
    return cpu, rss


@dataclass(frozen=True)
class MeasuredRun:
    returncode: int
    started: float
    ended: float
    timeline: Timeline
    total: Usage
    output: str


def run_measured(
    command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> MeasuredRun:
    """Run ``command`` to its end, sampling its process tree; output is captured."""
    timeline = Timeline()
    started = time.time()
    process = subprocess.Popen(
        command,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    root = psutil.Process(process.pid)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            cpu, rss = _tree_sample(root)
            if rss:
                timeline.add(time.time(), cpu, rss)
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = process.stdout.read() if process.stdout else ""
    # wait4 gives the exact CPU time of the child and the descendants it reaped.
    _, status, rusage = os.wait4(process.pid, 0)
    ended = time.time()
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    cpu = rusage.ru_utime + rusage.ru_stime
    # The child's own reaped descendants are in its cutime, which wait4 does not
    # report: take the larger of the exact figure and the last sample.
    cpu = max(cpu, timeline.cpu[-1] if timeline.cpu else 0.0)
    timeline.add(ended, cpu, 0)
    peak = max(max(timeline.rss, default=0), rusage.ru_maxrss * 1024)
    return MeasuredRun(
        process.returncode, started, ended, timeline, Usage(ended - started, cpu, peak), output
    )
