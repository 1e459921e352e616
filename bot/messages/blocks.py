"""A message payload and the few Block Kit shapes the builders share.

Blocks are made with slack-sdk's models and turned into dicts with `to_dict()`,
which validates lengths and required fields as it goes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
)

MAX_BLOCKS_MESSAGE = 50
MAX_BLOCKS_VIEW = 100
MAX_SECTION_TEXT = 3000


@dataclass(frozen=True)
class Message:
    """What chat.postMessage, chat.postEphemeral or a command's reply needs."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


@dataclass(frozen=True)
class Upload:
    """A file to share in a conversation, as slack-sdk's `files_upload_v2` takes it."""

    content: bytes
    filename: str
    title: str
    alt_txt: str

    def as_kwargs(self) -> dict[str, Any]:
        return {
            "content": self.content,
            "filename": self.filename,
            "title": self.title,
            "alt_txt": self.alt_txt,
        }


def fit(markdown: str, limit: int = MAX_SECTION_TEXT) -> str:
    """`markdown` cut to Slack's limit (escaping can lengthen what a person typed)."""
    if len(markdown) <= limit:
        return markdown
    return re.sub(r"&[a-z]*$", "", markdown[: limit - 1]) + "…"


def section(markdown: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=fit(markdown)))


def context(*markdown: str) -> ContextBlock:
    """A context block: one element for each piece of text (at most 10)."""
    return ContextBlock(elements=[MarkdownTextObject(text=fit(text)) for text in markdown[:10]])


def header(plain: str) -> HeaderBlock:
    return HeaderBlock(text=PlainTextObject(text=plain, emoji=True))


def select_input(
    block: str, label: str, options: list[Option], initial: str | None, *, optional: bool = False
) -> InputBlock:
    """A form's select, its action id the block's, with the option valued `initial` chosen."""
    chosen = next((o for o in options if o.value == initial), None)
    return InputBlock(
        block_id=block,
        label=label,
        optional=optional,
        element=StaticSelectElement(action_id=block, options=options, initial_option=chosen),
    )


def divider() -> DividerBlock:
    return DividerBlock()


def message(fallback: str, blocks: list[Block], limit: int = MAX_BLOCKS_MESSAGE) -> Message:
    if len(blocks) > limit:
        raise ValueError(f"{len(blocks)} blocks, more than Slack's limit of {limit}")
    return Message(text=fallback, blocks=[block.to_dict() for block in blocks])
