"""A local stand-in of the Slack Web API, served over real HTTP.

The tests point `SLACK_API_URL` at it, and so does `mentorbot demo`. It answers the
methods the bot calls the way Slack does (required arguments, the error strings Slack
really returns, response shapes after Slack's own examples), records every call with its
arguments, and can be told to answer a call with a 429 and Retry-After, with an error, or
with a server error (after doing what was asked, or not). `slow()` gives it Slack's
latency, and `limit()` Slack's rate limits (`bot/demo/rate_limits.py`; off by default).

It checks scopes as Slack does: the token has the bot scopes of the repository's
`manifest.yml` (in a checkout; an installed wheel has no manifest, and then no call is
refused for its scopes), and a call the scopes do not cover is answered `missing_scope`
with `needed` and `provided`; every answer names the token's scopes in Slack's
`x-oauth-scopes` header. The scope a `conversations.*` call needs depends on the kind
of conversation, which the stand-in decides from the ID, a rule of its own (Slack's IDs
say less): a channel registered with `add_channel(..., private=True)` is a private
channel (`groups:`); otherwise `D…` is a DM (`im:`), `G…` a group DM (`mpim:`; the pair
conversations conversations.open gives here start with G), `C…` a public channel
(`channels:`), and a user ID (`U…`/`W…`, as `chat.postMessage` takes) the DM with them.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from bot.demo import directory
from bot.demo.api_server import serve
from bot.demo.mishaps import Mishaps
from bot.demo.rate_limits import RateLimits
from bot.demo.slack_rules import (
    REQUIRED,
    SCOPES,
    message_problem,
    trigger_problem,
)
from bot.demo.uploads import UPLOAD_PATH, Uploads
from bot.manifest import manifest_scopes

TEAM_ID = "T0MENTOR"
BOT_USER_ID = "UMENTORBOT"
TOKEN = "xoxb-stand-in"  # noqa: S105 - the stand-in accepts any xoxb- token


@dataclass(frozen=True)
class Call:
    method: str
    args: dict[str, Any]


@dataclass
class SlackStandIn(Mishaps):
    """Start with `start()`; `url` is then the base URL for `WebClient(base_url=...)`.

    What can go wrong on demand (`fail`, `rate_limit`, `server_error`, `unreadable`) is
    in bot/demo/mishaps.py."""

    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    _ts: itertools.count = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    history: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    _delays: dict[str, float] = field(default_factory=dict)
    uploads: Uploads = field(default_factory=Uploads)
    # Slack's rate limits, once limit() turns them on.
    limits: RateLimits | None = None
    # The token's bot scopes (see the module's docstring); None checks none.
    scopes: frozenset[str] | None = field(default_factory=manifest_scopes)
    private_channels: set[str] = field(default_factory=set)
    # Called with the method's name as each call arrives (a test's look at the caller's state).
    watchers: list[Callable[[str], None]] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    # --- the test's side -------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        *,
        tz: str = "Europe/London",
        name: str | None = None,
        email: str | None = None,
        is_bot: bool = False,
        deleted: bool = False,
    ) -> dict[str, Any]:
        user = directory.new_user(
            user_id, team_id=TEAM_ID, tz=tz, name=name, email=email, is_bot=is_bot, deleted=deleted
        )
        self.users[user_id] = user
        return user

    def add_channel(self, channel_id: str, *, private: bool = False) -> None:
        """Make `channel_id` a private channel (scopes `groups:`), or not."""
        (self.private_channels.add if private else self.private_channels.discard)(channel_id)

    def kind_of(self, channel: str) -> str:
        """The kind of conversation `channel` is here: im, mpim, private or public."""
        if channel in self.private_channels:
            return "private"
        if channel.startswith(("D", "U", "W")):
            return "im"
        if channel.startswith("G"):
            return "mpim"
        return "public"

    def slow(self, method: str, seconds: float) -> None:
        """Answer every call of `method` ("*": of every method) only after `seconds`: Slack's
        latency, or time to catch a process mid-pass."""
        self._delays[method] = seconds

    def limit(
        self,
        *,
        minute: float = 60.0,
        workspace_posts: int = 525,
        post_burst: int = 3,
        clock: Callable[[], float] = time.monotonic,
    ) -> SlackStandIn:
        """Refuse calls past Slack's rate limits with 429 and a truthful Retry-After, a Slack
        minute lasting `minute` real seconds of `clock` (see bot/demo/rate_limits.py);
        each call starts the limits afresh."""
        self.limits = RateLimits(
            minute=minute, workspace_posts=workspace_posts, post_burst=post_burst, clock=clock
        )
        return self

    @property
    def limited(self) -> Counter[str]:
        """The 429s the rate limits answered, per method (none while they are off)."""
        return self.limits.limited if self.limits is not None else Counter()

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def messages_in(self, channel: str) -> list[dict[str, Any]]:
        return [
            c.args for c in self.calls_to("chat.postMessage") if c.args.get("channel") == channel
        ]

    def files_in(self, channel: str) -> list[dict[str, Any]]:
        """The files shared in `channel`, oldest first, each with its `content` bytes."""
        return self.uploads.in_channel(channel)

    def reset_calls(self) -> None:
        with self._lock:
            self.calls.clear()

    @staticmethod
    def conversation_id(*user_ids: str) -> str:
        """The group DM conversations.open gives for these people (and the bot)."""
        return "G" + "".join(sorted(u[-3:] for u in user_ids)).upper()

    # --- serving ---------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the stand-in first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/api/"

    def start(self) -> SlackStandIn:
        # Looked up at each request, so a test may replace either while the server runs.
        self._server = serve(
            lambda *request: self._respond(*request),
            lambda path, content: self.uploads.receive(path, content),
            upload_path=UPLOAD_PATH,
        )
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # --- answering -------------------------------------------------------------------

    def _respond(
        self, path: str, raw: str, content_type: str, auth: str
    ) -> tuple[int, dict[str, Any] | str, dict[str, str]]:
        status, body, headers = self._answer(path, raw, content_type, auth)
        return status, body, {**self.scope_header(auth), **headers}

    def _answer(
        self, path: str, raw: str, content_type: str, auth: str
    ) -> tuple[int, dict[str, Any] | str, dict[str, str]]:
        method = path.rsplit("/", 1)[-1]
        args = _parse(raw, content_type)
        with self._lock:  # one step: the n-th call recorded is the one given the n-th plan
            self.calls.append(Call(method, args))
            planned = self.next_planned(method)
        for watch in self.watchers:
            watch(method)
        if planned is not None and not planned.perform:
            return planned.status, planned.body, planned.headers
        if not auth.startswith("Bearer xoxb-"):
            return 200, {"ok": False, "error": "not_authed"}, {}
        delay = self._delays.get(method, self._delays.get("*"))
        if delay:
            threading.Event().wait(delay)
        refused = self._rate_limited(method, args)
        if refused is not None:
            return refused
        needed = self.scope_needed(method, args)
        if needed is not None and self.scopes is not None and needed not in self.scopes:
            refused = {
                "ok": False,
                "error": "missing_scope",
                "needed": needed,
                "provided": ",".join(sorted(self.scopes)),
            }
            return 200, refused, {}
        missing = [a for a in REQUIRED.get(method, ()) if not args.get(a)]
        if missing:
            return 200, {"ok": False, "error": f"missing_argument: {missing[0]}"}, {}
        answer = self._methods().get(method)
        if answer is None:
            return 200, {"ok": False, "error": "unknown_method"}, {}
        body = answer(args)
        if planned is not None:
            return planned.status, planned.body, planned.headers
        return 200, body, {}

    def _rate_limited(
        self, method: str, args: dict[str, Any]
    ) -> tuple[int, dict[str, Any], dict[str, str]] | None:
        """Slack's 429 for a call past the limits, when they are on; else None."""
        if self.limits is None:
            return None
        wait = self.limits.admit(method, str(args.get("channel") or ""))
        if wait is None:
            return None
        body = {"ok": False, "error": "ratelimited"}
        return 429, body, {"Retry-After": self.limits.retry_after(wait)}

    def scope_header(self, auth: str) -> dict[str, str]:
        """Slack's `x-oauth-scopes` header, which every Web API answer to a token carries:
        the token's scopes, comma-separated (none when the stand-in checks no scopes)."""
        if self.scopes is None or not auth.startswith("Bearer xoxb-"):
            return {}
        return {"x-oauth-scopes": ",".join(sorted(self.scopes))}

    def scope_needed(self, method: str, args: dict[str, Any]) -> str | None:
        """The bot scope a call of `method` with `args` needs (None: none)."""
        scope = SCOPES.get(method)
        if not isinstance(scope, dict):
            return scope
        if method == "conversations.open" and not args.get("channel"):
            users = _list_arg(args.get("users"))
            return scope["mpim" if len(users) > 1 else "im"]
        return scope[self.kind_of(str(args.get("channel") or ""))]

    def _methods(self) -> dict[str, Callable[[dict[str, Any]], dict[str, Any]]]:
        return {
            "auth.test": self._auth_test,
            "users.info": partial(directory.users_info, self.users),
            "users.lookupByEmail": partial(directory.lookup_by_email, self.users),
            "users.list": partial(directory.users_list, self.users),
            "conversations.open": self._conversations_open,
            "conversations.history": self._conversations_history,
            "chat.postMessage": self._post_message,
            "chat.postEphemeral": self._post_ephemeral,
            "chat.update": self._chat_update,
            "views.publish": self._view,
            "views.open": self._view_open,
            "views.update": self._view,
            "files.getUploadURLExternal": self._get_upload_url,
            "files.completeUploadExternal": self._complete_upload,
        }

    @staticmethod
    def _auth_test(args: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://mentoring.slack.com/",
            "team": "Mentoring",
            "user": "mentorbot",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": "BMENTORBOT",
            "is_enterprise_install": False,
        }

    def _conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        users = _list_arg(args.get("users"))
        if args.get("channel"):
            return {"ok": True, "channel": {"id": args["channel"]}}
        if not users:
            return {"ok": False, "error": "user_not_found"}
        for user_id in users:
            user = self.users.get(user_id)
            if user is None:
                return {"ok": False, "error": "user_not_found"}
            if user["deleted"]:
                return {"ok": False, "error": "user_disabled"}
        if len(users) == 1:
            return {"ok": True, "channel": {"id": "D" + users[0][1:]}}
        return {"ok": True, "channel": {"id": self.conversation_id(*users)}}

    def _next_ts(self) -> str:
        return f"{int(time.time())}.{next(self._ts):06d}"

    def _post_message(self, args: dict[str, Any]) -> dict[str, Any]:
        problem = message_problem(args)
        if problem:
            return {"ok": False, "error": problem}
        channel = args["channel"]
        if channel.startswith(("U", "W")):  # posting to a user ID posts in the DM with them
            if channel not in self.users:
                return {"ok": False, "error": "channel_not_found"}
            if self.users[channel]["deleted"]:
                return {"ok": False, "error": "user_disabled"}
            channel = "D" + channel[1:]
        ts = self._next_ts()
        metadata = args.get("metadata")
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        posted = {"type": "message", "user": BOT_USER_ID, "text": args.get("text"), "ts": ts}
        if metadata:
            posted["metadata"] = metadata
        with self._lock:
            self.history[channel].append(posted)
        return {"ok": True, "channel": channel, "ts": ts, "message": posted}

    def _conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        oldest = float(args.get("oldest") or 0)
        with_metadata = str(args.get("include_all_metadata")).lower() in {"1", "true"}
        with self._lock:
            messages = [dict(m) for m in reversed(self.history[args["channel"]])]
        messages = [m for m in messages if float(m["ts"]) > oldest]
        if not with_metadata:
            for m in messages:
                m.pop("metadata", None)
        return {"ok": True, "messages": messages, "has_more": False}

    def _post_ephemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        problem = message_problem(args)
        if problem:
            return {"ok": False, "error": problem}
        return {"ok": True, "message_ts": self._next_ts()}

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "channel": args["channel"], "ts": args["ts"], "text": args.get("text")}

    def _get_upload_url(self, args: dict[str, Any]) -> dict[str, Any]:
        host, port = self._server.server_address[:2]  # type: ignore[union-attr]
        file_id = f"F{next(self._ts):08d}"
        return self.uploads.get_upload_url(args, file_id, f"http://{host}:{port}")

    def _complete_upload(self, args: dict[str, Any]) -> dict[str, Any]:
        return self.uploads.complete(args, self._share)

    def _share(self, channel: str, message: dict[str, Any]) -> None:
        with self._lock:
            self.history[channel].append({**message, "user": BOT_USER_ID, "ts": self._next_ts()})

    @classmethod
    def _view_open(cls, args: dict[str, Any]) -> dict[str, Any]:
        """A modal opens only on a trigger id Slack issued less than 3 seconds ago."""
        problem = trigger_problem(str(args["trigger_id"]))
        return {"ok": False, "error": problem} if problem else cls._view(args)

    @staticmethod
    def _view(args: dict[str, Any]) -> dict[str, Any]:
        view = args["view"]
        if isinstance(view, str):
            view = json.loads(view)
        if len(view.get("blocks", [])) > 100:
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "view": {"id": "V0001", **view}}


def _parse(raw: str, content_type: str) -> dict[str, Any]:
    if "json" in content_type:
        return json.loads(raw or "{}")
    return {key: values[0] for key, values in parse_qs(raw, keep_blank_values=True).items()}


def _list_arg(value: Any) -> list[str]:
    if isinstance(value, list):
        return value
    return [part for part in str(value or "").split(",") if part]
