"""Where a programme's alerts go: its coordinator channel, or, for a programme without
one, a DM to each of the installation's admins. The one owner of that rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from bot.messages.blocks import Message
from bot.models import Programme
from bot.rhythm.outbox import Owed


def to_coordinators(
    programme: Programme,
    admins: Iterable[str],
    *,
    key: str,
    message: Message,
    now: dt.datetime,
    pair_id: int | None,
    expires_at: dt.datetime | None = None,
) -> list[Owed]:
    """The alert `message`, owed from `now` once under `key` (once per admin for DMs)."""
    if programme.coordinator_channel_id:
        channels = {key: programme.coordinator_channel_id}
    else:
        channels = {f"{key}:{admin}": admin for admin in sorted(admins)}
    return [
        Owed(each, "alert", channel, message, now, pair_id, expires_at)
        for each, channel in channels.items()
    ]
