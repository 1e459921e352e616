"""A Slack user object read as plain values: the name Slack shows for a person."""

from __future__ import annotations

import pytest

from bot.demo import directory
from bot.models.people import MAX_NAME
from bot.slack import parse_user, shown_name


def user(
    *,
    display_name: object = "ana",
    profile_real_name: object = "Ana Lima",
    real_name: object = "Ana L.",
    name: object = "ana.lima",
) -> dict:
    return {
        "id": "UANA00001",
        "team_id": "T0MENTOR",
        "name": name,
        "real_name": real_name,
        "tz": "Europe/Lisbon",
        "profile": {"display_name": display_name, "real_name": profile_real_name},
    }


def test_the_stand_ins_users_show_their_display_name():
    shaped = directory.new_user(
        "UMARIA001",
        team_id="T0MENTOR",
        tz="UTC",
        name="maria",
        email=None,
        is_bot=False,
        deleted=False,
    )
    assert parse_user(shaped).name == "maria"


@pytest.mark.parametrize(
    ("fields", "shown"),
    [
        ({}, "ana"),
        ({"display_name": ""}, "Ana Lima"),
        ({"display_name": "   "}, "Ana Lima"),
        ({"display_name": None, "profile_real_name": " \t"}, "Ana L."),
        ({"display_name": "", "profile_real_name": "", "real_name": ""}, "ana.lima"),
        ({"display_name": 7, "profile_real_name": ["x"], "real_name": None}, "ana.lima"),
        ({"display_name": "", "profile_real_name": "", "real_name": "", "name": ""}, None),
    ],
)
def test_the_display_name_else_the_real_name_else_the_handle(fields, shown):
    assert parse_user(user(**fields)).name == shown


def test_a_name_is_stripped_cleaned_and_cut_to_fit():
    assert parse_user(user(display_name="  Ana\x00 Lima\n ")).name == "Ana Lima"
    long = parse_user(user(display_name="A" * (MAX_NAME - 1) + " " + "B" * 50)).name
    assert long == "A" * (MAX_NAME - 1)


def test_a_user_without_a_profile_has_the_users_own_names():
    plain = {"id": "UANA00001", "real_name": "Ana Lima", "name": "ana"}
    assert parse_user(plain).name == "Ana Lima"


def test_a_forged_event_user_has_no_name():
    assert shown_name({"id": "UANA00001", "profile": "forged", "name": 3}) is None
