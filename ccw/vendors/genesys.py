"""Genesys Cloud conversation detail records: their contract, and how they become legs.

The analytics conversation details query, or a details job, returns conversations:
each has participants (purpose customer, ivr, acd, agent), each participant sessions
(one per medium: voice, callback, chat...), each session segments (ivr, interact,
hold, wrapup...) and metrics (tIvr, tAcd, tAnswered, tAbandon, tTalk, tHeld, tAcw,
tHandle, nTransferred; times in milliseconds). Files under ``landing/genesys/
conversations/`` hold job result pages (``{"conversations": [...], "cursor": ...}``),
JSON arrays or JSON lines, gzipped or not. A job returns every conversation that
overlaps its interval, so a conversation still going when one job ran comes again,
grown, in the next: the most complete version is current (an ended conversation over
one still going, then more segments, then the later delivery).

Each queue visit is a leg: an ACD session (its queue is the acd participant's name)
and the agent session that answered it (the first, at or after the visit began, on
the same queue). A voice conversation that reached no queue is one leg the IVR ended.
An in-queue callback is a callback session in the same conversation; its visits make
a call of their own, ``<conversationId>-callback``, and the voice visit it was asked
on is ``callback_requested``. A conversation still going (a callback not yet made, a
long call across the job's end) gives the legs of the visits that have ended; the
rest follow when a later job delivers them.
docs/bring-your-own-data.md states every field read.
"""

from __future__ import annotations

from ccw.contract import INTEGER, JSON, TIMESTAMP, Column, Table

VENDOR = "genesys"
NO_QUEUE = "no_queue"
CALLBACK_SUFFIX = "-callback"
_SEGMENTS = "json_extract(_doc, '$.participants[*].sessions[*].segments[*]')"

CONVERSATIONS = Table(
    "telephony",
    "genesys_conversations",
    key=("conversation_id",),
    version_column="completeness",
    folder="genesys/conversations",
    page_key="conversations",
    delivered_as="json",
    description=(
        "Genesys Cloud conversation detail records as a details job returns them: one row "
        "per delivered version of a conversation; the most complete version wins."
    ),
    columns=(
        Column("conversation_id", json_path="$.conversationId"),
        Column("conversation_start", TIMESTAMP, json_path="$.conversationStart"),
        Column("conversation_end", TIMESTAMP, nullable=True, json_path="$.conversationEnd"),
        Column("originating_direction", nullable=True, json_path="$.originatingDirection"),
        Column(
            "media_type",
            nullable=True,
            json_path="$.participants[0].sessions[0].mediaType",
        ),
        # Names, numbers and attributes of the people in the conversation: personal data.
        Column("participants", JSON, json_path="$.participants", pii=True),
        # Ended (a million) plus segments so far: what "more complete" compares.
        Column(
            "completeness",
            INTEGER,
            sql=f"(json_extract_string(_doc, '$.conversationEnd') is not null)::int * 1000000"
            f" + coalesce(len({_SEGMENTS}), 0)",
        ),
    ),
)

TIME_ORDER = (("conversation_start", "conversation_end"),)
DURATIONS: tuple[str, ...] = ()

_SHAPE = """'[{"purpose": "VARCHAR", "userId": "VARCHAR", "participantName": "VARCHAR",
  "attributes": "JSON",
  "sessions": [{"mediaType": "VARCHAR", "direction": "VARCHAR", "ani": "VARCHAR",
    "segments": [{"segmentStart": "TIMESTAMPTZ", "segmentEnd": "TIMESTAMPTZ",
      "segmentType": "VARCHAR", "queueId": "VARCHAR", "wrapUpCode": "VARCHAR"}],
    "metrics": [{"name": "VARCHAR", "value": "BIGINT"}]}]}]'"""


def segments_out_of_order_sql(participants: str, tolerance_seconds: int) -> str:
    """SQL: whether any segment of ``participants`` ends before it starts."""
    return f"""len(list_filter(
        flatten(flatten(list_transform(json_transform({participants}, {_SHAPE}),
            lambda p: list_transform(p.sessions, lambda s: s.segments)))),
        lambda g: g.segmentEnd < g.segmentStart - interval {int(tolerance_seconds)} second)) > 0"""


def _metric_total(name: str) -> str:
    """The sum of a session's metric ``name`` (0 when absent)."""
    return (
        f"coalesce(list_sum(list_transform(list_filter(metrics, lambda m: m.name = '{name}'), "
        "lambda m: m.value)), 0)"
    )


def _seconds(name: str) -> str:
    """A session's time metric in whole seconds (the records give milliseconds)."""
    return f"round({_metric_total(name)} / 1000)::bigint"


def legs_sql(calls: str) -> str:
    """The call legs of the ended conversations behind the calls in relation ``calls``
    (one column, ``call_id``), in the columns of the contract's calls table, then the
    record's id and lineage."""
    return f"""
    with conversations as (
        select conversation_id, originating_direction, media_type, conversation_start,
            conversation_end, json_transform(participants, {_SHAPE}) as parts,
            _source_file, _line_number, _load_id, _loaded_at, _file_date
        from raw.genesys_conversations
        where _is_current and lower(media_type) = 'voice'
            and (conversation_id in (select call_id from {calls})
                or conversation_id || '{CALLBACK_SUFFIX}' in (select call_id from {calls}))
    ),
    participants as (
        select * exclude (parts), unnest(parts, recursive := false) as p
        from conversations
    ),
    sessions as (
        select * exclude (p), p.purpose, p.userId as user_id,
            p.participantName as participant_name, p.attributes, unnest(p.sessions) as s
        from participants
    ),
    flat as (
        select * exclude (s), lower(s.mediaType) as medium, s.ani, s.segments, s.metrics,
            list_min(list_transform(s.segments, lambda g: g.segmentStart)) as session_start,
            list_max(list_transform(s.segments, lambda g: g.segmentEnd)) as session_end,
            list_filter(s.segments, lambda g: g.segmentType = 'interact') as interacts,
            list_filter(s.segments, lambda g: g.queueId is not null)[1].queueId as queue_id
        from sessions
    ),
    customers as (
        select conversation_id,
            any_value(json_extract_string(attributes, '$.customer_id')) as customer_id,
            any_value(json_extract_string(attributes, '$.ivr_path')) as ivr_path,
            any_value(json_extract_string(attributes, '$.ivr_queue')) as ivr_queue,
            any_value(regexp_replace(ani, '^tel:', '')) filter (where medium = 'voice')
                as voice_ani,
            any_value(regexp_replace(ani, '^tel:', '')) filter (where medium = 'callback')
                as callback_ani,
            bool_or(medium = 'callback') as has_callback
        from flat where purpose = 'customer' group by all
    ),
    ivr as (
        select conversation_id, min(session_start) as ivr_start, max(session_end) as ivr_end
        from flat where purpose = 'ivr' group by all
    ),
    visits as (
        select conversation_id, medium, participant_name as queue, queue_id,
            list_min(list_transform(interacts, lambda g: g.segmentStart)) as queued_at,
            list_max(list_transform(interacts, lambda g: g.segmentEnd)) as visit_end,
            _source_file, _line_number, _load_id, _loaded_at, _file_date, originating_direction
        from flat where purpose = 'acd'
    ),
    ended_visits as (  -- a visit still going is a leg once it ends
        select * from visits where visit_end is not null
    ),
    agents as (
        select conversation_id, medium, queue_id, user_id,
            list_min(list_transform(interacts, lambda g: g.segmentStart)) as answered_at,
            list_max(list_transform(
                list_filter(segments, lambda g: g.segmentType in ('interact', 'hold')),
                lambda g: g.segmentEnd)) as ended_at,
            {_seconds("tTalk")} as talk_seconds,
            {_seconds("tHeld")} as hold_seconds,
            {_seconds("tAcw")} as acw_seconds,
            {_metric_total("nTransferred")} as transfers,
            list_filter(segments, lambda g: g.segmentType = 'wrapup')[1].wrapUpCode as wrap_code,
            len(list_filter(segments, lambda g: g.segmentType = 'voicemail')) > 0 as voicemail
        from flat where purpose = 'agent' and len(interacts) > 0
    ),
    answered as (
        select visits.*, agents.user_id, agents.answered_at, agents.ended_at as agent_end,
            agents.talk_seconds, agents.hold_seconds, agents.acw_seconds, agents.transfers,
            agents.wrap_code, agents.voicemail
        from ended_visits as visits asof left join agents
            on agents.conversation_id = visits.conversation_id
            and agents.medium = visits.medium
            and agents.queue_id = visits.queue_id
            and agents.answered_at >= visits.queued_at
    ),
    queue_legs as (
        select answered.*,
            conversation_id || case when medium = 'callback' then '{CALLBACK_SUFFIX}' else ''
                end as call_id,
            row_number() over (partition by conversation_id, medium order by queued_at)
                as leg,
            count(*) over (partition by conversation_id, medium) as legs_in_call
        from answered
        -- an answered visit is a leg once the agent's part of the call has ended
        where answered_at is null or agent_end is not null
    ),
    ivr_only as (
        select conversations.conversation_id, conversation_id as call_id, 1 as leg,
            originating_direction, _source_file, _line_number, _load_id, _loaded_at, _file_date
        from conversations
        where conversation_end is not null
            and conversation_id not in (select conversation_id from visits where medium = 'voice')
    )
    select
        q.call_id,
        q.leg,
        case when q.medium = 'callback' then 'outbound'
            else coalesce(lower(q.originating_direction), 'inbound') end as direction,
        case when q.medium = 'callback' then coalesce(c.callback_ani, c.voice_ani)
            else c.voice_ani end as ani,
        c.customer_id,
        coalesce(q.queue, '{NO_QUEUE}') as queue,
        case when q.leg = 1 and q.medium = 'voice'
                and coalesce(lower(q.originating_direction), 'inbound') = 'inbound'
            then i.ivr_start end as ivr_started_at,
        q.queued_at,
        q.answered_at,
        coalesce(q.agent_end, q.visit_end) as ended_at,
        q.user_id as agent_id,
        coalesce(q.talk_seconds, 0) as talk_seconds,
        coalesce(q.hold_seconds, 0) as hold_seconds,
        coalesce(q.acw_seconds, 0) as acw_seconds,
        case
            when q.answered_at is not null and q.voicemail then 'voicemail'
            when q.answered_at is not null and (q.leg < q.legs_in_call or q.transfers > 0)
                then 'transferred'
            when q.answered_at is not null then 'answered'
            when q.medium = 'voice' and c.has_callback then 'callback_requested'
            else 'abandoned'
        end as disposition,
        q.wrap_code,
        case when q.leg = 1 and q.medium = 'voice'
                and coalesce(lower(q.originating_direction), 'inbound') = 'inbound'
            then c.ivr_path end as ivr_path,
        q.conversation_id as record_id,
        q._source_file, q._line_number, q._load_id, q._loaded_at, q._file_date,
        true as _is_current
    from queue_legs as q
    left join customers as c using (conversation_id)
    left join ivr as i using (conversation_id)
    where q.medium in ('voice', 'callback')
    union all
    select
        o.call_id, 1, coalesce(lower(o.originating_direction), 'inbound'), c.voice_ani,
        c.customer_id, coalesce(c.ivr_queue, '{NO_QUEUE}'), i.ivr_start, null, null,
        coalesce(i.ivr_end, conv.conversation_end), null, 0, 0, 0, 'ivr_contained', null,
        c.ivr_path, o.conversation_id,
        o._source_file, o._line_number, o._load_id, o._loaded_at, o._file_date, true
    from ivr_only as o
    join conversations as conv using (conversation_id)
    left join customers as c using (conversation_id)
    left join ivr as i using (conversation_id)"""


def affected_calls_sql(keys: str) -> str:
    """The calls the conversations in relation ``keys`` (``conversation_id``) make:
    the voice call and its callback, and the calls their legs were derived into."""
    return f"""
    select conversation_id as call_id from {keys}
    union select conversation_id || '{CALLBACK_SUFFIX}' from {keys}
    union select call_id from raw.genesys_call_legs
    where record_id in (select conversation_id from {keys})"""
