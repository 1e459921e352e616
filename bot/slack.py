"""The one Web API client, and the few user look-ups the listeners need."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.services.errors import UserError


def make_client(*, token: str | None, base_url: str) -> WebClient:
    """A client that retries 429s (after Retry-After), dropped connections and 5xx answers."""
    return WebClient(
        token=token,
        base_url=base_url,
        timeout=10,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


@dataclass(frozen=True)
class SlackUser:
    id: str
    team_id: str
    tz: str
    is_bot: bool
    deleted: bool


def lookup_user(client: WebClient, user_id: str) -> SlackUser:
    """users.info as plain values; an unknown user is a UserError the person can fix."""
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as error:
        if error.response.get("error") in {"user_not_found", "user_not_visible"}:
            raise UserError("unknown_user", user=user_id) from error
        raise
    return SlackUser(
        id=user["id"],
        team_id=user.get("team_id", ""),
        tz=user.get("tz") or "UTC",
        is_bot=bool(user.get("is_bot")) or user["id"] == "USLACKBOT",
        deleted=bool(user.get("deleted")),
    )
