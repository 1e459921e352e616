"""Working hours at delivery (issue 8, item 9).

A message is owed with a `not_before`, but whatever owed it and however late the pass
that delivers it runs, it is posted only inside its recipient's working hours: a DM in
its recipient's zone, the pair conversation's scheduled messages in the mentee's. Outside
them it waits, pending, for the next opening; if it expires first, it is dropped.

The pair: Mia, the mentee, in Berlin (CEST, UTC+2 in October 2026), and Max, the mentor,
in New York (EDT, UTC-4). Working hours are 09:00-17:00, Monday to Friday.
"""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from bot.calendar import WorkingHours
from bot.demo.stand_in import TEAM_ID, TOKEN
from bot.messages.blocks import Message
from bot.models import Cadence, OutboxMessage, OutboxStatus, Pair, PairStatus, Person
from bot.programme_defaults import DefaultValues
from bot.rhythm import outbox as delivery
from bot.rhythm.delivery_hours import WHOSE_HOURS, Whose
from bot.rhythm.outbox import Owed
from bot.rhythm.passes import run_pass
from bot.services.programmes import default_programme
from bot.slack import make_client
from tests.channels import COORDINATOR_CHANNEL

HOURS = WorkingHours()
MIA, MAX = "UMIA00001", "UMAX00001"  # mentee in Berlin, mentor in New York
CONVERSATION = "GMAXMIA"
BOT = Path(__file__).resolve().parent.parent.parent / "bot"


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


# Wednesday 7 October 2026.
MORNING = utc("2026-10-07T08:00")  # 10:00 in Berlin, 04:00 in New York
EVENING = utc("2026-10-07T17:00")  # 19:00 in Berlin, 13:00 in New York
BERLIN_THURSDAY_OPENS = utc("2026-10-08T07:00")  # 09:00 in Berlin
FRIDAY_NIGHT = utc("2026-10-09T20:00")  # 22:00 in Berlin
BERLIN_MONDAY_OPENS = utc("2026-10-12T07:00")


@pytest.fixture
def pair_id(sessions, slack, settings) -> int:
    with sessions.begin() as session:
        programme = default_programme(
            session,
            DefaultValues(name=settings.programme_name, coordinator_channel_id=COORDINATOR_CHANNEL),
        )
        people = {
            user_id: Person(team_id=TEAM_ID, slack_user_id=user_id, tz=tz, tz_refreshed_at=MORNING)
            for user_id, tz in ((MIA, "Europe/Berlin"), (MAX, "America/New_York"))
        }
        for user_id, person in people.items():
            slack.add_user(user_id, tz=person.tz)
            session.add(person)
        pair = Pair(
            programme=programme,
            mentor=people[MAX],
            mentee=people[MIA],
            cadence=Cadence.WEEKLY,
            weekday=1,
            status=PairStatus.ACTIVE,
            status_changed_at=MORNING,
            conversation_id=CONVERSATION,
            next_check_at=None,  # nothing planned: these tests owe their messages by hand
            created_by="UCOORD01",
            created_at=MORNING - dt.timedelta(days=60),
        )
        session.add(pair)
        session.flush()
        return pair.id


@pytest.fixture
def client(slack):
    return make_client(token=TOKEN, base_url=slack.url, wait_on_429=False)


def owe(sessions, key, kind, channel, not_before, pair_id=None, expires_at=None) -> None:
    with sessions.begin() as session:
        message = Message(f"the {kind}")
        owed = Owed(key, kind, channel, message, not_before, pair_id, expires_at)
        delivery.enqueue(session, [owed])


def tick(sessions, client, now):
    """One scheduler pass at `now`, as `mentorbot tick --at` runs it."""
    return run_pass(sessions, client, now, HOURS)


def row(sessions, key: str) -> OutboxMessage:
    with sessions() as session:
        return session.scalars(sa.select(OutboxMessage).where(OutboxMessage.key == key)).one()


def posted_to(slack, channel: str) -> list[str]:
    return [m["text"] for m in slack.messages_in(channel)]


def test_a_dm_owed_in_the_morning_but_first_delivered_in_the_evening_waits_for_the_morning(
    sessions, slack, client, pair_id
):
    """The ✅ at 10:00 owed Mia a reflection prompt; the clock process was down until 19:00."""
    key = f"reflection_prompt:1:{MIA}"
    owe(sessions, key, "reflection_prompt", MIA, MORNING, pair_id)

    evening = tick(sessions, client, EVENING)

    assert evening.sent == 0
    assert posted_to(slack, MIA) == []
    waiting = row(sessions, key)
    assert (waiting.status, waiting.not_before) == (OutboxStatus.PENDING, BERLIN_THURSDAY_OPENS)

    assert tick(sessions, client, BERLIN_THURSDAY_OPENS - dt.timedelta(minutes=1)).sent == 0
    morning = tick(sessions, client, BERLIN_THURSDAY_OPENS)

    assert morning.sent == 1
    assert posted_to(slack, MIA) == ["the reflection_prompt"]
    assert row(sessions, key).status == OutboxStatus.SENT


def test_a_dm_goes_by_its_recipients_hours_not_the_mentees(sessions, slack, client, pair_id):
    """At 19:00 in Berlin it is 13:00 in New York: Max's reminder goes, Mia's waits."""
    owe(sessions, f"reminder:{pair_id}:x:{MAX}", "reminder", MAX, MORNING, pair_id)
    owe(sessions, f"reminder:{pair_id}:x:{MIA}", "reminder", MIA, MORNING, pair_id)

    report = tick(sessions, client, EVENING)

    assert report.sent == 1
    assert posted_to(slack, MAX) == ["the reminder"]
    assert posted_to(slack, MIA) == []
    assert row(sessions, f"reminder:{pair_id}:x:{MIA}").not_before == BERLIN_THURSDAY_OPENS


@pytest.mark.parametrize("kind", ["nudge", "checkin", "at_risk", "renudge"])
def test_the_pair_conversations_scheduled_messages_go_by_the_mentees_hours(
    sessions, slack, client, pair_id, kind
):
    """13:00 for Max, the mentor, does not make 19:00 a time to ask Mia."""
    owe(sessions, f"{kind}:{pair_id}", kind, CONVERSATION, MORNING, pair_id)

    assert tick(sessions, client, EVENING).sent == 0
    assert row(sessions, f"{kind}:{pair_id}").not_before == BERLIN_THURSDAY_OPENS

    assert tick(sessions, client, BERLIN_THURSDAY_OPENS).sent == 1
    assert posted_to(slack, CONVERSATION) == [f"the {kind}"]


def test_after_friday_evening_a_dm_waits_for_monday_morning(sessions, slack, client, pair_id):
    owe(sessions, f"closed:{pair_id}:{MIA}", "closed", MIA, MORNING, pair_id)

    assert tick(sessions, client, FRIDAY_NIGHT).sent == 0

    assert row(sessions, f"closed:{pair_id}:{MIA}").not_before == BERLIN_MONDAY_OPENS
    assert tick(sessions, client, utc("2026-10-10T09:00")).sent == 0  # Saturday 11:00
    assert tick(sessions, client, BERLIN_MONDAY_OPENS).sent == 1


@pytest.mark.parametrize(
    ("kind", "channel"),
    [
        ("alert", COORDINATOR_CHANNEL),
        ("meeting_recorded", CONVERSATION),
        ("reschedule", CONVERSATION),
        ("reflection_shared", CONVERSATION),
        ("welcome", CONVERSATION),
    ],
)
def test_coordinator_alerts_and_answers_where_someone_just_acted_go_at_once(
    sessions, slack, client, pair_id, kind, channel
):
    owe(sessions, f"{kind}:{pair_id}", kind, channel, FRIDAY_NIGHT, pair_id)

    assert tick(sessions, client, FRIDAY_NIGHT).sent == 1
    assert posted_to(slack, channel) == [f"the {kind}"]


def test_a_message_that_expires_before_the_next_opening_is_dropped_not_posted(
    sessions, slack, client, pair_id
):
    expiring, lasting = f"checkin:{pair_id}:a", f"checkin:{pair_id}:b"
    owe(
        sessions,
        expiring,
        "checkin",
        CONVERSATION,
        MORNING,
        pair_id,
        EVENING + dt.timedelta(hours=12),
    )
    owe(
        sessions,
        lasting,
        "checkin",
        CONVERSATION,
        MORNING,
        pair_id,
        BERLIN_THURSDAY_OPENS + dt.timedelta(hours=1),
    )

    evening = tick(sessions, client, EVENING)

    assert (evening.sent, evening.expired) == (0, 1)
    dropped = row(sessions, expiring)
    assert (dropped.status, dropped.error) == (OutboxStatus.CANCELLED, "expired")
    assert row(sessions, lasting).status == OutboxStatus.PENDING

    morning = tick(sessions, client, BERLIN_THURSDAY_OPENS)

    assert (morning.sent, morning.expired) == (1, 0)
    assert posted_to(slack, CONVERSATION) == ["the checkin"]
    assert row(sessions, lasting).status == OutboxStatus.SENT
    assert row(sessions, expiring).status == OutboxStatus.CANCELLED


def test_a_listeners_immediate_delivery_keeps_the_hours_too(bot, sessions, slack, pair_id):
    """Deps.deliver, which listeners call with the keys they just owed."""
    key = f"pulse:{pair_id}:30:{MIA}"
    owe(sessions, key, "pulse", MIA, MORNING, pair_id)

    with freeze_time(EVENING):
        bot.deps.deliver_now([key])
    assert posted_to(slack, MIA) == []
    assert row(sessions, key).not_before == BERLIN_THURSDAY_OPENS

    with freeze_time(BERLIN_THURSDAY_OPENS):
        bot.deps.deliver_now([key])
    assert posted_to(slack, MIA) == ["the pulse"]


def test_the_zones_of_a_batch_take_one_query(engine, sessions, slack, client, pair_id):
    """However many rows and people: one statement reads the zones of a claimed batch."""
    with sessions.begin() as session:
        for n in range(20):
            session.add(Person(team_id=TEAM_ID, slack_user_id=f"UPEOPLE{n:02d}", tz="Asia/Tokyo"))
    for n in range(20):
        owe(sessions, f"reminder:{n}", "reminder", f"UPEOPLE{n:02d}", MORNING, pair_id)
        owe(sessions, f"nudge:{n}", "nudge", CONVERSATION, MORNING, pair_id)
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        report = delivery.deliver(sessions, client, EVENING, hours=HOURS)  # 02:00 in Tokyo
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)

    assert report.deferred == 40
    assert len([s for s in statements if "FROM person" in s]) == 1, statements


def owed_kinds() -> set[str]:
    """Every kind the bot's code owes: the `kind` of each Owed(...) and planning's Due(...)."""
    kinds = set()
    for path in BOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name not in {"Owed", "Due"}:
                continue
            kind = next((k.value for k in node.keywords if k.arg == "kind"), None)
            if kind is None and len(node.args) >= 2:
                kind = node.args[1] if name == "Owed" else node.args[0]
            if isinstance(kind, ast.Constant) and isinstance(kind.value, str):
                kinds.add(kind.value)
    return kinds


def test_every_kind_the_bot_owes_has_its_hours_rule():
    kinds = owed_kinds()
    assert {"nudge", "checkin", "reminder", "pulse", "alert", "digest", "closed"} <= kinds
    assert kinds - set(WHOSE_HOURS) == set(), "say whose hours these wait for in WHOSE_HOURS"
    dms = {k for k, whose in WHOSE_HOURS.items() if whose is Whose.RECIPIENT}
    assert dms == {"reminder", "pulse", "reflection_prompt", "closed", "praise", "partner_left"}
