"""Each person's private calendar feed: its token, and who a token belongs to.

A token is HMAC-SHA256 of a random 128-bit nonce under the installation's feed key
(bot.settings.Settings.feed_key), 43 URL-safe characters. The database keeps the nonce
and the token's SHA-256, never the token: a copy of the database alone opens no feed,
yet the bot can show a person their link again. A new nonce revokes the old link."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
import secrets

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.db import upsert_insert
from bot.models import CalendarFeed, Person

TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


def token_of(key: bytes, nonce: str) -> str:
    digest = hmac.new(key, b"feed:" + nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_token(
    session: so.Session, person: Person, key: bytes, now: dt.datetime, *, reset: bool = False
) -> str:
    """The person's feed token, issued on first asking (once, whatever asks at the same
    time: `/mentor-calendar` and App Home); with `reset`, a new one (the old link stops
    working at once)."""
    mine = sa.select(CalendarFeed).where(CalendarFeed.person_id == person.id)
    feed = session.scalar(mine)
    if feed is None:
        nonce = secrets.token_hex(16)
        session.execute(
            upsert_insert(session, CalendarFeed)
            .values(
                person_id=person.id,
                nonce=nonce,
                token_hash=_hash(token_of(key, nonce)),
                created_at=now,
            )
            .on_conflict_do_nothing(index_elements=["person_id"])
        )
        feed = session.scalars(mine).one()
    elif reset:
        feed.nonce = secrets.token_hex(16)
        feed.token_hash = _hash(token_of(key, feed.nonce))
        feed.created_at = now
        session.flush()
    return token_of(key, feed.nonce)


def owner_of(session: so.Session, key: bytes, token: str) -> Person | None:
    """Whose feed `token` opens; None for a malformed, unknown or revoked one. The row is
    found by the token's hash and the token then checked against the nonce in constant
    time, so neither the lookup nor the comparison says how close a guess came."""
    if not TOKEN.fullmatch(token):
        return None
    feed = session.scalar(sa.select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token)))
    if feed is None or not hmac.compare_digest(token_of(key, feed.nonce), token):
        return None
    return session.get(Person, feed.person_id)
