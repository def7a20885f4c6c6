"""One business day of the contact center as a discrete-event simulation.

Calls pass the IVR, wait in their queue and are answered first come, first served by
the longest-idle agent with the skill, or abandon when their patience runs out.
Agents log in and out on their shifts, take breaks, lunch, meetings and coaching
between calls, and every state they pass through is logged, so the agent-state export
covers every second of handle time. Staffing per interval therefore comes from the
roster and shifts, and waits from the queue: an under-staffed half hour shows long
waits and abandons even when the day's average looks fine.
"""

from __future__ import annotations

import heapq
from collections import deque
from datetime import date
from itertools import pairwise

from ccw.generator.clock import LocalClock
from ccw.generator.contacts import Call, Leg
from ccw.generator.journeys import Journeys
from ccw.generator.workforce import WorkingDay

# Event kinds, in the order they are processed when they share a second.
IVR, ENQUEUE, ABANDON, FREE, ACTIVITY, BACK, LOGIN, LOGOUT = range(8)
# Agent statuses.
AVAILABLE, BUSY, AWAY, TRAINING, OFFLINE = range(5)
OVERTIME_MINUTES = 30  # agents finish waiting calls up to this long after closing
BUSY_STATES = ("on_call", "hold", "acw")


class SimAgent:
    __slots__ = ("agent", "log", "logout_at", "pending", "plan", "skills", "status", "token")

    def __init__(self, plan: WorkingDay, logout_at: int) -> None:
        self.plan = plan
        self.agent = plan.agent
        self.skills = () if plan.training else plan.agent.skills
        self.status = OFFLINE
        self.token = 0
        self.logout_at = logout_at
        self.pending: deque[tuple[str, int]] = deque()
        self.log: list[tuple[int, str]] = []

    def enter(self, epoch: int, state: str) -> None:
        """Log a state change; same-second changes replace, repeats are merged."""
        log = self.log
        if log:
            last_epoch, last_state = log[-1]
            if last_epoch == epoch:
                log.pop()
                if log and log[-1][1] == state:
                    return
            elif last_state == state:
                return
        log.append((epoch, state))


class DayResult:
    def __init__(self) -> None:
        self.legs: list[Leg] = []
        self.agents: list[SimAgent] = []

    def busy_and_available_seconds(self) -> dict[int, tuple[int, int]]:
        """(busy, available) seconds per agent index, from the state logs."""
        result = {}
        for sim_agent in self.agents:
            busy = available = 0
            for (start, state), (end, _) in pairwise(sim_agent.log):
                if state in BUSY_STATES:
                    busy += end - start
                elif state == "available":
                    available += end - start
            result[sim_agent.agent.index] = (busy, available)
        return result


class ContactCenterDay:
    def __init__(self, day: date, clock: LocalClock, journeys: Journeys, queue_count: int) -> None:
        self.day = day
        self.clock = clock
        self.journeys = journeys
        self.heap: list[tuple] = []
        self.sequence = 0
        self.waiting = [deque() for _ in range(queue_count)]
        self.waiting_count = [0] * queue_count
        self.idle = [deque() for _ in range(queue_count)]
        self.logged_in = [0] * queue_count
        self.handle_estimate = [300.0] * queue_count
        self.result = DayResult()
        self.call_serial = 0
        arrivals = journeys.demand.params
        self.close_epoch = clock.epoch(day, arrivals.close_minute)
        self.hard_stop = self.close_epoch + OVERTIME_MINUTES * 60
        self.call_prefix = f"CL{day:%y%m%d}"

    def push(self, epoch: int, kind: int, subject, extra=None) -> None:
        self.sequence += 1
        heapq.heappush(self.heap, (epoch, kind, self.sequence, subject, extra))

    # ------------------------------------------------------------------ run
    def run(self, plans: list[WorkingDay], calls: list[Call]) -> DayResult:
        clock, day = self.clock, self.day
        close_minute = self.journeys.demand.params.close_minute
        for plan in plans:
            logout_minute = plan.logout_minute
            if logout_minute >= close_minute - 30:
                logout_minute = max(logout_minute, close_minute)
            sim_agent = SimAgent(plan, clock.epoch(day, logout_minute))
            self.result.agents.append(sim_agent)
            self.push(clock.epoch(day, plan.login_minute), LOGIN, sim_agent)
            for start_minute, state, minutes in plan.activities:
                self.push(
                    clock.epoch(day, start_minute), ACTIVITY, sim_agent, (state, int(minutes * 60))
                )
            self.push(sim_agent.logout_at, LOGOUT, sim_agent)
        for call in calls:
            self._start(call)
        heap = self.heap
        handlers = (self._ivr, self._enqueue, self._abandon, self._next_work, self._activity,
                    self._back, self._login, self._logout)  # fmt: skip
        while heap:
            epoch, kind, _, subject, extra = heapq.heappop(heap)
            handlers[kind](epoch, subject, extra)
        self._carry_over_unmade_callbacks()
        return self.result

    def _carry_over_unmade_callbacks(self) -> None:
        """Callbacks still queued when everyone has gone home never happened today."""
        unmade = {id(leg) for waiting in self.waiting for leg in waiting if leg.waiting}
        if not unmade:
            return
        self.result.legs = [leg for leg in self.result.legs if id(leg) not in unmade]
        for waiting in self.waiting:
            for leg in waiting:
                if leg.waiting:
                    leg.waiting = False
                    self.journeys.carry_over(leg.call)

    def _start(self, call: Call) -> None:
        if call.direction == "outbound":
            self.push(call.epoch, ENQUEUE, Leg(call, 1, call.entry_queue))
        else:
            self.push(call.epoch, IVR, call)

    def _name(self, call: Call) -> None:
        self.call_serial += 1
        call.serial = self.call_serial
        # A callback is named after the call it was asked for on, as the platforms link
        # the two (Connect's PreviousContactId, Genesys's one conversation).
        call.call_id = (
            f"{call.origin_call_id}-callback"
            if call.origin_call_id
            else f"{self.call_prefix}{self.call_serial:06d}"
        )

    # ---------------------------------------------------------------- calls
    def _ivr(self, epoch: int, call: Call, _extra) -> None:
        self._name(call)
        leg = Leg(call, 1, call.entry_queue)
        self.result.legs.append(leg)
        leg.ivr_started_at = epoch
        seconds = self.journeys.ivr_seconds()
        if self.journeys.ivr_contains(call):
            leg.ended_at = epoch + seconds
            leg.disposition = "ivr_contained"
            self._finish(call, leg.ended_at)
        else:
            self.push(epoch + seconds, ENQUEUE, leg)

    def _enqueue(self, epoch: int, leg: Leg, _extra) -> None:
        call = leg.call
        if leg.number == 1 and call.direction == "outbound":
            self._name(call)
            self.result.legs.append(leg)
        elif leg.number > 1:
            self.result.legs.append(leg)
        leg.queued_at = epoch
        queue = leg.queue
        journeys = self.journeys
        if leg.number == 1 and call.direction == "inbound":
            expected_wait = (
                self.waiting_count[queue]
                * self.handle_estimate[queue]
                / max(1, self.logged_in[queue])
            )
            if (
                expected_wait > journeys.params.queueing.callback_offer_wait_seconds
                and journeys.accepts_callback()
            ):
                leg.ended_at = epoch + 15
                leg.disposition = "callback_requested"
                self._finish(call, leg.ended_at)
                return
        agent = self._idle_agent(queue)
        if agent is not None:
            self._answer(leg, agent, epoch)
            return
        leg.waiting = True
        self.waiting[queue].append(leg)
        self.waiting_count[queue] += 1
        patience = journeys.patience_seconds(call)
        if patience != float("inf"):
            self.push(epoch + int(patience), ABANDON, leg)

    def _abandon(self, epoch: int, leg: Leg, _extra) -> None:
        if not leg.waiting:
            return
        leg.waiting = False
        self.waiting_count[leg.queue] -= 1
        leg.ended_at = epoch
        leg.disposition = "abandoned"
        self._finish(leg.call, epoch)

    def _answer(self, leg: Leg, sim_agent: SimAgent, epoch: int) -> None:
        if leg.waiting:
            leg.waiting = False
            self.waiting_count[leg.queue] -= 1
        sim_agent.status = BUSY
        agent = sim_agent.agent
        talk, hold, acw, disposition, transfer_to = self.journeys.handle(leg, agent)
        leg.answered_at = epoch
        leg.agent = agent
        leg.talk, leg.hold, leg.acw, leg.disposition = talk, hold, acw, disposition
        leg.wrap_code = self.journeys.wrap_code(leg)
        sim_agent.enter(epoch, "on_call")
        if hold:
            first_part = talk // 2
            sim_agent.enter(epoch + first_part, "hold")
            sim_agent.enter(epoch + first_part + hold, "on_call")
        ended = epoch + talk + hold
        leg.ended_at = ended
        sim_agent.enter(ended, "acw")
        self.push(ended + acw, FREE, sim_agent)
        handle = talk + hold + acw
        self.handle_estimate[leg.queue] = 0.95 * self.handle_estimate[leg.queue] + 0.05 * handle
        if transfer_to >= 0:
            self.push(ended, ENQUEUE, Leg(leg.call, leg.number + 1, transfer_to))
        else:
            self._finish(leg.call, ended)

    def _finish(self, call: Call, ended_at: int) -> None:
        for followup in self.journeys.finish(call, ended_at):
            self._start(followup)

    # --------------------------------------------------------------- agents
    def _idle_agent(self, queue: int) -> SimAgent | None:
        idle = self.idle[queue]
        while idle:
            token, sim_agent = idle.popleft()
            if sim_agent.status == AVAILABLE and sim_agent.token == token:
                return sim_agent
        return None

    def _oldest_waiting(self, sim_agent: SimAgent) -> Leg | None:
        best = None
        for queue in sim_agent.skills:
            waiting = self.waiting[queue]
            while waiting and not waiting[0].waiting:
                waiting.popleft()
            if waiting and (best is None or waiting[0].queued_at < best.queued_at):
                best = waiting[0]
        return best

    def _next_work(self, epoch: int, sim_agent: SimAgent, _extra=None) -> None:
        """After a call, an activity or at login: activity due, next call, or idle."""
        if epoch >= sim_agent.logout_at:
            sim_agent.pending.clear()
            if epoch >= self.hard_stop or self._oldest_waiting(sim_agent) is None:
                self._log_out(epoch, sim_agent)
                return
        if sim_agent.pending:
            state, seconds = sim_agent.pending.popleft()
            self._begin_activity(epoch, sim_agent, state, seconds)
            return
        leg = self._oldest_waiting(sim_agent)
        if leg is not None:
            self._answer(leg, sim_agent, epoch)
            return
        sim_agent.status = AVAILABLE
        sim_agent.token += 1
        sim_agent.enter(epoch, "available")
        for queue in sim_agent.skills:
            self.idle[queue].append((sim_agent.token, sim_agent))

    def _begin_activity(self, epoch: int, sim_agent: SimAgent, state: str, seconds: int) -> None:
        sim_agent.status = TRAINING if sim_agent.plan.training else AWAY
        sim_agent.enter(epoch, state)
        self.push(epoch + seconds, BACK, sim_agent)

    def _activity(self, epoch: int, sim_agent: SimAgent, activity: tuple[str, int]) -> None:
        status = sim_agent.status
        if status == OFFLINE or epoch >= sim_agent.logout_at:
            return
        in_training = status == TRAINING and sim_agent.log and sim_agent.log[-1][1] == "training"
        if status == AVAILABLE or in_training:
            self._begin_activity(epoch, sim_agent, *activity)
        else:
            sim_agent.pending.append(activity)

    def _back(self, epoch: int, sim_agent: SimAgent, _extra) -> None:
        if sim_agent.plan.training:
            if epoch >= sim_agent.logout_at:
                self._log_out(epoch, sim_agent)
            elif sim_agent.pending:
                self._begin_activity(epoch, sim_agent, *sim_agent.pending.popleft())
            else:
                sim_agent.enter(epoch, "training")
            return
        self._next_work(epoch, sim_agent)

    def _login(self, epoch: int, sim_agent: SimAgent, _extra) -> None:
        for queue in sim_agent.skills:
            self.logged_in[queue] += 1
        if sim_agent.plan.training:
            sim_agent.status = TRAINING
            sim_agent.enter(epoch, "training")
        else:
            self._next_work(epoch, sim_agent)

    def _logout(self, epoch: int, sim_agent: SimAgent, _extra) -> None:
        if sim_agent.status == AVAILABLE or (
            sim_agent.status == TRAINING and sim_agent.log[-1][1] == "training"
        ):
            self._log_out(epoch, sim_agent)
        # busy or away: they log out when the call or activity ends (see _next_work)

    def _log_out(self, epoch: int, sim_agent: SimAgent) -> None:
        if sim_agent.status == OFFLINE:
            return
        sim_agent.status = OFFLINE
        sim_agent.token += 1
        for queue in sim_agent.skills:
            self.logged_in[queue] -= 1
        sim_agent.enter(epoch, "offline")
