"""The generator's model parameters, with the defaults the demo runs on.

Every relationship the generator models is steered by a few named numbers here; the
meaning of each is documented in ``docs/sources.md``. They are plain frozen
dataclasses so a benchmark or a test can vary one with ``dataclasses.replace``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Share of a weekday's calls by 30-minute interval, 07:00-21:05, at a large North
# American bank (Weinberg, Brown & Stroud 2007), as given in the landing contract.
# The last slot covers only 21:00-21:05.
BANK_INTRADAY_SHARES = (
    1.47, 1.65, 2.55, 3.37, 4.72, 5.19, 5.24, 5.22, 5.12, 4.98, 4.83, 4.75, 4.62,
    4.57, 4.48, 4.46, 4.33, 4.24, 3.98, 3.57, 3.03, 2.65, 2.32, 2.08, 1.83, 1.67,
    1.49, 1.37, 0.21,
)  # fmt: skip
OPEN_MINUTE = 7 * 60
CLOSE_MINUTE = 21 * 60 + 5


@dataclass(frozen=True)
class Topic:
    name: str
    share: float  # share of its queue's new issues
    talk_seconds: float  # mean talk time of an experienced agent
    resolution: float  # chance an experienced agent resolves it on the first try
    ivr_containable: float = 0.0  # chance the IVR self-service can take it
    self_service_success: float = 0.0  # chance digital self-service solves it


@dataclass(frozen=True)
class Queue:
    name: str
    share: float  # share of new issues
    evening_tilt: float  # >0 shifts this queue's arrivals later in the day
    hold_probability: float
    acw_seconds: float
    ivr_menu: str
    topics: tuple[Topic, ...]


QUEUES = (
    Queue(
        "general", 0.16, 0.0, 0.15, 30, "account",
        (
            Topic("account_info", 0.5, 170, 0.93, 0.35, 0.6),
            Topic("address_change", 0.3, 200, 0.95, 0.0, 0.7),
            Topic("other", 0.2, 240, 0.85),
        ),
    ),
    Queue(
        "billing", 0.34, -0.2, 0.25, 45, "billing",
        (
            Topic("balance", 0.35, 150, 0.95, 0.45, 0.7),
            Topic("payment", 0.25, 200, 0.9, 0.25, 0.6),
            Topic("dispute", 0.25, 380, 0.62, 0.0, 0.1),
            Topic("refund", 0.15, 330, 0.68, 0.0, 0.2),
        ),
    ),
    Queue(
        "tech_support", 0.32, 0.35, 0.45, 60, "tech",
        (
            Topic("internet", 0.45, 520, 0.66, 0.0, 0.35),
            Topic("tv", 0.2, 450, 0.7, 0.0, 0.35),
            Topic("device", 0.25, 420, 0.74, 0.0, 0.4),
            Topic("outage", 0.1, 240, 0.55, 0.5, 0.2),
        ),
    ),
    Queue(
        "sales", 0.12, 0.5, 0.2, 50, "sales",
        (
            Topic("new_service", 0.35, 480, 0.85),
            Topic("upgrade", 0.4, 400, 0.88, 0.0, 0.3),
            Topic("add_on", 0.25, 320, 0.9, 0.0, 0.5),
        ),
    ),
    Queue(
        "retention", 0.06, 0.1, 0.3, 50, "cancel",
        (
            Topic("cancel", 0.6, 420, 0.7),
            Topic("price_complaint", 0.4, 360, 0.75),
        ),
    ),
)  # fmt: skip


@dataclass(frozen=True)
class ArrivalParams:
    # Day-of-week volume factors, Monday first. Weekends are lighter.
    weekday_factors: tuple[float, ...] = (1.18, 1.06, 1.0, 0.98, 0.95, 0.5, 0.33)
    # Day-to-day noise: the standard deviation of a day's volume multiplier.
    daily_noise: float = 0.06
    # Offered workload as a share of the workload the schedule is planned for (the
    # planners staff for it plus a square-root safety margin); above 1 the center drowns.
    load_factor: float = 1.08
    # Answered legs per new issue, on average: self-service and the IVR take some issues
    # away, repeats, retries and transfers add legs. Used only to turn the workload the
    # schedule can carry into a number of new issues.
    handled_legs_per_issue: float = 1.0
    # A surge day every this many days on average (an outage or a billing error).
    surge_every_days: int = 30
    outage_multiplier: float = 4.0  # peak multiplier of the tech_support queue
    outage_hours: float = 5.0  # width of the outage's bump of calls
    billing_error_multiplier: float = 2.6  # billing queue on the day of the error
    queues: tuple[Queue, ...] = QUEUES
    intraday_shares: tuple[float, ...] = BANK_INTRADAY_SHARES
    open_minute: int = OPEN_MINUTE
    close_minute: int = CLOSE_MINUTE


@dataclass(frozen=True)
class QueueingParams:
    mean_patience_seconds: float = 260.0  # callers abandon after an exponential patience
    short_abandon_share: float = 0.03  # callers who hang up within 5 seconds
    mean_ivr_seconds: float = 45.0
    callback_offer_wait_seconds: float = 240.0  # estimated wait above which it is offered
    callback_acceptance: float = 0.25
    callback_delay_minutes: tuple[int, int] = (20, 90)
    callback_reach_rate: float = 0.75  # outbound callbacks that reach the customer
    unidentified_share: float = 0.07  # callers the IVR cannot identify


@dataclass(frozen=True)
class AgentParams:
    ramp_days: int = 90  # tenure by which a new hire reaches full speed and skill
    new_hire_handle_penalty: float = 0.6  # extra handle time on the first day
    new_hire_transfer_extra: float = 0.12  # extra transfer chance on the first day
    new_hire_resolution_penalty: float = 0.2
    misroute_transfer: float = 0.05  # legs transferred because the IVR chose wrong
    talk_sigma: float = 0.55  # log-normal spread of talk time
    mean_hold_seconds: float = 55.0
    agent_speed_sigma: float = 0.12  # spread of individual speed between agents
    cross_skill_share: float = 0.6  # agents who take a second queue


@dataclass(frozen=True)
class ResolutionParams:
    transfer_penalty: float = 0.12  # less chance to resolve for each transfer
    repeat_bonus: float = 0.05  # agents see the history on a repeat call
    repeat_call_probability: float = 0.62  # unresolved issue -> another call
    web_case_probability: float = 0.15  # unresolved issue -> a case opened on the web
    mean_days_to_repeat: float = 1.6
    agent_case_probability: float = 0.35  # agent opens a case for an unresolved call
    mean_case_days: float = 2.5
    case_chase_probability: float = 0.3  # customer calls to chase an open case
    abandon_retry_probability: float = 0.7
    mean_retry_minutes: float = 50.0
    false_containment: float = 0.3  # IVR-contained calls that did not solve the issue
    failed_self_service_call: float = 0.75  # failed digital attempts followed by a call
    mean_hours_to_call_after_digital: float = 1.5


@dataclass(frozen=True)
class SurveyParams:
    post_contact_send_rate: float = 0.35
    base_response_rate: float = 0.15
    extremity_response_boost: float = 0.5  # non-response bias: extremes answer more
    comment_rate: float = 0.35
    relationship_sample: float = 0.08  # share of active customers in a quarterly wave
    relationship_response_rate: float = 0.14


@dataclass(frozen=True)
class CustomerParams:
    segment_shares: tuple[float, float, float] = (0.84, 0.13, 0.03)
    # Relative call propensity per segment (business accounts have many users).
    segment_contact_weight: tuple[float, float, float] = (1.0, 1.8, 3.0)
    contact_propensity_shape: float = 1.6  # gamma shape of individual propensity
    annual_churn: float = 0.16  # baseline for a customer with a clean history
    churn_call_first: float = 0.5  # leaving customers who call retention first
    retention_save_rate: float = 0.35  # of those, the share an experienced agent keeps
    experience_half_life_days: float = 30.0
    # Churn hazard multipliers per unit of (decayed) experience.
    churn_per_unresolved: float = 0.45
    churn_per_repeat: float = 0.2
    churn_per_long_wait: float = 0.25
    churn_per_bad_score: float = 0.5
    churn_per_good_contact: float = -0.15
    upgrade_after_good_contact: float = 0.03
    downgrade_after_bad_contact: float = 0.04
    digital_affinity_mean: float = 0.3  # chance a new issue starts in self-service
    daily_acquisition: float = 0.0004  # new customers per day, as a share of the base
    profile_change_rate: float = 0.0004  # daily chance an e-mail, phone or region changes


@dataclass(frozen=True)
class HrParams:
    agents_per_team: int = 12
    part_time_share: float = 0.2
    contractor_share: float = 0.1
    annual_attrition: float = 0.3  # baseline for a tenured, engaged, normally busy agent
    early_attrition_multiplier: float = 5.0  # in the first 90 days: about 30% leave by day 90
    attrition_per_occupancy_point: float = 4.0  # log-hazard per unit occupancy above 0.85
    attrition_per_engagement_point: float = -0.9  # log-hazard per engagement point
    involuntary_share: float = 0.25
    hiring_cycle_days: int = 28  # a hiring class starts every so often if short-staffed
    training_days: int = 10  # working days in class before taking calls
    absence_rate: float = 0.04
    team_change_monthly: float = 0.015
    pulse_response_rate: float = 0.75
    engagement_mean: float = 3.6


@dataclass(frozen=True)
class DirtyDataParams:
    crlf_tables: tuple[str, ...] = ("agents", "engagement")  # HR exports from Windows
    bom_tables: tuple[str, ...] = ("agents", "engagement")
    redelivered_day_index: int = 3  # orders of this day also arrive gzipped
    late_day_index: int = 5  # calls of this day arrive three days late
    late_by_days: int = 3


@dataclass(frozen=True)
class HandleTimeCut:
    """A cost decision that backfires: from the first day of a later month, one queue's
    agents are coached to keep calls short. Talk time falls, and so does the chance of
    resolving the issue, so repeat contacts (and the churn they bring) rise."""

    queue: str | None = "billing"  # None: no cut
    months_after_start: int = 1  # the cut starts on the 1st of this month after the start
    talk_factor: float = 0.75
    resolution_penalty: float = 0.15


@dataclass(frozen=True)
class ModelParams:
    arrivals: ArrivalParams = field(default_factory=ArrivalParams)
    queueing: QueueingParams = field(default_factory=QueueingParams)
    agents: AgentParams = field(default_factory=AgentParams)
    resolution: ResolutionParams = field(default_factory=ResolutionParams)
    surveys: SurveyParams = field(default_factory=SurveyParams)
    customers: CustomerParams = field(default_factory=CustomerParams)
    hr: HrParams = field(default_factory=HrParams)
    dirty: DirtyDataParams = field(default_factory=DirtyDataParams)
    handle_time_cut: HandleTimeCut = field(default_factory=HandleTimeCut)
