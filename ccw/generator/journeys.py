"""Customer journeys: how issues turn into contacts, and what follows each contact.

A new issue may start in digital self-service; failures call within hours. The IVR
contains some calls, a share of them falsely. Answered calls resolve with a chance
that depends on the topic, the agent's tenure and skill, and transfers. Unresolved
issues come back as repeat calls or web cases within days, or the customer gives up;
either way their experience, and so their churn hazard, worsens. Surveys, orders and
cases follow from the same outcomes.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from datetime import date, timedelta

import numpy as np

from ccw.generator import fake
from ccw.generator.clock import LocalClock
from ccw.generator.contacts import Call, Issue, Leg
from ccw.generator.customers import DIGITAL_CHANNELS, Customers
from ccw.generator.demand import Demand
from ccw.generator.params import ModelParams
from ccw.generator.workforce import Agent

SECONDS_PER_DAY = 86400


class Journeys:
    def __init__(
        self,
        params: ModelParams,
        customers: Customers,
        demand: Demand,
        clock: LocalClock,
        rng: random.Random,
        handle_time_cut_from: date | None = None,
    ) -> None:
        self.params = params
        self.customers = customers
        self.demand = demand
        self.clock = clock
        self.rng = rng
        self.queues = params.arrivals.queues
        self.queue_names = tuple(queue.name for queue in self.queues)
        cut = params.handle_time_cut
        self.cut_queue = self.queue_names.index(cut.queue) if cut.queue is not None else -1
        self.cut_from = handle_time_cut_from
        self.pending_calls: dict[date, list[Call]] = defaultdict(list)
        self.pending_actions: dict[date, list[tuple]] = defaultdict(list)
        self._issue_serial = 0
        self._case_serial = 0
        self._event_serial = 0
        self._response_serial = 0
        self.day: date | None = None
        self.open_epoch = 0
        self.close_epoch = 0
        self.cases: list[tuple] = []
        self.responses: list[tuple] = []
        self.digital: list[tuple] = []
        self.outcomes: list[tuple] = []  # ground truth, written only when asked for

    # ------------------------------------------------------------ the day's start
    def open_day(self, day: date) -> None:
        """Make ``day`` today: its opening hours, and empty lists of today's rows."""
        arrivals = self.demand.params
        self.day = day
        self.open_epoch = self.clock.epoch(day, arrivals.open_minute)
        self.close_epoch = self.clock.epoch(day, arrivals.close_minute)
        self.cases, self.responses, self.digital, self.outcomes = [], [], [], []

    def begin_day(self, issues_per_unit_day: float, day_rng: np.random.Generator) -> list[Call]:
        """Every call that starts today from today's point of view, sorted by start time."""
        day = self.day
        calls = self.pending_calls.pop(day, [])
        for action in sorted(self.pending_actions.pop(day, []), key=lambda item: item[0]):
            calls.extend(self._run_action(*action))
        calls.extend(self._new_issue_calls(day, issues_per_unit_day, day_rng))
        calls.extend(self._leaving_customers(day_rng))
        self._background_digital(day_rng)
        calls.sort(key=lambda call: (call.epoch, call.issue.issue_id))
        return calls

    def business_epoch(self) -> int:
        """A random moment of today's opening hours."""
        return self.open_epoch + int(self.rng.random() * (self.close_epoch - self.open_epoch))

    def _new_issue(self, customer: int, queue: int, topic: int, kind: str = "issue") -> Issue:
        self._issue_serial += 1
        return Issue(self._issue_serial, customer, queue, topic, kind)

    def _new_issue_calls(self, day, issues_per_unit_day, day_rng) -> list[Call]:
        new_issues = self.demand.new_issues(day, issues_per_unit_day, day_rng, self.open_epoch)
        weights = np.cumsum(self.customers.contact_weights())
        picks = np.searchsorted(weights, day_rng.random(len(new_issues)) * weights[-1])
        picks = np.minimum(picks, len(weights) - 1)
        calls = []
        sales = self.queue_names.index("sales")
        for new, customer in zip(new_issues, picks, strict=True):
            topic = self.queues[new.queue].topics[new.topic]
            if new.queue == sales and topic.name == "new_service" and self.rng.random() < 0.5:
                issue = self._new_issue(-1, new.queue, new.topic, "prospect")
                calls.append(self._call(issue, new.epoch, "new_issue"))
                continue
            issue = self._new_issue(int(customer), new.queue, new.topic)
            call = self._self_service_first(issue, new.epoch)
            if call is not None:
                calls.append(call)
        return calls

    def _self_service_first(self, issue: Issue, epoch: int) -> Call | None:
        """Digital first for some; a failed attempt turns into a call within hours."""
        rng = self.rng
        topic = self.queues[issue.queue].topics[issue.topic]
        affinity = self.customers.digital[issue.customer]
        if topic.self_service_success <= 0 or rng.random() >= affinity:
            return self._call(issue, epoch, "new_issue")
        channel = DIGITAL_CHANNELS[0 if rng.random() < 0.5 else 1 if rng.random() < 0.6 else 2]
        self._digital_event(issue.customer, epoch - rng.randrange(60, 600), channel,
                            "help_article_view", topic.name)  # fmt: skip
        self._digital_event(issue.customer, epoch, channel, "self_service_attempt", topic.name)
        if rng.random() < topic.self_service_success:
            self._digital_event(issue.customer, epoch + rng.randrange(60, 300), channel,
                                "self_service_success", topic.name)  # fmt: skip
            issue.resolved = True
            return None
        if rng.random() >= self.params.resolution.failed_self_service_call:
            self._give_up(issue, epoch)
            return None
        hours = rng.expovariate(1 / self.params.resolution.mean_hours_to_call_after_digital)
        return self._schedule(issue, epoch + int(hours * 3600) + 60, "failed_self_service")

    def _leaving_customers(self, day_rng) -> list[Call]:
        calls = []
        retention = self.queue_names.index("retention")
        for customer in self.customers.leaving_today(self.open_epoch, day_rng):
            if self.rng.random() < self.params.customers.churn_call_first:
                issue = self._new_issue(customer, retention, 0, "churn_intent")
                calls.append(self._call(issue, self.business_epoch(), "churn_intent"))
            else:
                self.customers.cancel(customer, self.business_epoch())
        return calls

    def _background_digital(self, day_rng) -> None:
        customers = self.customers
        n = customers.count
        day_start = self.clock.epoch(self.day)
        logins = np.nonzero(
            customers.active[:n] & (day_rng.random(n) < customers.digital[:n] * 0.06)
        )[0]
        browsing = np.nonzero(customers.active[:n] & (day_rng.random(n) < 0.004))[0]
        for indices, event_type in ((logins, "login"), (browsing, "help_article_view")):
            for index in indices:
                epoch = day_start + int(self.rng.random() * SECONDS_PER_DAY)
                channel = "app" if self.rng.random() < 0.55 else "web"
                self._digital_event(int(index), epoch, channel, event_type, None)

    def _digital_event(self, customer: int, epoch: int, channel: str, event_type: str, topic):
        self._event_serial += 1
        self.digital.append(
            (f"EV{self._event_serial:010d}", customer, epoch, channel, event_type, topic)
        )

    # ------------------------------------------------------------ making calls
    def carry_over(self, call: Call) -> None:
        """A callback the center could not make today is made on the next open day."""
        call.legs.clear()
        call.issue.attempts -= 1
        next_day = self.day + timedelta(days=1)
        epoch = self.clock.epoch(next_day, self.demand.params.open_minute) + self.rng.randrange(
            3600
        )
        carried = self._call(call.issue, epoch, call.cause, "outbound")
        carried.origin_call_id = call.origin_call_id
        carried.identified, carried.ani = call.identified, call.ani
        self.pending_calls[next_day].append(carried)

    def _call(self, issue: Issue, epoch: int, cause: str, direction: str = "inbound") -> Call:
        rng = self.rng
        call = Call(issue, epoch, cause, direction)
        issue.attempts += 1
        call.attempt = issue.attempts
        customers = self.customers
        if issue.customer < 0:
            call.identified = False
            call.ani = fake.random_phone(rng)
        else:
            call.ani = int(customers.phone_number[issue.customer])
            call.identified = direction == "outbound" or (
                rng.random() >= self.params.queueing.unidentified_share
            )
        if direction == "inbound" and rng.random() < self.params.agents.misroute_transfer:
            call.entry_queue = self._other_queue(issue.queue)
        return call

    def _other_queue(self, queue: int) -> int:
        """Another queue, in proportion to the queues' volume shares."""
        shares = self.demand.queue_shares.copy()
        shares[queue] = 0.0
        draw = self.rng.random() * shares.sum()
        for index, share in enumerate(shares):
            draw -= share
            if draw < 0:
                return index
        return len(shares) - 1

    def _schedule(
        self,
        issue: Issue,
        epoch: int,
        cause: str,
        direction: str = "inbound",
        origin: Call | None = None,
    ):
        """A follow-up call at ``epoch``, moved into opening hours; today's are returned.
        ``origin`` is the call a callback was asked on: the callback dials the number
        that called, and knows the caller only if that call did."""
        day, epoch = self._into_opening_hours(epoch)
        call = self._call(issue, epoch, cause, direction)
        if origin is not None:
            call.origin_call_id = origin.call_id
            call.identified, call.ani = origin.identified, origin.ani
        if day == self.day:
            return call
        self.pending_calls[day].append(call)
        return None

    def _days_later(self, epoch: int, days: float) -> int:
        """The moment a customer acts ``days`` after ``epoch``.

        Within the same day the exact time stands; on a later day people act in the
        usual intraday pattern, and less often on the lighter days of the week.
        """
        target = epoch + int(days * SECONDS_PER_DAY)
        day = self.clock.local_date(target)
        if day <= self.day:
            return target
        day = self._busy_enough(day)
        return self.clock.epoch(day, self.demand.random_minute(self.rng))

    def _busy_enough(self, day: date) -> date:
        factors = self.demand.params.weekday_factors
        busiest = max(factors)
        while self.rng.random() >= factors[day.weekday()] / busiest:
            day += timedelta(days=1)
        return day

    def _into_opening_hours(self, epoch: int) -> tuple[date, int]:
        """Move a follow-up that falls outside opening hours to a later open moment.

        Customers call back on a later day in the usual intraday pattern, and less
        often on the lighter days of the week, rather than all at opening time.
        """
        arrivals = self.demand.params
        clock = self.clock
        day = clock.local_date(epoch)
        minute = clock.minute_of_day(epoch)
        if arrivals.open_minute <= minute <= arrivals.close_minute - 10:
            return day, epoch
        if minute > arrivals.open_minute:
            day += timedelta(days=1)
        day = self._busy_enough(day)
        return day, clock.epoch(day, self.demand.random_minute(self.rng))

    def _later(self, epoch: int, action: str, *payload) -> None:
        """Do ``action`` at ``epoch``: now if that is today (it starts no call), else later."""
        day = self.clock.local_date(epoch)
        if day <= self.day:
            assert action != "close_case", "cases close on a later day"
            self._run_action(epoch, action, *payload)
        else:
            self.pending_actions[day].append((epoch, action, *payload))

    def _run_action(self, epoch: int, action: str, *payload) -> list[Call]:
        customers = self.customers
        if action == "upgrade":
            if not customers.change_plan(payload[0], epoch, 1, "web"):
                customers.add_on(payload[0], epoch, "web")
        elif action == "downgrade":
            customers.change_plan(payload[0], epoch, -1, "web")
        elif action == "response":
            self.responses.append(payload[0])
        elif action == "close_case":
            return self._close_case(epoch, *payload)
        elif action == "web_case":
            issue = payload[0]
            if not issue.resolved and customers.active[issue.customer]:
                self._open_case(issue, epoch, None, "open")
        return []

    # -------------------------------------------------------------------- IVR
    def ivr_seconds(self) -> int:
        return 10 + int(self.rng.expovariate(1 / self.params.queueing.mean_ivr_seconds))

    def ivr_contains(self, call: Call) -> bool:
        """Whether the IVR ends the call; a false containment calls back within hours."""
        if call.direction != "inbound" or call.cause == "churn_intent":
            return False
        topic = self.queues[call.issue.queue].topics[call.issue.topic]
        return self.rng.random() < topic.ivr_containable * (0.6 if call.attempt > 1 else 1.0)

    def patience_seconds(self, call: Call) -> float:
        if call.direction == "outbound":
            return math.inf
        queueing = self.params.queueing
        if self.rng.random() < queueing.short_abandon_share:
            return 1 + self.rng.random() * 3.5
        segment_factor = (1.0, 0.85, 0.7)[int(self.customers.segment[max(call.issue.customer, 0)])]
        return 5 + self.rng.expovariate(1 / (queueing.mean_patience_seconds * segment_factor))

    def accepts_callback(self) -> bool:
        return self.rng.random() < self.params.queueing.callback_acceptance

    # ------------------------------------------------------------ handling a leg
    def handle(self, leg: Leg, agent: Agent) -> tuple[int, int, int, str, int]:
        """Talk, hold and ACW seconds, disposition and transfer queue (-1) of a leg."""
        rng = self.rng
        agent_params = self.params.agents
        call = leg.call
        issue = call.issue
        queue = self.queues[leg.queue]
        topic = self.queues[issue.queue].topics[issue.topic]
        ramp = agent.ramp(self.day, agent_params.ramp_days)
        slowness = agent.speed * (1.0 + agent_params.new_hire_handle_penalty * ramp)
        if (
            call.direction == "outbound"
            and rng.random() >= self.params.queueing.callback_reach_rate
        ):
            return 15 + rng.randrange(25), 0, 10 + rng.randrange(30), "voicemail", -1
        transfer_to = -1
        if leg.number < 3:
            if leg.queue != issue.queue:
                transfer_to = issue.queue  # misrouted by the IVR
            elif rng.random() < agent_params.new_hire_transfer_extra * ramp + 0.02:
                transfer_to = self._other_queue(leg.queue)
        mean_talk = topic.talk_seconds * slowness * (1.1 if call.attempt > 1 else 1.0)
        if self._under_handle_time_cut(leg.queue):
            mean_talk *= self.params.handle_time_cut.talk_factor
        if transfer_to >= 0:
            mean_talk *= 0.35
        sigma = agent_params.talk_sigma
        talk = max(8, int(rng.lognormvariate(math.log(mean_talk) - sigma * sigma / 2, sigma)))
        hold = 0
        if rng.random() < queue.hold_probability * (1.0 + 0.5 * ramp):
            hold = 5 + int(rng.expovariate(1 / agent_params.mean_hold_seconds))
        mean_acw = queue.acw_seconds * slowness * (0.3 if transfer_to >= 0 else 1.0)
        acw = max(3, int(rng.lognormvariate(math.log(mean_acw) - 0.08, 0.4)))
        if transfer_to >= 0:
            return talk, hold, acw, "transferred", transfer_to
        return talk, hold, acw, "answered", -1

    def _under_handle_time_cut(self, queue: int) -> bool:
        return queue == self.cut_queue and self.cut_from is not None and self.day >= self.cut_from

    def wrap_code(self, leg: Leg) -> str:
        issue = leg.call.issue
        if self.rng.random() < 0.04:
            return "other"
        return self.queues[issue.queue].topics[issue.topic].name

    # ------------------------------------------------------------ after a call
    def finish(self, call: Call, ended_at: int) -> list[Call]:
        """Everything that follows a call; returns follow-up calls that start today."""
        issue = call.issue
        final = call.legs[-1]
        customer = issue.customer
        customers = self.customers
        resolution = self.params.resolution
        followups: list[Call | None] = []
        wait = sum(leg.wait_seconds for leg in call.legs)
        transfers = len(call.legs) - 1
        if call.attempt > 1:
            customers.remember(customer, "repeats")
        if wait >= 300:
            customers.remember(customer, "long_waits")
        outcome = final.disposition
        if outcome == "ivr_contained":
            if self.rng.random() < resolution.false_containment:
                outcome = "false_containment"
                hours = self.rng.expovariate(1 / 2.0)
                followups.append(
                    self._schedule(issue, ended_at + int(hours * 3600) + 120, "false_containment")
                )
            else:
                issue.resolved = True
        elif outcome == "abandoned":
            customers.remember(customer, "long_waits", 0.5)
            if self.rng.random() < resolution.abandon_retry_probability:
                minutes = self.rng.expovariate(1 / resolution.mean_retry_minutes)
                followups.append(self._schedule(issue, ended_at + int(minutes * 60) + 60, "retry"))
            else:
                self._give_up(issue, ended_at)
        elif outcome == "callback_requested":
            low, high = self.params.queueing.callback_delay_minutes
            delay = self.rng.randrange(low * 60, high * 60)
            followups.append(self._schedule(issue, ended_at + delay, "callback", "outbound", call))
        elif outcome == "voicemail":
            if self.rng.random() < 0.6:
                followups.append(
                    self._schedule(issue, ended_at + self.rng.randrange(1800, 14400), "retry")
                )
            else:
                self._give_up(issue, ended_at)
        else:
            resolved = self._resolves(call, final.agent, transfers)
            outcome = "resolved" if resolved else "unresolved"
            satisfaction = self._satisfaction(call, resolved, wait, transfers, final.agent)
            self._after_answer(
                call, final.agent, resolved, satisfaction, ended_at, wait, transfers, followups
            )
        self.outcomes.append((call, outcome))
        return [followup for followup in followups if followup is not None]

    def _resolves(self, call: Call, agent: Agent, transfers: int) -> bool:
        issue = call.issue
        resolution = self.params.resolution
        topic = self.queues[issue.queue].topics[issue.topic]
        ramp = agent.ramp(self.day, self.params.agents.ramp_days)
        base = topic.resolution
        if issue.kind == "churn_intent":
            base = self.params.customers.retention_save_rate
        chance = (
            base
            + agent.quality
            - self.params.agents.new_hire_resolution_penalty * ramp
            - resolution.transfer_penalty * transfers
            + (resolution.repeat_bonus if call.attempt > 1 else 0.0)
        )
        if self._under_handle_time_cut(call.legs[-1].queue):
            chance -= self.params.handle_time_cut.resolution_penalty
        return self.rng.random() < min(0.97, max(0.05, chance))

    def _satisfaction(self, call, resolved, wait, transfers, agent) -> float:
        mood = self.customers.mood[call.issue.customer] if call.issue.customer >= 0 else 0.0
        return (
            3.1
            + 1.3 * resolved
            - 0.1 * min(wait / 60, 15.0)
            - 0.45 * transfers
            - (0.3 if call.attempt > 1 else 0.0)
            + 4.0 * agent.quality
            + mood
            + self.rng.gauss(0.0, 0.6)
        )

    def _after_answer(
        self, call, agent, resolved, satisfaction, ended_at, wait, transfers, followups
    ):
        rng = self.rng
        issue = call.issue
        customer = issue.customer
        customers = self.customers
        params = self.params
        topic = self.queues[issue.queue].topics[issue.topic]
        if satisfaction < 2.5:
            customers.remember(customer, "bad_scores")
        if issue.kind == "churn_intent":
            if resolved:  # saved, often with a cheaper plan
                if rng.random() < 0.4:
                    customers.change_plan(customer, ended_at, -1, "phone")
            else:
                customers.cancel(customer, ended_at)
            issue.resolved = True
            return
        if resolved:
            issue.resolved = True
            self._sale_or_refund(issue, topic.name, ended_at)
            if satisfaction >= 3.8:
                customers.remember(customer, "good")
                if customer >= 0 and rng.random() < params.customers.upgrade_after_good_contact:
                    self._later(
                        ended_at + rng.randrange(3600, 14 * SECONDS_PER_DAY), "upgrade", customer
                    )
            if customer >= 0 and topic.self_service_success > 0 and rng.random() < 0.3:
                digital = customers.digital[customer]
                customers.digital[customer] = min(0.9, digital + 0.05)
                self._digital_event(
                    customer, ended_at + rng.randrange(300, 3600), "app", "login", None
                )
        else:
            customers.remember(customer, "unresolved")
            if customer >= 0 and rng.random() < params.customers.downgrade_after_bad_contact:
                self._later(
                    ended_at + rng.randrange(3600, 10 * SECONDS_PER_DAY), "downgrade", customer
                )
            followups.extend(self._unresolved_next_steps(call, ended_at))
        if customer >= 0 and call.identified:
            self._maybe_survey(call, agent, satisfaction, wait, transfers, resolved, ended_at)

    def _sale_or_refund(self, issue: Issue, topic: str, ended_at: int) -> None:
        customers = self.customers
        if issue.kind == "prospect":
            issue.customer = customers.add(ended_at)
            customers.order(
                issue.customer, ended_at, "new", customers.revenue[issue.customer] + 49.0, "phone"
            )
        elif topic == "upgrade":
            if not customers.change_plan(issue.customer, ended_at, 1, "phone"):
                customers.add_on(issue.customer, ended_at, "phone")
        elif topic in ("add_on", "new_service"):
            customers.add_on(issue.customer, ended_at, "phone")
        elif topic in ("dispute", "refund"):
            scale = (1.0, 3.0, 12.0)[int(customers.segment[issue.customer])]
            amount = -round(self.rng.uniform(15.0, 90.0) * scale, 2)
            customers.order(issue.customer, ended_at, "renewal", amount, "phone")

    def _unresolved_next_steps(self, call: Call, ended_at: int) -> list[Call | None]:
        rng = self.rng
        issue = call.issue
        resolution = self.params.resolution
        if issue.customer < 0:
            return []
        if rng.random() < resolution.agent_case_probability:
            escalates = self.queue_names[issue.queue] in ("billing", "tech_support")
            status = "escalated" if escalates else "open"
            self._open_case(issue, ended_at, call.call_id, status)
            if rng.random() < resolution.case_chase_probability:
                days = rng.expovariate(1 / 1.5)
                return [self._schedule(issue, self._days_later(ended_at, days), "case_chase")]
            return []
        draw = rng.random()
        days = rng.expovariate(1 / resolution.mean_days_to_repeat)
        later = self._days_later(ended_at + 600, days)
        if draw < resolution.repeat_call_probability:
            return [self._schedule(issue, later, "repeat")]
        if draw < resolution.repeat_call_probability + resolution.web_case_probability:
            self._later(later, "web_case", issue)
            return []
        self._give_up(issue, ended_at)
        return []

    def _give_up(self, issue: Issue, epoch: int) -> None:
        if issue.kind == "churn_intent":
            self.customers.cancel(issue.customer, epoch)
        self.customers.remember(issue.customer, "unresolved")

    # ----------------------------------------------------------------- cases
    def _open_case(self, issue: Issue, epoch: int, call_id: str | None, status: str) -> None:
        self._case_serial += 1
        case_id = f"CS{self._case_serial:08d}"
        topic = self.queues[issue.queue].topics[issue.topic].name
        self.cases.append((case_id, issue.customer, epoch, None, topic, status, call_id))
        days = 1 + self.rng.expovariate(1 / max(0.1, self.params.resolution.mean_case_days - 1))
        _, closed = self._into_opening_hours(self._days_later(epoch, days))
        self._later(closed, "close_case", issue, case_id, epoch, topic, call_id)

    def _close_case(self, epoch, issue, case_id, opened_at, topic, call_id) -> list[Call]:
        self.cases.append((case_id, issue.customer, opened_at, epoch, topic, "resolved", call_id))
        if issue.resolved:
            return []
        if self.rng.random() < 0.85:
            issue.resolved = True
            return []
        call = self._schedule(issue, self._days_later(epoch, self.rng.uniform(0.05, 2.0)), "repeat")
        return [call] if call is not None else []

    # ---------------------------------------------------------------- surveys
    def _maybe_survey(self, call, agent, satisfaction, wait, transfers, resolved, ended_at):
        rng = self.rng
        surveys = self.params.surveys
        if rng.random() >= surveys.post_contact_send_rate:
            return
        customers = self.customers
        customer = call.issue.customer
        sent_at = ended_at + rng.randrange(300, 3600)
        response_chance = surveys.base_response_rate * (
            1 + surveys.extremity_response_boost * abs(satisfaction - 3.3)
        )
        self._response_serial += 1
        response_id = f"SR{self._response_serial:09d}"
        sent = [
            response_id,
            "post_contact",
            call.call_id,
            customer,
            sent_at,
            None,
            None,
            None,
            None,
            None,
        ]
        if rng.random() >= response_chance:
            self._later(sent_at, "response", tuple(sent))
            return
        csat = min(5, max(1, round(satisfaction)))
        nps = min(10, max(0, round(6.2 + 1.7 * (satisfaction - 3.3) + customers.loyalty[customer]
                                   + rng.gauss(0.0, 1.2))))  # fmt: skip
        ces = min(7, max(1, round(5.2 + 0.8 * resolved - 0.12 * min(wait / 60, 15.0)
                                  - 0.8 * transfers - (0.4 if call.attempt > 1 else 0.0)
                                  + rng.gauss(0.0, 0.8))))  # fmt: skip
        comment = None
        if rng.random() < surveys.comment_rate:
            comment = fake.survey_comment(rng, csat, agent.first_name, customers.phone(customer),
                                          customers.email(customer))  # fmt: skip
        responded_at = sent_at + 60 + int(min(3 * SECONDS_PER_DAY, rng.expovariate(1 / 21600)))
        answered = [response_id, "post_contact", call.call_id, customer, sent_at, responded_at,
                    csat, nps, ces, comment]  # fmt: skip
        if self.clock.local_date(responded_at) != self.clock.local_date(sent_at):
            self._later(sent_at, "response", tuple(sent))
        self._later(responded_at, "response", tuple(answered))

    def relationship_wave(self, day: date, day_rng: np.random.Generator) -> None:
        """Quarterly relationship NPS, sent over the first working week of the quarter."""
        if day.month not in (1, 4, 7, 10) or day.day > 7 or day.weekday() >= 5:
            return
        rng = self.rng
        surveys = self.params.surveys
        customers = self.customers
        n = customers.count
        share = surveys.relationship_sample / 5
        chosen = np.nonzero(customers.active[:n] & (day_rng.random(n) < share))[0]
        experience = customers.experience
        for index in chosen.tolist():
            sent_at = self.business_epoch()
            self._response_serial += 1
            response_id = f"SR{self._response_serial:09d}"
            sent = [response_id, "relationship", None, index, sent_at, None, None, None, None, None]
            if rng.random() >= surveys.relationship_response_rate:
                self._later(sent_at, "response", tuple(sent))
                continue
            score = (7.0 + customers.loyalty[index] - 1.2 * experience["unresolved"][index]
                     - 0.6 * experience["long_waits"][index] - 0.8 * experience["bad_scores"][index]
                     + 0.3 * experience["good"][index] + rng.gauss(0.0, 1.5))  # fmt: skip
            responded_at = sent_at + 300 + int(min(5 * SECONDS_PER_DAY, rng.expovariate(1 / 43200)))
            answered = list(sent)
            answered[5], answered[7] = responded_at, min(10, max(0, round(score)))
            if self.clock.local_date(responded_at) != self.clock.local_date(sent_at):
                self._later(sent_at, "response", tuple(sent))
            self._later(responded_at, "response", tuple(answered))

    # ----------------------------------------------------------------- export
    def case_rows(self) -> list[tuple]:
        return [
            (case_id, customer, opened, closed, topic, status, call_id)
            for case_id, customer, opened, closed, topic, status, call_id in self.cases
        ]

    def response_rows(self) -> list[tuple]:
        rows = []
        for row in self.responses:
            response_id, kind, call_id, customer, sent, responded, csat, nps, ces, comment = row
            rows.append((response_id, kind, call_id, customer, sent, responded,
                         csat, nps, ces, comment))  # fmt: skip
        return rows

    def digital_rows(self) -> list[tuple]:
        rows = [
            (event_id, customer, epoch, channel, event_type, topic)
            for event_id, customer, epoch, channel, event_type, topic in self.digital
        ]
        rows.sort(key=lambda row: (row[2], row[0]))
        return rows

    def outcome_rows(self) -> list[tuple]:
        rows = []
        for call, outcome in self.outcomes:
            issue = call.issue
            customer = self.customers.customer_id(issue.customer) if issue.customer >= 0 else None
            rows.append((call.call_id, customer,
                         issue.issue_id, call.cause, call.attempt, self.queue_names[issue.queue],
                         self.queues[issue.queue].topics[issue.topic].name, outcome))  # fmt: skip
        return rows
