"""Text that arrives from outside, made storable."""

from __future__ import annotations

import re

# A lone UTF-16 surrogate (half of a broken emoji) can arrive as a JSON escape ("\ud83d"). UTF-8 cannot
# encode it, so PostgreSQL, Telegram and every encoder refuse it; the rest of the text is still good.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """`text` without lone UTF-16 surrogates."""
    return _LONE_SURROGATE.sub("", text)
