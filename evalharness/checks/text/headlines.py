"""Headlines and titled names: where capitals say little, and who a title names.

A title-case sentence ("Big Bang Theory Star Dies At 90") capitalises common
words, so its capitals are no evidence of names; the words after a title
("President", "Prof.") are a person's name.
"""

from __future__ import annotations

from collections.abc import Sequence

from evalharness.checks.text.lexicon import Token, is_content_word, title_words

TITLE_CASE_WORDS = frozenset(
    ["a", "an", "the", "in", "on", "at", "to", "for", "with", "from", "by", "into", "over", "after", "before", "under", "about", "as"]
)


def is_title(token: Token) -> bool:
    """A title word ("President", "Prof.") that introduces a name."""
    return token.folded in title_words()


def titled_name_words(tokens: Sequence[Token]) -> set[str]:
    """Folded words of names that follow a capitalised title ("President Ana Ruiz")."""
    words: set[str] = set()
    for index, token in enumerate(tokens[:-1]):
        if not (is_title(token) and token.capitalised):
            continue
        for follower in tokens[index + 1 : index + 4]:
            if not follower.capitalised or is_title(follower) or follower.is_acronym:
                break
            words.add(follower.folded)
            if follower.possessive:
                break
    return words


def headline_flags(tokens: Sequence[Token], lower: frozenset[str], text: str) -> list[bool]:
    """Per token: True when it is in a title-case sentence, where capitals say little."""
    flags = [False] * len(tokens)
    if sum(t.capitalised and not t.initial for t in tokens) < 2:
        return flags  # a headline needs two capitals after a sentence's first word
    sentence: list[int] = []
    for index in range(len(tokens) + 1):
        if index == len(tokens) or (tokens[index].initial and sentence):
            end = tokens[index].start if index < len(tokens) else len(text)
            words = [tokens[i] for i in sentence]
            if is_headline(words, lower, text[words[-1].end : end] if words else ""):
                for i in sentence:
                    flags[i] = True
            sentence = []
        if index < len(tokens):
            sentence.append(index)
    return flags


def is_headline(sentence: Sequence[Token], lower: frozenset[str], tail: str) -> bool:
    """Title case: common words capitalised inside the sentence.

    Either most content words are capitalised and most inner capitalised words
    are written in lower case elsewhere in the document ("Big Bang" inside an
    ordinary sentence is not a headline), or two different small words are capitalised inside ("In", "With"),
    or the line has no final punctuation and nearly all its content words are
    capitalised.
    """
    inner = [t for t in sentence if t.capitalised and not t.initial]
    if len(inner) < 2:  # every rule below needs two capitals after the first word
        return False
    content = [t for t in sentence if is_content_word(t.base) and not t.is_acronym]
    inner_caps = [t for t in content if t.capitalised and not t.initial]
    common = [t for t in inner_caps if t.folded in lower]
    mostly_caps = 2 * sum(t.capitalised for t in content) >= len(content)
    if len(common) >= 2 and 2 * len(common) >= len(inner_caps) and mostly_caps:
        return True
    inner_small = {t.folded for t in inner if t.folded in TITLE_CASE_WORDS}
    if len(inner_small) >= 2:
        return True
    unpunctuated = not any(ch in tail for ch in ".!?;:")
    all_caps = sum(t.capitalised for t in content)
    return unpunctuated and len(content) >= 4 and all_caps >= 0.8 * len(content)
