"""What must survive translation unchanged: placeholders, tags, links, code, URLs, e-mails.

:func:`format_items` lists them with offsets. Each item has a ``kind`` and a
``key``, the part that must be equal on both sides (a tag's name and its
untranslatable attributes in sorted order, an ICU argument's name, type and
``select`` keywords, a URL as written). :func:`tag_errors` checks that tags nest.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

PLACEHOLDER, TAG, LINK, CODE, URL, EMAIL = "placeholder", "tag", "link", "code", "url", "email"
TRANSLATABLE_ATTRIBUTES = frozenset(
    {"alt", "title", "aria-label", "aria-description", "placeholder", "label", "summary"}
)
"""Attributes whose values are translated: only their presence must match."""
VOID_TAGS = frozenset(
    {"br", "hr", "img", "input", "meta", "link", "wbr", "area", "base", "col", "source", "embed"}
)
ICU_TYPES = ("plural", "selectordinal", "select", "number", "date", "time", "choice")

_CODE = re.compile(r"`([^`\n]+)`")
_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_TAG = re.compile(r"<(/?)([A-Za-z][\w:.-]*)((?:\s+[^<>]*?)?)\s*(/?)>")
_ATTRIBUTE = re.compile(r"([\w:.-]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>\"'`]+|\bwww\.[\w-]+\.[^\s<>\"'`]+")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PRINTF = re.compile(
    r"(?<![\d%])%(?:\(\w+\)[sdifr]|(?:\d+\$)?[-+#0]*(?:\d+|\*)?(?:\.\d+)?(?:hh|h|ll|l|L|z|j|t)?[sdiufFeEgGxXoc@p])"
)
_ICU_HEAD = re.compile(r"\s*(\w+)\s*,\s*(" + "|".join(ICU_TYPES) + r")\s*(?:,(.*))?$", re.DOTALL)
_SIMPLE_BRACE = re.compile(r"\s*([\w.]+)\s*(?:[:,][^{}]*)?")
_ANY_ITEM = re.compile(r"[{%<`\[@]|://|www\.")
"""A character every item contains: most sentences have none and are skipped at once."""
_URL_TRAILER = ".,;:!?)]}'\"»”’"


@dataclass(frozen=True)
class FormatItem:
    """One thing that must survive translation.

    Attributes:
        kind: ``placeholder``, ``tag``, ``link``, ``code``, ``url`` or ``email``.
        key: What must be equal on both sides.
        text: The item as written.
        start: Offset of its first character.
        end: Offset one past its last character.
    """

    kind: str
    key: str
    text: str
    start: int
    end: int


def format_items(text: str) -> list[FormatItem]:
    """Every placeholder, tag, Markdown link, inline code, URL and e-mail of ``text``.

    Items never overlap: inline code hides what is inside it, a tag hides its
    attributes' URLs, an ICU message hides its translated sub-messages.
    """
    if not _ANY_ITEM.search(text):
        return []
    masked = list(text)
    items: list[FormatItem] = []

    def take(kind: str, key: str, start: int, end: int) -> None:
        items.append(FormatItem(kind, key, text[start:end], start, end))
        masked[start:end] = " " * (end - start)

    for m in _CODE.finditer(text):
        take(CODE, m.group(1), m.start(), m.end())
    for pattern, kind in ((_MD_LINK, LINK), (_TAG, TAG)):
        for m in pattern.finditer("".join(masked)):
            key = m.group(2) if kind == LINK else _tag_key(m)
            if kind == LINK:
                # The link text is translated; only the URL part is hidden.
                items.append(FormatItem(LINK, key, m.group(), m.start(), m.end()))
                masked[m.start(2) : m.end(2)] = " " * (m.end(2) - m.start(2))
            else:
                take(kind, key, m.start(), m.end())
    for start, end, key in _brace_placeholders("".join(masked)):
        take(PLACEHOLDER, key, start, end)
    for pattern, kind in ((_URL, URL), (_EMAIL, EMAIL), (_PRINTF, PLACEHOLDER)):
        for m in pattern.finditer("".join(masked)):
            end = m.end()
            if kind == URL:
                while end > m.start() and text[end - 1] in _URL_TRAILER:
                    end -= 1
            take(kind, text[m.start() : end], m.start(), end)
    return sorted(items, key=lambda item: item.start)


def mask_items(text: str) -> str:
    """``text`` with every item blanked out by spaces (a link keeps its text; offsets stay)."""
    chars = list(text)
    for item in format_items(text):
        start = item.start
        if item.kind == LINK:
            start += item.text.rfind("(" + item.key)
        chars[start : item.end] = " " * (item.end - start)
    return "".join(chars)


def _tag_key(m: re.Match[str]) -> str:
    closing, name, attributes, self_closing = m.group(1), m.group(2).lower(), m.group(3), m.group(4)
    if closing:
        return f"</{name}>"
    parts = []
    for attr in _ATTRIBUTE.finditer(attributes or ""):
        attr_name = attr.group(1).lower()
        value = (attr.group(2) or "").strip("\"'")
        parts.append(attr_name if attr_name in TRANSLATABLE_ATTRIBUTES else f"{attr_name}={value!r}")
    inside = " ".join([name, *sorted(parts)])
    return f"<{inside}/>" if self_closing else f"<{inside}>"


def _brace_placeholders(text: str) -> Iterator[tuple[int, int, str]]:
    """``{0}``, ``{name}``, ``{{var}}``, ``${var}`` and ICU ``{n, plural, ...}`` arguments."""
    i = text.find("{")
    while i >= 0:
        end = matching_brace(text, i)
        if end < 0:
            i = text.find("{", i + 1)
            continue
        inner = text[i + 1 : end]
        start = i - 1 if i > 0 and text[i - 1] == "$" else i
        key = _brace_key(inner, dollar=start < i)
        if key is not None:
            yield start, end + 1, key
            i = text.find("{", end + 1)
        else:
            i = text.find("{", i + 1)


def _brace_key(inner: str, dollar: bool) -> str | None:
    if inner.startswith("{") and inner.endswith("}"):
        name = inner[1:-1].strip()
        return f"{{{{{name}}}}}" if re.fullmatch(r"[\w.]+", name) else None
    icu = _ICU_HEAD.match(inner)
    if icu is not None:
        name, kind, rest = icu.group(1), icu.group(2), icu.group(3) or ""
        if kind in ("select", "selectordinal", "plural", "choice"):
            keywords = _icu_keywords(rest)
            # Plural categories differ between languages (one/few/many); only 'other' must stay.
            shown = sorted(keywords) if kind == "select" else sorted({"other"} & set(keywords))
            return f"{{{name}, {kind}, {' '.join(shown)}}}"
        return f"{{{name}, {kind}}}"
    simple = _SIMPLE_BRACE.fullmatch(inner)
    if simple is None:
        return None
    return f"${{{simple.group(1)}}}" if dollar else f"{{{simple.group(1)}}}"


def _icu_keywords(rest: str) -> list[str]:
    """The selector keywords at the top level of an ICU argument's options."""
    keywords: list[str] = []
    depth, word = 0, list[str]()
    for char in rest:
        if char == "{":
            if depth == 0 and "".join(word).strip():
                keywords.append("".join(word).strip().split()[-1])
            depth += 1
            word = []
        elif char == "}":
            depth -= 1
        elif depth == 0:
            word.append(char)
    return keywords


def matching_brace(text: str, start: int) -> int:
    """Offset of the ``}`` closing the ``{`` at ``start``; -1 when it is never closed."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    return -1


def tag_errors(items: list[FormatItem]) -> list[tuple[FormatItem, str]]:
    """Tags that do not nest: (tag, what is wrong), in text order."""
    stack: list[FormatItem] = []
    problems: list[tuple[FormatItem, str]] = []
    crossed: list[str] = []  # tags closed out of order: their late closer is the same error
    for item in items:
        if item.kind != TAG or item.key.endswith("/>"):
            continue
        name = item.key.strip("</>").split()[0]
        if item.key.startswith("</"):
            if stack and _tag_name(stack[-1]) == name:
                stack.pop()
            elif any(_tag_name(open_tag) == name for open_tag in stack):
                while _tag_name(stack[-1]) != name:
                    inner = stack.pop()
                    crossed.append(_tag_name(inner))
                    problems.append((inner, f"{inner.text} is not closed before {item.text}"))
                stack.pop()
            elif name in crossed:
                crossed.remove(name)
            else:
                problems.append((item, f"{item.text} closes a tag that is not open"))
        elif name not in VOID_TAGS:
            stack.append(item)
    problems += [(item, f"{item.text} is never closed") for item in stack]
    return problems


def _tag_name(item: FormatItem) -> str:
    return item.key.strip("</>").split()[0]
