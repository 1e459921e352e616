"""What Slack checks in a payload before it shows it, as assertions.

`Block.parse(d).to_dict()` is slack-sdk's own validation (types, required fields, most
lengths); the rest are limits slack-sdk leaves to the server, from the Block Kit reference:
50 blocks in a message, 100 in a view, 3000 characters in a section's or a context
element's text, 40,000 characters of top-level `text`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.messages.blocks import Message

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_TEXT_OBJECT = 3000
MAX_MESSAGE_TEXT = 40_000

BARE_AMPERSAND = re.compile(r"&(?!amp;|lt;|gt;)")


def text_objects(block: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The text objects Slack renders in a section, context or header block."""
    if "text" in block:
        yield block["text"]
    yield from block.get("fields", [])
    for element in block.get("elements", []):
        if element.get("type") in ("mrkdwn", "plain_text"):
            yield element


def check_blocks(blocks: list[dict[str, Any]], *, limit: int) -> None:
    assert 0 < len(blocks) <= limit, f"{len(blocks)} blocks; Slack allows 1 to {limit}"
    for block in blocks:
        parsed = Block.parse(block)
        assert parsed is not None, f"slack-sdk does not know block type {block.get('type')!r}"
        assert parsed.to_dict() == block
        for text in text_objects(block):
            assert text["text"].strip(), f"empty text in {block}"
            assert len(text["text"]) <= MAX_TEXT_OBJECT, (
                f"{block['type']} text is {len(text['text'])} characters"
            )


def check_message(message: Message) -> None:
    assert message.text.strip(), "a message needs fallback text for notifications"
    assert len(message.text) <= MAX_MESSAGE_TEXT
    check_blocks(message.blocks, limit=MAX_MESSAGE_BLOCKS)


def check_home_view(view: dict[str, Any]) -> None:
    assert view["type"] == "home"
    assert View(**view).to_dict() == view
    check_blocks(view["blocks"], limit=MAX_VIEW_BLOCKS)


def rendered_texts(payload: Message | dict[str, Any]) -> list[str]:
    """Every string a person would see: the fallback and each text object."""
    if isinstance(payload, Message):
        texts, blocks = [payload.text], payload.blocks
    else:
        texts, blocks = [], payload["blocks"]
    return texts + [text["text"] for block in blocks for text in text_objects(block)]


def check_no_markup_but_mentions(payload: Message | dict[str, Any], members: tuple[str, ...]):
    """No `<`, `>` or bare `&` reaches Slack except the mentions the bot itself makes."""
    for text in rendered_texts(payload):
        for user_id in members:
            text = text.replace(f"<@{user_id}>", "")
        assert "<" not in text, text
        assert ">" not in text, text
        assert not BARE_AMPERSAND.search(text), text


def unescape(text: str) -> str:
    return text.replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&")
