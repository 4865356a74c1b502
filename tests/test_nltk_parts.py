"""Punkt and Snowball without the rest of NLTK (evalharness.inputs.nltk_parts)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import nltk.stem.snowball
import nltk.tokenize.punkt

from evalharness.inputs.nltk_parts import nltk_parts

REPO = Path(__file__).resolve().parents[1]

TEXT = (
    "Prof. Smith arrived at 5 p.m. on Monday. He met Dr. Jones of the U.S. Army. "
    "They talked for hours! Did they agree? Nobody knows."
)


def _run(code: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env,
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_fresh_process_loads_neither_scipy_nor_the_nltk_package() -> None:
    out = _run("""
        import sys
        from evalharness.inputs.nltk_parts import nltk_parts
        parts = nltk_parts()
        print(parts.snowball_stemmer("english").stem("running"),
              "scipy" in sys.modules, any(m == "nltk" or m.startswith("nltk.") for m in sys.modules))
    """)
    assert out == "run False False"


def test_a_later_import_nltk_gets_the_whole_package() -> None:
    out = _run("""
        from evalharness.inputs.nltk_parts import nltk_parts
        nltk_parts()
        import nltk
        print(callable(nltk.word_tokenize), nltk.tokenize.punkt.PunktSentenceTokenizer.__module__)
    """)
    assert out == "True nltk.tokenize.punkt"


def test_light_classes_split_and_stem_like_the_ordinary_import() -> None:
    out = _run(f"""
        from evalharness.inputs.nltk_parts import nltk_parts
        parts = nltk_parts()
        trainer = parts.punkt_trainer()
        trainer.train({TEXT!r})
        print(list(parts.punkt_tokenizer(trainer.get_params()).span_tokenize({TEXT!r})))
        print([parts.snowball_stemmer("english").stem(w) for w in {TEXT.split()!r}])
    """)
    trainer = nltk.tokenize.punkt.PunktTrainer()
    trainer.train(TEXT)
    spans = list(nltk.tokenize.punkt.PunktSentenceTokenizer(trainer.get_params()).span_tokenize(TEXT))
    stems = [nltk.stem.snowball.SnowballStemmer("english").stem(w) for w in TEXT.split()]
    assert out.split("\n") == [str(spans), str(stems)]


def test_with_nltk_already_imported_the_real_classes_are_used() -> None:
    # This test module imported nltk, so the cached parts are NLTK's own classes.
    nltk_parts.cache_clear()
    try:
        parts = nltk_parts()
        assert parts.punkt_tokenizer is nltk.tokenize.punkt.PunktSentenceTokenizer
        assert parts.snowball_stemmer is nltk.stem.snowball.SnowballStemmer
    finally:
        nltk_parts.cache_clear()
