"""Calls and legs as the simulation moves them, and their rows in the calls export."""

from __future__ import annotations


class Issue:
    """Something a customer needs solved; it may take several contacts."""

    __slots__ = (
        "attempts",
        "customer",
        "issue_id",
        "kind",
        "queue",
        "resolved",
        "topic",
    )

    def __init__(self, issue_id: int, customer: int, queue: int, topic: int, kind: str) -> None:
        self.issue_id = issue_id
        self.customer = customer  # -1 for a prospect not yet in the CRM
        self.queue = queue
        self.topic = topic
        self.attempts = 0
        self.resolved = False
        self.kind = kind  # "issue", "churn_intent" or "prospect"


class Call:
    __slots__ = (
        "ani",
        "attempt",
        "call_id",
        "cause",
        "direction",
        "entry_queue",
        "epoch",
        "identified",
        "issue",
        "legs",
        "origin_call_id",
        "serial",
    )  # fmt: skip

    def __init__(self, issue: Issue, epoch: int, cause: str, direction: str = "inbound") -> None:
        self.call_id = ""  # assigned when the call starts, in the order calls start
        # A callback: the call whose caller asked for it (the callback is named after it).
        self.origin_call_id = ""
        self.serial = 0
        self.issue = issue
        self.epoch = epoch
        self.cause = cause
        self.direction = direction
        self.entry_queue = issue.queue
        self.identified = True
        self.ani = 0  # the caller's number, spelled by fake.phone_text
        self.attempt = 0
        self.legs: list[Leg] = []


class Leg:
    __slots__ = (
        "acw",
        "agent",
        "answered_at",
        "call",
        "disposition",
        "ended_at",
        "hold",
        "ivr_started_at",
        "number",
        "queue",
        "queued_at",
        "talk",
        "waiting",
        "wrap_code",
    )  # fmt: skip

    def __init__(self, call: Call, number: int, queue: int) -> None:
        self.call = call
        self.number = number
        self.queue = queue
        self.ivr_started_at: int | None = None
        self.queued_at: int | None = None
        self.answered_at: int | None = None
        self.ended_at = 0
        self.agent = None
        self.talk = 0
        self.hold = 0
        self.acw = 0
        self.disposition = ""
        self.waiting = False
        self.wrap_code: str | None = None
        call.legs.append(self)

    @property
    def wait_seconds(self) -> int:
        if self.queued_at is None:
            return 0
        until = self.answered_at if self.answered_at is not None else self.ended_at
        return until - self.queued_at
