"""gunicorn's access log (`mentorbot serve`, or `--access-logfile` with the Procfile's
config) never shows a calendar feed's token: the link is the feed's only key."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from gunicorn.config import Config
from gunicorn.glogging import Logger

from bot.access_log import AccessLog

TOKEN = "Qx3vB9_kLm2-Zr8tYw4pNs6dHf1cJa5uEo7gTi0yXbV"


def logged(logger_class: type[Logger], path: str, tmp_path) -> str:
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    log = logger_class(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.1",
    }
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    log.access(response, SimpleNamespace(headers=[]), environ, dt.timedelta(milliseconds=9))
    for handler in log.access_log.handlers:
        handler.flush()
    return (tmp_path / "access.log").read_text()


def test_a_feeds_token_never_reaches_the_access_log(tmp_path):
    path = f"/calendar/{TOKEN}.ics"
    (tmp_path / "gunicorns").mkdir()
    assert TOKEN in logged(Logger, path, tmp_path / "gunicorns")  # what it would have shown
    line = logged(AccessLog, path, tmp_path)
    assert TOKEN not in line and '"GET /calendar/… HTTP/1.1" 200 512' in line
    encoded = logged(AccessLog, f"/calendar/{TOKEN}%2Eics", tmp_path)  # the dot escaped
    assert TOKEN not in encoded


def test_other_paths_are_logged_as_they_are(tmp_path):
    assert '"GET /healthz HTTP/1.1" 200' in logged(AccessLog, "/healthz", tmp_path)
