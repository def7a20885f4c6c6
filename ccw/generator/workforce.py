"""The HR side: roster, teams, shifts, hiring waves, engagement and attrition.

Agents ramp over their first ``ramp_days``; attrition is a daily hazard that is higher
in the first 90 days, with sustained high occupancy and with low engagement. The
monthly engagement pulse measures the same latent engagement that drives attrition,
so it leads exits. Team leads supervise a team each and do not take calls.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from ccw.generator import fake
from ccw.generator.params import HrParams, Queue
from ccw.generator.scheduling import (
    FULL_TIME_PROFILE,
    PART_TIME_PROFILE,
    ShiftPattern,
    ShiftPlanner,
)

SITES = ("Columbus", "Tampa")
VOLUNTARY_REASONS = (
    "better pay elsewhere",
    "schedule conflict",
    "career change",
    "relocation",
    "workload, stress",
    "return to school",
)
INVOLUNTARY_REASONS = ("attendance", "performance", "policy violation")
EARLY_TENURE_DAYS = 90


@dataclass
class Agent:
    index: int
    agent_id: str
    employee_number: str
    full_name: str
    site: str
    team: str
    role: str
    employment_type: str
    hired_on: date
    base_cost: float
    skills: tuple[int, ...]
    shift: ShiftPattern | None
    speed: float  # handle-time multiplier once ramped (1.0 = average)
    quality: float  # added to the chance of resolving
    engagement: float  # latent 1-5
    engagement_baseline: float
    supervisor_id: str | None = None
    terminated_on: date | None = None
    termination_type: str | None = None
    termination_reason: str | None = None
    occupancy: float = 0.82  # recent occupancy, exponentially weighted
    training_days_left: int = 0
    meeting_weekday: int = 2

    @property
    def first_name(self) -> str:
        return self.full_name.split(" ", 1)[0]

    def is_employed(self, day: date) -> bool:
        return self.hired_on <= day and (self.terminated_on is None or day <= self.terminated_on)

    def tenure_days(self, day: date) -> int:
        return (day - self.hired_on).days

    def ramp(self, day: date, ramp_days: int) -> float:
        """1.0 on the first day, falling linearly to 0.0 at ``ramp_days`` of tenure."""
        return max(0.0, 1.0 - self.tenure_days(day) / ramp_days)

    def hourly_cost(self, day: date) -> float:
        tenure = self.tenure_days(day)
        cost = self.base_cost * (1.04 if tenure >= EARLY_TENURE_DAYS else 1.0)
        cost *= 1.03 ** (tenure // 365)
        return round(cost * (1.25 if self.role == "team_lead" else 1.0), 2)


@dataclass(frozen=True)
class WorkingDay:
    """One agent's plan for a day: when they log in and out, and their activities."""

    agent: Agent
    login_minute: float
    logout_minute: float
    activities: tuple[tuple[float, str, float], ...]  # (start minute, state, minutes)
    training: bool


class Workforce:
    def __init__(
        self,
        params: HrParams,
        queues: tuple[Queue, ...],
        queue_workload_shares: np.ndarray,
        planner: ShiftPlanner,
        frontline_agents: int,
        start_day: date,
        rng: random.Random,
        ramp_days: int,
        cross_skill_share: float,
        speed_sigma: float,
    ) -> None:
        self.params = params
        self.queues = queues
        self.queue_shares = queue_workload_shares / queue_workload_shares.sum()
        self.planner = planner
        self.target = frontline_agents
        self.rng = rng
        self.ramp_days = ramp_days
        self.cross_skill_share = cross_skill_share
        self.speed_sigma = speed_sigma
        self.agents: list[Agent] = []
        self.teams: dict[str, Agent | None] = {}  # team name -> its team lead
        self.team_site: dict[str, str] = {}
        self._next_serial = 1001
        self._coverage = np.zeros_like(planner.workload)
        self._heads_intervals = 0.0
        self._build_initial_roster(start_day)

    # ----------------------------------------------------------------- roster
    def _new_agent(
        self, hired_on: date, team: str, role: str = "agent", employment_type: str | None = None
    ) -> Agent:
        rng = self.rng
        serial = self._next_serial
        self._next_serial += 1
        if employment_type is None:
            draw = rng.random()
            if draw < self.params.part_time_share:
                employment_type = "part_time"
            elif draw < self.params.part_time_share + self.params.contractor_share:
                employment_type = "contractor"
            else:
                employment_type = "full_time"
        base_cost = {
            "full_time": rng.uniform(30.0, 36.0),
            "part_time": rng.uniform(25.0, 29.0),
            "contractor": rng.uniform(36.0, 42.0),
        }[employment_type]
        baseline = min(4.8, max(1.8, rng.gauss(self.params.engagement_mean, 0.5)))
        agent = Agent(
            index=len(self.agents),
            agent_id=f"AG{serial}",
            employee_number=f"E{serial * 7 + 30011:06d}",
            full_name=fake.person_name(rng),
            site=self.team_site[team],
            team=team,
            role=role,
            employment_type=employment_type,
            hired_on=hired_on,
            base_cost=base_cost,
            skills=self._draw_skills(),
            shift=None,
            speed=math.exp(rng.gauss(0.0, self.speed_sigma)),
            quality=rng.gauss(0.0, 0.05),
            engagement=baseline,
            engagement_baseline=baseline,
            meeting_weekday=int(team[-2:]) % 5,
        )
        lead = self.teams.get(team)
        agent.supervisor_id = lead.agent_id if lead is not None and role == "agent" else None
        self.agents.append(agent)
        return agent

    def _draw_skills(self) -> tuple[int, ...]:
        """Skills that keep each queue's staffed share close to its workload share.

        Planners train agents where the gap is largest: the primary skill goes to the
        queue furthest below its share; cross-trained agents add the next one.
        """
        held = np.zeros(len(self.queue_shares))
        for agent in self.agents:
            if agent.role == "agent" and agent.terminated_on is None:
                for skill in agent.skills:
                    held[skill] += 1.0 / len(agent.skills)
        gap = self.queue_shares * (held.sum() + 1.0) - held
        order = [int(index) for index in np.argsort(-gap, kind="stable")]
        skills = [order[0]]
        if self.rng.random() < self.cross_skill_share:
            skills.append(order[1])
        return tuple(sorted(skills))

    def _build_initial_roster(self, start_day: date) -> None:
        rng = self.rng
        team_count = max(1, math.ceil(self.target / self.params.agents_per_team))
        sites = SITES if team_count >= 4 else SITES[:1]
        for number in range(1, team_count + 1):
            site = sites[(number - 1) % len(sites)]
            name = f"{site[:3].upper()}-{number:02d}"
            self.team_site[name] = site
            self.teams[name] = None
        for name in self.teams:
            tenure = int(rng.uniform(700, 3000))
            lead = self._new_agent(
                start_day - timedelta(days=tenure), name, "team_lead", "full_time"
            )
            self.teams[name] = lead
        team_names = list(self.teams)
        for number in range(self.target):
            if rng.random() < 0.12:  # the last hiring waves before the export starts
                tenure = rng.randrange(15, 120)
            else:
                tenure = min(3650, int(rng.expovariate(1 / 700)) + 120)
            agent = self._new_agent(
                start_day - timedelta(days=tenure), team_names[number % len(team_names)]
            )
            self._schedule(agent)
        self._add_past_leavers(start_day, team_names)

    def _add_past_leavers(self, start_day: date, team_names: list[str]) -> None:
        """Agents who left in the two years before the first export: HR keeps them."""
        rng = self.rng
        leavers = round(self.target * self.params.annual_attrition * 2)
        for number in range(leavers):
            left_days_ago = rng.randrange(1, 730)
            early = rng.random() < 0.45
            tenure = rng.randrange(14, 90) if early else int(rng.expovariate(1 / 500)) + 90
            terminated = start_day - timedelta(days=left_days_ago)
            agent = self._new_agent(
                terminated - timedelta(days=tenure), team_names[number % len(team_names)]
            )
            self._terminate(agent, terminated, early)

    def _schedule(self, agent: Agent) -> None:
        agent.shift = self.planner.assign(
            agent.employment_type == "part_time",
            agent.skills,
            self._coverage,
            max(self._heads_intervals, 1.0) + self._intervals_of(agent),
        )
        self._coverage += self.planner.supply(agent.shift, agent.skills)
        self._heads_intervals += self._intervals_of(agent)

    @property
    def planned_load(self) -> float:
        """Busy agent-intervals per week the current schedule is built to carry."""
        return float(self.planner.planned_load(self._heads_intervals).sum())

    def _intervals_of(self, agent: Agent) -> float:
        if agent.employment_type == "part_time":
            return 4 * sum(PART_TIME_PROFILE)
        return 5 * sum(FULL_TIME_PROFILE)

    def _unschedule(self, agent: Agent) -> None:
        if agent.shift is not None:
            self._coverage -= self.planner.supply(agent.shift, agent.skills)
            self._heads_intervals -= self._intervals_of(agent)

    def _terminate(self, agent: Agent, day: date, early: bool) -> None:
        rng = self.rng
        involuntary = rng.random() < self.params.involuntary_share * (1.6 if early else 1.0)
        agent.terminated_on = day
        agent.termination_type = "involuntary" if involuntary else "voluntary"
        reasons = INVOLUNTARY_REASONS if involuntary else VOLUNTARY_REASONS
        agent.termination_reason = rng.choice(reasons)

    # ------------------------------------------------------------- daily life
    def active(self, day: date) -> list[Agent]:
        return [agent for agent in self.agents if agent.is_employed(day)]

    def start_day(self, day: date) -> list[WorkingDay]:
        """Exits, team moves and hiring for ``day``; returns who works and when."""
        self._attrition(day)
        self._team_changes(day)
        self._hire(day)
        plans = (self.plan_day(agent, day) for agent in self.active(day))
        return [plan for plan in plans if plan is not None]

    def _attrition(self, day: date) -> None:
        params = self.params
        base = -math.log(1 - params.annual_attrition) / 365
        for agent in self.active(day):
            if agent.terminated_on is not None:
                continue
            early = agent.tenure_days(day) < EARLY_TENURE_DAYS
            hazard = base * (params.early_attrition_multiplier if early else 1.0)
            hazard *= math.exp(params.attrition_per_occupancy_point * (agent.occupancy - 0.85))
            hazard *= math.exp(params.attrition_per_engagement_point * (agent.engagement - 3.5))
            if agent.role == "team_lead":
                hazard *= 0.5
            if self.rng.random() < hazard:
                self._terminate(agent, day, early)
                self._unschedule(agent)

    def _team_changes(self, day: date) -> None:
        rng = self.rng
        for team, lead in list(self.teams.items()):
            if lead is not None and lead.terminated_on is not None and lead.terminated_on < day:
                members = [
                    agent
                    for agent in self.active(day)
                    if agent.team == team and agent.role == "agent" and agent.terminated_on is None
                ]
                if members:  # promote the longest-serving agent
                    successor = min(members, key=lambda agent: (agent.hired_on, agent.index))
                    self._unschedule(successor)
                    successor.role = "team_lead"
                    successor.supervisor_id = None
                    self.teams[team] = successor
                    for member in members:
                        if member is not successor:
                            member.supervisor_id = successor.agent_id
        daily_move = self.params.team_change_monthly / 30
        for agent in self.active(day):
            if agent.role == "agent" and rng.random() < daily_move:
                same_site = [
                    team
                    for team in self.teams
                    if self.team_site[team] == agent.site and team != agent.team
                ]
                if same_site:
                    agent.team = rng.choice(same_site)
                    lead = self.teams[agent.team]
                    agent.supervisor_id = lead.agent_id if lead is not None else None

    def frontline_headcount(self, day: date) -> int:
        return sum(1 for agent in self.active(day) if agent.role == "agent")

    def _hire(self, day: date) -> None:
        cycle = self.params.hiring_cycle_days
        if day.weekday() != 0 or (day.toordinal() // 7) % max(1, cycle // 7) != 0:
            return
        expected_exits = self.target * self.params.annual_attrition * cycle / 365
        shortfall = self.target - self.frontline_headcount(day) + expected_exits
        if shortfall < 1:
            return
        team_sizes = {team: 0 for team in self.teams}
        for agent in self.active(day):
            if agent.role == "agent":
                team_sizes[agent.team] += 1
        for _ in range(round(shortfall)):
            team = min(team_sizes, key=lambda name: (team_sizes[name], name))
            team_sizes[team] += 1
            agent = self._new_agent(day, team)
            agent.training_days_left = self.params.training_days
            agent.engagement = agent.engagement_baseline = min(4.8, agent.engagement + 0.3)
            self._schedule(agent)

    def plan_day(self, agent: Agent, day: date) -> WorkingDay | None:
        rng = self.rng
        shift = agent.shift
        if agent.role != "agent" or shift is None or not shift.works_on(day.weekday()):
            return None
        training = agent.training_days_left > 0
        if training:
            agent.training_days_left -= 1
        absence = self.params.absence_rate * math.exp(-0.5 * (agent.engagement - 3.5))
        if not training and rng.random() < absence:
            return None
        start = shift.start_minute
        end = start + shift.length_minutes
        login = start + rng.uniform(-3.0, 4.0)
        activities: list[tuple[float, str, float]] = []
        if shift.length_minutes >= 480:
            activities.append((start + 120 + rng.uniform(0, 15), "break", 15.0))
            activities.append((start + 240 + rng.uniform(-5, 5), "lunch", 30.0))
            activities.append((start + 375 + rng.uniform(-15, 0), "break", 15.0))
        else:
            activities.append((start + 150 + rng.uniform(0, 15), "break", 15.0))
        if not training:
            if day.weekday() == agent.meeting_weekday:
                activities.append((start + 60 + rng.uniform(0, 30), "meeting", 30.0))
            coaching = 0.25 if agent.ramp(day, self.ramp_days) > 0 else 0.06
            if rng.random() < coaching:
                activities.append((rng.uniform(start + 90, end - 60), "coaching", 25.0))
        activities.sort()
        return WorkingDay(agent, login, float(end), tuple(activities), training)

    def end_day(self, day: date, occupancy_by_agent: dict[int, float]) -> None:
        """Fold the day's occupancy into each agent's recent load and engagement."""
        rng = self.rng
        for agent in self.active(day):
            occupancy = occupancy_by_agent.get(agent.index)
            if occupancy is not None:
                agent.occupancy = 0.9 * agent.occupancy + 0.1 * occupancy
            target = agent.engagement_baseline - 4.0 * max(0.0, agent.occupancy - 0.82)
            agent.engagement += 0.05 * (target - agent.engagement) + rng.gauss(0.0, 0.05)
            agent.engagement = min(5.0, max(1.0, agent.engagement))

    # ----------------------------------------------------------------- export
    def roster_rows(self, day: date) -> list[tuple]:
        rows = []
        for agent in self.agents:
            if agent.hired_on > day:
                continue
            left = agent.terminated_on is not None and agent.terminated_on <= day
            rows.append(
                (
                    agent.agent_id,
                    agent.employee_number,
                    agent.full_name,
                    agent.site,
                    agent.team,
                    agent.supervisor_id,
                    agent.role,
                    agent.employment_type,
                    agent.hired_on.isoformat(),
                    agent.terminated_on.isoformat() if left else None,
                    agent.termination_type if left else None,
                    agent.termination_reason if left else None,
                    f"{agent.hourly_cost(day):.2f}",
                    "|".join(self.queues[skill].name for skill in agent.skills),
                )
            )
        return rows

    def pulse_rows(self, day: date) -> list[tuple]:
        """The monthly engagement pulse, taken on the first Monday of each month."""
        if not is_pulse_day(day):
            return []
        rng = self.rng
        rows = []
        for agent in self.active(day):
            if rng.random() >= self.params.pulse_response_rate:
                continue
            latent = agent.engagement
            engagement = min(5, max(1, round(latent + rng.gauss(0.0, 0.45))))
            enps = min(10, max(0, round(2.2 * latent - 1.0 + rng.gauss(0.0, 1.3))))
            stay_score = latent + rng.gauss(0.0, 0.5)
            intent = "yes" if stay_score > 3.7 else "unsure" if stay_score > 2.8 else "no"
            rows.append((agent.agent_id, day.isoformat(), engagement, enps, intent))
        return rows


def is_pulse_day(day: date) -> bool:
    return day.weekday() == 0 and day.day <= 7
