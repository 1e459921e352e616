"""Wording from prompts/*.j2, escaped for Slack mrkdwn.

Each message has one template; a template names its parts with `{% block %}`
(say `text` and `fallback`), and builders ask for the parts they lay out.
Every value printed into a template is escaped for mrkdwn unless it is a
`Mrkdwn` string made by this module (mentions, dates), so no one can inject
`<!channel>` or a link through their own text.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import jinja2

from bot.models.enums import WEEKDAY_NAMES
from bot.resources import folder

PROMPTS = folder("prompts")


class Mrkdwn(str):
    """Text that is already safe mrkdwn and is printed as it is."""

    __slots__ = ()


def escape(text: object) -> str:
    """Escape the three characters Slack treats as control characters in mrkdwn."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _finalize(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, Mrkdwn | int | float):
        return value
    return escape(value)


def _plain(value: object) -> object:
    return "" if value is None else value


def mention(user_id: str) -> Mrkdwn:
    return Mrkdwn(f"<@{escape(user_id)}>")


def channel(channel_id: str) -> Mrkdwn:
    return Mrkdwn(f"<#{escape(channel_id)}>")


def long_date(day: dt.date) -> Mrkdwn:
    return Mrkdwn(f"{WEEKDAY_NAMES[day.weekday()]} {day.day} {day:%B %Y}")


def clip(text: object, limit: int = 60) -> str:
    """At most `limit` characters of something a person typed, for echoing it back."""
    text = str(text).replace("`", "'")  # a backtick would end the code span it is shown in
    return text if len(text) <= limit else text[: limit - 1] + "…"


def weekday_of(day: dt.date) -> str:
    return WEEKDAY_NAMES[day.weekday()]


def weekday_name(index: int) -> str:
    return WEEKDAY_NAMES[index]


@cache
def environment(*, plain: bool = False) -> jinja2.Environment:
    """Templates for Slack (every value escaped for mrkdwn), or with `plain` for text that
    never reaches Slack (a calendar event's title, a link's query string)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PROMPTS),
        # Not HTML: mrkdwn escaping happens in _finalize, for every printed value.
        autoescape=False,  # noqa: S701
        finalize=_plain if plain else _finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(
        clip=clip,
        mention=mention,
        channel=channel,
        long_date=long_date,
        weekday=weekday_name,
        weekday_of=weekday_of,
    )
    return env


def parts(name: str, *, plain: bool = False, **context: object) -> dict[str, str]:
    """Render every `{% block %}` of prompts/NAME.j2; returns block name -> stripped text.
    With `plain`, values are printed as they are (text that never reaches Slack)."""
    template = environment(plain=plain).get_template(f"{name}.j2")
    ctx = template.new_context(context)
    return {block: "".join(render(ctx)).strip() for block, render in template.blocks.items()}


def names(folder: str) -> list[str]:
    """The templates in prompts/FOLDER, sorted, as names `text()` takes."""
    return sorted(f"{folder}/{path.stem}" for path in (PROMPTS / folder).glob("*.j2"))


def text(name: str, **context: object) -> str:
    """Render prompts/NAME.j2 as one piece of text (templates without blocks)."""
    return environment().get_template(f"{name}.j2").render(**context).strip()
