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
) -> list[Owed]:
    """The alert `message`, owed once under `key` (once per admin for DMs)."""
    if programme.coordinator_channel_id:
        return [Owed(key, "alert", programme.coordinator_channel_id, message, now, pair_id)]
    return [
        Owed(f"{key}:{admin}", "alert", admin, message, now, pair_id) for admin in sorted(admins)
    ]
