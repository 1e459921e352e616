"""Sending one claimed outbox row to Slack, and settling rows whose outcome is unknown.

- A post Slack answers is marked sent with its `ts`. A 429 leaves the row claimed and
  says which method Slack asked to wait on, and for how long: the caller waits or puts
  the row back (`put_back`). A permanent error fails it once and tells the coordinators;
  others are retried with growing waits, up to MAX_ATTEMPTS.
- A timeout, a dropped connection, a 5xx or an unreadable answer says nothing of whether
  Slack posted: the row stays `sending`, and once its claim is older than `LEASE`,
  `reconcile` looks for its key in the conversation (or, for a file, its name) before it
  is sent again.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.error import HTTPError

import sqlalchemy as sa
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from sqlalchemy import orm as so

from bot.models import OutboxMessage, OutboxStatus
from bot.rhythm import delivery_hours
from bot.slack_limits import retry_after

log = logging.getLogger(__name__)

METADATA_TYPE = "mentorbot_message"


LEASE = dt.timedelta(minutes=5)


MAX_ATTEMPTS = 6


PERMANENT = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "user_not_found",
        "user_disabled",
        "account_inactive",
        "cannot_dm_bot",
        "user_is_bot",
        "restricted_action",
        "messages_tab_disabled",
        "invalid_blocks",
        "msg_too_long",
        "no_text",
        "not_authed",
        "invalid_auth",
        "token_revoked",
        "missing_scope",
    }
)


# Errors after which Slack may have done what was asked all the same ("It's possible some
# aspect of the operation succeeded before the error was raised", Slack's reference).
MAYBE_DONE = frozenset({"internal_error", "fatal_error"})


# How slack_sdk reports an answer that is not JSON (a proxy's or load balancer's page).
NOT_JSON = "Received a response in a non-JSON format"


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: list[OutboxMessage] = field(default_factory=list)
    expired: int = 0
    reconciled: int = 0
    deferred: int = 0  # due, but outside the recipient's working hours: put off
    waited: float = 0.0  # seconds of Retry-After waited out before trying again

    def add(self, other: DeliveryReport) -> None:
        self.sent += other.sent
        self.retried += other.retried
        self.failed.extend(other.failed)
        self.expired += other.expired
        self.reconciled += other.reconciled
        self.deferred += other.deferred
        self.waited += other.waited


@dataclass(frozen=True)
class RateLimited:
    """Slack answered `method` with a 429: wait `retry_after` seconds before calling it."""

    method: str
    retry_after: float


@dataclass(frozen=True)
class Claimed:
    id: int
    key: str
    channel: str
    payload: dict[str, Any]


def send_one(
    sessions: so.sessionmaker[so.Session],
    client: WebClient,
    row: Claimed,
    now: dt.datetime,
    report: DeliveryReport,
    on_failure: Callable[[so.Session, OutboxMessage], None] | None,
) -> RateLimited | None:
    """Post `row` and record the outcome; on a 429 record nothing (the row stays claimed)
    and say what Slack asked."""
    row_id, channel, key, payload = row.id, row.channel, row.key, row.payload
    try:
        if "file" in payload:
            file = payload["file"]
            client.files_upload_v2(
                channel=channel, **{**file, "content": base64.b64decode(file["content"])}
            )
            ts = None  # the share's ts comes later, by event; reconcile goes by file name
        else:
            response = client.chat_postMessage(
                channel=channel,
                text=payload["text"],
                blocks=payload["blocks"],
                metadata={"event_type": METADATA_TYPE, "event_payload": {"key": key}},
                unfurl_links=False,
            )
            ts = response.get("ts")
    except SlackApiError as error:
        if error.response.status_code == 429:
            return RateLimited(_method(error), retry_after(error.response.headers))
        if not _outcome_unknown(error):
            _record_error(sessions, row_id, error, now, report, on_failure)
            return None
        # A 5xx or an unreadable answer says nothing about whether Slack posted: like a
        # timeout (below), leave the row `sending` for reconcile() to look before resending.
        log.warning("outbox %s: %s; will check Slack before retrying", key, _code(error))
        report.retried += 1
        return None
    except json.JSONDecodeError as error:
        # An answer cut off or not JSON at all (slack_sdk raises this one as it is when the
        # body starts like JSON): the same, Slack may have the message.
        log.warning("outbox %s: unreadable answer (%s); will check Slack first", key, error.msg)
        report.retried += 1
        return None
    except (SlackRequestError, HTTPError) as error:
        # The upload URL answered with an error status (urllib raises HTTPError, an OSError,
        # for 4xx and 5xx; slack_sdk a SlackRequestError for any other status but 200), so
        # files.completeUploadExternal was never called and nothing was shared: try again
        # after a backoff, like any refused call, and give up after MAX_ATTEMPTS.
        log.warning("outbox %s: %s", key, error)
        with sessions.begin() as session:
            _retry_or_fail(session, row_id, "upload_refused", now, report, on_failure)
        return None
    except OSError as error:
        # A timeout or a dropped connection after the request went out: Slack may have the
        # message. Leave the row `sending`; once its claim is older than LEASE, reconcile()
        # looks for the key in the conversation before it is sent again.
        log.warning("outbox %s: %s; will check Slack before retrying", key, error)
        report.retried += 1
        return None
    with sessions.begin() as session:
        _mark_sent(session, row_id, ts, now)
    report.sent += 1
    return None


def put_back(
    sessions: so.sessionmaker[so.Session],
    rows: list[Claimed],
    when: dt.datetime,
    *,
    tried: Claimed | None = None,
) -> None:
    """Rows this delivery claimed and did not post (Slack asked to wait longer than it
    may): pending again from `when`. Only `tried` (answered 429) counts as an attempt."""
    untried = [row.id for row in rows if row is not tried]
    with sessions.begin() as session:
        if tried is not None:
            _retry_later(session, tried.id, when, "ratelimited")
        if untried:
            session.execute(
                sa.update(OutboxMessage)
                .where(OutboxMessage.id.in_(untried), OutboxMessage.status == OutboxStatus.SENDING)
                .values(
                    status=OutboxStatus.PENDING,
                    not_before=when,
                    error="ratelimited",
                    attempts=OutboxMessage.attempts - 1,
                )
            )


def _mark_sent(session: so.Session, row_id: int, ts: str | None, now: dt.datetime) -> None:
    session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == row_id)
        .values(status=OutboxStatus.SENT, slack_ts=ts, sent_at=now, error=None)
    )


def _record_error(
    sessions: so.sessionmaker[so.Session],
    row_id: int,
    error: SlackApiError,
    now: dt.datetime,
    report: DeliveryReport,
    on_failure: Callable[[so.Session, OutboxMessage], None] | None,
) -> None:
    with sessions.begin() as session:
        _retry_or_fail(session, row_id, _code(error), now, report, on_failure)


def _method(error: SlackApiError) -> str:
    """The Web API method that answered `error` (files_upload_v2 calls several)."""
    return str(error.response.api_url or "").rstrip("/").rsplit("/", 1)[-1]


def _code(error: SlackApiError) -> str:
    return str(error.response.get("error") or f"http_{error.response.status_code}")


def _outcome_unknown(error: SlackApiError) -> bool:
    """Whether Slack may have done the call that answered `error`."""
    code = str(error.response.get("error") or "")
    return error.response.status_code >= 500 or code in MAYBE_DONE or code.startswith(NOT_JSON)


def _retry_or_fail(
    session: so.Session,
    row_id: int,
    code: str,
    now: dt.datetime,
    report: DeliveryReport,
    on_failure: Callable[[so.Session, OutboxMessage], None] | None,
) -> None:
    """A refused send: failed for good if `code` is permanent or the row is out of attempts
    (coordinators are told through `on_failure`), else tried again after a backoff."""
    row = session.get_one(OutboxMessage, row_id)
    if code in PERMANENT or row.attempts >= MAX_ATTEMPTS:
        row.status, row.error = OutboxStatus.FAILED, code
        log.error("outbox %s failed permanently: %s", row.key, code)
        report.failed.append(row)
        if on_failure is not None:
            on_failure(session, row)
    else:
        _retry_later(session, row_id, now + _backoff(row.attempts), code)
        report.retried += 1


def _retry_later(
    target: so.Session | so.sessionmaker[so.Session], row_id: int, when: dt.datetime, error: str
) -> None:
    statement = (
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == row_id)
        .values(status=OutboxStatus.PENDING, not_before=when, error=error)
    )
    if isinstance(target, so.Session):
        target.execute(statement)
        return
    with target.begin() as session:
        session.execute(statement)


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(minutes=min(2**attempts, 60))


def reconcile(sessions: so.sessionmaker[so.Session], client: WebClient, now: dt.datetime) -> int:
    """Settle rows left `sending` longer than LEASE: found in Slack means sent, else resend."""
    with sessions() as session:
        stale = session.execute(
            sa.select(
                OutboxMessage.id,
                OutboxMessage.key,
                OutboxMessage.channel,
                OutboxMessage.claimed_at,
                OutboxMessage.payload,
            ).where(
                OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_at < now - LEASE
            )
        ).all()
    for row in stale:
        try:
            filename = (row.payload.get("file") or {}).get("filename")
            ts = _find_posted(client, row.channel, row.key, row.claimed_at, filename=filename)
        except (SlackApiError, OSError, json.JSONDecodeError) as error:
            # Leave it `sending` for a later pass; one unreadable conversation (or a 429 on
            # conversations.history) must not stop delivery of everything else.
            detail = _code(error) if isinstance(error, SlackApiError) else error
            log.warning("outbox %s: cannot check Slack yet (%s)", row.key, detail)
            continue
        with sessions.begin() as session:
            if ts is not None:
                _mark_sent(session, row.id, ts, now)
            else:
                _retry_later(session, row.id, now, "reconciled")
    return len(stale)


def _find_posted(
    client: WebClient, channel: str, key: str, since: dt.datetime, *, filename: str | None = None
) -> str | None:
    """The ts of our message carrying `key` in `channel`, posted since `since`, if any;
    for a file, the ts of the message sharing a file called `filename`."""
    if delivery_hours.is_user_id(channel):  # a DM addressed by user ID: find the IM's ID
        channel = client.conversations_open(users=channel)["channel"]["id"]
    # `since` is the pass's instant, which `tick --at` may set anywhere; Slack's ts are wall
    # time, so look back a day from whichever is earlier.
    since = min(since, dt.datetime.now(dt.UTC)) - dt.timedelta(days=1)
    oldest = f"{since.timestamp():.6f}"
    cursor = None
    while True:
        page: Any = client.conversations_history(
            channel=channel, oldest=oldest, include_all_metadata=True, limit=200, cursor=cursor
        )
        for message in page.get("messages", []):
            if filename is not None:
                if any(f.get("name") == filename for f in message.get("files") or []):
                    return message["ts"]
                continue
            metadata = message.get("metadata") or {}
            if metadata.get("event_type") == METADATA_TYPE and (
                metadata.get("event_payload", {}).get("key") == key
            ):
                return message["ts"]
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return None
