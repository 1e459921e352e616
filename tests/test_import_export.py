"""`mentorbot import-pairs` and `mentorbot export`, run in-process against the test database
and the Slack stand-in, checked by what an operator reads and what is stored (issue 4, §7)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.cli import main
from bot.demo.stand_in import TEAM_ID
from bot.models import (
    Cadence,
    Goal,
    GoalStatus,
    Meeting,
    MeetingSource,
    OutboxMessage,
    OutboxStatus,
    Pair,
    PairStatus,
    Period,
    PeriodAnswer,
    Reflection,
)
from bot.programme_defaults import DefaultValues
from bot.scheduler import Clock
from bot.services import roster
from bot.services.pairs import create_pair
from bot.services.people import get_or_create_person
from bot.services.programmes import default_programme
from bot.settings import Settings
from tests.conftest import COORDINATOR_CHANNEL
from tests.db_state import snapshot
from tests.helpers_cli import cli_runner, run_mentorbot
from tests.rhythm.helpers_exactly_once import posted_keys

ANNA, BEN, CARA, DAN, EVE, FAY = (
    "UANNA0001",
    "UBEN00001",
    "UCARA0001",
    "UDAN00001",
    "UEVE00001",
    "UFAY00001",
)
ROBOT, GONE = "UROBOT001", "UGONE0001"
SLACK_READS = {"auth.test", "users.info", "users.lookupByEmail"}
PROGRAMME = Settings().programme_name


@pytest.fixture
def workspace(slack):
    slack.add_user(ANNA, name="anna", email="anna@example.com", tz="Europe/Berlin")
    slack.add_user(BEN, name="ben", email="ben@example.com", tz="America/New_York")
    slack.add_user(CARA, name="cara", email="cara@example.com")
    for user_id in (DAN, EVE, FAY):
        slack.add_user(user_id)
    slack.add_user(ROBOT, is_bot=True, email="robot@example.com")
    slack.add_user(GONE, deleted=True)
    return slack


@pytest.fixture
def mentorbot(workspace, database_url, tmp_path, monkeypatch):
    """`mentorbot ARGS` in a directory without a .env, on the test database and stand-in."""
    monkeypatch.chdir(tmp_path)
    runner = cli_runner(database_url, workspace.url)

    def run(*args: str, **env: str | None):
        return runner.invoke(main, list(args), env=env, catch_exceptions=False)

    return run


def write(tmp_path: Path, text: str, name: str = "pairs.csv") -> str:
    """A CSV file as a spreadsheet saves it: UTF-8 with a byte-order mark."""
    (tmp_path / name).write_text(text, encoding="utf-8-sig")
    return name


def pairs(sessions) -> list[tuple[str, str, Cadence, int]]:
    with sessions() as session:
        return [
            (p.mentor.slack_user_id, p.mentee.slack_user_id, p.cadence, p.weekday)
            for p in session.scalars(sa.select(Pair).order_by(Pair.id))
        ]


def opened(slack) -> list[set[str]]:
    return [set(call.args["users"].split(",")) for call in slack.calls_to("conversations.open")]


GOOD = (
    "Mentee,Mentor,Weekday,Cadence,Notes\n"
    "ben@example.com,UANNA0001,Thursday,weekly,met at the offsite\n"
    "UDAN00001,cara@example.com,,,\n"
    "UFAY00001,UEVE00001,FRI,Monthly,\n"
)


def test_a_good_file_imports_every_pair_and_owes_each_welcome_once(
    mentorbot, workspace, sessions, settings, tmp_path
):
    result = mentorbot("import-pairs", write(tmp_path, GOOD))

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["imported 3 pairs, skipped 0 rows (0 already paired)"]
    assert pairs(sessions) == [
        (ANNA, BEN, Cadence.WEEKLY, 3),
        (CARA, DAN, Cadence.BIWEEKLY, 1),  # blank: the programme's default rhythm
        (EVE, FAY, Cadence.MONTHLY, 4),
    ]
    assert opened(workspace) == [{ANNA, BEN}, {CARA, DAN}, {EVE, FAY}]
    assert workspace.calls_to("chat.postMessage") == []  # the scheduler posts the welcomes
    with sessions() as session:
        stored = session.scalars(sa.select(Pair).order_by(Pair.id)).all()
        assert {p.created_by for p in stored} == {"import"}
        assert {p.status for p in stored} == {PairStatus.ACTIVE}
        assert [p.conversation_id for p in stored] == [
            workspace.conversation_id(ANNA, BEN),
            workspace.conversation_id(CARA, DAN),
            workspace.conversation_id(EVE, FAY),
        ]
        assert (stored[0].mentor.tz, stored[0].mentee.tz) == ("Europe/Berlin", "America/New_York")
        # The names Slack shows, found by ID (Anna) and by e-mail (Ben) alike.
        assert (stored[0].mentor.name, stored[0].mentee.name) == ("anna", "ben")
        owed = session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [(o.key, o.kind, o.channel, o.pair_id, o.status) for o in owed] == [
            (f"welcome:{p.id}", "welcome", p.conversation_id, p.id, OutboxStatus.PENDING)
            for p in stored
        ]
        assert f"<@{ANNA}>" in str(owed[0].payload) and f"<@{BEN}>" in str(owed[0].payload)

    clock = Clock(settings)
    clock.tick()
    clock.tick()

    welcomes = {key: n for key, n in posted_keys(workspace).items() if key.startswith("welcome:")}
    assert welcomes == {f"welcome:{p.id}": 1 for p in stored}
    [posted] = [
        m
        for m in workspace.history[workspace.conversation_id(ANNA, BEN)]
        if m.get("metadata", {}).get("event_payload", {}).get("key") == f"welcome:{stored[0].id}"
    ]
    assert "You've been paired for mentoring" in posted["text"]


def seed_pair(sessions, mentor: str, mentee: str, *, now: dt.datetime | None = None) -> int:
    with sessions.begin() as session:
        programme = default_programme(
            session, DefaultValues(name=PROGRAMME, coordinator_channel_id=COORDINATOR_CHANNEL)
        )
        people = [
            get_or_create_person(session, team_id=TEAM_ID, user_id=u) for u in (mentor, mentee)
        ]
        pair = create_pair(
            session,
            programme=programme,
            mentor=people[0],
            mentee=people[1],
            cadence=None,
            weekday=None,
            created_by="UCOORD01",
            now=now or dt.datetime.now(dt.UTC),
        )
        return pair.id


BAD = (
    "mentor,mentee,cadence,weekday\n"
    "UANNA0001,ben@example.com,weekly,thu\n"  # 2: good
    "nobody@example.com,UCARA0001,,\n"  # 3
    "UCARA0001,cara@example.com,,\n"  # 4
    "UCARA0001,UDAN00001,fortnightly,\n"  # 5
    "UCARA0001,UDAN00001,,sat\n"  # 6
    "UEVE00001,UFAY00001,,\n"  # 7: Fay already mentors Eve
    "ben@example.com,UANNA0001,,\n"  # 8: row 2 the other way round
    "UCARA0001,UROBOT001,,\n"  # 9
    "UGONE0001,UDAN00001,,\n"  # 10
    "UNOBODY01,UDAN00001,,\n"  # 11
    "UCARA0001,,,\n"  # 12
    ",,,\n"  # 13: blank, ignored
    "UCARA0001,UDAN00001,Monthly,Friday\n"  # 14: good
    "bob,UDAN00001,daily,\n"  # 15
)
BAD_REPORT = [
    "row 3: mentor: no Slack user has the e-mail nobody@example.com",
    "row 4: mentor and mentee are the same person (UCARA0001)",
    "row 5: cadence 'fortnightly' is not weekly, biweekly or monthly",
    "row 6: weekday 'sat' is not one of mon, tue, wed, thu, fri",
    "row 7: already paired (UFAY00001 mentors UEVE00001, active)",
    "row 8: same pair as row 2",
    "row 9: mentee UROBOT001 is a bot",
    "row 10: mentor UGONE0001 is deactivated",
    "row 11: mentor: no Slack user has the ID UNOBODY01",
    "row 12: mentee is blank",
    "row 15: mentor 'bob' is neither a Slack user ID (like U0123ABCD) nor an e-mail;"
    " cadence 'daily' is not weekly, biweekly or monthly",
]


def test_each_bad_row_is_reported_precisely_while_the_good_rows_go_in(
    mentorbot, workspace, sessions, tmp_path
):
    seed_pair(sessions, FAY, EVE)

    result = mentorbot("import-pairs", write(tmp_path, BAD))

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        *BAD_REPORT,
        "imported 2 pairs, skipped 11 rows (1 already paired)",
    ]
    assert pairs(sessions) == [
        (FAY, EVE, Cadence.BIWEEKLY, 1),
        (ANNA, BEN, Cadence.WEEKLY, 3),
        (CARA, DAN, Cadence.MONTHLY, 4),
    ]
    assert opened(workspace) == [{ANNA, BEN}, {CARA, DAN}]
    with sessions() as session:
        assert session.scalars(sa.select(OutboxMessage.key).order_by(OutboxMessage.id)).all() == [
            "welcome:2",
            "welcome:3",
        ]


def test_slack_refusing_a_conversation_refuses_only_that_row(
    mentorbot, workspace, sessions, tmp_path
):
    workspace.fail("conversations.open", "cannot_dm_bot")

    result = mentorbot("import-pairs", write(tmp_path, GOOD))

    assert result.stdout.splitlines() == [
        "row 2: Slack would not open the pair's conversation (cannot_dm_bot)",
        "imported 2 pairs, skipped 1 row (0 already paired)",
    ]
    assert pairs(sessions) == [(CARA, DAN, Cadence.BIWEEKLY, 1), (EVE, FAY, Cadence.MONTHLY, 4)]
    with sessions() as session:
        assert len(session.scalars(sa.select(OutboxMessage)).all()) == 2


def test_running_the_same_file_twice_changes_nothing_the_second_time(
    mentorbot, workspace, sessions, tmp_path
):
    file = write(tmp_path, GOOD)
    assert mentorbot("import-pairs", file).exit_code == 0
    before = snapshot(sessions)
    workspace.reset_calls()

    again = mentorbot("import-pairs", file)

    assert again.exit_code == 0
    assert again.stdout.splitlines() == [
        f"row 2: already paired ({ANNA} mentors {BEN}, active)",
        f"row 3: already paired ({CARA} mentors {DAN}, active)",
        f"row 4: already paired ({EVE} mentors {FAY}, active)",
        "imported 0 pairs, skipped 3 rows (3 already paired)",
    ]
    assert snapshot(sessions) == before
    assert {call.method for call in workspace.calls} <= SLACK_READS


def test_dry_run_checks_everything_and_writes_nothing(mentorbot, workspace, sessions, tmp_path):
    file = write(
        tmp_path,
        "mentor,mentee\n"
        "UANNA0001,ben@example.com\n"
        "UCARA0001,UDAN00001\n"
        "UEVE00001,nobody@example.com\n"
        "UDAN00001,cara@example.com\n",
    )
    refused = [
        "row 4: mentee: no Slack user has the e-mail nobody@example.com",
        "row 5: same pair as row 3",
    ]
    before = snapshot(sessions)

    dry = mentorbot("import-pairs", file, "--dry-run")

    assert dry.exit_code == 0
    assert dry.stdout.splitlines() == [
        *refused,
        "dry run: would import 2 pairs, skip 2 rows (0 already paired); nothing written",
    ]
    assert snapshot(sessions) == before
    assert {call.method for call in workspace.calls} <= SLACK_READS
    assert [c.args["email"] for c in workspace.calls_to("users.lookupByEmail")] == [
        "ben@example.com",
        "nobody@example.com",
        "cara@example.com",
    ]

    real = mentorbot("import-pairs", file)
    assert real.stdout.splitlines() == [
        *refused,
        "imported 2 pairs, skipped 2 rows (0 already paired)",
    ]
    after_import = snapshot(sessions)
    workspace.reset_calls()

    dry_again = mentorbot("import-pairs", file, "--dry-run")

    assert dry_again.stdout.splitlines()[-1] == (
        "dry run: would import 0 pairs, skip 4 rows (2 already paired); nothing written"
    )
    assert snapshot(sessions) == after_import
    assert {call.method for call in workspace.calls} <= SLACK_READS


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "cannot read pairs.csv: No such file or directory"),
        ("", "pairs.csv is empty; it needs a header row naming mentor and mentee"),
        (
            "Mentor,partner\nUANNA0001,UBEN00001\n",
            "pairs.csv has no mentee column in its header row ('Mentor', 'partner')",
        ),
        (
            "who,whom\n",
            "pairs.csv has no mentor or mentee column in its header row ('who', 'whom')",
        ),
        (b"mentor,mentee\nUANNA0001,Z\xfcrich\n", "pairs.csv is not UTF-8 text"),
    ],
)
def test_a_file_that_cannot_be_read_stops_with_one_line_and_status_2(
    mentorbot, workspace, sessions, tmp_path, content, problem
):
    if isinstance(content, bytes):
        (tmp_path / "pairs.csv").write_bytes(content)
    elif content is not None:
        write(tmp_path, content)
    before = snapshot(sessions)
    workspace.reset_calls()

    result = mentorbot("import-pairs", "pairs.csv")

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [f"mentorbot: {problem}"]
    assert snapshot(sessions) == before
    assert workspace.calls == []


def test_a_missing_file_is_one_line_from_a_real_process(tmp_path):
    result = run_mentorbot("import-pairs", "nowhere.csv", cwd=tmp_path)

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == "mentorbot: cannot read nowhere.csv: No such file or directory\n"


def test_import_needs_the_bot_token(mentorbot, workspace, sessions, tmp_path):
    before = snapshot(sessions)

    result = mentorbot("import-pairs", write(tmp_path, GOOD), SLACK_BOT_TOKEN=None)

    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("mentorbot: SLACK_BOT_TOKEN is not set")
    assert snapshot(sessions) == before
    assert workspace.calls == []


# --- export -------------------------------------------------------------------------

SECRETS = ("ZEBRA goal text", "OCTOPUS worked", "OCTOPUS did not", "OCTOPUS differently")
EXPORTED = [
    list(roster.EXPORT_COLUMNS),
    [
        "1", "mentoring", ANNA, BEN, "active", "weekly", "thu", "2026-01-05",
        "2", "2026-01-22", "2", "1", "3", "3", "1", "2",
    ],
    [
        "2", "mentoring", CARA, DAN, "active", "monthly", "fri", "2026-02-02",
        "0", "", "0", "0", "0", "0", "0", "0",
    ],
    [
        "3", "mentoring", EVE, FAY, "closed", "biweekly", "tue", "2026-01-10",
        "1", "2026-01-20", "0", "1", "0", "0", "2", "1",
    ],
]  # fmt: skip


def at(day: str, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), dt.UTC)


@pytest.fixture
def programme_history(sessions) -> None:
    """Three pairs with hand-counted activity (see EXPORTED)."""
    first = seed_pair(sessions, ANNA, BEN, now=at("2026-01-05"))
    second = seed_pair(sessions, CARA, DAN, now=at("2026-02-02", 23, 30))
    third = seed_pair(sessions, EVE, FAY, now=at("2026-01-10"))
    with sessions.begin() as session:
        p1, p2, p3 = (session.get_one(Pair, i) for i in (first, second, third))
        p1.cadence, p1.weekday = Cadence.WEEKLY, 3
        p2.cadence, p2.weekday = Cadence.MONTHLY, 4
        p3.status, p3.closed_at = PairStatus.CLOSED, at("2026-03-01")
        m1, m2, m3 = (
            Meeting(pair=pair, held_on=dt.date.fromisoformat(day), source=MeetingSource.BUTTON,
                    recorded_by=pair.mentor.slack_user_id)
            for pair, day in ((p1, "2026-01-08"), (p1, "2026-01-22"), (p3, "2026-01-20"))
        )  # fmt: skip
        session.add_all([m1, m2, m3])
        for number, (pair, status) in enumerate(
            [
                (p1, GoalStatus.OPEN),
                (p1, GoalStatus.OPEN),
                (p1, GoalStatus.DONE),
                (p1, GoalStatus.DROPPED),
                (p3, GoalStatus.DONE),
            ],
            start=1,
        ):
            session.add(
                Goal(pair=pair, number=number, owner_id=pair.mentee_id,
                     text=f"{SECRETS[0]} {number}", status=status)
            )  # fmt: skip
        session.flush()
        for meeting, author in ((m1, p1.mentor), (m1, p1.mentee), (m2, p1.mentee)):
            session.add(
                Reflection(pair_id=meeting.pair_id, meeting_id=meeting.id, author_id=author.id,
                           worked=SECRETS[1], did_not_work=SECRETS[2], differently=SECRETS[3],
                           shared=True)
            )  # fmt: skip
        for pair, day, answer, reschedules in (
            (p1, "2026-01-05", PeriodAnswer.CONFIRMED, 0),
            (p1, "2026-01-12", PeriodAnswer.RESCHEDULED, 2),
            (p1, "2026-01-19", PeriodAnswer.SKIPPED, 1),
            (p3, "2026-01-12", PeriodAnswer.SKIPPED, 0),
            (p3, "2026-01-26", PeriodAnswer.SKIPPED, 0),
        ):
            session.add(
                Period(pair_id=pair.id, starts_on=dt.date.fromisoformat(day), answer=answer,
                       reschedules=reschedules)
            )  # fmt: skip
        for n, (pair, kind, status) in enumerate(
            [
                (p1, "nudge", OutboxStatus.SENT),
                (p1, "nudge", OutboxStatus.SENT),
                (p1, "nudge", OutboxStatus.PENDING),
                (p1, "nudge", OutboxStatus.FAILED),
                (p1, "reminder", OutboxStatus.SENT),
                (p1, "checkin", OutboxStatus.SENT),
                (p3, "nudge", OutboxStatus.SENT),
            ]
        ):
            session.add(
                OutboxMessage(key=f"seed:{n}", kind=kind, pair_id=pair.id, channel="G0PAIR",
                              payload={"text": SECRETS[0]}, status=status,
                              not_before=at("2026-01-05"))
            )  # fmt: skip


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_export_matches_the_database_and_needs_no_token(mentorbot, programme_history):
    result = mentorbot("export", SLACK_BOT_TOKEN=None)

    assert result.exit_code == 0, result.output
    assert rows_of(result.stdout) == EXPORTED


def test_export_to_a_file(mentorbot, programme_history, tmp_path):
    result = mentorbot("export", "--out", "activity.csv")

    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.splitlines() == ["wrote 3 pairs to activity.csv"]
    written = (tmp_path / "activity.csv").read_text(encoding="utf-8")
    assert rows_of(written) == EXPORTED


def test_export_contains_no_goal_or_reflection_text(mentorbot, programme_history, sessions):
    with sessions() as session:  # the fixture's text is really there to leak
        assert session.scalar(sa.select(sa.func.count()).where(Goal.text.contains("ZEBRA"))) == 5
        assert session.scalar(sa.select(sa.func.count()).select_from(Reflection)) == 3

    result = mentorbot("export")

    for secret in (*SECRETS, "ZEBRA", "OCTOPUS"):
        assert secret.lower() not in result.output.lower()


def test_export_takes_one_statement_however_many_pairs(engine, sessions, programme_history):
    statements: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))

    with sessions() as session:
        few = list(roster.pair_activity(session))
    counted = len(statements)
    for n in range(5):
        seed_pair(sessions, f"UMORE{n:04d}", f"UALSO{n:04d}")
    statements.clear()
    with sessions() as session:
        many = list(roster.pair_activity(session))

    assert (len(few), len(many)) == (3, 8)
    assert counted == len(statements) == 1


def test_export_of_an_empty_database_is_the_header(mentorbot):
    result = mentorbot("export")

    assert result.exit_code == 0
    assert rows_of(result.stdout) == [list(roster.EXPORT_COLUMNS)]


# --- programmes -----------------------------------------------------------------------


@pytest.fixture
def second_programme(sessions, tmp_path) -> None:
    """The default programme and `eng-mentoring`, as `/mentor-programme new` makes it."""
    from bot.services import programmes

    with sessions.begin() as session:
        default = default_programme(session, DefaultValues(name=PROGRAMME))
        programmes.create(
            session,
            handle="eng-mentoring",
            name="Engineering mentoring",
            defaults=default,
            now=at("2026-01-01"),
        )


def programmes_of_pairs(sessions) -> list[tuple[str, str, str]]:
    with sessions() as session:
        return [
            (p.mentor.slack_user_id, p.mentee.slack_user_id, p.programme.handle)
            for p in session.scalars(sa.select(Pair).order_by(Pair.id))
        ]


def test_rows_join_the_programme_they_name_or_the_one_the_import_is_for(
    mentorbot, sessions, tmp_path, second_programme
):
    text = (
        "mentor,mentee,programme\n"
        f"{ANNA},{BEN},eng-mentoring\n"
        f"{CARA},{DAN},\n"
        f"{EVE},{FAY},nowhere\n"
        f"{ANNA},{DAN},Not_A_Handle\n"
        f"{ANNA},{BEN},\n"  # the same two in another programme: a pair of its own
    )
    result = mentorbot("import-pairs", "--programme", "mentoring", write(tmp_path, text))

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "row 4: there is no programme 'nowhere'",
        "row 5: programme 'Not_A_Handle' is not a programme's handle",
        "imported 3 pairs, skipped 2 rows (0 already paired)",
    ]
    assert programmes_of_pairs(sessions) == [
        (ANNA, BEN, "eng-mentoring"),
        (CARA, DAN, "mentoring"),
        (ANNA, BEN, "mentoring"),
    ]

    again = mentorbot("import-pairs", "--programme", "eng-mentoring", write(tmp_path, text))
    assert "imported 1 pair" in again.stdout  # CARA and DAN, into eng-mentoring this time

    export = mentorbot("export", "--programme", "eng-mentoring", SLACK_BOT_TOKEN=None)
    assert [row[:4] for row in rows_of(export.stdout)[1:]] == [
        ["1", "eng-mentoring", ANNA, BEN],
        ["4", "eng-mentoring", CARA, DAN],
    ]


def test_a_programme_that_does_not_exist_stops_before_anything(
    mentorbot, workspace, sessions, tmp_path, second_programme
):
    before = snapshot(sessions)

    result = mentorbot("import-pairs", "--programme", "nowhere", write(tmp_path, GOOD))
    export = mentorbot("export", "--programme", "nowhere", SLACK_BOT_TOKEN=None)

    assert result.exit_code == export.exit_code == 2
    assert "there is no programme 'nowhere'" in result.output
    assert workspace.calls_to("conversations.open") == []
    assert snapshot(sessions) == before
