"""The manifest covers every call (issue 8, item 11).

The stand-in refuses a call its token's scopes do not cover, as Slack does, and its
token has the scopes of the repository's manifest.yml; so every test that drives the bot
also checks the manifest. These tests check the check: that it can fail, that it knows
every method the bot calls, and that the events the manifest subscribes to are covered.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.demo.slack_rules import SCOPES
from bot.demo.stand_in import TOKEN
from bot.manifest import manifest_list, manifest_scopes
from bot.slack import make_client
from tests.channels import COORDINATOR_CHANNEL
from tests.test_import_export import ANNA, BEN, write

ROOT = Path(__file__).resolve().parent.parent
BOT = ROOT / "bot"
# The bot scope each event needs (Slack's event reference: "Required scopes"; the same as
# slack-api-ref's events/<event>.json `scopes`). None: no scope.
EVENT_SCOPES: dict[str, str | None] = {
    "app_home_opened": None,
    "reaction_added": "reactions:read",
    "reaction_removed": "reactions:read",
    "user_change": "users:read",
    "team_join": "users:read",
    "member_joined_channel": "channels:read",
    "message.im": "im:history",
    "message.mpim": "mpim:history",
    "message.channels": "channels:history",
    "message.groups": "groups:history",
    "app_mention": "app_mentions:read",
}
# The kinds of conversation the bot calls each conversations.* method on: it opens DMs
# and group DMs, and reads the history of those and of the coordinator channel, which a
# programme may make public or private.
CONVERSATION_KINDS = {
    "conversations.open": ("im", "mpim"),
    "conversations.history": ("im", "mpim", "public", "private"),
}
CLIENT_CALL = re.compile(r"\.((?:auth|chat|conversations|users|views|files|reactions|team)_\w+)\(")


def api_methods(name: str, seen: frozenset[str] = frozenset()) -> set[str]:
    """The Web API methods WebClient's `name` calls, following its calls of its siblings
    (`files_upload_v2` calls files.getUploadURLExternal and files.completeUploadExternal)."""
    source = inspect.getsource(getattr(WebClient, name))
    found = set(re.findall(r'api_call\(\s*"([\w.]+)"', source))
    for sibling in set(re.findall(r"self\.(\w+)\(", source)) - seen - {name}:
        if callable(getattr(WebClient, sibling, None)) and CLIENT_CALL.match(f".{sibling}("):
            found |= api_methods(sibling, seen | {name})
    return found


def methods_the_bot_calls() -> set[str]:
    """Every Web API method called by the bot's code (not the demo's stand-in of Slack)."""
    names: set[str] = set()
    for path in BOT.rglob("*.py"):
        if path.parent.name == "demo":
            continue
        text = path.read_text(encoding="utf-8")
        names |= set(CLIENT_CALL.findall(text))
        # super().api_call( is a client passing on whatever method it was asked (a pacer's).
        calls_by_name = text.replace("super().api_call(", "")
        assert ".api_call(" not in calls_by_name, f"{path}: name the method so this test sees it"
    return {method for name in names for method in api_methods(name)}


def test_the_scan_finds_the_methods_it_should():
    """So the two tests below cannot pass by finding nothing."""
    found = methods_the_bot_calls()
    assert {
        "chat.postMessage",
        "users.lookupByEmail",
        "conversations.history",
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
        "views.publish",
    } <= found


def test_every_method_the_bot_calls_is_in_the_stand_ins_scope_table():
    missing = methods_the_bot_calls() - set(SCOPES)
    assert not missing, f"add Slack's bot scope for {sorted(missing)} to stand_in.SCOPES"


def test_every_method_the_stand_in_answers_is_in_its_scope_table(slack):
    assert set(slack._methods()) <= set(SCOPES)


def test_the_manifest_has_every_scope_the_bots_calls_need():
    scopes = manifest_scopes()
    assert scopes is not None
    needed = set()
    for method in methods_the_bot_calls():
        scope = SCOPES[method]
        if isinstance(scope, dict):
            needed |= {scope[kind] for kind in CONVERSATION_KINDS[method]}
        elif scope is not None:
            needed.add(scope)
    assert needed - scopes == set()
    assert "users:read.email" in scopes  # users.lookupByEmail, for `mentorbot import-pairs`


def test_the_tests_stand_in_has_the_manifests_bot_scopes(slack):
    assert slack.scopes == manifest_scopes()
    assert "chat:write" in slack.scopes


def test_every_event_the_manifest_subscribes_to_is_covered_by_its_scopes():
    events = manifest_list("settings", "event_subscriptions", "bot_events")
    scopes = manifest_scopes()
    assert {"app_home_opened", "reaction_added", "user_change"} <= set(events)
    unknown = set(events) - set(EVENT_SCOPES)
    assert not unknown, f"add {sorted(unknown)} to EVENT_SCOPES (Slack's event reference)"
    uncovered = {e: EVENT_SCOPES[e] for e in events if EVENT_SCOPES[e] not in {None, *scopes}}
    assert uncovered == {}


def test_every_event_the_app_listens_to_is_subscribed_in_the_manifest():
    events = set(manifest_list("settings", "event_subscriptions", "bot_events"))
    source = (BOT / "listeners" / "events.py").read_text(encoding="utf-8")
    listened = set(re.findall(r'app\.event\("(\w+)"\)', source))
    assert listened, "no app.event(...) found: has the listener moved?"
    assert listened <= events


PRIVATE = "C0PRIVATE"
# (the scope, a call that needs it): each call succeeds with the manifest's scopes.
CALLS = {
    "users:read": lambda c: c.users_info(user=ANNA),
    "users:read.email": lambda c: c.users_lookupByEmail(email="anna@example.com"),
    "chat:write": lambda c: c.chat_postMessage(channel="GANNBEN", text="hello"),
    "im:write": lambda c: c.conversations_open(users=ANNA),
    "mpim:write": lambda c: c.conversations_open(users=[ANNA, BEN]),
    "im:history": lambda c: c.conversations_history(channel="DANNA0001"),
    "mpim:history": lambda c: c.conversations_history(channel="GANNBEN"),
    "channels:history": lambda c: c.conversations_history(channel=COORDINATOR_CHANNEL),
    "groups:history": lambda c: c.conversations_history(channel=PRIVATE),
    "files:write": lambda c: c.files_upload_v2(
        channel=COORDINATOR_CHANNEL, content=b"chart", filename="chart.png"
    ),
}


@pytest.fixture
def people(slack):
    slack.add_user(ANNA, email="anna@example.com")
    slack.add_user(BEN, email="ben@example.com")
    slack.add_channel(PRIVATE, private=True)
    return slack


@pytest.mark.parametrize("scope", sorted(CALLS))
def test_a_call_without_the_scope_it_needs_is_refused_with_missing_scope(people, scope):
    client = make_client(token=TOKEN, base_url=people.url)
    CALLS[scope](client)  # the manifest's scopes cover it

    people.scopes = people.scopes - {scope}
    with pytest.raises(SlackApiError) as refused:
        CALLS[scope](client)

    assert refused.value.response["error"] == "missing_scope"
    assert refused.value.response["needed"] == scope
    assert scope not in refused.value.response["provided"].split(",")


def test_a_private_channel_needs_groups_and_a_public_one_channels(people):
    assert people.scope_needed("conversations.history", {"channel": PRIVATE}) == "groups:history"
    assert people.scope_needed("conversations.history", {"channel": "C0PUBLIC"}) == (
        "channels:history"
    )
    assert people.kind_of("D0ANNA") == "im"
    assert people.kind_of(people.conversation_id(ANNA, BEN)) == "mpim"


def test_an_import_by_email_without_users_read_email_refuses_the_row(
    people, sessions, tmp_path, monkeypatch, database_url
):
    """End to end: what the missing scope in manifest.yml did to `mentorbot import-pairs`."""
    from click.testing import CliRunner

    from bot.cli import main

    monkeypatch.chdir(tmp_path)
    people.scopes = people.scopes - {"users:read.email"}
    name = write(tmp_path, "Mentee,Mentor\nben@example.com,UANNA0001\n")
    result = CliRunner(
        env={
            "DATABASE_URL": database_url,
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_API_URL": people.url,
            "MENTORBOT_COORDINATOR_CHANNEL": COORDINATOR_CHANNEL,
        }
    ).invoke(main, ["import-pairs", name], catch_exceptions=False)

    assert "missing_scope" in result.output, result.output
    assert people.calls_to("users.lookupByEmail")
    assert not people.calls_to("conversations.open")
