"""The coordinator channel the tests configure, and what was posted in it."""

from __future__ import annotations

import json
from typing import Any

COORDINATOR_CHANNEL = "C0COORDS"


def is_digest(args: dict[str, Any]) -> bool:
    """Whether a chat.postMessage call (or a stored message) is the scheduled weekly digest.

    Tests about alerts and pairs' messages set it aside; tests/rhythm/test_digest_schedule.py is
    about it."""
    metadata = args.get("metadata")
    if isinstance(metadata, str):
        metadata = json.loads(metadata)
    key = ((metadata or {}).get("event_payload") or {}).get("key") or ""
    return key.startswith("digest:")


def alerts_in(slack: Any, channel: str = COORDINATOR_CHANNEL) -> list[dict[str, Any]]:
    """What the coordinator channel was sent, apart from the weekly digest."""
    return [m for m in slack.messages_in(channel) if not is_digest(m)]
