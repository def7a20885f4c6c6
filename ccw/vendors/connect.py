"""Amazon Connect contact records: their contract, and how they become call legs.

A Kinesis Data Firehose delivery stream on the instance's contact records writes them
to S3 under ``YYYY/MM/DD/HH/`` prefixes, in files without an extension, gzipped or
not, one record per line or concatenated; a sync of the bucket puts them under
``landing/connect/contact_records/``. Each record is one *contact* (AWS's contact
record data model); delivery is at least once and a contact's record is sent again
when it changes after the contact ends (after-contact work, attributes), so the
version with the latest ``LastUpdateTimestamp`` is the current one.

A contact is a call leg. The legs of a call share the call's ``InitialContactId``
(the first contact's own id) and follow their ``InitiationTimestamp``; TRANSFER and
QUEUE_TRANSFER contacts are later legs, a CALLBACK starts a call of its own. Voice
contacts become legs; chats, tasks and e-mails stay in the raw table and are counted
in the run summary. docs/bring-your-own-data.md states every field read.
"""

from __future__ import annotations

from ccw.contract import INTEGER, JSON, TIMESTAMP, Column, Table

VENDOR = "connect"


def _field(name: str, path: str, type_: str = "string", nullable: bool = True, pii=False):
    return Column(name, type_, nullable=nullable, pii=pii, json_path=path)


CONTACT_RECORDS = Table(
    "telephony",
    "connect_contact_records",
    key=("contact_id",),
    version_column="last_update_timestamp",
    folder="connect/contact_records",
    delivered_as="json",
    description=(
        "Amazon Connect contact records as Kinesis Data Firehose delivers them: one row "
        "per delivered version of a contact; the latest LastUpdateTimestamp wins."
    ),
    columns=(
        _field("contact_id", "$.ContactId", nullable=False),
        _field("initial_contact_id", "$.InitialContactId"),
        _field("previous_contact_id", "$.PreviousContactId"),
        _field("next_contact_id", "$.NextContactId"),
        _field("channel", "$.Channel", nullable=False),
        _field("initiation_method", "$.InitiationMethod", nullable=False),
        _field("initiation_timestamp", "$.InitiationTimestamp", TIMESTAMP, nullable=False),
        _field("disconnect_timestamp", "$.DisconnectTimestamp", TIMESTAMP),
        _field("disconnect_reason", "$.DisconnectReason"),
        _field("last_update_timestamp", "$.LastUpdateTimestamp", TIMESTAMP, nullable=False),
        _field("transfer_completed_timestamp", "$.TransferCompletedTimestamp", TIMESTAMP),
        _field("queue_name", "$.Queue.Name"),
        _field("queue_enqueue_timestamp", "$.Queue.EnqueueTimestamp", TIMESTAMP),
        _field("queue_dequeue_timestamp", "$.Queue.DequeueTimestamp", TIMESTAMP),
        _field("queue_duration", "$.Queue.Duration", INTEGER),
        _field("agent_arn", "$.Agent.ARN"),
        _field("agent_username", "$.Agent.Username", pii=True),
        _field("agent_connected_timestamp", "$.Agent.ConnectedToAgentTimestamp", TIMESTAMP),
        _field("agent_interaction_duration", "$.Agent.AgentInteractionDuration", INTEGER),
        _field("agent_customer_hold_duration", "$.Agent.CustomerHoldDuration", INTEGER),
        _field("agent_after_contact_work_duration", "$.Agent.AfterContactWorkDuration", INTEGER),
        _field("answering_machine_detection_status", "$.AnsweringMachineDetectionStatus"),
        _field("customer_endpoint_address", "$.CustomerEndpoint.Address", pii=True),
        # Set by the center's contact flows; may hold anything, so kept as personal data.
        _field("attributes", "$.Attributes", JSON, pii=True),
    ),
)

TIME_ORDER = (
    (
        "initiation_timestamp",
        "queue_enqueue_timestamp",
        "queue_dequeue_timestamp",
        "disconnect_timestamp",
    ),
    (
        "initiation_timestamp",
        "queue_enqueue_timestamp",
        "agent_connected_timestamp",
        "disconnect_timestamp",
    ),
    ("initiation_timestamp", "last_update_timestamp"),
)
DURATIONS = (
    "queue_duration",
    "agent_interaction_duration",
    "agent_customer_hold_duration",
    "agent_after_contact_work_duration",
)

# Contact attributes the center's flows set, read by these names.
CUSTOMER_ID_ATTRIBUTE = "customer_id"
IVR_PATH_ATTRIBUTE = "ivr_path"
IVR_QUEUE_ATTRIBUTE = "ivr_queue"
WRAP_CODE_ATTRIBUTE = "wrap_code"
# The queue of a voice contact that reached no queue and names none in its attributes.
NO_QUEUE = "no_queue"
OUTBOUND_METHODS = ("OUTBOUND", "CALLBACK", "API", "EXTERNAL_OUTBOUND")
VOICEMAIL_STATUSES = ("VOICEMAIL_BEEP", "VOICEMAIL_NO_BEEP")


def call_id_sql(alias: str = "") -> str:
    """The call a contact is a leg of: a callback's own id, else the call's first contact."""
    p = f"{alias}." if alias else ""
    return (
        f"case when {p}initiation_method = 'CALLBACK' then {p}contact_id "
        f"else coalesce({p}initial_contact_id, {p}contact_id) end"
    )


def legs_sql(calls: str) -> str:
    """The call legs of the current voice contacts of the calls in relation ``calls``
    (one column, ``call_id``), in the columns of the contract's calls table, then the
    record's id and lineage."""
    attribute = "json_extract_string(attributes, '$.{}')".format
    outbound = ", ".join(f"'{method}'" for method in OUTBOUND_METHODS)
    return f"""
    with contacts as (
        select *, {call_id_sql()} as call_id
        from raw.connect_contact_records
        where _is_current and channel = 'VOICE'
    ),
    in_scope as (
        select contacts.*,
            row_number() over call_order as leg,
            first_value(initiation_method) over call_order as first_method,
            first_value(customer_endpoint_address) over call_order as first_address,
            first_value({attribute(CUSTOMER_ID_ATTRIBUTE)}) over call_order
                as first_customer_id,
            count(*) over (partition by call_id) as legs_in_call
        from contacts
        where call_id in (select call_id from {calls})
        window call_order as (
            partition by call_id order by initiation_timestamp, contact_id
            rows between unbounded preceding and unbounded following)
    )
    select
        call_id,
        leg,
        case when first_method in ({outbound}) then 'outbound' else 'inbound' end
            as direction,
        coalesce(customer_endpoint_address, first_address) as ani,
        coalesce({attribute(CUSTOMER_ID_ATTRIBUTE)}, first_customer_id) as customer_id,
        coalesce(queue_name, {attribute(IVR_QUEUE_ATTRIBUTE)}, '{NO_QUEUE}') as queue,
        case when leg = 1 and first_method not in ({outbound})
            then initiation_timestamp end as ivr_started_at,
        queue_enqueue_timestamp as queued_at,
        agent_connected_timestamp as answered_at,
        disconnect_timestamp as ended_at,
        case when agent_connected_timestamp is not null
            then regexp_extract(agent_arn, '/agent/([^/]+)$', 1) end as agent_id,
        coalesce(agent_interaction_duration, 0) as talk_seconds,
        coalesce(agent_customer_hold_duration, 0) as hold_seconds,
        coalesce(agent_after_contact_work_duration, 0) as acw_seconds,
        case
            when agent_connected_timestamp is not null
                and answering_machine_detection_status in
                    ({", ".join(f"'{s}'" for s in VOICEMAIL_STATUSES)})
                then 'voicemail'
            when agent_connected_timestamp is not null and (
                leg < legs_in_call
                or next_contact_id is not null
                or transfer_completed_timestamp is not null)
                then 'transferred'
            when agent_connected_timestamp is not null then 'answered'
            when queue_enqueue_timestamp is not null and next_contact_id is not null
                then 'callback_requested'
            when queue_enqueue_timestamp is not null then 'abandoned'
            else 'ivr_contained'
        end as disposition,
        {attribute(WRAP_CODE_ATTRIBUTE)} as wrap_code,
        case when leg = 1 and first_method not in ({outbound})
            then {attribute(IVR_PATH_ATTRIBUTE)} end as ivr_path,
        contact_id as record_id,
        _source_file, _line_number, _load_id, _loaded_at, _file_date, true as _is_current
    from in_scope"""


def affected_calls_sql(keys: str) -> str:
    """The calls whose legs the contacts in relation ``keys`` (``contact_id``) touch:
    their calls now, and the calls their legs were derived into before."""
    return f"""
    select {call_id_sql()} as call_id from raw.connect_contact_records
    where contact_id in (select contact_id from {keys})
    union
    select call_id from raw.connect_call_legs
    where record_id in (select contact_id from {keys})"""
