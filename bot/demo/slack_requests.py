"""Signed HTTP requests to the app, shaped exactly as Slack sends them.

The tests drive the app with these, and so does `mentorbot demo`: the requests go through
the real signature check, Bolt and the listeners, over HTTP.
"""

from __future__ import annotations

import http.client
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from bot.demo.response_urls import ResponseUrls
from bot.demo.slack_rules import new_trigger
from bot.demo.stand_in import TEAM_ID

SIGNING_SECRET = "stand-in-signing-secret"  # noqa: S105 - paired with the stand-in only


@dataclass
class Reply:
    """Slack's view of one request: the app's HTTP answer, how long it took (what Slack
    holds to 3 seconds), and what the app posted later to the request's response_url."""

    status: int
    body: str
    elapsed: float = 0.0
    response_url: str = ""
    later: list[dict[str, Any]] = field(default_factory=list)

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.body)

    @property
    def first(self) -> str:
        """What the person sees at once: the answer's blocks' text, or its text."""
        data = self.json
        return blocks_text(data.get("blocks")) or data.get("text", "")

    @property
    def text(self) -> str:
        """All the person sees: the answer, then what came after it, one per line."""
        follow_ups = [blocks_text(m.get("blocks")) or m.get("text", "") for m in self.later]
        return "\n".join([self.first, *follow_ups])


def blocks_text(blocks: list[dict[str, Any]] | str | None) -> str:
    """All the words in a list of blocks, the way a person reads them, one block per line."""
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    lines: list[str] = []
    for block in blocks or []:
        for part in ("text", "label"):
            if isinstance(block.get(part), dict):
                lines.append(block[part]["text"])
        for element in block.get("elements", []) + block.get("fields", []):
            if isinstance(element, dict) and "text" in element:
                text = element["text"]
                lines.append(text["text"] if isinstance(text, dict) else text)
    return "\n".join(lines)


class SlackSender:
    """Sends requests to the app at `host:port` as Slack would, signed with `secret`.

    Each command carries a response_url of its own, served by `response_urls`. With
    `settle` (the app's `Deps.background.wait`), a request returns once the work the app
    does after answering is done too, so what a test reads next is what a person sees."""

    def __init__(
        self,
        host: str,
        port: int,
        secret: str = SIGNING_SECRET,
        *,
        settle: Callable[[], object] | None = None,
        response_urls: ResponseUrls | None = None,
    ) -> None:
        self.host, self.port = host, port
        self.verifier = SignatureVerifier(secret)
        self.settle = settle
        self.response_urls = response_urls or ResponseUrls()
        self._numbers = itertools.count(1)

    def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        timestamp = int(time.time()) if timestamp is None else timestamp
        signature = signature or self.verifier.generate_signature(
            timestamp=str(timestamp), body=body
        )
        all_headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(timestamp),
            "X-Slack-Signature": signature,
            **(headers or {}),
        }
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        started = _monotonic()
        try:
            connection.request("POST", "/slack/events", body=body.encode(), headers=all_headers)
            response = connection.getresponse()
            reply = Reply(response.status, response.read().decode())
        finally:
            connection.close()
        reply.elapsed = _monotonic() - started
        if self.settle is not None and self.settle() is False:
            raise AssertionError("the work after the answer did not finish")
        return reply

    def close(self) -> None:
        self.response_urls.stop()

    def get(self, path: str) -> Reply:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return Reply(response.status, response.read().decode())
        finally:
            connection.close()

    def command(self, name: str, text: str = "", *, user: str, **overrides: Any) -> Reply:
        form = {
            "token": "deprecated-verification-token",
            "team_id": TEAM_ID,
            "team_domain": "mentoring",
            "channel_id": "C0GENERAL",
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": name,
            "text": text,
            "api_app_id": "A0MENTORBOT",
            "is_enterprise_install": "false",
            "response_url": self.response_urls.url(f"command-{next(self._numbers)}"),
            "trigger_id": "1.2.abc",
        }
        signing = _signing(overrides)
        form.update(overrides)
        form["trigger_id"] = new_trigger(str(form["trigger_id"]))
        reply = self.post(urlencode(form), "application/x-www-form-urlencoded", **signing)
        reply.response_url = str(form["response_url"])
        reply.later = self.response_urls.posted_to(reply.response_url)
        return reply

    def event(self, event: dict[str, Any], *, event_id: str = "Ev0001", **kwargs: Any) -> Reply:
        envelope = {
            "token": "deprecated-verification-token",
            "team_id": TEAM_ID,
            "api_app_id": "A0MENTORBOT",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM_ID, "user_id": "UMENTORBOT", "is_bot": True}],
        }
        return self.post(json.dumps(envelope), "application/json", **kwargs)

    def interaction(self, payload: dict[str, Any], **kwargs: Any) -> Reply:
        payload = {
            "team": {"id": TEAM_ID, "domain": "mentoring"},
            "api_app_id": "A0MENTORBOT",
            **payload,
        }
        if "trigger_id" in payload:
            payload["trigger_id"] = new_trigger(str(payload["trigger_id"]))
        return self.post(
            urlencode({"payload": json.dumps(payload)}),
            "application/x-www-form-urlencoded",
            **kwargs,
        )


def _monotonic() -> float:
    """Seconds on a clock freezegun leaves alone (the tests freeze the wall clock)."""
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC) / 1e9


def _signing(overrides: dict[str, Any]) -> dict[str, Any]:
    return {
        key: overrides.pop(key) for key in ("timestamp", "signature", "headers") if key in overrides
    }


def mention(user_id: str, name: str | None = None) -> str:
    """A mention as Slack escapes it in slash-command text."""
    return f"<@{user_id}|{name or user_id.lower()}>"
