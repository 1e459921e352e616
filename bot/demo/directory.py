"""The stand-in's people: user objects as Slack shapes them, and the methods that read
them (users.info, users.list, users.lookupByEmail), over a dict of users by ID."""

from __future__ import annotations

from typing import Any

Users = dict[str, dict[str, Any]]


def new_user(
    user_id: str,
    *,
    team_id: str,
    tz: str,
    name: str | None,
    email: str | None,
    is_bot: bool,
    deleted: bool,
) -> dict[str, Any]:
    """A user object as users.info gives it (the fields the bot reads, and a few more)."""
    name = name or user_id.lower()
    return {
        "id": user_id,
        "team_id": team_id,
        "name": name,
        "real_name": name.title(),
        "deleted": deleted,
        "is_bot": is_bot,
        "tz": tz,
        "profile": {"real_name": name.title(), "display_name": name, "email": email},
    }


def users_info(users: Users, args: dict[str, Any]) -> dict[str, Any]:
    user = users.get(args["user"])
    if user is None:
        return {"ok": False, "error": "user_not_found"}
    return {"ok": True, "user": user}


def users_list(users: Users, args: dict[str, Any]) -> dict[str, Any]:
    """A page of the workspace's people: `limit` of them (Slack's default 0 means all,
    which it no longer honours past a few hundred; here it is capped at 1000) after the
    opaque `cursor`."""
    people = list(users.values())
    start = int(str(args.get("cursor") or "0").removeprefix("dXNlcjo") or 0)
    limit = min(int(args.get("limit") or 1000), 1000)
    page = people[start : start + limit]
    after = start + limit
    cursor = f"dXNlcjo{after}" if after < len(people) else ""
    return {"ok": True, "members": page, "response_metadata": {"next_cursor": cursor}}


def lookup_by_email(users: Users, args: dict[str, Any]) -> dict[str, Any]:
    for user in list(users.values()):
        if user["profile"].get("email") == args["email"]:
            return {"ok": True, "user": user}
    return {"ok": False, "error": "users_not_found"}
