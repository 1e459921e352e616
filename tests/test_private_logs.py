"""Goals, reflections, pulse notes and hopes never reach the logs at INFO, whatever fails
(DESIGN.md, Privacy): not through a database error, not through a refused signature.

The words go in through the commands and modals people use, carrying marker words, and
everything logged at INFO is captured through the handler every process writes through
(bot.logs.log_handler) as well as record by record."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import time

import pytest
import sqlalchemy as sa
from slack_bolt import BoltRequest

from bot.app import create_app
from bot.demo.slack_requests import SlackSender, mention
from bot.logs import describe, log_handler
from bot.messages import ids
from bot.models import Goal, Hope, Meeting, MeetingSource, Pair, Pulse, PulseAnswer, Reflection
from tests.conftest import COORDINATOR
from tests.rhythm.people import reflection_values

MENTOR, MENTEE = "UMENTOR01", "UMENTEE01"
GOAL, WORKED, DID_NOT, DIFFERENTLY, NOTE, HOPE = (
    "QUOKKAGOAL",
    "QUOKKAWORKED",
    "QUOKKADIDNOT",
    "QUOKKADIFFERENTLY",
    "QUOKKANOTE",
    "QUOKKAHOPE",
)
MARKERS = (GOAL, WORKED, DID_NOT, DIFFERENTLY, NOTE, HOPE)


class Logs:
    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self.caplog, self.stream = caplog, io.StringIO()

    @property
    def written(self) -> str:
        return self.stream.getvalue()

    def assert_no_markers(self) -> None:
        for record in self.caplog.records:
            message = record.getMessage()
            assert not any(m in message for m in MARKERS), message
        leaked = [m for m in MARKERS if m in self.written]
        assert leaked == [], self.written


@pytest.fixture
def logs(caplog):
    """Everything logged at INFO: caplog's records, and what the production handler writes."""
    caplog.set_level(logging.INFO)
    captured = Logs(caplog)
    handler = log_handler(captured.stream, level="INFO")
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield captured
    finally:
        root.removeHandler(handler)


@pytest.fixture
def pair(bot, sessions):
    """A pair with a confirmed meeting to reflect on and a 30-day pulse to add a note to."""
    bot.slack.add_user(MENTOR)
    bot.slack.add_user(MENTEE)
    reply = bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)}", user=COORDINATOR)
    assert reply.status == 200
    now = dt.datetime.now(dt.UTC)
    with sessions.begin() as session:
        the_pair = session.scalars(sa.select(Pair)).one()
        meeting = Meeting(
            pair_id=the_pair.id,
            held_on=now.date(),
            source=MeetingSource.COMMAND,
            recorded_by=MENTEE,
            created_at=now,
        )
        pulse = Pulse(
            pair_id=the_pair.id,
            person_id=the_pair.mentee_id,
            day=30,
            answer=PulseAnswer.COULD_BE_BETTER,
            answered_at=now,
        )
        session.add_all([meeting, pulse])
        session.flush()
        ids_ = {"meeting_id": meeting.id, "pulse_id": pulse.id, "pair_id": the_pair.id}
    bot.slack.reset_calls()
    return ids_


def requests(pair) -> list[tuple[str, dict]]:
    """(kind, arguments) of the ways the words travel: a goal, a reflection, a note, a hope."""
    reflection = {
        "type": "view_submission",
        "user": {"id": MENTEE, "team_id": "T0MENTOR"},
        "view": {
            "id": "V1",
            "type": "modal",
            "callback_id": ids.REFLECTION_MODAL,
            "private_metadata": json.dumps({"meeting_id": pair["meeting_id"]}),
            "state": {
                "values": reflection_values(
                    worked=WORKED, did_not_work=DID_NOT, differently=DIFFERENTLY, share=False
                )
            },
        },
    }
    note = {
        "type": "view_submission",
        "user": {"id": MENTEE, "team_id": "T0MENTOR"},
        "view": {
            "id": "V2",
            "type": "modal",
            "callback_id": ids.PULSE_NOTE_MODAL,
            "private_metadata": json.dumps({"pulse_id": pair["pulse_id"]}),
            "state": {
                "values": {
                    ids.PULSE_NOTE: {ids.PULSE_NOTE: {"type": "plain_text_input", "value": NOTE}}
                }
            },
        },
    }

    def picked(block: str, value: str) -> dict:
        return {block: {block: {"type": "static_select", "selected_option": {"value": value}}}}

    hope = {
        "type": "view_submission",
        "user": {"id": MENTEE, "team_id": "T0MENTOR"},
        "view": {
            "id": "V3",
            "type": "modal",
            "callback_id": ids.RHYTHM_MODAL,
            "private_metadata": json.dumps({"pair_id": pair["pair_id"]}),
            "state": {
                "values": {
                    **picked(ids.RHYTHM_CADENCE, "monthly"),
                    **picked(ids.RHYTHM_WEEKDAY, "3"),
                    ids.RHYTHM_HOPE: {ids.RHYTHM_HOPE: {"type": "plain_text_input", "value": HOPE}},
                }
            },
        },
    }
    return [
        ("goal", {"text": f"add {GOAL}"}),
        ("interaction", reflection),
        ("interaction", note),
        ("interaction", hope),
    ]


def send(sender: SlackSender, kind: str, args: dict, **signing) -> int:
    if kind == "goal":
        return sender.command("/mentor-goals", args["text"], user=MENTEE, **signing).status
    return sender.interaction(args, **signing).status


def stored(sessions) -> dict[str, list[str | None]]:
    with sessions() as session:
        return {
            "goals": list(session.scalars(sa.select(Goal.text))),
            "reflections": list(session.scalars(sa.select(Reflection.worked))),
            "notes": list(session.scalars(sa.select(Pulse.note))),
            "hopes": list(session.scalars(sa.select(Hope.text))),
        }


def test_the_words_do_reach_the_database_when_nothing_fails(bot, pair, sessions):
    """The requests below are the real thing: unrefused, each stores its words."""
    for kind, args in requests(pair):
        assert send(bot.sender, kind, args) == 200
    assert stored(sessions) == {
        "goals": [GOAL],
        "reflections": [WORKED],
        "notes": [NOTE],
        "hopes": [HOPE],
    }


@pytest.fixture
def failing_inserts(engine):
    """Every write of a goal, a reflection or a pulse note fails in the database. On
    PostgreSQL through CHECK constraints, whose error quotes the whole row it refused
    ("Failing row contains (...)"); on SQLite through triggers."""
    postgres = engine.dialect.name == "postgresql"
    columns = {"goal": "text", "reflection": "worked", "pulse": "note", "hope": "text"}
    with engine.begin() as connection:
        for table, column in columns.items():
            if postgres:
                check = f"CHECK ({column} IS NULL)"
                connection.execute(sa.text(f"ALTER TABLE {table} ADD CONSTRAINT no_words {check}"))
                continue
            for event in ("INSERT", "UPDATE"):
                connection.execute(
                    sa.text(
                        f"CREATE TRIGGER no_words_{table}_{event} BEFORE {event} ON {table} "
                        f"WHEN NEW.{column} IS NOT NULL "
                        "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
                    )
                )
    try:
        yield
    finally:
        with engine.begin() as connection:
            for table in columns:
                if postgres:
                    connection.execute(sa.text(f"ALTER TABLE {table} DROP CONSTRAINT no_words"))
                    continue
                for event in ("INSERT", "UPDATE"):
                    connection.execute(sa.text(f"DROP TRIGGER no_words_{table}_{event}"))


def test_a_database_error_logs_none_of_the_words(bot, pair, sessions, failing_inserts, logs):
    replies = [send(bot.sender, kind, args) for kind, args in requests(pair)]

    assert replies[0] == 200  # the command's apology
    assert stored(sessions) == {"goals": [], "reflections": [], "notes": [None], "hopes": []}
    logs.assert_no_markers()
    failures = [r for r in logs.caplog.records if r.getMessage().startswith("listener failed")]
    assert len(failures) == 4 and all(r.exc_info for r in failures)
    assert "IntegrityError" in logs.written  # the cause is in the log, the words are not


@pytest.mark.parametrize(
    "refused",
    [
        pytest.param({"skew": -6 * 60}, id="older-than-five-minutes"),
        pytest.param({"skew": 6 * 60}, id="server-clock-behind"),
        pytest.param({"signature": "v0=" + "0" * 64}, id="wrong-signature"),
        pytest.param({"secret": "not-the-secret"}, id="another-secret"),
    ],
)
def test_a_refused_signature_logs_none_of_the_words(bot, pair, sessions, logs, refused):
    secret = refused.get("secret")
    sender = SlackSender(bot.sender.host, bot.sender.port, secret=secret) if secret else bot.sender
    signing = {"signature": refused["signature"]} if "signature" in refused else {}
    if "skew" in refused:
        signing["timestamp"] = int(time.time()) + refused["skew"]
    for kind, args in requests(pair):
        assert send(sender, kind, args, **signing) == 401
    assert stored(sessions) == {"goals": [], "reflections": [], "notes": [None], "hopes": []}
    assert bot.slack.calls == []
    logs.assert_no_markers()
    assert any("refused" in r.getMessage() for r in logs.caplog.records)


def test_bolt_refusing_a_signature_itself_logs_none_of_the_words(settings, engine, logs):
    """Behind bot.web Bolt never sees a bad signature; were it to (another adapter, a
    clock step between the two checks), its own refusal logs the body at INFO."""
    app, _ = create_app(settings, engine=engine)
    body = f"command=%2Fmentor-goals&user_id={MENTEE}&team_id=T0MENTOR&text=add+{GOAL}"
    request = BoltRequest(
        body=body,
        headers={
            "content-type": "application/x-www-form-urlencoded",
            "x-slack-request-timestamp": str(int(time.time()) - 6 * 60),
            "x-slack-signature": "v0=" + "0" * 64,
        },
    )
    assert app.dispatch(request).status == 401
    logs.assert_no_markers()


def test_an_exception_is_described_without_its_message(engine):
    """What the log says of a failed statement: types, SQLSTATE and names, never values."""
    with pytest.raises(sa.exc.SQLAlchemyError) as failed, engine.begin() as connection:
        connection.execute(sa.text("INSERT INTO no_such_table VALUES (:v)"), {"v": GOAL})
    assert GOAL not in str(failed.value)  # hide_parameters
    assert GOAL not in describe(failed.value)
    assert GOAL not in describe(ValueError(f"invalid literal for int(): {GOAL!r}"))
    assert "has no attribute" in describe(AttributeError("'NoneType' object has no attribute 'x'"))
