"""The meeting days in people's own calendars: `/mentor-calendar` hands out a person's
private feed link (or a new one), and the web process serves the feed it opens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlsplit

from sqlalchemy import orm as so

from bot.db import transaction
from bot.deps import Deps
from bot.messages import calendars as calendar_messages
from bot.messages.blocks import Message
from bot.models import Person
from bot.rhythm.meeting_days import calendar_events
from bot.services.calendar_feeds import feed_token, owner_of
from bot.services.people import get_or_create_person

FEED_PATH = "/calendar/"


@dataclass(frozen=True)
class Feed:
    etag: str  # a strong validator, known before the body is written
    write: Callable[[], bytes]  # the body: written only for a client that lacks it


def calendar_link(deps: Deps, *, team_id: str, user_id: str, reset: bool) -> Message:
    """`/mentor-calendar [reset]`: the person's feed link, privately; with `reset`, a new
    one that revokes the old. Where feeds are not set up, what the operator must set."""
    missing = _missing_setting(deps)
    if missing:
        return calendar_messages.feed_unavailable(missing)
    with transaction(deps.sessions) as session:
        person = get_or_create_person(session, team_id=team_id, user_id=user_id)
        url = feed_url(deps, session, person, reset=reset)
    return calendar_messages.feed_link(url or "", reset=reset)


def feed_url(deps: Deps, session: so.Session, person: Person, *, reset: bool = False) -> str | None:
    """The person's feed link (issued on first asking); None where feeds are not set up."""
    key, base = deps.settings.feed_key, deps.settings.public_url
    if key is None or base is None:
        return None
    token = feed_token(session, person, key, deps.now(), reset=reset)
    return f"{base}{FEED_PATH}{token}.ics"


def feed(deps: Deps, token: str) -> Feed | None:
    """The feed `token` opens, as of now; None for a token that opens none (malformed,
    unknown or revoked: the caller answers each the same)."""
    key, base = deps.settings.feed_key, deps.settings.public_url
    if key is None:
        return None
    with deps.sessions() as session:
        person = owner_of(session, key, token)
        if person is None:
            return None
        host = urlsplit(base).hostname if base else None
        events = calendar_events(session, person, deps.now(), uid_host=host or "mentorbot")
    return Feed(calendar_messages.feed_tag(events), partial(calendar_messages.feed, events))


def _missing_setting(deps: Deps) -> str | None:
    if deps.settings.public_url is None:
        return "MENTORBOT_PUBLIC_URL"
    if deps.settings.feed_key is None:
        return "SLACK_SIGNING_SECRET"
    return None
