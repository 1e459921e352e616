"""Finishing a `/mentor-pair` after Slack has been answered.

The command saves a `PairRequest` and answers at once; then, outside any transaction,
both people are looked up (users.info) and their conversation opened (conversations.open
gives the same group DM every time), and one transaction stores the pair with its welcome
owed and marks the request finished. The coordinator is told the outcome where they typed
the command (its response_url, good for 30 minutes) or, later than that, in a DM.

The web process finishes a request right after answering; the clock's pass finishes any a
stopped process left (claimed longer ago than `LEASE`, or never claimed), so a request
Slack acknowledged is never lost, and the claim makes sure it is finished once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from urllib.error import URLError

import sqlalchemy as sa
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.webhook import WebhookClient
from sqlalchemy import orm as so

from bot.db import transaction
from bot.errors import UserError
from bot.logs import describe
from bot.messages.blocks import Message
from bot.messages.errors import user_error
from bot.messages.pairs import pair_created, welcome
from bot.models import Cadence, Pair, PairRequest, Programme
from bot.rhythm.outbox import DeliveryReport, Owed, enqueue
from bot.services.pairs import create_pair, refuse_second_pair
from bot.services.people import get_or_create_person
from bot.slack import SlackUser, lookup_user

log = logging.getLogger(__name__)

COMMAND = "/mentor-pair"
LEASE = dt.timedelta(minutes=2)
MAX_ATTEMPTS = 5
# Slack accepts posts to a command's response_url for 30 minutes; past that, a DM.
RESPONSE_URL_LIFETIME = dt.timedelta(minutes=29)
# Answers after which Slack may do it if asked again: a request waits for the next pass.
TRANSIENT = frozenset({"internal_error", "fatal_error", "service_unavailable", "request_timeout"})

Deliver = Callable[[list[str]], DeliveryReport]


@dataclass(frozen=True)
class Request:
    """A claimed request's values, read in the claiming transaction."""

    id: int
    programme_id: int
    team_id: str
    coordinator: str
    mentor: str
    mentee: str
    cadence: Cadence | None
    weekday: int | None
    response_url: str | None
    created_at: dt.datetime
    attempts: int
    claimed_at: dt.datetime


def save(
    session: so.Session,
    *,
    programme_id: int,
    team_id: str,
    coordinator: str,
    mentor: str,
    mentee: str,
    cadence: Cadence | None,
    weekday: int | None,
    response_url: str | None,
    now: dt.datetime,
) -> int:
    """The request, refused at once if the two are already an open pair; its id."""
    refuse_second_pair(
        session, programme_id=programme_id, team_id=team_id, first=mentor, second=mentee
    )
    request = PairRequest(
        programme_id=programme_id,
        team_id=team_id,
        coordinator=coordinator,
        mentor=mentor,
        mentee=mentee,
        cadence=cadence,
        weekday=weekday,
        response_url=response_url,
        created_at=now,
    )
    session.add(request)
    session.flush()
    return request.id


def finish_left(
    sessions: so.sessionmaker[so.Session],
    client: WebClient,
    now: dt.datetime,
    *,
    deliver: Deliver,
) -> int:
    """The clock's part: finish the requests a stopped process left; how many finished.
    A request that fails in a way nobody foresaw is logged and tried again at the next
    pass (up to MAX_ATTEMPTS), and never holds up the rest of the pass."""
    finished = 0
    for request_id in unfinished(sessions, now):
        try:
            finished += finish(sessions, client, request_id, now=lambda: now, deliver=deliver)
        except Exception as error:
            log.error("pair request %s not finished: %s", request_id, describe(error))
    return finished


def unfinished(sessions: so.sessionmaker[so.Session], now: dt.datetime) -> list[int]:
    """Requests nobody is finishing: never claimed, or claimed longer ago than LEASE."""
    with sessions() as session:
        return list(
            session.scalars(
                sa.select(PairRequest.id).where(_claimable(now)).order_by(PairRequest.id)
            )
        )


class Lost(Exception):
    """The request's claim lapsed and another finisher took it over."""


def finish(
    sessions: so.sessionmaker[so.Session],
    client: WebClient,
    request_id: int,
    *,
    now: Callable[[], dt.datetime],
    deliver: Deliver,
) -> bool:
    """Finish the request if nobody else is: the pair stored and welcomed, or the reason
    it was refused; the coordinator told either way. False if it stays for a later try
    (Slack did not answer, or asked to wait) or someone else has it. Everything that
    ends a request is fenced by this finisher's claim, so a finisher whose claim lapsed
    while Slack was slow changes nothing and tells nobody."""
    request = _claim(sessions, request_id, now())
    if request is None:
        return False
    if request.attempts > MAX_ATTEMPTS:
        return _refused(sessions, request, UserError("slack_unavailable"), now(), deliver)
    try:
        people = [_pairable(client, user_id) for user_id in (request.mentor, request.mentee)]
        conversation = client.conversations_open(users=[request.mentor, request.mentee])
        pair_id, key = _store(sessions, request, people, conversation["channel"]["id"], now())
    except Lost:
        return False
    except UserError as error:
        return _refused(sessions, request, error, now(), deliver)
    except SlackApiError as error:
        code = str(error.response.get("error") or "unknown_error")
        if code == "ratelimited":  # Slack asked to wait: not an attempt spent
            _release(sessions, request, attempt_spent=False)
            return False
        if error.response.status_code >= 500 or code in TRANSIENT:
            _release(sessions, request, attempt_spent=True)
            return False
        return _refused(sessions, request, UserError("slack_refused", error=code), now(), deliver)
    except (SlackRequestError, URLError, OSError) as error:
        log.warning("pair request %s waits for Slack: %s", request.id, type(error).__name__)
        _release(sessions, request, attempt_spent=True)
        return False
    report = deliver([key])
    failed = report.failed[0].error if report.failed else None
    with sessions() as session:
        pair = session.get_one(Pair, pair_id)
        reply = pair_created(
            pair, welcome_error=failed, welcome_waiting=not (report.sent or failed)
        )
    _tell(sessions, request, reply, now(), deliver)
    return True


def _claimable(now: dt.datetime) -> sa.ColumnElement[bool]:
    return sa.or_(PairRequest.claimed_at.is_(None), PairRequest.claimed_at < now - LEASE)


def _claim(
    sessions: so.sessionmaker[so.Session], request_id: int, now: dt.datetime
) -> Request | None:
    with transaction(sessions) as session:
        claimed = session.execute(
            sa.update(PairRequest)
            .where(PairRequest.id == request_id, _claimable(now))
            .values(claimed_at=now, attempts=PairRequest.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            return None
        row = session.get_one(PairRequest, request_id)
        return Request(
            id=row.id,
            programme_id=row.programme_id,
            team_id=row.team_id,
            coordinator=row.coordinator,
            mentor=row.mentor,
            mentee=row.mentee,
            cadence=row.cadence,
            weekday=row.weekday,
            response_url=row.response_url,
            created_at=row.created_at,
            attempts=row.attempts,
            claimed_at=now,
        )


def _mine(request: Request) -> sa.ColumnElement[bool]:
    """The request, while this finisher's claim still holds it."""
    return sa.and_(PairRequest.id == request.id, PairRequest.claimed_at == request.claimed_at)


def _release(
    sessions: so.sessionmaker[so.Session], request: Request, *, attempt_spent: bool
) -> None:
    """Slack asked to wait, or did not answer: the next pass tries again."""
    attempts = PairRequest.attempts if attempt_spent else PairRequest.attempts - 1
    with transaction(sessions) as session:
        session.execute(
            sa.update(PairRequest)
            .where(_mine(request))
            .values(claimed_at=None, attempts=attempts)
            .execution_options(synchronize_session=False)
        )


def _pairable(client: WebClient, user_id: str) -> SlackUser:
    user = lookup_user(client, user_id)
    if user.is_bot:
        raise UserError("bot_user", user=user_id)
    if user.deleted:
        raise UserError("deactivated_user", user=user_id)
    return user


def _store(
    sessions: so.sessionmaker[so.Session],
    request: Request,
    people: list[SlackUser],
    conversation: str,
    now: dt.datetime,
) -> tuple[int, str]:
    """The pair stored with its welcome owed and the request finished, in one
    transaction; (the pair's id, the welcome's key). Two requests for the same two people
    racing: the unique index keeps one, and the other is told the pair exists."""
    try:
        return _store_once(sessions, request, people, conversation, now)
    except sa.exc.IntegrityError:
        return _store_once(sessions, request, people, conversation, now)


def _store_once(
    sessions: so.sessionmaker[so.Session],
    request: Request,
    people: list[SlackUser],
    conversation: str,
    now: dt.datetime,
) -> tuple[int, str]:
    with transaction(sessions) as session:
        if not _forget(session, request):
            raise Lost
        refuse_second_pair(
            session,
            programme_id=request.programme_id,
            team_id=request.team_id,
            first=request.mentor,
            second=request.mentee,
        )
        mentor, mentee = (
            get_or_create_person(
                session, team_id=request.team_id, user_id=u.id, tz=u.tz, name=u.name
            )
            for u in people
        )
        pair = create_pair(
            session,
            programme=session.get_one(Programme, request.programme_id),
            mentor=mentor,
            mentee=mentee,
            cadence=request.cadence,
            weekday=request.weekday,
            created_by=request.coordinator,
            now=now,
        )
        pair.conversation_id = conversation
        key = f"welcome:{pair.id}"
        enqueue(session, [Owed(key, "welcome", conversation, welcome(pair), now, pair.id)])
        return pair.id, key


def _refused(
    sessions: so.sessionmaker[so.Session],
    request: Request,
    error: UserError,
    now: dt.datetime,
    deliver: Deliver,
) -> bool:
    """Nothing is stored, and the request is forgotten; the coordinator is told why
    (unless another finisher has taken the request over: False)."""
    with transaction(sessions) as session:
        if not _forget(session, request):
            return False
    _tell(sessions, request, user_error(error, command=COMMAND), now, deliver)
    return True


def _forget(session: so.Session, request: Request) -> bool:
    """Delete the request if this finisher still holds it; whether it did."""
    deleted = session.execute(
        sa.delete(PairRequest).where(_mine(request)).execution_options(synchronize_session=False)
    )
    return deleted.rowcount == 1


def _tell(
    sessions: so.sessionmaker[so.Session],
    request: Request,
    reply: Message,
    now: dt.datetime,
    deliver: Deliver,
) -> None:
    """Where the coordinator typed the command, while its response_url lasts; else a DM,
    owed through the outbox like any message (so a 429 delays it, and loses nothing)."""
    if request.response_url and now - request.created_at < RESPONSE_URL_LIFETIME:
        try:
            answer = WebhookClient(request.response_url, timeout=10).send(
                response_type="ephemeral", replace_original=False, **reply.as_kwargs()
            )
            if answer.status_code == 200:
                return
            log.warning("response_url refused the outcome: HTTP %s", answer.status_code)
        except (URLError, OSError) as error:
            log.warning("response_url unreachable: %s", type(error).__name__)
    key = f"pair_request_answer:{request.id}"
    with transaction(sessions) as session:
        enqueue(session, [Owed(key, "pair_request_answer", request.coordinator, reply, now)])
    deliver([key])
