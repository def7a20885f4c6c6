"""Erlang C and Erlang A against published values, exact identities and simulation."""

import heapq
import math
import random

import numpy as np
import pytest

from ccw.staffing.erlang import (
    TREATMENTS,
    Interval,
    erlang_a,
    erlang_b,
    erlang_c_average_speed_of_answer,
    erlang_c_service_level,
    erlang_c_wait_probability,
    required_agents_erlang_a,
    required_agents_erlang_c,
)

SPEC_INTERVAL = Interval(offered=100, handle_seconds=180, interval_seconds=1800)


def test_erlang_c_matches_the_metrics_spec_reference():
    # 100 calls in 30 minutes, AHT 180 s, 80% in 20 s: 14 agents, SL 0.888,
    # occupancy 0.714, probability of waiting 0.174.
    agents = required_agents_erlang_c(SPEC_INTERVAL, threshold_seconds=20, target=0.80)
    assert agents == 14
    assert erlang_c_service_level(14, SPEC_INTERVAL, 20) == pytest.approx(0.888, abs=5e-4)
    assert SPEC_INTERVAL.load / agents == pytest.approx(0.714, abs=5e-4)
    assert erlang_c_wait_probability(14, SPEC_INTERVAL.load) == pytest.approx(0.174, abs=5e-4)
    # One agent fewer misses the target.
    assert erlang_c_service_level(13, SPEC_INTERVAL, 20) < 0.80


@pytest.mark.parametrize(
    ("agents", "load", "blocking"),
    # The classic Erlang B table: the load N trunks carry at a grade of service.
    [(10, 4.46, 0.01), (10, 5.53, 0.03), (20, 15.25, 0.05), (50, 37.9, 0.01), (1, 1.0, 0.5)],
)
def test_erlang_b_matches_the_classic_tables(agents, load, blocking):
    assert erlang_b(agents, load) == pytest.approx(blocking, abs=1e-4)


def test_erlang_c_wait_probability_by_hand():
    # A = 2, N = 3: B = (8/6) / (1 + 2 + 2 + 8/6) = 4/19; C = 3B / (3 - 2(1 - B)) = 4/9.
    assert erlang_c_wait_probability(3, 2.0) == pytest.approx(4 / 9, rel=1e-12)
    # ASA = C · AHT / (N - A) = 4/9 · 180 / 1 = 80 s.
    interval = Interval(offered=20, handle_seconds=180, interval_seconds=1800)
    assert erlang_c_average_speed_of_answer(3, interval) == pytest.approx(80.0, rel=1e-12)


def test_zero_calls_need_no_agents():
    quiet = Interval(offered=0, handle_seconds=0, interval_seconds=1800)
    assert required_agents_erlang_c(quiet, 20, 0.8) == 0
    assert required_agents_erlang_a(quiet, 20, 0.8, patience_seconds=60) == 0
    assert erlang_a(0, quiet, 20, 60).service_level == 1.0


def test_traffic_above_capacity_has_no_service_but_a_finite_requirement():
    surge = Interval(offered=1000, handle_seconds=180, interval_seconds=1800)  # 100 Erlangs
    assert erlang_c_wait_probability(80, surge.load) == 1.0
    assert erlang_c_service_level(100, surge, 20) == 0.0
    assert erlang_c_average_speed_of_answer(100, surge) == math.inf
    required = required_agents_erlang_c(surge, 20, 0.8)
    assert required > 100
    assert erlang_c_service_level(required, surge, 20) >= 0.8
    assert erlang_c_service_level(required - 1, surge, 20) < 0.8
    # With abandons the queue is stable even under overload: one agent serves about
    # 1% of the callers and the rest hang up.
    one_agent = erlang_a(1, surge, 20, patience_seconds=60)
    assert one_agent.abandon_probability == pytest.approx(0.99, abs=1e-3)
    assert one_agent.service_level < 1e-6


def test_very_short_intervals_are_sized_by_their_rate():
    # 10 calls in 3 minutes is the same rate as 100 in 30: the same agents.
    short = Interval(offered=10, handle_seconds=180, interval_seconds=180)
    assert required_agents_erlang_c(short, 20, 0.8) == 14
    assert required_agents_erlang_a(short, 20, 0.8, 120) == required_agents_erlang_a(
        SPEC_INTERVAL, 20, 0.8, 120
    )
    # One call in a 1-second interval is 180 Erlangs.
    flash = Interval(offered=1, handle_seconds=180, interval_seconds=1)
    assert required_agents_erlang_c(flash, 20, 0.8) > 180
    with pytest.raises(ValueError, match="interval_seconds must be positive"):
        Interval(offered=1, handle_seconds=180, interval_seconds=0)


def test_patience_of_zero_is_a_loss_system():
    # Every caller who would wait hangs up at once: served within any threshold exactly
    # when an agent is free, 1 - Erlang B.
    outcome = erlang_a(14, SPEC_INTERVAL, 20, patience_seconds=0)
    assert outcome.service_level == pytest.approx(1 - erlang_b(14, 10.0), rel=1e-12)
    assert outcome.abandon_probability == pytest.approx(erlang_b(14, 10.0), rel=1e-12)
    # A tiny positive patience gives the same answer through the general formula.
    nearly = erlang_a(14, SPEC_INTERVAL, 20, patience_seconds=1e-3)
    assert nearly.service_level == pytest.approx(outcome.service_level, abs=1e-4)
    # Impatient callers count as missed, so here Erlang A needs no fewer agents than
    # it would at 1 - B alone.
    required = required_agents_erlang_a(SPEC_INTERVAL, 20, 0.95, patience_seconds=0)
    assert 1 - erlang_b(required, 10.0) >= 0.95 > 1 - erlang_b(required - 1, 10.0)


def test_erlang_a_tends_to_erlang_c_as_patience_grows():
    for patience in (1e6, 1e9):
        outcome = erlang_a(14, SPEC_INTERVAL, 20, patience)
        assert outcome.service_level == pytest.approx(0.88835, abs=1e-4)
        assert outcome.wait_probability == pytest.approx(0.174132, abs=1e-4)
    assert required_agents_erlang_a(SPEC_INTERVAL, 20, 0.8, None) == 14


def _stationary_by_brute_force(agents, interval, patience_seconds, cap=4000):
    """The birth-death chain of M/M/N+M summed state by state (independent of the
    integral formula in the module)."""
    arrival = interval.arrival_rate
    service = 1 / interval.handle_seconds
    abandon = 1 / patience_seconds
    weights = [1.0]
    for state in range(1, cap):
        departures = min(state, agents) * service + max(state - agents, 0) * abandon
        weights.append(weights[-1] * arrival / departures)
    total = sum(weights)
    waiting = sum(weights[agents:]) / total
    queue_length = sum((state - agents) * weight for state, weight in enumerate(weights)) / total
    queue_length -= sum((state - agents) * w for state, w in enumerate(weights[:agents])) / total
    return waiting, abandon * queue_length / arrival


@pytest.mark.parametrize(("agents", "patience"), [(14, 600), (12, 180), (9, 60), (5, 300)])
def test_erlang_a_wait_and_abandonment_match_the_birth_death_chain(agents, patience):
    waiting, abandoning = _stationary_by_brute_force(agents, SPEC_INTERVAL, patience)
    outcome = erlang_a(agents, SPEC_INTERVAL, 20, patience)
    assert outcome.wait_probability == pytest.approx(waiting, rel=1e-9)
    assert outcome.abandon_probability == pytest.approx(abandoning, rel=1e-9)


def test_erlang_a_with_patience_equal_to_handle_time_is_poisson():
    # When patience and handle time share a mean, everyone in the system leaves at the
    # same rate: the count is Poisson(A), so P(wait) = P(Poisson(10) >= 14).
    outcome = erlang_a(14, SPEC_INTERVAL, 20, patience_seconds=180)
    below = sum(math.exp(-10) * 10**k / math.factorial(k) for k in range(14))
    assert outcome.wait_probability == pytest.approx(1 - below, rel=1e-10)


def _simulated_service_level(agents, interval, threshold, patience, callers=200_000, seed=7):
    """First come, first served M/M/N+M: each caller takes the first agent to come free,
    unless their patience runs out first."""
    rng = random.Random(seed)
    free_at = [0.0] * agents
    clock = 0.0
    met = 0
    for _ in range(callers):
        clock += rng.expovariate(interval.arrival_rate)
        wait = max(0.0, free_at[0] - clock)
        if wait <= rng.expovariate(1 / patience):
            heapq.heapreplace(free_at, clock + wait + rng.expovariate(1 / interval.handle_seconds))
            met += wait <= threshold
    return met / callers


@pytest.mark.parametrize(("agents", "patience"), [(12, 120), (10, 300)])
def test_erlang_a_service_level_matches_a_simulation(agents, patience):
    simulated = _simulated_service_level(agents, SPEC_INTERVAL, 20, patience)
    predicted = erlang_a(agents, SPEC_INTERVAL, 20, patience).service_level
    assert predicted == pytest.approx(simulated, abs=0.01)


def test_required_agents_is_the_fewest_that_reach_the_target():
    for patience in (30, 120, 600):
        required = required_agents_erlang_a(SPEC_INTERVAL, 20, 0.8, patience)
        assert erlang_a(required, SPEC_INTERVAL, 20, patience).service_level >= 0.8
        assert erlang_a(required - 1, SPEC_INTERVAL, 20, patience).service_level < 0.8
        assert required <= required_agents_erlang_c(SPEC_INTERVAL, 20, 0.8)


@pytest.mark.parametrize("target", [0, 1, 1.5, -0.2])
def test_a_target_outside_the_open_unit_interval_is_refused(target):
    with pytest.raises(ValueError, match="between 0 and 1"):
        required_agents_erlang_c(SPEC_INTERVAL, 20, target)


def test_erlang_a_with_far_more_agents_than_calls_does_not_underflow():
    # 1 call of 1 s in 30 minutes with 200 agents: Erlang B underflows to 0 in plain
    # arithmetic; nobody waits and everyone is served within the threshold.
    trickle = Interval(offered=1, handle_seconds=1, interval_seconds=1800)
    outcome = erlang_a(200, trickle, 20, patience_seconds=60)
    assert outcome.service_level == pytest.approx(1.0)
    assert outcome.wait_probability == pytest.approx(0.0, abs=1e-12)


def _simulated(agents: int, interval: Interval, threshold: float, patience: float,
               callers: int = 150_000) -> tuple[float, float]:  # fmt: skip
    """An M/M/N+M queue, first come first served, caller by caller: the share served
    within the threshold and the share who hung up within it."""
    rng = np.random.default_rng(3)
    arrivals = np.cumsum(rng.exponential(interval.interval_seconds / interval.offered, callers))
    services = rng.exponential(interval.handle_seconds, callers)
    patiences = rng.exponential(patience, callers)
    free_at = [0.0] * agents  # when each agent is next free, earliest first
    served_within = abandoned_within = 0
    for arrival, service, patience_left in zip(arrivals, services, patiences, strict=True):
        wait = max(0.0, free_at[0] - arrival)  # what this caller would wait if patient
        if patience_left < wait:
            abandoned_within += patience_left <= threshold
            continue
        served_within += wait <= threshold
        heapq.heapreplace(free_at, arrival + wait + service)
    return served_within / callers, abandoned_within / callers


@pytest.mark.parametrize("patience", [30.0, 120.0])
def test_erlang_a_abandons_within_the_threshold_match_a_simulated_queue(patience):
    interval = Interval(offered=100, handle_seconds=180, interval_seconds=1800)
    outcome = erlang_a(12, interval, 20, patience)
    served, abandoned = _simulated(12, interval, 20, patience)
    assert outcome.service_level == pytest.approx(served, abs=0.006)
    assert outcome.abandon_within_threshold == pytest.approx(abandoned, abs=0.004)
    assert outcome.service_level_treated("positive") == pytest.approx(served + abandoned, abs=0.008)


def test_erlang_a_sizes_for_the_abandon_treatment_in_force():
    # Impatient callers (30 s): many hang up within 20 s. Counted as missed, they need
    # the most agents; left out or counted as met, fewer.
    interval = Interval(offered=100, handle_seconds=180, interval_seconds=1800)
    required = {
        treatment: required_agents_erlang_a(interval, 20, 0.8, 30, treatment)
        for treatment in TREATMENTS
    }
    assert required == {"negative": 11, "ignored": 9, "positive": 8}
    for treatment, agents in required.items():
        assert erlang_a(agents, interval, 20, 30).service_level_treated(treatment) >= 0.8
        assert erlang_a(agents - 1, interval, 20, 30).service_level_treated(treatment) < 0.8
    with pytest.raises(ValueError, match="treatment"):
        required_agents_erlang_a(interval, 20, 0.8, 30, "neutral")
