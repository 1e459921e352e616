"""What Slack requires of a Web API call, as the stand-in enforces it: the arguments a
method cannot go without, the bot scope it needs (from `manifest.yml`), the limits of a
message, and trigger ids that live 3 seconds."""

from __future__ import annotations

import json
import time
from typing import Any

# Arguments Slack refuses a call without (from Slack's method reference).
REQUIRED = {
    "chat.postMessage": ("channel",),
    "chat.postEphemeral": ("channel", "user"),
    "chat.update": ("channel", "ts"),
    "users.info": ("user",),
    "conversations.history": ("channel",),
    "users.lookupByEmail": ("email",),
    "views.publish": ("user_id", "view"),
    "views.open": ("trigger_id", "view"),
    "views.update": ("view",),
    "files.getUploadURLExternal": ("filename", "length"),
    "files.completeUploadExternal": ("files",),
}
MAX_BLOCKS = 50

# The bot scope each method needs (Slack's method reference, "Required scopes", bot
# tokens). A conversation kind's name stands for the scope that kind needs, below.
SCOPES: dict[str, str | dict[str, str] | None] = {
    "auth.test": None,
    "users.info": "users:read",
    "users.lookupByEmail": "users:read.email",
    "users.list": "users:read",
    "conversations.open": {
        "im": "im:write",
        "mpim": "mpim:write",
        "private": "groups:write",
        "public": "channels:manage",
    },
    "conversations.history": {
        "im": "im:history",
        "mpim": "mpim:history",
        "private": "groups:history",
        "public": "channels:history",
    },
    "chat.postMessage": "chat:write",
    "chat.postEphemeral": "chat:write",
    "chat.update": "chat:write",
    "views.publish": None,
    "views.open": None,
    "views.update": None,
    "files.getUploadURLExternal": "files:write",
    "files.completeUploadExternal": "files:write",
}
TRIGGER_LIFETIME_MS = 3000


def new_trigger(label: str) -> str:
    """A trigger id as Slack sends one with an interaction or a command: stamped with the
    instant it was issued (a monotonic clock freezegun leaves alone), valid for 3 seconds."""
    return f"{_monotonic_ms()}.{label}"


def trigger_problem(trigger: str) -> str | None:
    """Slack's error for a trigger id it did not issue, or issued over 3 seconds ago."""
    issued, _, _ = trigger.partition(".")
    if not (issued.isascii() and issued.isdigit()):
        return "invalid_trigger_id"
    if _monotonic_ms() - int(issued) > TRIGGER_LIFETIME_MS:
        return "expired_trigger_id"
    return None


def _monotonic_ms() -> int:
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1_000_000


def message_problem(args: dict[str, Any]) -> str | None:
    blocks = args.get("blocks")
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    if not (args.get("text") or blocks or args.get("attachments")):
        return "no_text"
    if blocks is not None and (not isinstance(blocks, list) or len(blocks) > MAX_BLOCKS):
        return "invalid_blocks"
    return None
