"""The languages of one run: given with ``-l``, or detected from the inputs.

Also what the target language decides for the lexical metrics, as sacrebleu
decides it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from evalharness.lang.profiles import LanguagePair, LanguageProfile, parse_language_pair
from evalharness.records import Document

Info = Callable[[str], None]


def given_pair(spec: str | LanguagePair | None) -> LanguagePair | None:
    """The pair given by the caller (parsed, so a bad code fails before any work)."""
    if spec is None or isinstance(spec, LanguagePair):
        return spec
    return parse_language_pair(spec)


def pair_spec(pair: LanguagePair | None) -> str | None:
    """``SRC-TGT`` of a given pair (``None`` when detected)."""
    if pair is None:
        return None
    return f"{pair.source.code if pair.source else 'und'}-{pair.target.code}"


def run_languages(
    given: LanguagePair | None, ref_doc: Document, src_doc: Document | None, say: Info
) -> LanguagePair:
    """The given pair, or one detected offline from the reference and source text."""
    from evalharness.lang.detect import describe_languages, resolve_languages

    if given is not None:
        return given
    pair = resolve_languages(None, document_lines(ref_doc), document_lines(src_doc))
    say(describe_languages(pair))
    return pair


def document_lines(doc: Document | None) -> list[str]:
    """A document's lines (its segments when line-aligned) for language detection."""
    if doc is None:
        return []
    if doc.segments is not None:
        return [s.text for s in doc.segments]
    return doc.text.split("\n")


def language_metric_params(name: str, target: LanguageProfile) -> dict[str, Any]:
    """Keyword defaults of a lexical metric for the target language, as sacrebleu picks them.

    BLEU gets ``trg_lang`` (sacrebleu maps zh -> ``zh``, ja -> ``ja-mecab``,
    ko -> ``ko-mecab``, else ``13a``); TER gets Asian support for CJK targets.
    """
    if name == "bleu":
        return {"trg_lang": target.code}
    if name == "ter":
        return {"asian_support": target.ter_asian}
    return {}
