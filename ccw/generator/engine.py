"""The generator's day loop: simulate each business day and write its export files.

Everything is streamed per day: the simulation of day d only keeps what later days
need (customers, agents, open issues, pending follow-ups), so a year of data never
sits in memory at once. The same request always produces byte-identical files.
"""

from __future__ import annotations

import gc
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from ccw import contract
from ccw.generator.clock import LocalClock
from ccw.generator.contacts import Leg
from ccw.generator.customers import Customers
from ccw.generator.demand import Demand
from ccw.generator.journeys import Journeys
from ccw.generator.params import ModelParams
from ccw.generator.scheduling import ShiftPlanner
from ccw.generator.simulation import ContactCenterDay, DayResult
from ccw.generator.sinks import FileJob, FileStyle, FileWriter
from ccw.generator.workforce import Workforce
from ccw.settings import dbt_defaults

OUTCOME_COLUMNS = (
    "call_id",
    "customer_id",
    "issue_id",
    "cause",
    "attempt",
    "queue",
    "topic",
    "outcome",
)
ENCODERS = {"customer_id": "customer_id", "ani": "phone", "phone": "phone"}
DELIVERY_MINUTE = {"crm": 60, "telephony": 75, "survey": 90, "hr": 105}  # next day, local


@dataclass(frozen=True)
class GenerateRequest:
    out: Path
    start: date
    days: int
    agents: int
    customers: int
    seed: int
    # The center's zone: the settings' default unless given.
    timezone: str = field(default_factory=lambda: dbt_defaults()["timezone"])
    truth_dir: Path | None = None
    params: ModelParams = field(default_factory=ModelParams)
    background_writer: bool = True  # write files in a second process


@dataclass
class GenerationSummary:
    """What was written, and the headline numbers a manager would check first."""

    files: int = 0
    rows: Counter = field(default_factory=Counter)
    legs_offered: int = 0
    legs_answered: int = 0
    legs_abandoned: int = 0
    answered_within_20s: int = 0
    handle_seconds: int = 0
    busy_seconds: int = 0
    productive_seconds: int = 0
    calls_by_outcome: Counter = field(default_factory=Counter)

    @property
    def call_legs(self) -> int:
        return self.rows["telephony/calls"]

    def service_level(self) -> float:
        return self.answered_within_20s / max(1, self.legs_answered + self.legs_abandoned)

    def abandon_rate(self) -> float:
        return self.legs_abandoned / max(1, self.legs_offered)

    def average_handle_seconds(self) -> float:
        return self.handle_seconds / max(1, self.legs_answered)

    def occupancy(self) -> float:
        return self.busy_seconds / max(1, self.productive_seconds)


class Generator:
    def __init__(self, request: GenerateRequest) -> None:
        self.request = request
        params = request.params
        self.params = params
        self.clock = LocalClock(request.timezone)
        setup = random.Random(request.seed)
        self.demand = Demand(params.arrivals)
        self.demand.draw_surges(request.start, request.days, random.Random(setup.random()))
        planner = ShiftPlanner(self.demand.weekly_workload(), params.arrivals.open_minute)
        self.workforce = Workforce(
            params.hr,
            params.arrivals.queues,
            self.demand.queue_workload_shares(),
            planner,
            request.agents,
            request.start,
            random.Random(setup.random()),
            params.agents.ramp_days,
            params.agents.cross_skill_share,
            params.agents.agent_speed_sigma,
        )
        self.customers = Customers(
            params.customers,
            request.customers,
            self.clock.epoch(request.start),
            random.Random(setup.random()),
        )
        self.journeys = Journeys(
            params,
            self.customers,
            self.demand,
            self.clock,
            random.Random(setup.random()),
            handle_time_cut_from=_handle_time_cut_start(params, request.start),
        )
        self.issues_per_unit_day = self._calibrate_volume()
        self.summary = GenerationSummary()
        self.writer: FileWriter | None = None

    def _calibrate_volume(self) -> float:
        """New issues on a day of weekday factor 1.0, sized to what the schedule carries.

        The planners staff each queue and half hour for its workload plus a square-root
        safety margin, so a small center runs at lower occupancy than a large one, as
        Erlang C says it must for the same service level.
        """
        arrivals = self.params.arrivals
        busy_seconds = self.workforce.planned_load * 30 * 60 * (1 - self.params.hr.absence_rate)
        shares = self.demand.queue_shares
        handle = sum(
            share * self.demand.mean_handle_seconds(index) for index, share in enumerate(shares)
        )
        weekly_calls = busy_seconds * arrivals.load_factor / handle
        return weekly_calls / sum(arrivals.weekday_factors) / arrivals.handled_legs_per_issue

    # ------------------------------------------------------------------ run
    def run(self, on_day: Callable[[int, date, int], None] | None = None) -> GenerationSummary:
        request = self.request
        self.writer = FileWriter(background=request.background_writer)
        try:
            for index in range(request.days):
                day = request.start + timedelta(days=index)
                legs = self.simulate_day(index, day)
                if on_day is not None:
                    on_day(index, day, legs)
        finally:
            self.writer.close()
        return self.summary

    def run_workforce_only(self, occupancy: float = 0.85) -> GenerationSummary:
        """Only the HR exports (daily roster and pulse): the workforce model run without
        calls, every agent at the same occupancy. Years of a large roster take seconds,
        enough exits to study attrition; the other sources get no files."""
        request = self.request
        self.writer = FileWriter(background=request.background_writer)
        try:
            for index in range(request.days):
                day = request.start + timedelta(days=index)
                plans = self.workforce.start_day(day)
                self.workforce.end_day(day, {plan.agent.index: occupancy for plan in plans})
                tables = {contract.AGENTS: self.workforce.roster_rows(day)}
                pulse = self.workforce.pulse_rows(day)
                if pulse:
                    tables[contract.ENGAGEMENT] = pulse
                delivered = self.clock.epoch(day + timedelta(days=1), DELIVERY_MINUTE["hr"])
                self.writer.submit(
                    [
                        self._job(table, day, rows, delivered, self._style(table))
                        for table, rows in tables.items()
                    ]
                )
        finally:
            self.writer.close()
        return self.summary

    def simulate_day(self, index: int, day: date) -> int:
        # The day's calls and legs reference each other; collecting them once a day is
        # far cheaper than letting the cyclic collector scan them all day long.
        gc.disable()
        try:
            return self._simulate_day(index, day)
        finally:
            gc.enable()

    def _simulate_day(self, index: int, day: date) -> int:
        request = self.request
        day_rng = np.random.default_rng([request.seed, day.toordinal()])
        self.customers.start_day()
        self.journeys.open_day(day)
        plans = self.workforce.start_day(day)
        self.customers.background_day(self.clock.epoch(day), self.journeys.business_epoch, day_rng)
        calls = self.journeys.begin_day(self.issues_per_unit_day, day_rng)
        self.journeys.relationship_wave(day, day_rng)
        simulation = ContactCenterDay(
            day, self.clock, self.journeys, len(self.params.arrivals.queues)
        )
        result = simulation.run(plans, calls)
        agent_seconds = result.busy_and_available_seconds()
        occupancy = {
            index: busy / (busy + available)
            for index, (busy, available) in agent_seconds.items()
            if busy + available > 0
        }
        self.workforce.end_day(day, occupancy)
        for busy, available in agent_seconds.values():
            self.summary.busy_seconds += busy
            self.summary.productive_seconds += busy + available
        self._write_day(index, day, result)
        for leg in result.legs:  # break call <-> leg cycles so the day is freed at once
            leg.call.legs.clear()
        return len(result.legs)

    # ---------------------------------------------------------------- output
    def _write_day(self, index: int, day: date, result: DayResult) -> None:
        journeys, customers, workforce = self.journeys, self.customers, self.workforce
        legs = sorted(result.legs, key=lambda leg: leg.call.serial * 64 + leg.number)
        self._tally(legs)
        tables = {
            contract.CALLS: [self._call_row(leg) for leg in legs],
            contract.AGENT_STATES_TABLE: self._state_rows(day, result),
            contract.CUSTOMERS: customers.delta_rows(),
            contract.ORDERS: customers.order_rows(),
            contract.CASES: journeys.case_rows(),
            contract.DIGITAL_EVENTS: journeys.digital_rows(),
            contract.RESPONSES: journeys.response_rows(),
            contract.AGENTS: workforce.roster_rows(day),
        }
        pulse = workforce.pulse_rows(day)
        if pulse:
            tables[contract.ENGAGEMENT] = pulse
        dirty = self.params.dirty
        jobs = []
        for table, rows in tables.items():
            delivered = self.clock.epoch(day + timedelta(days=1), DELIVERY_MINUTE[table.source])
            if table is contract.CALLS and index == dirty.late_day_index:
                delivered += dirty.late_by_days * 86400
            jobs.append(self._job(table, day, rows, delivered, self._style(table)))
            if table is contract.ORDERS and index == dirty.redelivered_day_index:
                redelivery = FileStyle("csv", gzipped=True)
                jobs.append(self._job(table, day, rows, delivered + 6 * 3600, redelivery))
        if self.request.truth_dir is not None:
            path = self.request.truth_dir / f"call_outcomes_{day.isoformat()}.csv"
            jobs.append(FileJob(path, OUTCOME_COLUMNS, journeys.outcome_rows(), FileStyle("csv")))
        self.writer.submit(jobs)

    def _style(self, table: contract.Table) -> FileStyle:
        dirty = self.params.dirty
        fmt, _, compression = table.delivered_as.partition(".")
        return FileStyle(
            fmt,
            gzipped=compression == "gz",
            crlf=table.name in dirty.crlf_tables,
            bom=table.name in dirty.bom_tables,
        )

    def _job(self, table, day, rows, delivered: int, style: FileStyle) -> FileJob:
        path = self.request.out / table.source / table.file_name(day.isoformat(), style.extension)
        self.summary.files += 1
        self.summary.rows[f"{table.source}/{table.name}"] += len(rows)
        encoders = tuple(
            (position, ENCODERS.get(column.name, "timestamp"))
            for position, column in enumerate(table.columns)
            if column.type == contract.TIMESTAMP or column.name in ENCODERS
        )
        return FileJob(
            path, table.column_names, rows, style, encoders, self.request.timezone, delivered
        )

    def _call_row(self, leg: Leg) -> tuple:
        call = leg.call
        issue = call.issue
        queues = self.params.arrivals.queues
        first = leg.number == 1
        ivr_path = None
        if first and call.direction == "inbound":
            entry = queues[call.entry_queue]
            topic = entry.topics[issue.topic if call.entry_queue == issue.queue else 0].name
            ivr_path = f"main>{entry.ivr_menu}>{topic}"
        agent = leg.agent
        return (
            call.call_id,
            leg.number,
            call.direction,
            call.ani,
            issue.customer if call.identified and issue.customer >= 0 else None,
            queues[leg.queue].name,
            leg.ivr_started_at if first else None,
            leg.queued_at,
            leg.answered_at,
            leg.ended_at,
            agent.agent_id if agent is not None else None,
            leg.talk,
            leg.hold,
            leg.acw,
            leg.disposition,
            leg.wrap_code,
            ivr_path,
        )

    def _state_rows(self, day: date, result: DayResult) -> list[tuple]:
        midnight = self.clock.epoch(day + timedelta(days=1))
        rows = []
        for sim_agent in sorted(result.agents, key=lambda sim_agent: sim_agent.agent.agent_id):
            log = sim_agent.log
            agent_id = sim_agent.agent.agent_id
            for position, (start, state) in enumerate(log):
                end = log[position + 1][0] if position + 1 < len(log) else max(midnight, start + 1)
                rows.append((agent_id, state, start, end))
        return rows

    def _tally(self, legs: list[Leg]) -> None:
        summary = self.summary
        for leg in legs:
            if (
                leg.queued_at is None
                or leg.call.direction != "inbound"
                or leg.disposition == "callback_requested"
            ):
                continue
            wait = leg.wait_seconds
            if leg.disposition == "abandoned":
                if wait >= 5:
                    summary.legs_abandoned += 1
                    summary.legs_offered += 1
                continue
            summary.legs_offered += 1
            summary.legs_answered += 1
            summary.answered_within_20s += wait <= 20
            summary.handle_seconds += leg.talk + leg.hold + leg.acw
        for _call, outcome in self.journeys.outcomes:
            summary.calls_by_outcome[outcome] += 1


def _handle_time_cut_start(params: ModelParams, start: date) -> date | None:
    """The first day of the queue's handle-time cut: the 1st of a later month."""
    cut = params.handle_time_cut
    if cut.queue is None:
        return None
    months = start.year * 12 + start.month - 1 + cut.months_after_start
    return date(months // 12, months % 12 + 1, 1)


def generate(
    request: GenerateRequest, on_day: Callable[[int, date, int], None] | None = None
) -> GenerationSummary:
    """Write ``request.days`` days of the four source exports under ``request.out``."""
    if request.days < 1 or request.agents < 1 or request.customers < 1:
        raise ValueError("days, agents and customers must each be at least 1")
    return Generator(request).run(on_day)
