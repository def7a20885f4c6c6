"""The customer base: segments, plans, experience, churn, orders and CRM deltas.

Each customer carries a decaying memory of their service experience (unresolved
issues, repeat contacts, long waits, bad survey scores, good contacts). Their daily
churn hazard rises with it and falls with tenure; half of those about to leave call
the retention queue first. Orders follow contacts: sales calls sell, good contacts
lead to upgrades, bad ones to downgrades, resolved disputes to refunds.
"""

from __future__ import annotations

import math
import random

import numpy as np

from ccw.generator import fake
from ccw.generator.params import CustomerParams

SEGMENTS = ("consumer", "small_business", "enterprise")
PLANS = {  # per segment: (plan, monthly price), cheapest first
    0: (("Basic", 35.0), ("Plus", 55.0), ("Premium", 85.0)),
    1: (("Business Starter", 120.0), ("Business Pro", 240.0)),
    2: (("Enterprise", 1500.0), ("Enterprise Plus", 3200.0)),
}
REGIONS = ("northeast", "southeast", "midwest", "southwest", "west")
CANCEL_REASONS = ("price", "moved", "competitor", "no longer needed")
DIGITAL_CHANNELS = ("web", "app", "chatbot")
EXPERIENCES = ("unresolved", "repeats", "long_waits", "bad_scores", "good")


PLAN_COUNT = np.array([len(PLANS[segment]) for segment in range(3)])
PLAN_PRICE = np.array([[price for _, price in PLANS[segment]] + [0.0] * (3 - len(PLANS[segment]))
                       for segment in range(3)])  # fmt: skip
ARRAYS = ("created_at", "segment", "plan", "revenue", "active", "propensity", "mood", "loyalty",
          "digital", "region", "first_name", "last_name", "phone_number")  # fmt: skip


class Customers:
    def __init__(
        self, params: CustomerParams, count: int, start_epoch: int, rng: random.Random
    ) -> None:
        self.params = params
        self.rng = rng
        self.np_rng = np.random.default_rng(rng.getrandbits(64))
        capacity = max(16, int(count * 1.3))
        self.count = 0
        self.created_at = np.zeros(capacity, dtype=np.int64)
        self.segment = np.zeros(capacity, dtype=np.int8)
        self.plan = np.zeros(capacity, dtype=np.int8)
        self.revenue = np.zeros(capacity)
        self.active = np.zeros(capacity, dtype=bool)
        self.propensity = np.zeros(capacity)
        self.mood = np.zeros(capacity)  # satisfaction offset in surveys
        self.loyalty = np.zeros(capacity)  # NPS offset
        self.digital = np.zeros(capacity)  # chance a new issue starts in self-service
        self.region = np.zeros(capacity, dtype=np.int8)
        self.first_name = np.zeros(capacity, dtype=np.int32)
        self.last_name = np.zeros(capacity, dtype=np.int32)
        self.phone_number = np.zeros(capacity, dtype=np.int64)
        self.experience = {name: np.zeros(capacity) for name in EXPERIENCES}
        self.cancelled_at: dict[int, int] = {}
        self.cancel_reason: dict[int, str] = {}
        self.updated_at: dict[int, int] = {}
        self.changed_today: set[int] = set()
        self.orders_today: list[tuple] = []
        self._order_serial = 0
        tenure_days = np.minimum(4000.0, self.np_rng.exponential(900.0, count))
        created = start_epoch - (tenure_days * 86400).astype(np.int64)
        self._populate(created)
        last_change = created + (self.np_rng.random(count) * (start_epoch - created)).astype(
            np.int64
        )
        self.updated_at = dict(enumerate(last_change.tolist()))
        self.changed_today = set(range(self.count))  # the first export is a full extract
        self._first_day = True

    # -------------------------------------------------------------- population
    def _populate(self, created_at: np.ndarray, segment: np.ndarray | None = None) -> range:
        """Append customers created at ``created_at``; vectorised for the initial base."""
        params, np_rng = self.params, self.np_rng
        n = len(created_at)
        while self.count + n > len(self.created_at):
            self._grow()
        new = slice(self.count, self.count + n)
        if segment is None:
            shares = np.array(params.segment_shares) / sum(params.segment_shares)
            segment = np_rng.choice(3, size=n, p=shares)
        plan = np.minimum(
            PLAN_COUNT[segment] - 1, (np_rng.random(n) ** 1.5 * PLAN_COUNT[segment]).astype(int)
        )
        custom_pricing = np.where(segment > 0, np_rng.uniform(0.85, 1.2, n), 1.0)
        shape = params.contact_propensity_shape
        mean = params.digital_affinity_mean
        self.created_at[new] = created_at
        self.segment[new] = segment
        self.plan[new] = plan
        self.revenue[new] = np.round(PLAN_PRICE[segment, plan] * custom_pricing, 2)
        self.active[new] = True
        self.propensity[new] = np.array(params.segment_contact_weight)[segment] * np_rng.gamma(
            shape, 1 / shape, n
        )
        self.mood[new] = np_rng.normal(0.0, 0.4, n)
        self.loyalty[new] = np_rng.normal(0.0, 1.0, n)
        self.digital[new] = np.minimum(0.9, np_rng.beta(2.0, 2.0 / mean - 2.0, n))
        self.region[new] = np_rng.integers(0, len(REGIONS), n)
        self.first_name[new] = np_rng.integers(0, len(fake.FIRST_NAMES), n)
        self.last_name[new] = np_rng.integers(0, len(fake.LAST_NAMES), n)
        self.phone_number[new] = np_rng.integers(0, len(fake.AREA_CODES) * 10_000, n)
        added = range(self.count, self.count + n)
        self.count += n
        return added

    def add(self, created_at: int) -> int:
        """One new customer (a sale, a sign-up)."""
        index = self._populate(np.array([created_at], dtype=np.int64))[0]
        self.updated_at[index] = created_at
        self.changed_today.add(index)
        return index

    def _grow(self) -> None:
        for name in ARRAYS:
            array = getattr(self, name)
            setattr(self, name, np.concatenate([array, np.zeros_like(array)]))
        for name, array in self.experience.items():
            self.experience[name] = np.concatenate([array, np.zeros_like(array)])

    def phone(self, index: int) -> str:
        return fake.phone_text(int(self.phone_number[index]))

    def email(self, index: int) -> str:
        first = fake.FIRST_NAMES[self.first_name[index]]
        last = fake.LAST_NAMES[self.last_name[index]]
        return fake.email_for(f"{first} {last}", index)

    @staticmethod
    def customer_id(index: int) -> str:
        return fake.customer_id_text(index)

    def plan_name(self, index: int) -> str:
        return PLANS[int(self.segment[index])][int(self.plan[index])][0]

    # ----------------------------------------------------------- the daily life
    def start_day(self) -> None:
        if self._first_day:
            self._first_day = False
        else:
            self.changed_today = set()
        self.orders_today = []
        decay = math.exp(-math.log(2) / self.params.experience_half_life_days)
        for name in EXPERIENCES:
            self.experience[name] *= decay

    def contact_weights(self) -> np.ndarray:
        return np.where(self.active[: self.count], self.propensity[: self.count], 0.0)

    def churn_hazard(self, day_epoch: int) -> np.ndarray:
        params = self.params
        n = self.count
        experience = self.experience
        log_multiplier = (
            params.churn_per_unresolved * experience["unresolved"][:n]
            + params.churn_per_repeat * experience["repeats"][:n]
            + params.churn_per_long_wait * experience["long_waits"][:n]
            + params.churn_per_bad_score * experience["bad_scores"][:n]
            + params.churn_per_good_contact * experience["good"][:n]
        )
        tenure_years = np.maximum(0.0, (day_epoch - self.created_at[:n]) / (365 * 86400))
        base = -math.log(1 - params.annual_churn) / 365
        hazard = base * np.exp(np.minimum(log_multiplier, 3.0)) * 1.6 / np.sqrt(1.0 + tenure_years)
        return np.where(self.active[:n], hazard, 0.0)

    def leaving_today(self, day_epoch: int, rng: np.random.Generator) -> list[int]:
        hazard = self.churn_hazard(day_epoch)
        return [int(index) for index in np.nonzero(rng.random(len(hazard)) < hazard)[0]]

    def cancel_reason_for(self, index: int) -> str:
        experience = self.experience
        if experience["unresolved"][index] > 0.8:
            return "unresolved issue"
        if experience["long_waits"][index] + experience["bad_scores"][index] > 0.8:
            return "poor customer service"
        return self.rng.choice(CANCEL_REASONS)

    def cancel(self, index: int, epoch: int, reason: str | None = None) -> None:
        if not self.active[index]:
            return
        self.active[index] = False
        # A customer created today can leave today, but not before it was created.
        epoch = max(epoch, int(self.created_at[index]))
        self.cancelled_at[index] = epoch
        self.cancel_reason[index] = reason or self.cancel_reason_for(index)
        self.touch(index, epoch)

    def touch(self, index: int, epoch: int) -> None:
        self.updated_at[index] = max(epoch, self.updated_at.get(index, epoch))
        self.changed_today.add(index)

    def remember(self, index: int, experience: str, amount: float = 1.0) -> None:
        if index >= 0:
            self.experience[experience][index] += amount

    # ------------------------------------------------------------------ orders
    def order(self, index: int, epoch: int, order_type: str, amount: float, channel: str) -> None:
        self._order_serial += 1
        self.orders_today.append(
            (f"OR{self._order_serial:09d}", index, epoch, order_type, round(amount, 2), channel)
        )

    def change_plan(self, index: int, epoch: int, step: int, channel: str) -> bool:
        """Move a customer one plan up (step=1) or down (-1); returns False at the end."""
        plans = PLANS[int(self.segment[index])]
        target = int(self.plan[index]) + step
        if not 0 <= target < len(plans) or not self.active[index]:
            return False
        ratio = plans[target][1] / plans[int(self.plan[index])][1]
        self.plan[index] = target
        self.revenue[index] = round(self.revenue[index] * ratio, 2)
        self.order(
            index, epoch, "upgrade" if step > 0 else "downgrade", self.revenue[index], channel
        )
        self.touch(index, epoch)
        return True

    def add_on(self, index: int, epoch: int, channel: str) -> None:
        price = self.rng.choice((9.99, 14.99, 24.99))
        self.revenue[index] = round(self.revenue[index] + price, 2)
        self.order(index, epoch, "add_on", price, channel)
        self.touch(index, epoch)

    def background_day(self, day_epoch: int, business_epoch, rng: np.random.Generator) -> None:
        """Renewals, web and store sign-ups, profile edits: life beyond the contact center."""
        params = self.params
        n = self.count
        active = self.active[:n]
        day_of_year = (day_epoch // 86400) % 365
        created_day = (self.created_at[:n] // 86400) % 365
        for index in np.nonzero(active & (created_day == day_of_year))[0]:
            if int(index) % 3 == 0:  # a third of customers are on annual contracts
                self.order(
                    int(index), business_epoch(), "renewal", 12 * 0.9 * self.revenue[index], "web"
                )
        for _ in range(int(rng.poisson(params.daily_acquisition * active.sum()))):
            epoch = business_epoch()
            index = self.add(epoch)
            self.order(
                index, epoch, "new", self.revenue[index] + 49.0, self.rng.choice(("web", "store"))
            )
        for index in np.nonzero(active & (rng.random(n) < params.profile_change_rate))[0].tolist():
            if self.rng.random() < 0.5:
                self.phone_number[index] = fake.random_phone(self.rng)
            else:
                self.region[index] = self.rng.randrange(len(REGIONS))
            self.touch(index, business_epoch())

    # ------------------------------------------------------------------ export
    def delta_rows(self) -> list[tuple]:
        """Changed customers; timestamps as epoch seconds (the writer formats them)."""
        rows = []
        for index in sorted(self.changed_today):
            cancelled = self.cancelled_at.get(index)
            rows.append(
                (
                    index,
                    int(self.created_at[index]),
                    self.updated_at[index],
                    SEGMENTS[int(self.segment[index])],
                    self.plan_name(index),
                    REGIONS[self.region[index]],
                    f"{self.revenue[index]:.2f}",
                    "active" if self.active[index] else "cancelled",
                    cancelled,
                    self.cancel_reason.get(index),
                    self.email(index),
                    int(self.phone_number[index]),
                )
            )
        return rows

    def order_rows(self) -> list[tuple]:
        return [
            (order_id, index, epoch, order_type, f"{amount:.2f}", channel)
            for order_id, index, epoch, order_type, amount, channel in self.orders_today
        ]
