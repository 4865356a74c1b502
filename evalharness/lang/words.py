"""Word resources per language: frequencies (wordfreq), function words and lemmas (simplemma).

Both libraries ship their data inside their wheels; nothing is downloaded. They
are imported on first use only (wordfreq takes about two seconds to load its
tables), so runs that never ask about a language other than English never pay.
"""

from __future__ import annotations

from functools import cache, lru_cache

FUNCTION_WORDS = 150
"""The most frequent words of a language that count as its function words.

wordfreq's top words of every language are articles, pronouns, auxiliaries,
prepositions and conjunctions, with a few very common content words ("Zeit",
"Jahr") that an omission check may safely ignore."""
INTERNATIONAL_MARGIN = 1.5
"""A word at most this much less frequent (Zipf) in English than in its own
language is international: a name, a brand, a loan word."""

@cache
def frequency_languages() -> frozenset[str]:
    """Codes that wordfreq has a word list for."""
    from wordfreq import available_languages

    return frozenset(available_languages())


@cache
def has_frequencies(code: str) -> bool:
    """True when wordfreq knows the language ``code`` and can look its words up offline.

    wordfreq lists Chinese, but looks Chinese words up through jieba, an optional
    package we do not install: such a language counts as unknown rather than
    failing in the middle of a run.
    """
    if code not in frequency_languages():
        return False
    from wordfreq import zipf_frequency

    try:
        zipf_frequency("a", code)
    except (ImportError, LookupError):
        return False
    return True


@cache
def lemma_languages() -> frozenset[str]:
    """Codes that simplemma ships a dictionary for (read from its wheel)."""
    from importlib import resources

    folder = resources.files("simplemma.strategies.dictionaries").joinpath("data")
    return frozenset(p.name.split(".")[0] for p in folder.iterdir() if p.name.endswith(".plzma"))


def has_lemmas(code: str) -> bool:
    """True when simplemma can lemmatise the language ``code``."""
    return code in lemma_languages()


@lru_cache(maxsize=1 << 16)
def zipf(word: str, code: str) -> float:
    """Zipf frequency of ``word`` in language ``code`` (0 for unknown words or languages)."""
    if not has_frequencies(code):
        return 0.0
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, code))


@cache
def function_words_of(code: str) -> frozenset[str]:
    """The :data:`FUNCTION_WORDS` most frequent words of ``code`` (empty when unknown)."""
    if not has_frequencies(code):
        return frozenset()
    from wordfreq import top_n_list

    return frozenset(w for w in top_n_list(code, FUNCTION_WORDS) if not w.isdigit())


@lru_cache(maxsize=1 << 18)
def lemma(word: str, code: str) -> str:
    """The lemma of ``word`` in ``code``, lower case (the word itself when unknown)."""
    if not has_lemmas(code):
        return word.lower()
    import simplemma

    return str(simplemma.lemmatize(word, lang=code)).lower()


def is_international(word: str, code: str) -> bool:
    """True when ``word`` is about as common in English as in ``code``: a name, not a noun.

    "Merkel", "Google", "Einstein" are; "Sekunde", "Zeitalter", "Und" are not.
    Unknown languages: always True (nothing to tell names from nouns).
    """
    if not has_frequencies(code):
        return True
    return zipf(word, "en") >= zipf(word, code) - INTERNATIONAL_MARGIN
