"""Reading the values Slack sends in an interaction payload. Pure functions; a value our
messages never carry is a UserError, so a forged or stale payload changes nothing."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from bot.errors import MAX_ID, UserError

Body = dict[str, Any]


def team_of(body: Body) -> str:
    """The workspace the person acted in."""
    team = body.get("team") if isinstance(body.get("team"), dict) else {}
    user = body.get("user") if isinstance(body.get("user"), dict) else {}
    return str(team.get("id") or user.get("team_id") or "")


def user_of(body: Body) -> str:
    user = body.get("user") if isinstance(body.get("user"), dict) else {}
    return str(user.get("id") or "")


def row_id(value: object) -> int:
    """A database id our button carries (ASCII digits, in range), else `stale_button`."""
    text = str(value)
    if not (text.isascii() and text.isdigit() and len(text) <= 10) or not 0 < int(text) <= MAX_ID:
        raise UserError("stale_button")
    return int(text)


def picked_date(action: dict[str, Any]) -> dt.date:
    """The day a date picker's `selected_date` names."""
    try:
        return dt.date.fromisoformat(str(action.get("selected_date")))
    except ValueError:
        raise UserError("stale_button") from None


def metadata_id(view: dict[str, Any], key: str) -> int:
    """The id a modal carries in its private_metadata under `key`."""
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
    except (TypeError, ValueError):
        raise UserError("stale_button") from None
    if not isinstance(metadata, dict):
        raise UserError("stale_button")
    return row_id(metadata.get(key))


def first_input(view: object) -> str | None:
    """The block_id of a submitted view's first input block (where a form's own errors can
    be shown), or None if it has none."""
    blocks = view.get("blocks") if isinstance(view, dict) else None
    for block in blocks if isinstance(blocks, list) else []:
        if isinstance(block, dict) and block.get("type") == "input":
            block_id = block.get("block_id")
            if isinstance(block_id, str) and block_id:
                return block_id
    return None
