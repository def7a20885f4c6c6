"""The simulated center's calls as a contact-center platform would deliver them.

``ccw generate --format connect`` or ``--format genesys`` writes the same center as the
native export (the same simulation, seed for seed), with the calls export replaced by
the platform's own records: Amazon Connect contact records as a Kinesis Data Firehose
stream writes them, or Genesys Cloud conversation detail records as details-job pages.
The other sources (CRM, surveys, HR, agent states) stay in the contract's format: the
platforms' contact records do not carry them.

The records include what real deliveries do: versions updated after the call
(after-contact work), some delivered twice, some older versions arriving after newer
ones, and, for Genesys, conversations cut at the end of a job's interval and delivered
again, complete, by the next job. Which records get which treatment is decided by a
hash of their id, so the same arguments always give the same files.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import json
import os
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ccw.vendors import connect, genesys

CONNECT, GENESYS = connect.VENDOR, genesys.VENDOR
FORMATS = ("native", CONNECT, GENESYS)
INSTANCE_ARN = (
    "arn:aws:connect:us-east-1:111122223333:instance/5f0c4d3e-ccw0-demo-0000-000000000001"
)
CENTER_NUMBER = "+18005550199"
STREAM = "ccw-contact-records"
# Shares of records given each delivery quirk (by a hash of the record's id).
REDELIVERED_SHARE = 0.005
OLDER_VERSION_LATE_SHARE = 0.01


@dataclass
class Leg:
    """One row of the native calls export, times as UTC datetimes."""

    call_id: str
    leg: int
    direction: str
    ani: str
    customer_id: str | None
    queue: str
    ivr_started_at: dt.datetime | None
    queued_at: dt.datetime | None
    answered_at: dt.datetime | None
    ended_at: dt.datetime
    agent_id: str | None
    talk: int
    hold: int
    acw: int
    disposition: str
    wrap_code: str | None
    ivr_path: str | None

    @property
    def started_at(self) -> dt.datetime:
        return self.ivr_started_at or self.queued_at or self.answered_at or self.ended_at

    @property
    def contact_id(self) -> str:
        return self.call_id if self.leg == 1 else f"{self.call_id}-{self.leg}"


def _time(text: str) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC) if text else None


def read_native_calls(telephony: Path) -> dict[str, list[Leg]]:
    """Every call of the generated calls export, its legs in order."""
    calls: dict[str, list[Leg]] = defaultdict(list)
    for path in sorted(telephony.glob("calls_*.csv")):
        with open(path, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                leg = Leg(
                    row["call_id"], int(row["leg"]), row["direction"], row["ani"],
                    row["customer_id"] or None, row["queue"], _time(row["ivr_started_at"]),
                    _time(row["queued_at"]), _time(row["answered_at"]), _time(row["ended_at"]),
                    row["agent_id"] or None, int(row["talk_seconds"]), int(row["hold_seconds"]),
                    int(row["acw_seconds"]), row["disposition"], row["wrap_code"] or None,
                    row["ivr_path"] or None,
                )  # fmt: skip
                calls[leg.call_id].append(leg)
    for legs in calls.values():
        legs.sort(key=lambda leg: leg.leg)
    return calls


def _share(key: str, salt: str) -> float:
    """A stable number in [0, 1) for ``key``: which records get a delivery quirk."""
    digest = hashlib.blake2b(f"{salt}:{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def _uuid(key: str) -> str:
    """A stable UUID-shaped id for ``key``, as the platforms name objects."""
    return str(uuid.UUID(bytes=hashlib.blake2b(key.encode(), digest_size=16).digest()))


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def _agent_username(agent_id: str) -> str:
    return f"{agent_id.lower()}@center.example"


# ------------------------------------------------------------------ Amazon Connect
def connect_records(legs: list[Leg]) -> Iterator[tuple[dict, bool]]:
    """The contact records of one call's legs: (record, is_final_version). A contact an
    agent wraps up is sent when it disconnects and again, complete, after its ACW."""
    callback_origin = legs[0].call_id.removesuffix("-callback")
    is_callback = callback_origin != legs[0].call_id
    for position, leg in enumerate(legs):
        later = legs[position + 1] if position + 1 < len(legs) else None
        if leg.leg == 1:
            method = "CALLBACK" if is_callback else (
                "INBOUND" if leg.direction == "inbound" else "OUTBOUND"
            )  # fmt: skip
            previous = callback_origin if is_callback else None
        else:
            method = "TRANSFER" if _share(leg.contact_id, "queue-transfer") < 0.5 else (
                "QUEUE_TRANSFER"
            )  # fmt: skip
            previous = legs[position - 1].contact_id
        next_contact = later.contact_id if later else None
        if leg.disposition == "callback_requested":
            next_contact = f"{leg.call_id}-callback"
        attributes = {}
        if leg.customer_id:
            attributes["customer_id"] = leg.customer_id
        if leg.ivr_path:
            attributes["ivr_path"] = leg.ivr_path
        if leg.disposition == "ivr_contained":
            attributes["ivr_queue"] = leg.queue
        final_update = leg.ended_at + dt.timedelta(seconds=leg.acw + 5)
        record = {
            "AWSAccountId": "111122223333",
            "AWSContactTraceRecordFormatVersion": "2017-03-10",
            "ContactId": leg.contact_id,
            "InitialContactId": legs[0].contact_id if leg.leg > 1 else None,
            "PreviousContactId": previous,
            "NextContactId": next_contact,
            "Channel": "VOICE",
            "InitiationMethod": method,
            "InitiationTimestamp": _iso(leg.started_at),
            "ConnectedToSystemTimestamp": _iso(leg.started_at),
            "DisconnectTimestamp": _iso(leg.ended_at),
            "DisconnectReason": "AGENT_DISCONNECT" if leg.answered_at else "CUSTOMER_DISCONNECT",
            "TransferCompletedTimestamp": None,
            "LastUpdateTimestamp": _iso(final_update),
            "CustomerEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": leg.ani},
            "SystemEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": CENTER_NUMBER},
            "Queue": None,
            "Agent": None,
            "Attributes": attributes,
        }
        if leg.direction == "outbound" and leg.answered_at:
            record["AnsweringMachineDetectionStatus"] = (
                "VOICEMAIL_BEEP" if leg.disposition == "voicemail" else "HUMAN_ANSWERED"
            )
        if leg.queued_at:
            dequeued = leg.answered_at or leg.ended_at
            record["Queue"] = {
                "ARN": f"{INSTANCE_ARN}/queue/{leg.queue}",
                "Name": leg.queue,
                "EnqueueTimestamp": _iso(leg.queued_at),
                "DequeueTimestamp": _iso(dequeued),
                "Duration": int((dequeued - leg.queued_at).total_seconds()),
            }
        if leg.answered_at:
            record["Agent"] = {
                "ARN": f"{INSTANCE_ARN}/agent/{leg.agent_id}",
                "Username": _agent_username(leg.agent_id),
                "ConnectedToAgentTimestamp": _iso(leg.answered_at),
                "AgentInteractionDuration": leg.talk,
                "CustomerHoldDuration": leg.hold,
                "AfterContactWorkDuration": leg.acw,
                "NumberOfHolds": 1 if leg.hold else 0,
                "RoutingProfile": {"Name": "Frontline"},
            }
            if leg.wrap_code:
                attributes["wrap_code"] = leg.wrap_code
        if leg.answered_at and leg.acw:
            first = json.loads(json.dumps(record))
            first["LastUpdateTimestamp"] = _iso(leg.ended_at)
            first["Agent"]["AfterContactWorkDuration"] = None
            first["Attributes"].pop("wrap_code", None)
            yield first, False
        yield record, True


def _firehose_hour(moment: dt.datetime) -> dt.datetime:
    """The hour whose object a record sent at ``moment`` lands in (a 60 s buffer)."""
    return (moment + dt.timedelta(seconds=60)).replace(minute=0, second=0, microsecond=0)


def write_connect(out: Path, calls: dict[str, list[Leg]]) -> int:
    """Firehose objects under ``out/connect/contact_records/YYYY/MM/DD/HH/``; returns
    the number of records written."""
    hours: dict[dt.datetime, list[str]] = defaultdict(list)
    for legs in calls.values():
        for record, final in connect_records(legs):
            text = json.dumps(record, separators=(",", ":"))
            sent = dt.datetime.fromisoformat(record["LastUpdateTimestamp"])
            hour = _firehose_hour(sent)
            contact = record["ContactId"]
            if not final and _share(contact, "older-late") < OLDER_VERSION_LATE_SHARE:
                hour += dt.timedelta(hours=1)  # the older version arrives after the newer
            hours[hour].append(text)
            if final and _share(contact, "redelivered") < REDELIVERED_SHARE:
                hours[hour + dt.timedelta(hours=1)].append(text)  # at least once
    written = 0
    for hour, records in sorted(hours.items()):
        name = f"{STREAM}-1-{hour:%Y-%m-%d-%H-%M-%S}-{_uuid(str(hour))}"
        path = out / "connect" / "contact_records" / f"{hour:%Y/%m/%d/%H}" / name
        # Firehose concatenates records; some streams add a newline after each.
        separator = "\n" if hour.day % 2 else ""
        data = (separator.join(records) + separator).encode()
        _write(path, gzip.compress(data, mtime=0) if hour.hour % 2 else data, hour)
        written += len(records)
    return written


def _write(path: Path, data: bytes, hour: dt.datetime) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name("." + path.name + ".part")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    delivered = (hour + dt.timedelta(minutes=65)).timestamp()
    os.utime(path, (delivered, delivered))


# ------------------------------------------------------------------ Genesys Cloud
def _ms(seconds: int) -> int:
    return seconds * 1000


def _iso_ms(moment: dt.datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z") if moment else None


def _segment(start, end, kind: str, **extra) -> dict:
    return {"segmentStart": _iso_ms(start), "segmentEnd": _iso_ms(end), "segmentType": kind,
            **{key: value for key, value in extra.items() if value is not None}}  # fmt: skip


def _queue_id(queue: str) -> str:
    return _uuid(f"queue:{queue}")


def _visits(legs: list[Leg], medium: str) -> list[dict]:
    """The acd and agent participants of each leg that reached a queue."""
    participants = []
    for position, leg in enumerate(legs):
        if not leg.queued_at:
            continue
        queue_id = _queue_id(leg.queue)
        dequeued = leg.answered_at or leg.ended_at
        acd_metrics = [{"name": "nOffered", "value": 1}]
        if leg.answered_at:
            acd_metrics.append(
                {"name": "tAcd", "value": _ms(int((dequeued - leg.queued_at).total_seconds()))}
            )
        elif leg.disposition == "abandoned":
            acd_metrics.append(
                {"name": "tAbandon", "value": _ms(int((dequeued - leg.queued_at).total_seconds()))}
            )
        participants.append({
            "participantId": _uuid(f"acd:{leg.contact_id}:{medium}"),
            "participantName": leg.queue,
            "purpose": "acd",
            "sessions": [{
                "mediaType": medium,
                "sessionId": _uuid(f"acd-session:{leg.contact_id}:{medium}"),
                "segments": [_segment(leg.queued_at, dequeued, "interact", queueId=queue_id,
                                      disconnectType="transfer" if leg.answered_at else "peer")],
                "metrics": acd_metrics,
            }],
        })  # fmt: skip
        if not leg.answered_at:
            continue
        talk_end = leg.answered_at + dt.timedelta(seconds=leg.talk // 2)
        hold_end = talk_end + dt.timedelta(seconds=leg.hold)
        segments = [
            _segment(
                leg.answered_at,
                talk_end,
                "voicemail" if leg.disposition == "voicemail" else "interact",
                queueId=queue_id,
            )
        ]
        if leg.disposition == "voicemail":
            segments.insert(
                0, _segment(leg.answered_at, leg.answered_at, "interact", queueId=queue_id)
            )
        if leg.hold:
            segments.append(_segment(talk_end, hold_end, "hold", queueId=queue_id))
        segments.append(_segment(hold_end, leg.ended_at, "interact", queueId=queue_id))
        if leg.acw or leg.wrap_code:
            after = leg.ended_at + dt.timedelta(seconds=leg.acw)
            segments.append(
                _segment(leg.ended_at, after, "wrapup", queueId=queue_id, wrapUpCode=leg.wrap_code)
            )
        transferred = leg.disposition == "transferred" and position + 1 < len(legs)
        metrics = [
            {
                "name": "tAnswered",
                "value": _ms(int((leg.answered_at - leg.queued_at).total_seconds())),
            },
            {"name": "tTalk", "value": _ms(leg.talk)},
            {"name": "tHeld", "value": _ms(leg.hold)},
            {"name": "tAcw", "value": _ms(leg.acw)},
            {"name": "tHandle", "value": _ms(leg.talk + leg.hold + leg.acw)},
        ]
        if transferred:
            metrics.append({"name": "nTransferred", "value": 1})
        participants.append({
            "participantId": _uuid(f"agent:{leg.contact_id}:{medium}"),
            "participantName": f"Agent {leg.agent_id}",
            "purpose": "agent",
            "userId": leg.agent_id,
            "sessions": [{"mediaType": medium, "sessionId": _uuid(f"agent-session:{leg.contact_id}:{medium}"),  # noqa: E501
                          "segments": segments, "metrics": metrics}],
        })  # fmt: skip
    return participants


def genesys_conversation(voice: list[Leg], callback: list[Leg]) -> dict:
    """One conversation: a call's legs, and the callback asked on it, if any. A
    callback asked for but not made by the end of the export keeps the conversation
    open: its callback session is scheduled, and the conversation has no end."""
    legs = voice + callback
    first = voice[0] if voice else callback[0]
    start = min(leg.started_at for leg in legs)
    end = max(leg.ended_at + dt.timedelta(seconds=leg.acw) for leg in legs)
    attributes = {}
    if first.customer_id:
        attributes["customer_id"] = first.customer_id
    if voice and voice[0].ivr_path:
        attributes["ivr_path"] = voice[0].ivr_path
    if voice and voice[0].disposition == "ivr_contained":
        attributes["ivr_queue"] = voice[0].queue
    sessions = []
    if voice:
        sessions.append({
            "mediaType": "voice", "direction": first.direction, "ani": f"tel:{first.ani}",
            "dnis": f"tel:{CENTER_NUMBER}", "sessionId": _uuid(f"customer-voice:{first.call_id}"),
            "segments": [_segment(voice[0].started_at, voice[-1].ended_at, "interact")],
        })  # fmt: skip
    pending = bool(voice) and not callback and voice[0].disposition == "callback_requested"
    if pending:
        sessions.append({
            "mediaType": "callback", "direction": "outbound", "ani": f"tel:{first.ani}",
            "sessionId": _uuid(f"customer-callback:{first.call_id}"),
            "segments": [_segment(voice[0].ended_at, None, "scheduled")],
        })  # fmt: skip
    if callback:
        asked = voice[0].ended_at if voice else callback[0].started_at
        sessions.append({
            "mediaType": "callback", "direction": "outbound", "ani": f"tel:{callback[0].ani}",
            "sessionId": _uuid(f"customer-callback:{first.call_id}"),
            "segments": [_segment(asked, callback[0].queued_at, "scheduled"),
                         _segment(callback[0].queued_at, callback[-1].ended_at, "interact")],
        })  # fmt: skip
    participants = [{
        "participantId": _uuid(f"customer:{first.call_id}"),
        "participantName": first.ani,
        "purpose": "customer",
        "attributes": attributes,
        "sessions": sessions,
    }]  # fmt: skip
    if voice and voice[0].ivr_started_at:
        ivr_end = voice[0].queued_at or voice[0].ended_at
        participants.append({
            "participantId": _uuid(f"ivr:{first.call_id}"),
            "participantName": "Main menu",
            "purpose": "ivr",
            "sessions": [{"mediaType": "voice", "sessionId": _uuid(f"ivr-session:{first.call_id}"),
                          "segments": [_segment(voice[0].ivr_started_at, ivr_end, "ivr")],
                          "metrics": [{"name": "tIvr", "value": _ms(int((ivr_end - voice[0].ivr_started_at).total_seconds()))}]}],  # noqa: E501
        })  # fmt: skip
    participants += _visits(voice, "voice") + _visits(callback, "callback")
    return {
        "conversationId": first.call_id.removesuffix("-callback"),
        "conversationStart": _iso_ms(start),
        "conversationEnd": None if pending else _iso_ms(end),
        "originatingDirection": first.direction if voice else "outbound",
        "divisionIds": ["00000000-0000-0000-0000-000000000000"],
        "participants": participants,
    }


def _cut(conversation: dict, at: dt.datetime) -> dict | None:
    """The conversation as a job run at ``at`` saw it: segments begun by then, the
    ones still going without an end, no end to the conversation, no metrics."""
    if dt.datetime.fromisoformat(conversation["conversationStart"]) >= at:
        return None
    cut = json.loads(json.dumps(conversation))
    cut.pop("conversationEnd")
    for participant in cut["participants"]:
        for session in participant["sessions"]:
            kept = []
            for segment in session["segments"]:
                if dt.datetime.fromisoformat(segment["segmentStart"]) >= at:
                    continue
                if dt.datetime.fromisoformat(segment["segmentEnd"]) > at:
                    segment.pop("segmentEnd")
                kept.append(segment)
            session["segments"] = kept
            session.pop("metrics", None)
        participant["sessions"] = [s for s in participant["sessions"] if s["segments"]]
    cut["participants"] = [p for p in cut["participants"] if p["sessions"]]
    return cut


PAGE_SIZE = 1000


def write_genesys(out: Path, calls: dict[str, list[Leg]]) -> int:
    """Details-job result pages, one job per UTC day (run just after it ends), under
    ``out/genesys/conversations/<day>/``; returns the number of records written."""
    days: dict[dt.date, list[dict]] = defaultdict(list)
    for call_id, legs in calls.items():
        if call_id.endswith("-callback") and call_id.removesuffix("-callback") in calls:
            continue  # in its origin's conversation
        conversation = genesys_conversation(legs, calls.get(f"{call_id}-callback", []))
        start = dt.datetime.fromisoformat(conversation["conversationStart"])
        if conversation["conversationEnd"] is None:  # still open when the export ends
            days[start.date()].append(conversation)
            continue
        end = dt.datetime.fromisoformat(conversation["conversationEnd"])
        day = start.date()
        job_ran = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 10), dt.UTC)
        if end > job_ran:  # still going when the day's job ran: cut, then whole next day
            partial = _cut(conversation, job_ran)
            if partial is not None:
                days[day].append(partial)
            days[day + dt.timedelta(days=1)].append(conversation)
        else:
            days[day].append(conversation)
            if end.date() > day:  # it overlaps the next day's interval too
                days[day + dt.timedelta(days=1)].append(conversation)
    written = 0
    for day, conversations in sorted(days.items()):
        conversations.sort(key=lambda c: c["conversationStart"])
        job = _uuid(f"job:{day}")
        pages = [conversations[i : i + PAGE_SIZE] for i in range(0, len(conversations), PAGE_SIZE)]
        for number, page in enumerate(pages, start=1):
            cursor = _uuid(f"cursor:{day}:{number}") if number < len(pages) else None
            body = {"conversations": page, "dataAvailabilityDate": f"{day}T23:59:59.000Z"}
            if cursor:
                body["cursor"] = cursor
            data = json.dumps(body, separators=(",", ":")).encode()
            path = (
                out / "genesys" / "conversations" / f"{day}" / f"job-{job}-page-{number:04d}.json"
            )
            ran = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 10), dt.UTC)
            if day.day % 2:
                path = path.with_name(path.name + ".gz")
                data = gzip.compress(data, mtime=0)
            _write(path, data, ran - dt.timedelta(minutes=65))
            written += len(page)
    return written


def convert(out: Path, file_format: str) -> int:
    """Replace the native calls export in ``out`` with the platform's records."""
    telephony = out / "telephony"
    calls = read_native_calls(telephony)
    writers = {CONNECT: write_connect, GENESYS: write_genesys}
    written = writers[file_format](out, calls)
    for path in telephony.glob("calls_*.csv"):
        path.unlink()
    return written
