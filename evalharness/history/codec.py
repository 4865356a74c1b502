"""Compact column storage: numpy arrays and text lists as zlib-compressed bytes.

Arrays go through ``np.save`` (dtype and shape travel with the data, and
``allow_pickle=False`` on the way back keeps a hostile file from running code);
text lists through UTF-8 JSON. Both are then compressed with zlib.
"""

from __future__ import annotations

import io
import json
import zlib
from collections.abc import Sequence

import numpy as np

_LEVEL = 6


def pack_array(array: np.ndarray) -> bytes:
    """Compress one numpy array (any numeric dtype and shape)."""
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(array), allow_pickle=False)
    return zlib.compress(buffer.getvalue(), _LEVEL)


def unpack_array(blob: bytes | memoryview) -> np.ndarray:
    """The array that :func:`pack_array` compressed.

    Raises:
        ValueError: the bytes are not a packed array.
    """
    try:
        raw = zlib.decompress(bytes(blob))
        return np.load(io.BytesIO(raw), allow_pickle=False)
    except (zlib.error, OSError, EOFError) as exc:
        raise ValueError(f"not a packed array: {exc}") from None


def pack_texts(texts: Sequence[str]) -> bytes:
    """Compress a list of strings."""
    return zlib.compress(json.dumps(list(texts), ensure_ascii=False).encode("utf-8"), _LEVEL)


def unpack_texts(blob: bytes | memoryview) -> list[str]:
    """The strings that :func:`pack_texts` compressed.

    Raises:
        ValueError: the bytes are not packed texts.
    """
    try:
        value = json.loads(zlib.decompress(bytes(blob)).decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not packed texts: {exc}") from None
    if not isinstance(value, list):
        raise ValueError("not packed texts: not a list")
    return [str(v) for v in value]
