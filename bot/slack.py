"""The one Web API client, and the few user look-ups the listeners need."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web import SlackResponse

from bot.errors import UserError
from bot.models.people import MAX_NAME
from bot.slack_limits import Pacer, retry_after
from bot.text import typed


def make_client(
    *,
    token: str | None,
    base_url: str,
    wait_on_429: bool = True,
    pacer: Pacer | None = None,
    logger: logging.Logger | None = None,
) -> WebClient:
    """A client that retries dropped connections and 5xx answers, and 429s after Retry-After.

    The outbox passes `wait_on_429=False`: a 429 comes back to it, which shares the
    Retry-After with every sender of every process (bot/rhythm/pacing.py) and decides
    whether to wait it out or to put the message back for a later pass. With a `pacer`,
    each call first waits for room in its method's tier (`import-pairs`, which makes
    thousands of calls and nothing else is waiting on). `logger`: where slack_sdk logs
    each call and failed attempt (by default its own).
    """
    if wait_on_429:
        handlers = [
            ConnectionErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=2),
            RetryAfterHandler(max_retry_count=3),
        ]
    else:
        # The outbox's client: retry only failures before the request was sent (urllib wraps
        # those in URLError); after it, Slack may have posted, so the outbox checks first.
        # So no ServerErrorRetryHandler: a 5xx may come after the post. (HTTPError is a
        # URLError too, but comes with a response, which this handler never retries;
        # tests/rhythm/test_unknown_outcome.py checks a 5xx is asked once.)
        handlers = [ConnectionErrorRetryHandler(max_retry_count=2, error_types=[URLError])]
    options: dict[str, Any] = {"token": token, "base_url": base_url, "timeout": 10}
    if logger is not None:
        options["logger"] = logger
    if pacer is not None:
        return PacedClient(pacer, retry_handlers=handlers, **options)
    return WebClient(retry_handlers=handlers, **options)


class PacedClient(WebClient):
    """A WebClient whose every call goes through `pacer` (every method's helper, like
    `conversations_open`, ends in `api_call`)."""

    def __init__(self, pacer: Pacer, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pacer = pacer

    def api_call(self, api_method: str, **kwargs: Any) -> SlackResponse:  # type: ignore[override]
        with self.pacer.paced(api_method):
            return super().api_call(api_method, **kwargs)


class RetryAfterHandler(RateLimitErrorRetryHandler):
    """Retries a 429 once its Retry-After has passed, read as a number of seconds.

    slack_sdk's own handler reads the header with `int()`, which fails on the stand-in's
    decimals (its scaled minutes, see bot/demo/rate_limits.py), and adds up to a whole
    random second, which Slack's truthful Retry-After does not need. Here the jitter is at
    most 5% of the wait: enough that processes sharing the token do not all come back in
    the same millisecond.
    """

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if response is None:
            raise error  # type: ignore[misc]
        state.next_attempt_requested = True
        wait = retry_after(response.headers)
        time.sleep(wait * (1 + random.uniform(0, 0.05)))  # noqa: S311
        state.increment_current_attempt()


@dataclass(frozen=True)
class SlackUser:
    id: str
    team_id: str
    tz: str | None  # None when Slack gives no zone
    is_bot: bool
    deleted: bool
    email: str | None = None  # with the users:read.email scope
    name: str | None = None  # the name Slack shows (see shown_name); None if it gives none


def lookup_user(client: WebClient, user_id: str) -> SlackUser:
    """users.info as plain values; an unknown user is a UserError the person can fix."""
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as error:
        if error.response.get("error") in {"user_not_found", "user_not_visible"}:
            raise UserError("unknown_user", user=user_id) from error
        raise
    return parse_user(user)


def parse_user(user: dict) -> SlackUser:
    """A user object from users.info or users.lookupByEmail, as plain values."""
    return SlackUser(
        id=user["id"],
        team_id=user.get("team_id", ""),
        tz=user.get("tz") or None,
        is_bot=bool(user.get("is_bot")) or user["id"] == "USLACKBOT",
        deleted=bool(user.get("deleted")),
        email=((user.get("profile") or {}).get("email") or "").lower() or None,
        name=shown_name(user),
    )


def shown_name(user: dict[str, Any]) -> str | None:
    """The name Slack shows for a user object (from users.info, users.list or a
    `user_change` event): the display name they chose, else their real name (the profile's,
    then the user's), else their handle; without control characters, stripped, cut to
    MAX_NAME. None if Slack gives none (a partial object, or values of the wrong type)."""
    profile = user.get("profile")
    profile = profile if isinstance(profile, dict) else {}
    for value in (
        profile.get("display_name"),
        profile.get("real_name"),
        user.get("real_name"),
        user.get("name"),
    ):
        if isinstance(value, str) and (name := typed(value).strip()):
            return name[:MAX_NAME].rstrip()
    return None


USERS_PAGE = 200  # people per users.list call: Slack's advice for a Tier 2 method


def workspace_users(client: WebClient) -> Iterator[SlackUser]:
    """Everyone in the workspace, a users.list page (USERS_PAGE people) per call."""
    cursor = None
    while True:
        page = client.users_list(limit=USERS_PAGE, cursor=cursor)
        for user in page.get("members") or []:
            yield parse_user(user)
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return
