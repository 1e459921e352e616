"""`/mentor-programme`: admins create programmes; each programme's coordinators see and
change their own and nobody else's; bad input changes nothing; the settings keep the
default programme in step on every start, without undoing what was typed unless the
environment says otherwise."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bot.app import create_app
from bot.demo.slack_requests import mention
from bot.models import Cadence, Programme, ProgrammeCoordinator
from bot.settings import Settings
from tests.channels import COORDINATOR_CHANNEL
from tests.conftest import COORDINATOR

CORA_TWO, MEMBER = "UCOORD02", "UMEMBER01"


def programmes(sessions) -> list[tuple]:
    with sessions() as session:
        return [
            (p.handle, p.name, p.is_default, p.coordinator_channel_id)
            for p in session.scalars(sa.select(Programme).order_by(Programme.id))
        ]


def test_the_default_programme_is_there_and_admins_see_it(bot, sessions):
    listed = bot.command("/mentor-programme", user=COORDINATOR)

    assert "*Programmes* (1)" in listed.text
    assert "`mentoring` · Mentoring programme (default) · 0 open pairs" in listed.text
    assert programmes(sessions) == [("mentoring", "Mentoring programme", True, COORDINATOR_CHANNEL)]
    refused = bot.command("/mentor-programme", "list", user=MEMBER)
    assert "Only programme coordinators" in refused.text


def test_an_admin_creates_one_and_names_its_coordinators_who_then_run_only_theirs(bot, sessions):
    created = bot.command(
        "/mentor-programme", "new eng-mentoring Engineering mentoring", user=COORDINATOR
    )
    assert "Created `eng-mentoring` · Engineering mentoring" in created.text
    set_coordinators = bot.command(
        "/mentor-programme",
        f"set eng-mentoring coordinators {mention(CORA_TWO)} {mention(CORA_TWO)}",
        user=COORDINATOR,
    )
    assert f"Coordinators: <@{CORA_TWO}>" in set_coordinators.text

    theirs = bot.command("/mentor-programme", user=CORA_TWO).text
    assert "*Programmes* (1)" in theirs and "`eng-mentoring`" in theirs
    assert "`mentoring`" not in theirs
    for text in ("show mentoring", "set mentoring at-risk 3", "set nothing-here rhythm weekly tue"):
        refused = bot.command("/mentor-programme", text, user=CORA_TWO).text
        assert "There's no programme" in refused and "that you coordinate" in refused
    assert (
        "Only the installation's admins"
        in bot.command("/mentor-programme", "new cohort-b Cohort B", user=CORA_TWO).text
    )

    changed = bot.command(
        "/mentor-programme", "set eng-mentoring rhythm weekly thu", user=CORA_TWO
    ).text
    assert "Done: rhythm changed." in changed and "New pairs meet: weekly on Thursdays" in changed
    bot.command("/mentor-programme", "set eng-mentoring channel <#C0ENG001|eng>", user=CORA_TWO)
    bot.command("/mentor-programme", "set eng-mentoring dormant 4 60", user=CORA_TWO)
    bot.command("/mentor-programme", "set eng-mentoring at-risk 3", user=CORA_TWO)
    renamed = bot.command(
        "/mentor-programme", "set eng-mentoring name Engineering circle", user=CORA_TWO
    ).text
    assert "*Engineering circle* · `eng-mentoring`" in renamed
    assert "At risk after 3 periods without a meeting; dormant after 4 periods and 60 days" in (
        renamed
    )
    digest = bot.command(
        "/mentor-programme", "set eng-mentoring digest fri 16:00 America/New_York", user=CORA_TWO
    ).text
    assert "Weekly digest: Fridays at 16:00, America/New_York" in digest
    with sessions() as session:
        eng = session.scalars(sa.select(Programme).where(Programme.handle == "eng-mentoring")).one()
        assert (eng.default_cadence, eng.default_weekday) == (Cadence.WEEKLY, 3)
        assert (eng.coordinator_channel_id, eng.at_risk_periods) == ("C0ENG001", 3)
        assert (eng.dormant_periods, eng.dormant_days) == (4, 60)
        assert session.scalars(sa.select(ProgrammeCoordinator.slack_user_id)).all() == [CORA_TWO]
        default = session.scalars(sa.select(Programme).where(Programme.is_default)).one()
        assert (default.at_risk_periods, default.default_cadence) == (2, Cadence.BIWEEKLY)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("new weekly Weekly people", "can't be a programme's handle"),
        ("new Eng_Mentoring Engineering", "can't be a programme's handle"),
        ("new e Engineering", "can't be a programme's handle"),
        ("new eng-mentoring", "Give the programme a name"),
        ("new mentoring Another", "already exists"),
        ("new eng Mentoring programme", "already exists"),
        ("rename mentoring", "I don't know `rename`"),
        ("show", "Say which programme"),
        ("show mentoring please", "I didn't expect `please`"),
        ("set mentoring colour blue", "I can't set `colour`"),
        ("set mentoring rhythm fortnightly", "Give a rhythm and a weekday"),
        ("set mentoring channel coordinators", "Name one channel"),
        ("set mentoring at-risk two", "a number of periods"),
        ("set mentoring at-risk 3", "Those thresholds don't fit"),  # dormant is 3
        ("set mentoring dormant 3 400", "Those thresholds don't fit"),
        ("set mentoring coordinators someone", "mention"),
        ("set mentoring digest someday 09:00 Europe/London", "Give the digest's day"),
        ("set mentoring digest mon 9am Europe/London", "Give the digest's day"),
        ("set mentoring digest mon 09:00 Mars/Olympus", "I don't know the time zone"),
        ("set mentoring name " + "x" * 81, "at most 80 characters"),
    ],
)
def test_bad_input_says_what_to_type_and_changes_nothing(bot, sessions, text, expected):
    before = programmes(sessions)
    with sessions() as session:
        thresholds = session.execute(
            sa.select(Programme.at_risk_periods, Programme.dormant_days)
        ).all()

    reply = bot.command("/mentor-programme", text, user=COORDINATOR)

    assert expected in reply.text, reply.text
    assert "Usage: `/mentor-programme" in reply.text
    assert programmes(sessions) == before
    with sessions() as session:
        assert (
            session.execute(sa.select(Programme.at_risk_periods, Programme.dormant_days)).all()
            == thresholds
        )


def test_settings_given_in_the_environment_win_on_every_start_and_only_they(
    settings, engine, sessions
):
    create_app(settings, engine=engine)[1].background.shutdown()
    with sessions.begin() as session:
        default = session.scalars(sa.select(Programme).where(Programme.is_default)).one()
        default.name, default.at_risk_periods = "Typed in Slack", 1

    create_app(settings, engine=engine)[1].background.shutdown()  # the name was not given
    assert programmes(sessions) == [("mentoring", "Typed in Slack", True, COORDINATOR_CHANNEL)]

    named = Settings(
        **{
            "SLACK_BOT_TOKEN": settings.slack_bot_token.get_secret_value(),
            "SLACK_SIGNING_SECRET": settings.slack_signing_secret.get_secret_value(),
            "SLACK_API_URL": settings.slack_api_url,
            "DATABASE_URL": settings.database_url,
            "MENTORBOT_COORDINATORS": COORDINATOR,
            "MENTORBOT_PROGRAMME_NAME": "Buddies",
            "MENTORBOT_PROGRAMME_HANDLE": "buddies",
        }
    )
    create_app(named, engine=engine)[1].background.shutdown()
    # Name and handle given: they win; the channel was not given this time: it stays.
    assert programmes(sessions) == [("buddies", "Buddies", True, COORDINATOR_CHANNEL)]
    with sessions() as session:
        assert session.scalars(sa.select(Programme.at_risk_periods)).one() == 1


def test_a_handle_in_the_settings_must_be_one(settings):
    with pytest.raises(ValueError, match="lowercase letters, digits and dashes"):
        Settings(MENTORBOT_PROGRAMME_HANDLE="Not A Handle")


def programme_form(**changes: object) -> dict:
    """The programme form's state.values as Slack sends them."""
    answers: dict[str, object] = {
        "name": "Engineering circle",
        "coordinators": [CORA_TWO],
        "channel": "C0ENG001",
        "cadence": "monthly",
        "weekday": "3",
        "at_risk": "3",
        "dormant_periods": "5",
        "dormant_days": "60",
        "digest_day": "4",
        "digest_time": "16:00",
        "digest_zone": "America/New_York",
    } | changes

    def typed(value: object) -> dict:
        return {"type": "plain_text_input", "value": value}

    def picked(value: object) -> dict:
        return {"type": "static_select", "selected_option": {"value": value}}

    from bot.messages import ids

    fields = {
        ids.PROGRAMME_NAME: typed(answers["name"]),
        ids.PROGRAMME_COORDINATORS: {
            "type": "multi_users_select",
            "selected_users": answers["coordinators"],
        },
        ids.PROGRAMME_CHANNEL: {
            "type": "conversations_select",
            "selected_conversation": answers["channel"],
        },
        ids.PROGRAMME_CADENCE: picked(answers["cadence"]),
        ids.PROGRAMME_WEEKDAY: picked(answers["weekday"]),
        ids.PROGRAMME_AT_RISK: {"type": "number_input", "value": answers["at_risk"]},
        ids.PROGRAMME_DORMANT_PERIODS: {
            "type": "number_input",
            "value": answers["dormant_periods"],
        },
        ids.PROGRAMME_DORMANT_DAYS: {"type": "number_input", "value": answers["dormant_days"]},
        ids.PROGRAMME_DIGEST_DAY: picked(answers["digest_day"]),
        ids.PROGRAMME_DIGEST_TIME: {"type": "timepicker", "selected_time": answers["digest_time"]},
        ids.PROGRAMME_DIGEST_ZONE: typed(answers["digest_zone"]),
        ids.PROGRAMME_STARTS: {"type": "datepicker", "selected_date": answers.get("starts")},
        ids.PROGRAMME_ENDS: {"type": "datepicker", "selected_date": answers.get("ends")},
    }
    return {block: {block: element} for block, element in fields.items()}


def test_the_form_shows_everything_and_saves_it_all_or_nothing(bot, sessions):
    from bot.messages import ids
    from tests.rhythm.people import People

    bot.command("/mentor-programme", "new eng-mentoring Engineering mentoring", user=COORDINATOR)
    opening = bot.command("/mentor-programme", "edit eng-mentoring", user=COORDINATOR)
    assert "Opening the programme form" in opening.text
    people = People(bot)
    form = people.opened_view()
    assert form["callback_id"] == ids.PROGRAMME_MODAL
    inputs = {b["block_id"]: b["element"] for b in form["blocks"] if b["type"] == "input"}
    assert inputs[ids.PROGRAMME_NAME]["initial_value"] == "Engineering mentoring"
    assert inputs[ids.PROGRAMME_CADENCE]["initial_option"]["value"] == "biweekly"

    refused = people.submit(COORDINATOR, form, programme_form(at_risk="5", dormant_periods="4"))
    assert "Those thresholds don't fit" in refused.json["errors"][ids.PROGRAMME_AT_RISK]
    zone = people.submit(COORDINATOR, form, programme_form(digest_zone="Mars/Olympus"))
    assert "I don't know the time zone" in zone.json["errors"][ids.PROGRAMME_DIGEST_ZONE]
    backwards = people.submit(
        COORDINATOR, form, programme_form(starts="2027-03-01", ends="2027-01-31")
    )
    assert "after the start" in backwards.json["errors"][ids.PROGRAMME_ENDS]
    forged = people.submit(COORDINATOR, form, programme_form(ends="31/01/2027"))
    assert "errors" in forged.json
    with sessions() as session:
        eng = session.scalars(sa.select(Programme).where(Programme.handle == "eng-mentoring")).one()
        assert (eng.name, eng.at_risk_periods) == ("Engineering mentoring", 2)  # nothing saved

    saved = people.submit(COORDINATOR, form, programme_form(starts="2026-09-01", ends="2099-06-30"))
    assert saved.body in ("", "{}")
    shown = bot.command("/mentor-programme", "show eng-mentoring", user=CORA_TWO).text
    assert "*Engineering circle* · `eng-mentoring`" in shown
    assert "New pairs meet: monthly on Thursdays" in shown
    assert "dormant after 5 periods and 60 days" in shown
    assert "Weekly digest: Fridays at 16:00, America/New_York" in shown
    assert "Channel: <#C0ENG001>" in shown
    assert "Started on Tuesday 1 September 2026" in shown
    assert "Ends on Tuesday 30 June 2099" in shown

    # Someone who coordinates another programme cannot send this form, however made.
    bot.command("/mentor-programme", "new other-one Other", user=COORDINATOR)
    bot.command(
        "/mentor-programme", f"set other-one coordinators {mention(MEMBER)}", user=COORDINATOR
    )
    forged = people.submit(MEMBER, form, programme_form(name="Taken over"))
    assert "errors" in forged.json
    assert (
        "Engineering circle"
        in bot.command("/mentor-programme", "show eng-mentoring", user=COORDINATOR).text
    )
