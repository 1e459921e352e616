"""Secrets never print, and the token only travels to Slack over https (or to this machine)."""

from __future__ import annotations

import logging

import pytest

from bot.logs import log_handler
from bot.settings import SettingsError, load_settings, reveal

TOKEN, SECRET, APP_TOKEN = "xoxb-TOKEN-VALUE", "SIGNING-SECRET-VALUE", "xapp-APP-TOKEN-VALUE"
DB_PASSWORD = "DB-PASSWORD-VALUE"


@pytest.fixture
def loaded(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env
    return load_settings(
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_APP_TOKEN=APP_TOKEN,
        DATABASE_URL=f"postgresql://bot:{DB_PASSWORD}@db.example/mentorbot",
    )


def test_secrets_do_not_print(loaded):
    for shown in (repr(loaded), str(loaded), f"{loaded}"):
        for secret in (TOKEN, SECRET, APP_TOKEN, DB_PASSWORD):
            assert secret not in shown
    dumped = str(loaded.model_dump())  # the URL is a plain string there; the tokens are not
    assert not any(secret in dumped for secret in (TOKEN, SECRET, APP_TOKEN))


def test_secrets_do_not_reach_the_log(loaded, caplog):
    caplog.set_level(logging.INFO)
    handler = log_handler(level="INFO")
    logging.getLogger("bot").info("settings: %s, token %s", loaded, loaded.slack_bot_token)
    written = "\n".join(handler.format(r) for r in caplog.records)
    for secret in (TOKEN, SECRET, APP_TOKEN, DB_PASSWORD):
        assert secret not in written


def test_secrets_are_revealed_where_they_are_handed_over(loaded):
    assert reveal(loaded.slack_bot_token) == TOKEN
    assert reveal(loaded.slack_signing_secret) == SECRET
    assert reveal(loaded.slack_app_token) == APP_TOKEN
    assert reveal(None) is None


@pytest.mark.parametrize(
    "url",
    [
        "https://slack.com/api/",
        "http://localhost:8080/api/",
        "http://127.0.0.1:8080/api/",
        "http://[::1]:8080/api/",
    ],
)
def test_plain_http_only_to_this_machine(url, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert load_settings(SLACK_API_URL=url).slack_api_url == url


@pytest.mark.parametrize(
    "url",
    [
        "http://slack.com/api/",
        "http://localhost.example.com/api/",
        "http://127.0.0.1.nip.io/api/",
        "http://10.0.0.5/api/",
        "ftp://slack.com/api/",
        "https:///api/",
    ],
)
def test_any_other_api_url_stops_the_process_with_one_line(url, monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SettingsError) as stopped:
        load_settings(SLACK_API_URL=url)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("mentorbot: SLACK_API_URL: ")
    if url.startswith("http://"):
        assert "https://" in err
