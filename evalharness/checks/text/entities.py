"""Named-entity candidates found without a model: capitalised runs, acronyms, titled names.

A run of capitalised words (with connectors such as "of", "de", "the" inside)
is a candidate. Titles split a run ("US President Donald Trump" -> "US" and the
person "Donald Trump"); a parenthesised acronym becomes an alias of the name
before it. A capitalised word that only opens a sentence is not a name when it
is a function word or written in lower case elsewhere in the document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from evalharness.checks.text.headlines import headline_flags, titled_name_words
from evalharness.checks.text.lexicon import (
    CONNECTORS,
    Token,
    fold,
    function_words,
    head_words,
    is_calendar_word,
    title_modifiers,
    title_words,
    tokenize,
)

_SPACE_RE = re.compile(r"\s+")
_OPEN_PAREN_RE = re.compile(r"\s*\(\s*$")


@dataclass(frozen=True)
class DocumentLexicon:
    """What the whole document says about words, used to judge capitals.

    Attributes:
        lower: Folded words written in lower case somewhere.
        capitalised_inside: Folded words written capitalised inside a sentence.
        person_tokens: Folded words seen in titled names ("Prof X Y" -> x, y).
    """

    lower: frozenset[str] = frozenset()
    capitalised_inside: frozenset[str] = frozenset()
    person_tokens: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Entity:
    """A named-entity candidate in one side of a segment.

    Attributes:
        text: The name as written (possessive ending and title excluded).
        start: Offset into the side's segment string.
        end: Offset one past its end.
        words: The words of the name, connectors included, possessives removed.
        kind: ``person``, ``org`` (has a head word), ``acronym`` or ``name``.
        head: Canonical head word ("university"), or None.
        title: The title before a person's name ("Prof"), or None.
        alias: A parenthesised acronym after the name, or the name an acronym
            abbreviates, or None.
        strong: False when the capitals may only mark a sentence start or a
            headline; weak entities are matched but never reported.
    """

    text: str
    start: int
    end: int
    words: tuple[str, ...]
    kind: str
    head: str | None = None
    title: str | None = None
    alias: str | None = None
    strong: bool = True

    @property
    def content_words(self) -> tuple[str, ...]:
        """Folded words without connectors ("Bank of England" -> bank, england)."""
        return tuple(fold(w) for w in self.words if fold(w) not in CONNECTORS)


def build_lexicon(texts: Iterable[tuple[str, Sequence[int]]]) -> DocumentLexicon:
    """Collect lower-case words, inner capitals and titled-name words of a document.

    Args:
        texts: ``(text, sentence_starts)`` pairs for every segment side.
    """
    return analyse_document(
        [(text, tokenize(text, tuple(starts))) for text, starts in texts]
    )[0]


def lower_words(tokenized: Iterable[tuple[str, Sequence[Token]]]) -> frozenset[str]:
    """Folded words written in lower case somewhere in ``tokenized``."""
    return frozenset(t.folded for _, tokens in tokenized for t in tokens if not t.capitalised)


def analyse_document(
    tokenized: Sequence[tuple[str, Sequence[Token]]],
    lower: frozenset[str] | None = None,
) -> tuple[DocumentLexicon, list[list[bool]]]:
    """The document's :class:`DocumentLexicon` and, per text, its headline flags.

    Args:
        tokenized: ``(text, tokens)`` for every segment side.
        lower: The whole document's :func:`lower_words` when ``tokenized`` is
            only part of it (default: those of ``tokenized``).

    Returns:
        The lexicon, and for each text one flag per token (True inside a
        title-case sentence), to pass on to :func:`extract_entities`.
    """
    if lower is None:
        lower = lower_words(tokenized)
    inside: set[str] = set()
    persons: set[str] = set()
    flags: list[list[bool]] = []
    for text, tokens in tokenized:
        headline = headline_flags(tokens, lower, text)
        flags.append(headline)
        for token, in_headline in zip(tokens, headline, strict=True):
            if token.capitalised and not token.initial and not in_headline:
                inside.add(token.folded)
        persons.update(titled_name_words(tokens))
    return DocumentLexicon(lower, frozenset(inside), frozenset(persons)), flags


def _capital_runs(text: str, tokens: Sequence[Token]) -> list[list[int]]:
    """Indices of maximal capitalised runs, connectors allowed between capitals."""
    runs: list[list[int]] = []
    current: list[int] = []
    pending: list[int] = []
    for index, token in enumerate(tokens):
        joined = bool(current) and _SPACE_RE.fullmatch(
            text[tokens[(pending or current)[-1]].end : token.start]
        )
        if token.capitalised and not is_calendar_word(token.base) and not _is_first_person(token):
            if joined:
                current.extend(pending)
            else:
                _close(runs, current)
                current = []
            current.append(index)
            pending = []
        elif joined and fold(token.text) in CONNECTORS and len(pending) < 2:
            pending.append(index)
        else:
            _close(runs, current)
            current, pending = [], []
    _close(runs, current)
    return runs


def _is_first_person(token: Token) -> bool:
    """"I", "I'm", "I've": capitalised, never a name."""
    return token.text == "I" or token.text.startswith(("I'", "I’"))


def _close(runs: list[list[int]], run: list[int]) -> None:
    if run:
        runs.append(list(run))


def _trim_opening(run: list[int], tokens: Sequence[Token], lexicon: DocumentLexicon) -> list[int]:
    """Drop sentence-opening words that are capitalised only because they open it."""
    while run:
        token = tokens[run[0]]
        folded = token.folded
        if not token.capitalised:
            run = run[1:]
            continue
        if not token.initial or token.is_acronym:
            break
        common = folded in function_words() or (
            folded in lexicon.lower and folded not in lexicon.capitalised_inside
        )
        if not common:
            break
        run = run[1:]
    while run and not tokens[run[-1]].capitalised:
        run = run[:-1]
    return run


def _split_and(name: list[int], tokens: Sequence[Token]) -> list[list[int]]:
    """Split "Syria and Iran" in two; keep "Politics and International Relations Laboratory".

    A name joined by "and" stays whole when one or two words before "and" share
    a head word after it ("Science and Technology Ministry") or a head before it
    takes one word after it ("Ministry of Science and Technology"); "and the"
    always splits.
    """
    parts: list[list[int]] = [[]]
    joiners: list[int] = []
    for index in name:
        if fold(tokens[index].text) == "and":
            parts.append([])
            joiners.append(index)
        else:
            parts[-1].append(index)
    if len(parts) == 2 and parts[0] and parts[1]:
        first, second = parts
        has_head = [any(tokens[i].folded in head_words() for i in p) for p in parts]
        after_the = fold(tokens[second[0]].text) == "the"
        if not after_the and (
            (len(first) <= 2 and has_head[1] and not has_head[0])
            or (has_head[0] and len(second) == 1)
        ):
            return [name]
    return [_strip_connectors(part, tokens) for part in parts if part]


def _split_titles(run: list[int], tokens: Sequence[Token]) -> list[tuple[list[int], list[int]]]:
    """Split a run into (title words, name words) parts at titles."""
    parts: list[tuple[list[int], list[int]]] = []
    title: list[int] = []
    name: list[int] = []
    for position, index in enumerate(run):
        folded = tokens[index].folded
        following = [tokens[i].folded for i in run[position + 1 :]]
        is_title = folded in title_words() or (
            folded in title_modifiers() and any(w in title_words() for w in following[:2])
        )
        if is_title and tokens[index].capitalised:
            if name:
                parts.append((title, name))
                title, name = [], []
            title.append(index)
        else:
            name.append(index)
    parts.append((title, name))
    return parts


def extract_entities(
    text: str,
    sentence_starts: Sequence[int],
    lexicon: DocumentLexicon,
    tokens: Sequence[Token] | None = None,
    headline: Sequence[bool] | None = None,
) -> tuple[Entity, ...]:
    """Find the named-entity candidates of one segment side.

    Args:
        text: The side's segment string.
        sentence_starts: Offsets of its sentence starts.
        lexicon: The document's :class:`DocumentLexicon`.
        tokens: ``tokenize(text, sentence_starts)``, when already computed.
        headline: The text's headline flags from :func:`analyse_document`.

    Returns:
        The entities in text order.
    """
    if tokens is None:
        tokens = tokenize(text, tuple(sentence_starts))
    if not any(t.capitalised for t in tokens):
        return ()
    if headline is None:
        headline = headline_flags(tokens, lexicon.lower, text)
    entities: list[Entity] = []
    for run in _capital_runs(text, tokens):
        for title, whole in _split_titles(_trim_opening(run, tokens, lexicon), tokens):
            for name in _split_and(_strip_connectors(whole, tokens), tokens):
                name = _strip_connectors(name, tokens)
                if not name:
                    continue
                entity = _make_entity(text, tokens, title, name, lexicon, headline[name[0]])
                if entity is not None:
                    entities.append(entity)
    return _link_parenthesised(text, entities)


def _strip_connectors(name: list[int], tokens: Sequence[Token]) -> list[int]:
    while name and fold(tokens[name[0]].text) in CONNECTORS:
        name = name[1:]
    while name and fold(tokens[name[-1]].text) in CONNECTORS:
        name = name[:-1]
    return name


def _make_entity(
    text: str,
    tokens: Sequence[Token],
    title: list[int],
    name: list[int],
    lexicon: DocumentLexicon,
    in_headline: bool,
) -> Entity | None:
    words = tuple(tokens[i].base for i in name)
    folded = [fold(w) for w in words]
    acronym = len(words) == 1 and tokens[name[0]].is_acronym
    if len(words) == 1 and not acronym and (folded[0] in function_words() or len(folded[0]) < 2):
        return None
    if not acronym and all(f in function_words() or f in title_words() for f in folded):
        return None
    first, last = tokens[name[0]], tokens[name[-1]]
    start, end = first.start, last.start + len(last.base)
    head = _head(folded)
    person = bool(title) or (head is None and any(f in lexicon.person_tokens for f in folded))
    kind = "person" if person else "org" if head else "name"
    if len(words) == 1 and first.is_acronym:
        kind = "acronym"
    known = any(f in lexicon.capitalised_inside or f in lexicon.person_tokens for f in folded)
    weak_opening = len(words) == 1 and first.initial and not known and not first.is_acronym
    weak_headline = in_headline and not known and not first.is_acronym
    title_text = text[tokens[title[0]].start : tokens[title[-1]].end] if title else None
    return Entity(
        text=text[start:end],
        start=start,
        end=end,
        words=words,
        kind=kind,
        head=head,
        title=title_text,
        strong=not (weak_opening or weak_headline),
    )


def _head(folded: Sequence[str]) -> str | None:
    """The last head word before "of"/"for" ("Lagos State Ministry of Health" -> ministry)."""
    stop = next((i for i, w in enumerate(folded) if w in ("of", "for")), len(folded))
    heads = [head_words()[w] for w in folded[:stop] if w in head_words()]
    if not heads:
        heads = [head_words()[w] for w in folded if w in head_words()]
    return heads[-1] if heads else None


def _link_parenthesised(text: str, entities: list[Entity]) -> tuple[Entity, ...]:
    """Make "Name (ACR)" an alias pair: each side knows the other."""
    linked = list(entities)
    for index in range(1, len(linked)):
        before, acronym = linked[index - 1], linked[index]
        gap = text[before.end : acronym.start]
        closes = text[acronym.end : acronym.end + 1] == ")"
        if acronym.kind == "acronym" and _OPEN_PAREN_RE.fullmatch(gap) and closes:
            linked[index - 1] = _with_alias(before, acronym.text)
            linked[index] = _with_alias(acronym, before.text)
    return tuple(linked)


def _with_alias(entity: Entity, alias: str) -> Entity:
    return Entity(
        entity.text,
        entity.start,
        entity.end,
        entity.words,
        entity.kind,
        entity.head,
        entity.title,
        alias,
        entity.strong,
    )
