"""The WSGI application: Slack's requests at /slack/events, a health check at /healthz,
and people's private calendar feeds at /calendar/TOKEN.ics.

A request to /slack/events is checked here, on its raw bytes, before Bolt sees it:
its size (413), its signature and timestamp (401), then its shape (400). Bolt parses the
body before it verifies the signature, fails with a 500 on a body Slack never sends, and
logs the whole body of a request whose signature is refused; none of that is reached.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

import sqlalchemy as sa
from slack_bolt import App, BoltRequest
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from slack_bolt.context import BoltContext
from slack_bolt.request.internals import build_context

from bot.db import database_answers
from bot.logs import describe

if TYPE_CHECKING:
    from bot.flows.calendars import Feed

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
# The feed a token opens (a body and its ETag), or None for one that opens none.
FeedReader = Callable[[str], "Feed | None"]
EVENTS_PATH = "/slack/events"
CALENDAR_PATH = re.compile(r"/calendar/([^/]*)\.ics")

# The largest body Slack sends us, with room to spare. A view_submission carries the whole
# view: up to 100 blocks of up to 3,000 characters, plus what was typed (3,000 characters
# per plain_text_input) and 3,000 of private_metadata, i.e. some 300 KB of text at most;
# Slack writes non-ASCII characters as \uXXXX escapes and interactions arrive form-encoded
# (`payload=%7B...`), which can double or triple that. Our own views and messages are far
# smaller (sections cut to 3,000 characters, goals to 300, three inputs per modal). 1 MiB
# refuses nothing Slack sends and bounds what one request can make a worker hold.
MAX_BODY_BYTES = 1024 * 1024
# Slack's own rule, and Bolt's: a request signed more than five minutes ago is refused.
MAX_SKEW_SECONDS = 5 * 60
TOO_LARGE = "413 Request Entity Too Large"
NOT_FOUND = "404 Not Found"
# What Bolt's parsing raises on a body of the wrong shape (e.g. `"team": 5`, `[]`, deep nesting).
_MALFORMED = (ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError)

log = logging.getLogger(__name__)


class Refused(Exception):
    """A request answered with a 4xx before Bolt sees it. The message never holds the body."""

    def __init__(self, status: str, error: str, reason: str) -> None:
        super().__init__(reason)
        self.status, self.error = status, error


def make_wsgi(
    app: App,
    engine: sa.Engine,
    *,
    signing_secret: str | None = None,
    calendar: FeedReader | None = None,
) -> WSGIApp:
    """The app's WSGI front. `signing_secret` defaults to the one the Bolt app was given;
    `calendar` reads the feeds (without it, every feed is a 404)."""
    secret = (signing_secret if signing_secret is not None else app._signing_secret) or ""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == EVENTS_PATH and environ.get("REQUEST_METHOD") == "POST":
            try:
                request = slack_request(environ, secret)
            except Refused as refused:
                log.info("refused a request to %s: %s", EVENTS_PATH, refused)
                return _json(start_response, refused.status, {"error": refused.error})
            answer = app.dispatch(request)
            response = WsgiHttpResponse(answer.status, answer.headers, answer.body)
            start_response(response.status, response.get_headers())
            return response.get_body()
        if path == EVENTS_PATH:
            return slack(environ, start_response)
        if path == "/healthz" and environ.get("REQUEST_METHOD") in {"GET", "HEAD"}:
            healthy = database_answers(engine)
            body = {"status": "ok" if healthy else "unavailable", "database": healthy}
            return _json(start_response, "200 OK" if healthy else "503 Service Unavailable", body)
        feed_path = CALENDAR_PATH.fullmatch(path)
        if feed_path and calendar is not None:
            return calendar_feed(environ, start_response, calendar, feed_path.group(1))
        return _json(start_response, NOT_FOUND, {"error": "not_found"})

    return wsgi


def calendar_feed(
    environ: dict[str, Any], start_response: Callable[..., Any], calendar: FeedReader, token: str
) -> Iterable[bytes]:
    """A person's feed: 200 with its ETag, 304 when the client has it already, and the same
    404 as for any missing file when the token opens none (malformed, unknown or revoked).
    The token is the feed's only key: it is never logged, not even when the feed fails."""
    method = environ.get("REQUEST_METHOD")
    if method not in {"GET", "HEAD"}:
        return _empty(start_response, "405 Method Not Allowed", [("Allow", "GET, HEAD")])
    try:
        feed = calendar(token)
        fresh = feed is not None and _matches(environ.get("HTTP_IF_NONE_MATCH", ""), feed.etag)
        body = feed.write() if feed is not None and not fresh else b""
    except sa.exc.SQLAlchemyError:
        log.warning("a calendar feed could not be read: the database did not answer")
        return _empty(start_response, "503 Service Unavailable", [("Retry-After", "60")])
    except Exception as error:  # answered here: gunicorn's own log of it would show the path
        log.error("a calendar feed could not be written: %s", describe(error), exc_info=error)
        return _empty(start_response, "500 Internal Server Error", [])
    if feed is None:
        return _json(start_response, NOT_FOUND, {"error": "not_found"})
    headers = [
        ("ETag", feed.etag),
        ("Cache-Control", "private, no-cache"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
    ]
    if fresh:
        start_response("304 Not Modified", headers)
        return [b""]
    headers += [
        ("Content-Type", "text/calendar; charset=utf-8"),
        ("Content-Disposition", 'inline; filename="mentoring.ics"'),
        ("Content-Length", str(len(body))),
    ]
    start_response("200 OK", headers)
    return [b""] if method == "HEAD" else [body]


def _empty(
    start_response: Callable[..., Any], status: str, headers: list[tuple[str, str]]
) -> list[bytes]:
    start_response(status, [*headers, ("Content-Length", "0")])
    return [b""]


def _matches(if_none_match: str, etag: str) -> bool:
    """RFC 9110's weak comparison of If-None-Match's list (or `*`) with our ETag."""
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag.removeprefix("W/") in tags


def slack_request(environ: dict[str, Any], secret: str) -> BoltRequest:
    """The request as Bolt wants it, or Refused: too large, not signed by Slack, or not a
    body Slack sends (not UTF-8, not a JSON object, a `payload` that is not one)."""
    body = read_body(environ)
    headers = WsgiHttpRequest(environ).get_headers()
    verify_signature(
        secret,
        body,
        timestamp=str(headers.get("x-slack-request-timestamp", "")),
        signature=str(headers.get("x-slack-signature", "")),
    )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused("400 Bad Request", "malformed_body", "body is not UTF-8") from None
    content_type = str(headers.get("content-type", "")).split(";")[0].strip()
    try:
        parsed = parse_slack_body(text, content_type)
        request = BoltRequest(body=text, query=environ.get("QUERY_STRING", ""), headers=headers)
        if request.body != parsed:
            # Bolt takes any form body with "payload" in it for an interaction, so a command
            # whose text says "payload" would reach it as {}; it gets what Slack sent.
            request.body = parsed
            request.context = build_context(BoltContext({}), parsed)
    except _MALFORMED:
        raise Refused("400 Bad Request", "malformed_body", "body is not one Slack sends") from None
    return request


def parse_slack_body(text: str, content_type: str) -> dict[str, Any]:
    """A JSON object (events), a form (commands), or a form whose `payload` is a JSON object
    (interactions); ValueError for anything else."""
    if content_type == "application/json" or text.startswith("{"):
        body = json.loads(text)
    else:
        form = dict(parse_qsl(text, keep_blank_values=True))
        body = json.loads(form["payload"]) if "payload" in form else form
    if not body or not isinstance(body, dict):
        raise ValueError("not a JSON object or a form")
    check_envelope(body)
    return body


# What Slack always sends, by kind of request: the keys Bolt and our listeners read
# without a default, with their types. A body without them is not from Slack.
_INTERACTION = {"user": dict}
_ENVELOPES: dict[str, dict[str, type]] = {
    "block_actions": {**_INTERACTION, "actions": list},
    "view_submission": {**_INTERACTION, "view": dict},
    "view_closed": {**_INTERACTION, "view": dict},
    "event_callback": {"event": dict},
}
_EVENTS: dict[str, dict[str, type]] = {
    "reaction_added": {"user": str, "item": dict, "reaction": str},
    "app_home_opened": {"user": str},
    "user_change": {"user": dict},
}


def check_envelope(body: dict[str, Any]) -> None:
    """ValueError unless `body` has the shape Slack gives its kind of request."""
    if "command" in body:
        _require(body, {"command": str, "user_id": str, "team_id": str})
        return
    kind = body.get("type")
    _require(body, _ENVELOPES.get(kind, {}) if isinstance(kind, str) else {})
    if kind in ("block_actions", "view_submission", "view_closed"):
        _require(body["user"], {"id": str})
    if kind == "block_actions":
        actions = body["actions"]
        if not actions or not all(isinstance(a, dict) for a in actions):
            raise ValueError("block_actions without actions")
        for action in actions:
            _require(action, {"action_id": str, "type": str})
    elif kind in ("view_submission", "view_closed"):
        _require(body["view"], {"type": str, "callback_id": str})
    elif kind == "event_callback":
        event = body["event"]
        _require(event, {"type": str})
        _require(event, _EVENTS.get(event["type"], {}))


def _require(value: dict[str, Any], fields: dict[str, type]) -> None:
    for name, kind in fields.items():
        if not isinstance(value.get(name), kind):
            raise ValueError(f"{name} is not a {kind.__name__}")


def read_body(environ: dict[str, Any]) -> bytes:
    """At most MAX_BODY_BYTES of the body: Content-Length is checked before anything is read,
    and the read itself is bounded (a chunked body has no Content-Length)."""
    declared = environ.get("CONTENT_LENGTH") or ""
    if declared:
        if not (declared.isascii() and declared.isdigit()):
            raise Refused("400 Bad Request", "bad_content_length", "Content-Length not a number")
        if int(declared) > MAX_BODY_BYTES:
            raise Refused(TOO_LARGE, "body_too_large", f"Content-Length {int(declared)}")
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    limit = int(declared) if declared else MAX_BODY_BYTES + 1
    body = stream.read(limit)
    if len(body) > MAX_BODY_BYTES:
        raise Refused(TOO_LARGE, "body_too_large", f"over {MAX_BODY_BYTES} bytes")
    return body


def verify_signature(secret: str, body: bytes, *, timestamp: str, signature: str) -> None:
    """Slack's v0 signature over the raw bytes, and a timestamp within five minutes."""
    if not secret:
        raise Refused("401 Unauthorized", "invalid request", "no signing secret configured")
    if not (timestamp.isascii() and timestamp.isdigit()):
        raise Refused("401 Unauthorized", "invalid request", "no usable timestamp")
    skew = int(time.time()) - int(timestamp)
    if abs(skew) > MAX_SKEW_SECONDS:
        raise Refused(
            "401 Unauthorized",
            "invalid request",
            f"signed {skew} s away from this server's clock (allowed {MAX_SKEW_SECONDS})",
        )
    # Over the raw bytes: slack_sdk's SignatureVerifier decodes the body as UTF-8 first and
    # fails on bytes that are not, which must be a 401 (unsigned) or a 400 (signed) here.
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        raise Refused("401 Unauthorized", "invalid request", "signature does not match")


def _json(start_response: Callable[..., Any], status: str, body: dict[str, Any]) -> list[bytes]:
    data = json.dumps(body).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]
