"""Erlang C and Erlang A: the agents an interval needs to reach a service level.

One place for the queueing formulas the marts use (docs/metrics.md, "required agents").
The models call them through SQL functions of the same names (see `sql_functions.py`),
so `fct_interval_service` and the tests here exercise the same code.

Notation: `load` A = arrival rate x mean handle time (Erlangs), `agents` N, `threshold`
t = the service-level threshold in seconds. Erlang C (M/M/N) assumes callers never hang
up; Erlang A (M/M/N+M) lets each caller abandon after an exponential patience with the
given mean, which is how real queues behave and needs fewer agents for the same target.
"""

import math
from dataclasses import dataclass

from scipy.special import gammainc, gammaln

MAX_AGENTS = 1_000_000
# How abandons within the threshold count in the service level (`sl_abandon_treatment`):
# as missed (negative), left out of the denominator (ignored), or as met (positive).
TREATMENTS = ("negative", "ignored", "positive")


@dataclass(frozen=True)
class Interval:
    """The traffic of one queue interval, as the staffing formulas need it."""

    offered: float
    handle_seconds: float
    interval_seconds: float

    def __post_init__(self) -> None:
        if self.interval_seconds <= 0:
            raise ValueError(f"interval_seconds must be positive, got {self.interval_seconds}")
        if self.offered < 0:
            raise ValueError(f"offered must not be negative, got {self.offered}")
        if self.offered > 0 and self.handle_seconds <= 0:
            raise ValueError(
                f"handle_seconds must be positive when calls are offered, got {self.handle_seconds}"
            )

    @property
    def arrival_rate(self) -> float:
        """Calls per second."""
        return self.offered / self.interval_seconds

    @property
    def load(self) -> float:
        """Offered load in Erlangs: the agents that would be busy all interval."""
        return self.arrival_rate * self.handle_seconds


def erlang_b(agents: int, load: float) -> float:
    """Blocking probability of an M/M/N/N loss system, by the stable recursion."""
    blocking = 1.0
    for servers in range(1, agents + 1):
        blocking = load * blocking / (servers + load * blocking)
    return blocking


def _log_erlang_b(agents: int, load: float) -> float:
    """log of Erlang B, by the recursion on its inverse (1/B(n) = 1 + n/A · 1/B(n-1)),
    so it does not underflow to log(0) when agents far outnumber the load."""
    log_inverse = 0.0
    for servers in range(1, agents + 1):
        log_inverse = _log_add(0.0, math.log(servers / load) + log_inverse)
    return -log_inverse


def erlang_c_wait_probability(agents: int, load: float) -> float:
    """Probability that a caller waits at all (Erlang C); 1 when load ≥ agents."""
    if load <= 0:
        return 0.0
    if agents <= load:
        return 1.0
    blocking = erlang_b(agents, load)
    return agents * blocking / (agents - load * (1 - blocking))


def erlang_c_service_level(agents: int, interval: Interval, threshold_seconds: float) -> float:
    """Share of callers answered within the threshold (Erlang C)."""
    load = interval.load
    if load <= 0:
        return 1.0
    if agents <= load:
        return 0.0
    wait_probability = erlang_c_wait_probability(agents, load)
    decay = (agents - load) * threshold_seconds / interval.handle_seconds
    return 1.0 - wait_probability * math.exp(-decay)


def erlang_c_average_speed_of_answer(agents: int, interval: Interval) -> float:
    """Mean wait of all callers in seconds (Erlang C); infinite when load ≥ agents."""
    load = interval.load
    if load <= 0:
        return 0.0
    if agents <= load:
        return math.inf
    return erlang_c_wait_probability(agents, load) * interval.handle_seconds / (agents - load)


@dataclass(frozen=True)
class ErlangAOutcome:
    """What a caller experiences in an M/M/N+M queue."""

    wait_probability: float
    abandon_probability: float
    service_level: float  # served within the threshold / all callers
    # Callers who hang up within the threshold / all callers.
    abandon_within_threshold: float = 0.0

    def service_level_treated(self, treatment: str) -> float:
        """The service level as `sl_abandon_treatment` counts abandons within the
        threshold: missed (negative), left out (ignored) or met (positive)."""
        if treatment not in TREATMENTS:
            raise ValueError(f"treatment must be one of {', '.join(TREATMENTS)}: {treatment!r}")
        if treatment == "positive":
            return min(1.0, self.service_level + self.abandon_within_threshold)
        if treatment == "ignored":
            kept = 1.0 - self.abandon_within_threshold
            return min(1.0, self.service_level / kept) if kept > 0 else 1.0
        return self.service_level


def erlang_a(
    agents: int, interval: Interval, threshold_seconds: float, patience_seconds: float | None
) -> ErlangAOutcome:
    """Wait, abandonment and service level of an M/M/N+M queue (Erlang A).

    A caller is counted as served within the threshold only if answered within it
    before hanging up, so the service level is over all callers, abandons included
    (the negative treatment: abandons count against).

    The offered wait V (how long a caller with infinite patience would wait) has, for
    V > 0, the density pi_N · Nμ · exp(λ(1 - e^(-θx))/θ - Nμx) (Baccelli and Hebuterne,
    1981), and the substitution u = e^(-θx) turns its integrals into regularized
    incomplete gamma functions, evaluated here in log space so heavy traffic does not
    overflow. `patience_seconds=None` means nobody abandons (Erlang C); 0 means every
    caller who would wait hangs up at once (an Erlang B loss system).
    """
    load = interval.load
    if load <= 0:
        return ErlangAOutcome(0.0, 0.0, 1.0)
    if agents <= 0:
        return ErlangAOutcome(1.0, 1.0, 0.0)
    if patience_seconds is None or math.isinf(patience_seconds):
        wait = erlang_c_wait_probability(agents, load)
        service_level = erlang_c_service_level(agents, interval, threshold_seconds)
        return ErlangAOutcome(wait, 0.0, service_level)
    if patience_seconds <= 0:
        blocking = erlang_b(agents, load)
        return ErlangAOutcome(blocking, blocking, 1.0 - blocking, blocking)

    service_rate = 1.0 / interval.handle_seconds
    abandon_rate = 1.0 / patience_seconds
    shape = agents * service_rate / abandon_rate
    scale = interval.arrival_rate / abandon_rate
    completion_rate = agents * service_rate

    def log_integral(power_shift: int, upper: float) -> float:
        """log of ∫ u^(shape+power_shift-1) e^(-scale·u) du from `upper` to 1, times e^scale/θ."""
        exponent = shape + power_shift
        log_full = _log_lower_gamma_regularized(exponent, scale)
        log_below = _log_lower_gamma_regularized(exponent, scale * upper)
        if log_below >= log_full:
            return -math.inf
        log_mass = log_full + math.log1p(-math.exp(log_below - log_full))
        return (
            scale
            - exponent * math.log(scale)
            + gammaln(exponent)
            + log_mass
            - math.log(abandon_rate)
        )

    # States with a free agent, relative to the state where all N are busy.
    log_free = math.log(agents) - math.log(load) - _log_erlang_b(agents - 1, load)
    log_waiting = math.log(completion_rate) + log_integral(0, 0.0)
    log_total = _log_add(log_free, log_waiting)
    log_served_waiting = math.log(completion_rate) + log_integral(
        1, math.exp(-abandon_rate * threshold_seconds)
    )
    log_served_after_any_wait = math.log(completion_rate) + log_integral(1, 0.0)
    # Offered waits up to the threshold. A caller abandons within the threshold when
    # the patience T runs out before both the offered wait V and the threshold t:
    # P(V <= t) - P(served, V <= t) + (1 - e^(-θt)) · P(V > t).
    at_threshold = math.exp(-abandon_rate * threshold_seconds)
    log_waits_within = math.log(completion_rate) + log_integral(0, at_threshold)

    def share(log_value: float) -> float:
        return math.exp(log_value - log_total)

    wait_probability = share(log_waiting)
    served_after_wait = share(log_served_after_any_wait)
    served_waiting_within = share(log_served_waiting)
    waits_within = share(log_waits_within)
    service_level = share(log_free) + served_waiting_within
    abandon_within = (waits_within - served_waiting_within) + (1.0 - at_threshold) * max(
        0.0, wait_probability - waits_within
    )
    return ErlangAOutcome(
        wait_probability=wait_probability,
        abandon_probability=max(0.0, wait_probability - served_after_wait),
        service_level=min(1.0, service_level),
        abandon_within_threshold=min(1.0, max(0.0, abandon_within)),
    )


def _log_lower_gamma_regularized(shape: float, upper: float) -> float:
    """log P(shape, upper), the regularized lower incomplete gamma, without underflow.

    Very patient callers give a huge shape with the upper limit well below it, where
    P underflows to 0; there the power series e^-x x^a / Γ(a+1) Σ x^k / ((a+1)…(a+k))
    converges fast and is summed in log space.
    """
    if upper <= 0:
        return -math.inf
    value = gammainc(shape, upper)
    if value > 1e-280:
        return math.log(value)
    term = total = 1.0
    step = 1
    while term > 1e-17 * total:
        term *= upper / (shape + step)
        total += term
        step += 1
    return -upper + shape * math.log(upper) - gammaln(shape + 1) + math.log(total)


def _log_add(left: float, right: float) -> float:
    if left == -math.inf:
        return right
    if right == -math.inf:
        return left
    high, low = max(left, right), min(left, right)
    return high + math.log1p(math.exp(low - high))


def _check_target(target: float) -> None:
    if not 0 < target < 1:
        raise ValueError(f"the service-level target must be between 0 and 1 (exclusive): {target}")


def required_agents_erlang_c(interval: Interval, threshold_seconds: float, target: float) -> int:
    """The fewest agents with which Erlang C reaches `target` within the threshold."""
    _check_target(target)
    if interval.offered == 0:
        return 0
    agents = math.floor(interval.load) + 1
    while erlang_c_service_level(agents, interval, threshold_seconds) < target:
        agents += 1
        if agents > MAX_AGENTS:
            raise ValueError(f"no staffing up to {MAX_AGENTS} agents reaches {target}")
    return agents


def required_agents_erlang_a(
    interval: Interval,
    threshold_seconds: float,
    target: float,
    patience_seconds: float | None,
    treatment: str = "negative",
) -> int:
    """The fewest agents with which Erlang A reaches `target` within the threshold,
    abandons within it counted as `treatment` says (``sl_abandon_treatment``).

    The service level rises with every agent added, so a binary search finds it. The
    Erlang C answer is usually an upper bound; with very impatient callers it is not
    (a caller who hangs up within the threshold counts as missed), so the bound doubles
    until it holds.
    """
    _check_target(target)
    if interval.offered == 0:
        return 0
    if patience_seconds is None or math.isinf(patience_seconds):
        return required_agents_erlang_c(interval, threshold_seconds, target)

    def reaches(agents: int) -> bool:
        outcome = erlang_a(agents, interval, threshold_seconds, patience_seconds)
        return outcome.service_level_treated(treatment) >= target

    low, high = 1, required_agents_erlang_c(interval, threshold_seconds, target)
    while not reaches(high):
        low, high = high + 1, high * 2
        if high > MAX_AGENTS:
            raise ValueError(f"no staffing up to {MAX_AGENTS} agents reaches {target}")
    while low < high:
        middle = (low + high) // 2
        if reaches(middle):
            high = middle
        else:
            low = middle + 1
    return low
