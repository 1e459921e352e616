"""gunicorn's access log, without calendar feeds' tokens: a feed's link is its only key,
so every part of a logged request that could hold one (the request line, the path, the
environment) shows `/calendar/…` instead."""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

FEED_LINK = re.compile(r"/calendar/[^\s?]+")  # however written (%2E for the dot, say)
HIDDEN = "/calendar/…"


class AccessLog(Logger):  # type: ignore[misc]
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            name: FEED_LINK.sub(HIDDEN, value) if isinstance(value, str) else value
            for name, value in atoms.items()
        }
