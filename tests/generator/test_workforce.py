"""HR patterns, on a year of a large roster: attrition and the engagement pulse.

Exits are rare events, so the call-level sample holds too few. This drives the
generator's own workforce model (hiring, shifts, attrition, pulse) for 2,000 agents
over a year, without simulating their calls, and reads the HR rows it exports.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from ccw.generator.engine import GenerateRequest, Generator
from tests.generator.test_patterns import z_for_rates

START = date(2026, 1, 5)
DAYS = 365


@pytest.fixture(scope="module")
def hr_year(tmp_path_factory):
    generator = Generator(
        GenerateRequest(
            out=tmp_path_factory.mktemp("hr"),
            start=START,
            days=DAYS,
            agents=2000,
            customers=1,
            seed=5,
        )
    )
    workforce = generator.workforce
    busy_agents = random.Random(1)
    high_load = {
        agent.index for agent in workforce.agents if busy_agents.random() < 0.3
    }  # a third of the floor runs hot
    pulses = []
    first_roster = workforce.roster_rows(START)
    for offset in range(DAYS):
        day = START + timedelta(days=offset)
        plans = workforce.start_day(day)
        occupancy = {
            plan.agent.index: 0.93 if plan.agent.index in high_load else 0.8 for plan in plans
        }
        workforce.end_day(day, occupancy)
        pulses.extend(workforce.pulse_rows(day))
    roster = workforce.roster_rows(START + timedelta(days=DAYS - 1))
    return roster, pulses, high_load, workforce, first_roster


def _exposure(roster):
    """Agent-days at risk and exits in the year, split at 90 days of tenure."""
    end = START + timedelta(days=DAYS - 1)
    days = {"early": 0, "later": 0}
    exits = {"early": 0, "later": 0}
    for row in roster:
        hired, terminated = date.fromisoformat(row[8]), row[9]
        last = date.fromisoformat(terminated) if terminated else end
        first = max(hired, START)
        if last < START:
            continue
        early_until = min(last, hired + timedelta(days=89))
        days["early"] += max(0, (early_until - first).days + 1)
        days["later"] += (
            (last - max(first, hired + timedelta(days=90))).days + 1
            if last >= hired + timedelta(days=90)
            else 0
        )
        if terminated:
            exits["early" if (last - hired).days < 90 else "later"] += 1
    return exits, days


def test_attrition_is_higher_in_the_first_90_days(hr_year):
    roster, *_ = hr_year
    exits, days = _exposure(roster)
    early_rate = exits["early"] / days["early"]
    later_rate = exits["later"] / days["later"]
    assert exits["early"] > 50
    assert early_rate > 2 * later_rate
    assert z_for_rates(exits["early"], days["early"], exits["later"], days["later"]) > 5


def test_the_engagement_pulse_leads_attrition(hr_year):
    roster, pulses, *_ = hr_year
    terminated = {row[0]: date.fromisoformat(row[9]) for row in roster if row[9]}
    outcomes = {"low": [0, 0], "high": [0, 0]}
    for agent_id, surveyed_on, engagement, _enps, _intent in pulses:
        if engagement not in (1, 2, 4, 5):
            continue
        surveyed = date.fromisoformat(surveyed_on)
        if surveyed > START + timedelta(days=DAYS - 91):
            continue
        left = terminated.get(agent_id)
        group = outcomes["low" if engagement <= 2 else "high"]
        group[0] += left is not None and surveyed < left <= surveyed + timedelta(days=90)
        group[1] += 1
    low, high = outcomes["low"], outcomes["high"]
    assert low[1] > 200 and high[1] > 1000
    assert low[0] / low[1] > 1.5 * high[0] / high[1]
    assert z_for_rates(*low, *high) > 3


def test_sustained_high_occupancy_drives_exits(hr_year):
    roster, _, high_load, workforce, _ = hr_year
    by_id = {agent.agent_id: agent for agent in workforce.agents}
    counts = {True: [0, 0], False: [0, 0]}
    for row in roster:
        agent = by_id[row[0]]
        if agent.hired_on >= START or (row[9] and date.fromisoformat(row[9]) < START):
            continue  # the year's starting roster
        counts[agent.index in high_load][0] += row[9] is not None
        counts[agent.index in high_load][1] += 1
    hot, normal = counts[True], counts[False]
    assert hot[0] / hot[1] > 1.3 * normal[0] / normal[1]
    assert z_for_rates(*hot, *normal) > 3


def test_hiring_waves_refill_the_floor_and_teams_change(hr_year):
    roster, _, _, workforce, first_roster = hr_year
    hires = {row[8] for row in roster if date.fromisoformat(row[8]) >= START}
    assert len(hires) >= 6, "hiring classes start every few weeks"
    frontline = workforce.frontline_headcount(START + timedelta(days=DAYS - 1))
    assert 1800 <= frontline <= 2200
    before = {row[0]: row for row in first_roster}
    moved = [row for row in roster if row[0] in before and row[4] != before[row[0]][4]]
    promoted = [
        row
        for row in roster
        if row[0] in before and (before[row[0]][6], row[6]) == ("agent", "team_lead")
    ]
    assert len(moved) > 50, "agents change teams over a year"
    assert promoted, "a departing team lead is replaced from the team"
