"""A local stand-in of the Slack Web API, served over real HTTP.

The tests point `SLACK_API_URL` at it, and so does `mentorbot demo`. It answers the
methods the bot calls the way Slack does (required arguments, the error strings Slack
really returns, response shapes after Slack's own examples), records every call with its
arguments, and can be told to answer a call with a 429 and Retry-After, with an error, or
with a server error (after doing what was asked, or not).

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
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from bot.demo.slack_rules import (
    REQUIRED,
    SCOPES,
    message_problem,
    trigger_problem,
)
from bot.manifest import manifest_scopes

TEAM_ID = "T0MENTOR"
BOT_USER_ID = "UMENTORBOT"
UPLOAD_PATH = "/upload/v1/"
TOKEN = "xoxb-stand-in"  # noqa: S105 - the stand-in accepts any xoxb- token


@dataclass(frozen=True)
class Call:
    method: str
    args: dict[str, Any]


@dataclass
class _Planned:
    status: int
    body: dict[str, Any] | str  # a string is sent as it is, as HTML (not JSON)
    headers: dict[str, str]
    perform: bool = False  # do what the call asks first, then answer this instead


@dataclass
class SlackStandIn:
    """Start with `start()`; `url` is then the base URL for `WebClient(base_url=...)`."""

    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    _planned: dict[str, list[_Planned]] = field(default_factory=lambda: defaultdict(list))
    _ts: itertools.count = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    history: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    _delays: dict[str, float] = field(default_factory=dict)
    # File id -> name, title, alt_txt, length asked for, content received, channel shared in.
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
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
        name = name or user_id.lower()
        user = {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": name,
            "real_name": name.title(),
            "deleted": deleted,
            "is_bot": is_bot,
            "tz": tz,
            "profile": {"real_name": name.title(), "display_name": name, "email": email},
        }
        self.users[user_id] = user
        return user

    def fail(self, method: str, error: str, *, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with `{"ok": false, "error": error}`."""
        self._plan(method, times, _Planned(200, {"ok": False, "error": error}, {}))

    def rate_limit(self, method: str, *, retry_after: int = 0, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with HTTP 429 and Retry-After."""
        planned = _Planned(
            429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}
        )
        self._plan(method, times, planned)

    def server_error(
        self,
        method: str,
        *,
        status: int = 500,
        performed: bool,
        body: dict[str, Any] | str | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls of `method` with HTTP `status`, after doing what
        they ask if `performed` (a message posted all the same), or not at all. `body` is
        sent as JSON, or as it is if a string (an HTML error page); by default Slack's
        `internal_error`."""
        planned = _Planned(
            status,
            body if body is not None else {"ok": False, "error": "internal_error"},
            {},
            perform=performed,
        )
        self._plan(method, times, planned)

    def unreadable(self, method: str, *, performed: bool, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with a 200 whose body is not JSON (a
        proxy's page), after doing what they ask if `performed`."""
        self.server_error(
            method, status=200, performed=performed, body="<html>Bad gateway</html>", times=times
        )

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

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def messages_in(self, channel: str) -> list[dict[str, Any]]:
        return [
            c.args for c in self.calls_to("chat.postMessage") if c.args.get("channel") == channel
        ]

    def files_in(self, channel: str) -> list[dict[str, Any]]:
        """The files shared in `channel`, oldest first, each with its `content` bytes."""
        with self._lock:
            return [f for f in self.files.values() if f.get("channel") == channel]

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
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if self.path.startswith(UPLOAD_PATH):  # a file's bytes, not an API call
                    status = stand_in._receive_file(self.path, self.rfile.read(length))
                    self.send_response(status)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"OK")
                    return
                raw = self.rfile.read(length).decode()
                status, body, headers = stand_in._answer(
                    self.path,
                    raw,
                    self.headers.get("Content-Type", ""),
                    self.headers.get("Authorization", ""),
                )
                if isinstance(body, str):
                    data, content_type = body.encode(), "text/html"
                else:
                    data, content_type = json.dumps(body).encode(), "application/json"
                headers = {
                    **stand_in.scope_header(self.headers.get("Authorization", "")),
                    **headers,
                }
                self.send_response(status)
                self.send_header("Content-Type", f"{content_type}; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # --- answering -------------------------------------------------------------------

    def _plan(self, method: str, times: int, planned: _Planned) -> None:
        with self._lock:
            self._planned[method].extend([planned] * times)

    def _answer(
        self, path: str, raw: str, content_type: str, auth: str
    ) -> tuple[int, dict[str, Any] | str, dict[str, str]]:
        method = path.rsplit("/", 1)[-1]
        args = _parse(raw, content_type)
        with self._lock:
            self.calls.append(Call(method, args))
            planned = self._planned[method].pop(0) if self._planned[method] else None
        for watch in self.watchers:
            watch(method)
        if planned is not None and not planned.perform:
            return planned.status, planned.body, planned.headers
        if not auth.startswith("Bearer xoxb-"):
            return 200, {"ok": False, "error": "not_authed"}, {}
        delay = self._delays.get(method, self._delays.get("*"))
        if delay:
            threading.Event().wait(delay)
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
            "users.info": self._users_info,
            "users.lookupByEmail": self._lookup_by_email,
            "users.list": self._users_list,
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

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(args["user"])
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": user}

    def _users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        """A page of the workspace's people: `limit` of them (Slack's default 0 means all,
        which it no longer honours past a few hundred; here it is capped at 1000) after the
        opaque `cursor`."""
        people = list(self.users.values())
        start = int(str(args.get("cursor") or "0").removeprefix("dXNlcjo") or 0)
        limit = min(int(args.get("limit") or 1000), 1000)
        page = people[start : start + limit]
        after = start + limit
        cursor = f"dXNlcjo{after}" if after < len(people) else ""
        return {"ok": True, "members": page, "response_metadata": {"next_cursor": cursor}}

    def _lookup_by_email(self, args: dict[str, Any]) -> dict[str, Any]:
        for user in self.users.values():
            if user["profile"].get("email") == args["email"]:
                return {"ok": True, "user": user}
        return {"ok": False, "error": "users_not_found"}

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
        try:
            length = int(args["length"])
        except ValueError:
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{next(self._ts):08d}"
        with self._lock:
            self.files[file_id] = {
                "id": file_id,
                "name": args["filename"],
                "alt_txt": args.get("alt_txt"),
                "length": length,
                "content": None,
            }
        host, port = self._server.server_address[:2]  # type: ignore[union-attr]
        return {
            "ok": True,
            "upload_url": f"http://{host}:{port}{UPLOAD_PATH}{file_id}",
            "file_id": file_id,
        }

    def _receive_file(self, path: str, content: bytes) -> int:
        file_id = path.removeprefix(UPLOAD_PATH)
        with self._lock:
            file = self.files.get(file_id)
            if file is None or file["length"] != len(content):
                return 400
            file["content"] = content
        return 200

    def _complete_upload(self, args: dict[str, Any]) -> dict[str, Any]:
        files = args["files"]
        if isinstance(files, str):
            files = json.loads(files)
        channel = args.get("channel_id")
        with self._lock:
            known = [self.files.get(f.get("id", "")) for f in files]
            if any(f is None or f["content"] is None for f in known):
                return {"ok": False, "error": "file_not_found"}
        if channel and not channel.startswith(("C", "G", "D")):
            return {"ok": False, "error": "channel_not_found"}
        done = []
        with self._lock:
            for asked, file in zip(files, known, strict=True):
                assert file is not None
                file["title"] = asked.get("title") or file["name"]
                if channel:
                    file["channel"] = channel
                done.append({k: file[k] for k in ("id", "name", "title")})
            if channel:
                self.history[channel].append(
                    {
                        "type": "message",
                        "subtype": "file_share",
                        "user": BOT_USER_ID,
                        "text": args.get("initial_comment") or "",
                        "ts": self._next_ts(),
                        "files": done,
                    }
                )
        return {"ok": True, "files": done}

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
