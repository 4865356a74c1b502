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
from collections.abc import Sequence
from dataclasses import dataclass

from evalharness.checks.entities import Entity
from evalharness.checks.lexicon import (
    CONNECTORS,
    alias_groups,
    alias_members,
    fold,
    strip_accents,
    tokenize,
)
from evalharness.checks.names import (
    NameComparison,
    WordPair,
    compare_names,
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
        verdict: A :data:`~evalharness.checks.names.VERDICTS` value, ``swapped``
            (another name stands in its place) or ``missing``.
        pairs: Aligned words of the two names.
        where: ``segment``, ``text`` (mentioned outside a name) or ``neighbour``.
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
    return strip_accents(text).replace(".", "")


def mentions(text: str, name: str) -> bool:
    """True when ``text`` contains ``name`` as whole words.

    Case is ignored except for all-capital names ("US" is not "us"); dots and
    diacritics are ignored.
    """
    plain_name = _plain(name).strip()
    if not plain_name:
        return False
    pattern = r"(?<!\w)" + re.escape(plain_name) + r"(?!\w)"
    flags = 0 if plain_name.isupper() else re.IGNORECASE
    return re.search(pattern, _plain(text), flags) is not None


def _mentioned_as_alias(entity: Entity, text: str) -> bool:
    key = fold(entity.text)
    key = key[4:] if key.startswith("the ") else key
    group = alias_groups().get(key)
    names = [entity.text] if group is None else [entity.text, *alias_members()[group]]
    if entity.alias:
        names.append(entity.alias)
    if any(mentions(text, name) for name in names):
        return True
    if entity.kind == "acronym" and len(entity.text.replace(".", "")) >= 3:
        words = tuple(fold(t.base) for t in tokenize(text) if fold(t.text) not in CONNECTORS)
        return is_acronym_of(entity.text, words)
    return False


def _relative(entity: Entity, text: str) -> float:
    return entity.start / max(len(text), 1)


def _best(
    entity: Entity, candidates: Sequence[Entity], own_text: str, other_text: str
) -> tuple[NameComparison, int] | None:
    best: tuple[tuple[int, int, float], NameComparison, int] | None = None
    for index, candidate in enumerate(candidates):
        comparison = compare_names(entity, candidate)
        distance = abs(_relative(entity, own_text) - _relative(candidate, other_text))
        key = (rank(comparison.verdict), -comparison.shared, distance)
        if best is None or key < best[0]:
            best = (key, comparison, index)
    return None if best is None else (best[1], best[2])


def _unique(entities: Sequence[Entity]) -> list[Entity]:
    seen: set[str] = set()
    unique = []
    for entity in entities:
        key = fold(entity.text)
        if key not in seen:
            seen.add(key)
            unique.append(entity)
    return unique


def link_segment(names: SegmentNames) -> tuple[EntityLink, ...]:
    """Link every reference name of a segment to its hypothesis rendering.

    A hypothesis name standing in the place of an unrendered reference name
    makes a swap even when a neighbouring segment mentions the reference name;
    without a stand-in, a mention nearby counts as rendered. Weak reference
    names (capitalised only by position) are never ``swapped`` or ``missing``.

    Returns:
        One link per distinct reference name, in reference order.
    """
    refs, hyps = _unique(names.ref), _unique(names.hyp)
    links: list[EntityLink] = []
    unresolved: list[Entity] = []
    used: set[int] = set()
    for ref in refs:
        found = _best(ref, hyps, names.ref_text, names.hyp_text)
        if found is not None and found[0].verdict != "different":
            comparison, index = found
            used.add(index)
            links.append(EntityLink(ref, hyps[index], comparison.verdict, comparison.pairs))
        elif _mentioned_as_alias(ref, names.hyp_text):
            links.append(EntityLink(ref, None, "same", where="text"))
        else:
            unresolved.append(ref)
    links.extend(_misspelt_repeats(refs, hyps, used))
    free = [
        hyp
        for index, hyp in enumerate(hyps)
        if index not in used
        and hyp.strong
        and not _mentioned_as_alias(hyp, names.ref_text)
        and not _rendered_by_any(hyp, names.neighbour_ref)
    ]
    for link in _stand_ins([r for r in unresolved if r.strong], free, names):
        if link.verdict == "swapped":
            links.append(link)
        elif _rendered_nearby(link.ref, names):
            links.append(EntityLink(link.ref, None, "same", where="neighbour"))
        else:
            links.append(link)
    return tuple(sorted(links, key=lambda link: link.ref.start))


def _misspelt_repeats(refs: list[Entity], hyps: list[Entity], used: set[int]) -> list[EntityLink]:
    """Unlinked hypothesis names that misspell a reference name rendered elsewhere.

    "Chinese characters ... Chikse characters": the first mention is linked, the
    second would otherwise go unnoticed. Marks the names it links as used.
    """
    links = []
    for index, hyp in enumerate(hyps):
        if index in used:
            continue
        for ref in refs:
            comparison = compare_names(ref, hyp)
            if comparison.verdict in ("misspelled", "transliteration", "diacritics"):
                links.append(EntityLink(ref, hyp, comparison.verdict, comparison.pairs))
                used.add(index)
                break
    return links


def _rendered_nearby(ref: Entity, names: SegmentNames) -> bool:
    return any(compare_names(ref, hyp).acceptable for hyp in names.neighbour_hyp)


def _rendered_by_any(hyp: Entity, refs: Sequence[Entity]) -> bool:
    return any(compare_names(ref, hyp).acceptable for ref in refs)


def _stand_in_confidence(ref: Entity, hyp: Entity, names: SegmentNames) -> float:
    """How likely ``hyp`` stands in ``ref``'s place (0 when it does not)."""
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
    return 0.5 if distance <= _POSITION_SLACK else 0.0


def _stand_ins(
    unresolved: list[Entity], free: list[Entity], names: SegmentNames
) -> list[EntityLink]:
    """Pair unrendered reference names with free hypothesis names, most likely pairs first."""
    scored = sorted(
        (
            (-_stand_in_confidence(ref, hyp, names),
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
