"""The stand-in rate-limits like Slack once asked to (issue 9, §6): tier limits per method,
chat.postMessage per conversation and per workspace, a truthful Retry-After, a Slack minute
as short as a test needs; and not at all unless asked.

Most tests drive the limits' clock by hand, so nothing waits; one waits out a real (scaled)
Retry-After, a fifth of a second."""

from __future__ import annotations

import threading

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.demo.rate_limits import RateLimits
from bot.demo.stand_in import TOKEN, SlackStandIn
from bot.slack import make_client
from bot.slack_limits import retry_after


class Clock:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(slack: SlackStandIn) -> WebClient:
    """A client that retries nothing, so each 429 reaches the test."""
    return WebClient(token=TOKEN, base_url=slack.url, retry_handlers=[])


def call(client: WebClient, method: str, **args: object) -> tuple[int, str | None]:
    """(HTTP status, Retry-After) of one call."""
    try:
        response = client.api_call(method, json=args)
    except SlackApiError as error:
        if error.response["error"] != "ratelimited":
            raise
        return error.response.status_code, _header(error.response.headers)
    return response.status_code, None


def _header(headers: dict) -> str | None:
    return next((v for k, v in headers.items() if k.lower() == "retry-after"), None)


@pytest.fixture
def people(slack: SlackStandIn) -> SlackStandIn:
    slack.add_user("UANNA0001", email="anna@example.com")
    slack.add_user("UBEN00001")
    return slack


TIERS = [
    ("users.list", {}, 20),
    ("conversations.open", {"users": "UANNA0001,UBEN00001"}, 50),
    ("users.lookupByEmail", {"email": "anna@example.com"}, 50),
    ("users.info", {"user": "UANNA0001"}, 100),
    ("chat.postEphemeral", {"channel": "C1", "user": "UANNA0001", "text": "hi"}, 100),
]


def test_limits_are_off_by_default(people: SlackStandIn, client: WebClient) -> None:
    statuses = [call(client, "users.list")[0] for _ in range(25)]
    statuses += [call(client, "chat.postMessage", channel="C1", text="hi")[0] for _ in range(10)]

    assert set(statuses) == {200}
    assert people.limited == {}


@pytest.mark.parametrize(("method", "args", "per_minute"), TIERS)
def test_a_tiered_method_is_refused_past_its_tier_until_retry_after_has_passed(
    people: SlackStandIn, client: WebClient, clock: Clock, method: str, args: dict, per_minute: int
) -> None:
    people.limit(clock=clock)
    for _ in range(per_minute):
        assert call(client, method, **args) == (200, None)
        clock.advance(0.1)

    status, wait = call(client, method, **args)
    # The first call leaves the minute 60 s after it was made: that is the truthful wait.
    assert (status, wait) == (429, str(60 - round(per_minute * 0.1)))
    clock.advance(int(wait) - 0.001)
    assert call(client, method, **args)[0] == 429
    clock.advance(0.001)
    assert call(client, method, **args) == (200, None)
    assert people.limited == {method: 2}


def test_each_method_has_its_own_limit(people: SlackStandIn, client: WebClient, clock: Clock):
    people.limit(clock=clock)
    for _ in range(20):
        call(client, "users.list")

    assert call(client, "users.list")[0] == 429
    assert call(client, "users.info", user="UANNA0001") == (200, None)
    assert call(client, "auth.test") == (200, None)  # no tier: never refused


def test_a_conversation_takes_a_short_burst_then_a_message_a_second(
    slack: SlackStandIn, client: WebClient, clock: Clock
) -> None:
    slack.limit(clock=clock, post_burst=3)
    for _ in range(3):
        assert call(client, "chat.postMessage", channel="G1", text="hi") == (200, None)

    assert call(client, "chat.postMessage", channel="G1", text="hi") == (429, "1")
    assert call(client, "chat.postMessage", channel="G2", text="hi") == (200, None)
    clock.advance(0.999)
    assert call(client, "chat.postMessage", channel="G1", text="hi")[0] == 429
    clock.advance(0.001)
    assert call(client, "chat.postMessage", channel="G1", text="hi") == (200, None)
    assert call(client, "chat.postMessage", channel="G1", text="hi")[0] == 429
    assert slack.limited == {"chat.postMessage": 3}


def test_the_workspace_cap_holds_across_conversations(
    slack: SlackStandIn, client: WebClient, clock: Clock
) -> None:
    slack.limit(clock=clock, workspace_posts=5)
    for n in range(5):
        assert call(client, "chat.postMessage", channel=f"G{n}", text="hi") == (200, None)
        clock.advance(1)

    assert call(client, "chat.postMessage", channel="G9", text="hi") == (429, "55")
    clock.advance(55)
    assert call(client, "chat.postMessage", channel="G9", text="hi") == (200, None)
    assert [m["text"] for m in slack.history["G9"]] == ["hi"]  # posted once, when taken


def test_a_scaled_minute_scales_every_limit_and_says_retry_after_in_milliseconds(
    slack: SlackStandIn, client: WebClient, clock: Clock
) -> None:
    slack.limit(clock=clock, minute=1.5)  # a Slack second lasts 25 ms
    for _ in range(20):
        call(client, "users.list")
    for _ in range(3):
        call(client, "chat.postMessage", channel="G1", text="hi")

    assert call(client, "users.list") == (429, "1.500")
    assert call(client, "chat.postMessage", channel="G1", text="hi") == (429, "0.025")
    clock.advance(0.025)
    assert call(client, "chat.postMessage", channel="G1", text="hi") == (200, None)


def test_our_client_waits_out_a_scaled_retry_after_and_the_call_goes_through(
    people: SlackStandIn,
) -> None:
    people.limit(minute=0.2)  # the real clock: a minute's wait is 0.2 s
    client = make_client(token=TOKEN, base_url=people.url)

    pages = [client.users_list(limit=200) for _ in range(21)]

    assert all(page["ok"] for page in pages)
    assert people.limited == {"users.list": 1}  # refused once, then waited just long enough


def test_calls_from_many_threads_get_exactly_the_limit(clock: Clock) -> None:
    limits = RateLimits(clock=clock)
    taken: list[bool] = []

    def caller() -> None:
        for _ in range(10):
            taken.append(limits.admit("conversations.open") is None)

    threads = [threading.Thread(target=caller) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert taken.count(True) == 50
    assert limits.limited == {"conversations.open": 150}


@pytest.mark.parametrize(
    ("minute", "wait", "header"),
    [(60.0, 0.2, "1"), (60.0, 2.01, "3"), (60.0, 59.0, "59"), (1.5, 0.3471, "0.348")],
)
def test_retry_after_is_whole_seconds_in_a_real_minute_and_milliseconds_in_a_scaled_one(
    minute: float, wait: float, header: str
) -> None:
    assert RateLimits(minute=minute).retry_after(wait) == header


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"Retry-After": "30"}, 30.0),
        ({"retry-after": "0.347"}, 0.347),
        ({"retry-after": ["2"]}, 2.0),  # as slack_sdk's retry handlers see it
        ({"Retry-After": "soon"}, 1.0),
        ({"Retry-After": "-5"}, 1.0),
        ({}, 1.0),
    ],
)
def test_retry_after_is_read_as_seconds_whatever_its_form(headers: dict, seconds: float) -> None:
    assert retry_after(headers) == seconds
