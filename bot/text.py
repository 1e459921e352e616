"""Cleaning text a person typed before anything reads or stores it.

Imports nothing from `bot`, so listeners, services and the CLI can all use it.
"""

from __future__ import annotations

import re

# C0 and C1 control characters and DEL (Unicode category Cc), and lone surrogates (Cs),
# which cannot be encoded as UTF-8 and so cannot be stored.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# The same, keeping newline and tab, for text that may span lines.
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def typed(text: str, *, multiline: bool = False) -> str:
    """`text` without NUL and the other control characters; newline and tab stay if
    `multiline` (a carriage return goes, so Windows line ends become plain newlines)."""
    return (_CONTROL_MULTILINE if multiline else _CONTROL).sub("", text)
