"""Bodies Slack never sends get a 4xx from the web layer, before Bolt parses them, and touch
nothing: no row, no Slack call, no traceback in the log. Each is tried signed and unsigned:
signed, it is a 400 (or 413); unsigned, the signature is refused first (401)."""

from __future__ import annotations

import hmac
import http.client
import io
import json
import logging
import time
from urllib.parse import quote

import pytest

from bot.app import create_app
from bot.demo.slack_requests import SIGNING_SECRET, mention
from bot.models import Goal
from bot.web import MAX_BODY_BYTES, make_wsgi
from tests.conftest import COORDINATOR
from tests.db_state import count, snapshot

MENTOR, MENTEE = "UMENTOR01", "UMENTEE01"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def post_bytes(bot, body: bytes, content_type: str, *, signed: bool) -> tuple[int, bytes]:
    """POST raw bytes to /slack/events, signed over those bytes with the app's secret or not."""
    timestamp = str(int(time.time()))
    digest = hmac.new(SIGNING_SECRET.encode(), b"v0:" + timestamp.encode() + b":" + body, "sha256")
    signature = "v0=" + (digest.hexdigest() if signed else "0" * 64)
    connection = http.client.HTTPConnection(bot.sender.host, bot.sender.port, timeout=30)
    try:
        connection.request(
            "POST",
            "/slack/events",
            body=body,
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": timestamp,
                "X-Slack-Signature": signature,
            },
        )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.fixture
def quiet(caplog):
    """The log at INFO, to check that no refusal leaves a traceback or an error behind."""
    caplog.set_level(logging.INFO)
    return caplog


def assert_nothing_happened(bot, sessions, before, caplog) -> None:
    assert snapshot(sessions) == before
    assert bot.slack.calls == []
    assert [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR] == []
    assert "Traceback" not in caplog.text


def _payload(payload: dict) -> bytes:
    return b"payload=" + quote(json.dumps(payload)).encode()


MALFORMED = [
    pytest.param(b"[]", JSON, id="json-array"),
    pytest.param(b"1", JSON, id="json-number"),
    pytest.param(b'"x"', JSON, id="json-string"),
    pytest.param(b"{not json", JSON, id="json-invalid"),
    pytest.param(b"", JSON, id="empty"),
    pytest.param(b"payload=%5B%5D", FORM, id="payload-array"),
    pytest.param(b"payload=1", FORM, id="payload-number"),
    pytest.param(b"payload=%7Bnot-json", FORM, id="payload-invalid-json"),
    pytest.param(b"payload=%22x%22", FORM, id="payload-string"),
    pytest.param(b'{"type": "event_callback", "team": 5}', JSON, id="wrong-type-inside"),
    pytest.param(b"[" * 100_000 + b"]" * 100_000, JSON, id="nested-too-deep"),
    pytest.param(b"\xff\xfe\x00c\x00o\x00m", FORM, id="not-utf8"),
    pytest.param(b'{"type": "event_callback", "x": "\xe9t\xe9"}', JSON, id="latin1-json"),
    # The right kinds of body without what Slack always puts in them.
    pytest.param(
        _payload(
            {"type": "view_submission", "user": {"id": "U1"}, "view": {"callback_id": "reflection"}}
        ),
        FORM,
        id="view-without-type",
    ),
    pytest.param(
        _payload({"type": "block_actions", "user": {"id": "U1"}, "actions": []}),
        FORM,
        id="no-actions",
    ),
    pytest.param(
        _payload({"type": "block_actions", "user": {"id": "U1"}, "actions": [{}]}),
        FORM,
        id="action-without-id",
    ),
    pytest.param(
        _payload({"type": "block_actions", "user": {"id": "U1"}, "actions": [1]}),
        FORM,
        id="action-not-object",
    ),
    pytest.param(
        _payload(
            {
                "type": "block_actions",
                "user": "U1",
                "actions": [{"action_id": "checkin_met", "type": "button"}],
            }
        ),
        FORM,
        id="user-not-object",
    ),
    pytest.param(
        b'{"type": "event_callback", "event": {"type": "user_change", "user": "x"}}',
        JSON,
        id="user-change-user-not-object",
    ),
    pytest.param(
        b'{"type": "event_callback", "event": {"type": "reaction_added", "item": "x", "user": {}}}',
        JSON,
        id="reaction-item-not-object",
    ),
    pytest.param(
        b'{"command": "/mentor-goals", "user_id": 5, "team_id": "T1"}',
        JSON,
        id="command-user-not-string",
    ),
]


@pytest.mark.parametrize(("body", "content_type"), MALFORMED)
@pytest.mark.parametrize(
    ("signed", "status"), [(True, 400), (False, 401)], ids=["signed", "unsigned"]
)
def test_a_body_slack_never_sends_is_refused_and_touches_nothing(
    bot, sessions, quiet, body, content_type, signed, status
):
    before = snapshot(sessions)
    got, _ = post_bytes(bot, body, content_type, signed=signed)
    assert got == status
    assert_nothing_happened(bot, sessions, before, quiet)


@pytest.mark.parametrize("signed", [True, False], ids=["signed", "unsigned"])
def test_a_body_larger_than_slack_sends_is_413(bot, sessions, quiet, signed):
    """Refused on its Content-Length: the answer comes before any of the body is sent."""
    before = snapshot(sessions)
    body = b"command=%2Fmentor-goals&text=" + b"a" * MAX_BODY_BYTES
    timestamp = str(int(time.time()))
    digest = hmac.new(SIGNING_SECRET.encode(), b"v0:" + timestamp.encode() + b":" + body, "sha256")
    connection = http.client.HTTPConnection(bot.sender.host, bot.sender.port, timeout=30)
    try:
        connection.putrequest("POST", "/slack/events")
        for name, value in {
            "Content-Type": FORM,
            "Content-Length": str(len(body)),
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": "v0=" + (digest.hexdigest() if signed else "0" * 64),
        }.items():
            connection.putheader(name, value)
        connection.endheaders()  # and no body: the server must not wait for it
        response = connection.getresponse()
        assert response.status == 413
    finally:
        connection.close()
    assert_nothing_happened(bot, sessions, before, quiet)


def test_a_body_at_the_bound_is_read(bot, sessions, quiet):
    """The bound refuses only what is over it: a signed body of exactly MAX_BODY_BYTES
    reaches the signature check and the parser (a form Bolt has no listener for: 404)."""
    prefix = b"token=x&team_id=T0MENTOR&filler="
    got, _ = post_bytes(bot, prefix + b"a" * (MAX_BODY_BYTES - len(prefix)), FORM, signed=True)
    assert got not in {400, 401, 413}


class Untouchable(io.RawIOBase):
    """A request stream that fails the test if more than `allowed` bytes are read from it."""

    def __init__(self, size: int, allowed: int) -> None:
        self.left, self.allowed, self.taken = size, allowed, 0

    def read(self, n: int = -1) -> bytes:
        n = self.left if n is None or n < 0 else min(n, self.left)
        self.taken += n
        assert self.taken <= self.allowed, f"read {self.taken} bytes"
        self.left -= n
        return b"a" * n


def call(wsgi, environ: dict) -> str:
    status = []
    wsgi(
        {"REQUEST_METHOD": "POST", "PATH_INFO": "/slack/events", **environ},
        lambda s, headers: status.append(s),
    )
    return status[0]


@pytest.fixture
def wsgi(settings, engine):
    """The WSGI callable itself, called the way a server calls it."""
    app, _ = create_app(settings, engine=engine)
    return make_wsgi(app, engine)


def test_a_large_content_length_is_refused_before_reading(wsgi):
    stream = Untouchable(10 * MAX_BODY_BYTES, allowed=0)
    environ = {"CONTENT_LENGTH": str(10 * MAX_BODY_BYTES), "wsgi.input": stream}
    assert call(wsgi, environ).startswith("413")
    assert stream.taken == 0


def test_a_body_without_content_length_is_read_only_up_to_the_bound(wsgi):
    stream = Untouchable(10 * MAX_BODY_BYTES, allowed=MAX_BODY_BYTES + 1)
    assert call(wsgi, {"wsgi.input": stream}).startswith("413")  # chunked: no Content-Length
    assert call(wsgi, {"CONTENT_LENGTH": "12a", "wsgi.input": io.BytesIO()}).startswith("400")


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Slack-Request-Timestamp": "soon"},  # Bolt's verifier would raise on int("soon")
        {"X-Slack-Request-Timestamp": ""},
        {"X-Slack-Signature": "v0=\u00e9"},
    ],
    ids=["timestamp-not-a-number", "timestamp-empty", "signature-not-ascii"],
)
def test_odd_signature_headers_are_401(bot, sessions, quiet, headers):
    before = snapshot(sessions)
    reply = bot.command("/mentor-help", user=MENTEE, headers=headers)
    assert reply.status == 401
    assert_nothing_happened(bot, sessions, before, quiet)


def test_a_command_that_says_payload_is_a_command(bot, sessions):
    """Bolt reads any form body containing "payload" as an interaction; Slack's own
    command form is passed on as it is."""
    bot.slack.add_user(MENTOR)
    bot.slack.add_user(MENTEE)
    bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)}", user=COORDINATOR)
    reply = bot.command("/mentor-goals", "add understand the payload format", user=MENTEE)
    assert reply.status == 200
    assert count(sessions, Goal) == 1


def test_a_refusal_is_logged_without_the_body(bot, caplog):
    caplog.set_level(logging.INFO)
    body = "payload=" + quote('["SECRET-IN-A-BAD-BODY"]')
    assert bot.post(body, FORM).status == 400
    assert any("refused" in r.getMessage() for r in caplog.records)
    assert "SECRET-IN-A-BAD-BODY" not in caplog.text
