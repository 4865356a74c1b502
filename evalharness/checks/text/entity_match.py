"""Linking each reference name of a segment to its rendering in the hypothesis.

A reference name is rendered when a hypothesis name in the same segment is the
same name or an acceptable variant (alias, acronym, partial name, reordered
words, diacritics, transliteration), or when the hypothesis text mentions it
(in lower case, say), or when a neighbouring segment renders it (alignment
slack). A misspelt rendering is linked with verdict ``misspelled``. A name left
without a rendering is ``swapped`` when a hypothesis name of the same kind (same
head word, both persons, a shared word, or the only candidates at about the same
place) stands in its place, and ``missing`` otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from evalharness.checks.text.entities import Entity
from evalharness.checks.text.lexicon import (
    CONNECTORS,
    alias_groups,
    alias_members,
    fold,
    strip_accents,
    tokenize,
)
from evalharness.checks.text.names import (
    ACCEPTABLE,
    WordPair,
    compare_names,
    compare_words,
    is_acronym_of,
    rank,
)

_POSITION_SLACK = 0.25


@dataclass(frozen=True)
class EntityLink:
    """How one reference name of a segment is rendered in the hypothesis.

    Attributes:
        ref: The reference name.
        hyp: The hypothesis name that renders it (or stands in for it), or None.
        verdict: A :data:`~evalharness.checks.text.names.VERDICTS` value, ``swapped``
            (another name stands in its place) or ``missing``.
        pairs: Aligned words of the two names.
        where: ``segment``, ``text`` (mentioned outside a name), ``neighbour``, or
            ``repeat`` (a second mention of a name rendered once, e.g. by a pronoun).
        confidence: How sure the link is, 0..1.
    """

    ref: Entity
    hyp: Entity | None
    verdict: str
    pairs: tuple[WordPair, ...] = ()
    where: str = "segment"
    confidence: float = 1.0


@dataclass(frozen=True)
class SegmentNames:
    """The names of one segment and its neighbourhood, input of :func:`link_segment`."""

    ref: Sequence[Entity]
    hyp: Sequence[Entity]
    ref_text: str
    hyp_text: str
    neighbour_ref: Sequence[Entity] = ()
    neighbour_hyp: Sequence[Entity] = ()


def _plain(text: str) -> str:
    return (text if text.isascii() else strip_accents(text)).replace(".", "")


@lru_cache(maxsize=1 << 16)
def _name_pattern(plain_name: str) -> re.Pattern[str]:
    pattern = r"(?<!\w)" + re.escape(plain_name) + r"(?!\w)"
    return re.compile(pattern, 0 if plain_name.isupper() else re.IGNORECASE)


def mentions(text: str, name: str) -> bool:
    """True when ``text`` contains ``name`` as whole words.

    Case is ignored except for all-capital names ("US" is not "us"); dots and
    diacritics are ignored.
    """
    plain_name = _plain(name).strip()
    if not plain_name:
        return False
    plain_text = _plain(text)
    if plain_name.isupper():
        if plain_name not in plain_text:
            return False
    elif plain_name.casefold() not in plain_text.casefold():
        return False
    return _name_pattern(plain_name).search(plain_text) is not None


def _mentioned_as_alias(entity: Entity, text: str) -> bool:
    key = fold(entity.text)
    key = key[4:] if key.startswith("the ") else key
    group = alias_groups().get(key)
    names = [entity.text] if group is None else [entity.text, *alias_members()[group]]
    if entity.alias:
        names.append(entity.alias)
    if any(mentions(text, name) for name in names):
        return True
    acronyms = [w for w in entity.words if w.isupper() and len(w.replace(".", "")) >= 3]
    if not acronyms:
        return False
    words = tuple(fold(t.base) for t in tokenize(text) if fold(t.text) not in CONNECTORS)
    rest = [w for w in entity.words if w not in acronyms and fold(w) not in CONNECTORS]
    return all(is_acronym_of(a, words) for a in acronyms) and all(mentions(text, w) for w in rest)


def _relative(entity: Entity, text: str) -> float:
    return entity.start / max(len(text), 1)


def _mask(text: str, entities: Iterable[Entity]) -> str:
    """``text`` with the spans of ``entities`` blanked out."""
    chars = list(text)
    for entity in entities:
        chars[entity.start : entity.end] = " " * (entity.end - entity.start)
    return "".join(chars)


def _spare_covers(ref: Entity, hyp: Entity, owner: Entity | None) -> bool:
    """True when words of ``hyp`` beyond those rendering ``owner`` render ``ref``.

    "Peru's Cayetano Heredia University" renders both "Cayetano Heredia University" and
    "Peru"; "Singapore Tourism Board" renders only "Singapore Tourism Board".
    """
    spare = [w for w in hyp.words if fold(w) not in CONNECTORS]
    if owner is not None:
        for word in owner.words:
            match = next((w for w in spare if compare_words(word, w) in ACCEPTABLE), None)
            if match is not None:
                spare.remove(match)
    needed = [w for w in ref.words if fold(w) not in CONNECTORS]
    return bool(needed) and all(
        any(compare_words(word, w) in ACCEPTABLE for w in spare) for word in needed
    )


class _Linker:
    """The passes of :func:`link_segment` over one segment's names."""

    def __init__(self, names: SegmentNames, strict_neighbours: bool = True) -> None:
        self.names = names
        self.strict = strict_neighbours
        self.refs = list(names.ref)
        self.hyps = list(names.hyp)
        self.table = {
            (i, j): compare_names(ref, hyp)
            for i, ref in enumerate(self.refs)
            for j, hyp in enumerate(self.hyps)
        }
        self.links: dict[int, EntityLink] = {}
        self.owner: dict[int, int] = {}
        self.used: set[int] = set()

    def distance(self, i: int, j: int) -> float:
        return abs(
            _relative(self.refs[i], self.names.ref_text)
            - _relative(self.hyps[j], self.names.hyp_text)
        )

    def one_to_one(self) -> None:
        """Best pairs first, each name used once: same, variants, then misspellings."""
        order = sorted(
            (rank(c.verdict), -c.shared, self.distance(i, j), i, j)
            for (i, j), c in self.table.items()
            if c.verdict != "different"
        )
        for *_, i, j in order:
            if i not in self.links and j not in self.owner:
                comparison = self.table[i, j]
                self.links[i] = EntityLink(self.refs[i], self.hyps[j], comparison.verdict,
                                           comparison.pairs)
                self.owner[j] = i
                self.used.add(j)

    def partial(self) -> None:
        """A name rendered by spare words of a longer name ("Peru" in "Peru's ... University")."""
        for i, ref in enumerate(self.refs):
            if i in self.links:
                continue
            for j, hyp in enumerate(self.hyps):
                comparison = self.table[i, j]
                owner = self.refs[self.owner[j]] if j in self.owner else None
                if comparison.acceptable and _spare_covers(ref, hyp, owner):
                    self.links[i] = EntityLink(ref, hyp, comparison.verdict, comparison.pairs)
                    self.used.add(j)
                    break

    def mentions(self) -> None:
        """A name written outside any linked name ("the internet", "U.S." in a phrase)."""
        masked = _mask(self.names.hyp_text, (self.hyps[j] for j in self.owner))
        for i, ref in enumerate(self.refs):
            if i not in self.links and _mentioned_as_alias(ref, masked):
                self.links[i] = EntityLink(ref, None, "same", where="text")

    def repeats(self) -> list[EntityLink]:
        """Unlinked hypothesis names misspelling a reference name that is rendered elsewhere."""
        extra = []
        for j, hyp in enumerate(self.hyps):
            if j in self.used:
                continue
            for i, ref in enumerate(self.refs):
                comparison = self.table[i, j]
                if comparison.verdict in ("misspelled", "transliteration", "diacritics"):
                    extra.append(EntityLink(ref, hyp, comparison.verdict, comparison.pairs))
                    self.used.add(j)
                    break
        return extra

    def free(self) -> list[Entity]:
        """Strong hypothesis names that render nothing in this or a neighbouring reference."""
        linked_refs = (link.ref for link in self.links.values())
        masked = _mask(self.names.ref_text, linked_refs)
        return [
            hyp
            for j, hyp in enumerate(self.hyps)
            if j not in self.used
            and hyp.strong
            and not _mentioned_as_alias(hyp, masked)
            and not _shifted_across(hyp, self.names.neighbour_ref, self.names.neighbour_hyp,
                                    name_is_ref=False, strict=self.strict)
        ]


def link_segment(names: SegmentNames, *, strict_neighbours: bool = True) -> tuple[EntityLink, ...]:
    """Link every reference name of a segment to its hypothesis rendering.

    Passes: one-to-one best pairs; partial renderings inside a longer name;
    mentions outside names; misspelt repeats; then stand-ins. A hypothesis
    name standing in the place of an unrendered reference name makes a swap
    even when a neighbouring segment mentions the reference name; without a
    stand-in, a mention nearby counts as rendered. Weak reference names
    (capitalised only by position) are never ``swapped`` or ``missing``.

    A neighbour excuses a name only when it names it on the other side more often
    than on the name's own side (``strict_neighbours``, for languages whose
    capitals mark names); otherwise (capitals may mark any noun) any mention in a
    neighbour excuses it.

    Returns:
        The links, in reference order (a name may have a second, misspelt, rendering).
    """
    linker = _Linker(names, strict_neighbours)
    linker.one_to_one()
    linker.partial()
    linker.mentions()
    links = list(linker.links.values()) + linker.repeats()
    unresolved = [r for i, r in enumerate(linker.refs) if i not in linker.links and r.strong]
    rendered = {fold(link.ref.text) for link in links}
    for link in _stand_ins(unresolved, linker.free(), names):
        if link.verdict == "swapped":
            links.append(link)
        elif fold(link.ref.text) in rendered:
            links.append(EntityLink(link.ref, None, "same", where="repeat"))
        elif _rendered_nearby(link.ref, names, strict_neighbours):
            links.append(EntityLink(link.ref, None, "same", where="neighbour"))
        else:
            links.append(link)
    return tuple(sorted(links, key=lambda link: link.ref.start))


def _rendered_nearby(ref: Entity, names: SegmentNames, strict: bool) -> bool:
    return _shifted_across(ref, names.neighbour_hyp, names.neighbour_ref, name_is_ref=True,
                           strict=strict)


def _shifted_across(
    name: Entity, there: Sequence[Entity], own: Sequence[Entity], *, name_is_ref: bool,
    strict: bool,
) -> bool:
    """True when a neighbour names ``name`` on the other side, so it may have moved there.

    Strict: only when the neighbours name it there more often than on ``name``'s own
    side (the name crossed a segment boundary). A neighbour that names it equally on
    both sides renders it itself, so it does not excuse ``name`` here ("host Porto" for "host Braga" when Porto appears in the
    next sentence of both texts is a substitution).
    """
    def same(entity: Entity) -> bool:
        pair = (name, entity) if name_is_ref else (entity, name)
        return compare_names(*pair).acceptable

    other = sum(map(same, there))
    if not strict:
        return other > 0
    return other > 0 and other > sum(map(same, own))


def _stand_in_confidence(ref: Entity, hyp: Entity, names: SegmentNames, alone: bool) -> float:
    """How likely ``hyp`` stands in ``ref``'s place (0 when it does not).

    Same head word, both persons, a shared word, or about the same place in the
    sentence (anywhere, when they are the only unmatched names on each side).
    """
    if ref.head is not None and ref.head == hyp.head:
        return 0.9
    if ref.kind == hyp.kind == "person":
        return 0.8
    if (ref.kind == "acronym") != (hyp.kind == "acronym"):
        return 0.0
    comparison = compare_names(ref, hyp)
    if comparison.shared >= 1 and len(ref.content_words) >= 2 and len(hyp.content_words) >= 2:
        return 0.7
    distance = abs(_relative(ref, names.ref_text) - _relative(hyp, names.hyp_text))
    return 0.5 if distance <= _POSITION_SLACK or alone else 0.0


def _stand_ins(
    unresolved: list[Entity], free: list[Entity], names: SegmentNames
) -> list[EntityLink]:
    """Pair unrendered reference names with free hypothesis names, most likely pairs first."""
    alone = len(unresolved) == 1 and len(free) == 1
    scored = sorted(
        (
            (-_stand_in_confidence(ref, hyp, names, alone),
             abs(_relative(ref, names.ref_text) - _relative(hyp, names.hyp_text)), i, j)
            for i, ref in enumerate(unresolved)
            for j, hyp in enumerate(free)
        )
    )
    paired: dict[int, EntityLink] = {}
    taken: set[int] = set()
    for negative, _, i, j in scored:
        if negative < 0 and i not in paired and j not in taken:
            paired[i] = EntityLink(unresolved[i], free[j], "swapped", confidence=-negative)
            taken.add(j)
    return [
        paired.get(i, EntityLink(ref, None, "missing", confidence=0.5))
        for i, ref in enumerate(unresolved)
    ]
