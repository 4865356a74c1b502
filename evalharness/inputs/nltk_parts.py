"""The two NLTK parts evalharness uses, Punkt and the Snowball stemmer, imported cheaply.

``import nltk.tokenize.punkt`` runs ``nltk/__init__.py`` first, which imports
all of NLTK, SciPy included (``nltk.collocations`` -> ``scipy.stats``): 1 to 5 s
before the first sentence is split, for two pure-Python modules whose own
imports are a handful of small NLTK modules. Here those modules are loaded
under placeholder parent packages, so no package ``__init__`` runs, and the
placeholders are then taken out of ``sys.modules`` again: code that imports
``nltk`` later (the user's, or ours) gets the real, complete package. The
classes are the same source code either way, so results do not change; if the
shortcut fails for any reason (another NLTK layout), the ordinary import is
used.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

#: Packages whose ``__init__`` is skipped: ``nltk`` (all of NLTK and SciPy),
#: ``nltk.tokenize`` and ``nltk.stem`` (every tokenizer and stemmer),
#: ``nltk.corpus`` (every corpus reader; Snowball needs it only for stop words,
#: which evalharness does not ask for).
_SKIPPED_PACKAGES = ("nltk", "nltk.tokenize", "nltk.stem", "nltk.corpus")
_MODULES = ("nltk.tokenize.punkt", "nltk.stem.snowball")
_LOCK = threading.Lock()


@dataclass(frozen=True)
class NltkParts:
    """The NLTK classes evalharness uses.

    Attributes:
        punkt_tokenizer: ``nltk.tokenize.punkt.PunktSentenceTokenizer``.
        punkt_trainer: ``nltk.tokenize.punkt.PunktTrainer``.
        snowball_stemmer: ``nltk.stem.snowball.SnowballStemmer``.
    """

    punkt_tokenizer: Any
    punkt_trainer: Any
    snowball_stemmer: Any


@lru_cache(maxsize=1)
def nltk_parts() -> NltkParts:
    """Punkt and Snowball, without importing the rest of NLTK when that can be avoided."""
    with _LOCK:
        modules = _light_import() if "nltk" not in sys.modules else None
        if modules is None:
            modules = [importlib.import_module(name) for name in _MODULES]
    punkt, snowball = modules
    return NltkParts(punkt.PunktSentenceTokenizer, punkt.PunktTrainer, snowball.SnowballStemmer)


def _light_import() -> list[types.ModuleType] | None:
    """The modules of :data:`_MODULES` loaded under placeholder packages, or ``None``."""
    spec = importlib.util.find_spec("nltk")
    if spec is None or spec.origin is None:
        return None
    root = Path(spec.origin).parent
    before = set(sys.modules)
    try:
        for name in _SKIPPED_PACKAGES:
            placeholder = types.ModuleType(name)
            placeholder.__path__ = [str(root.joinpath(*name.split(".")[1:]))]
            sys.modules[name] = placeholder
        sys.modules["nltk.corpus"].stopwords = None  # type: ignore[attr-defined]
        return [importlib.import_module(name) for name in _MODULES]
    except Exception:  # noqa: BLE001 (any failure: use the ordinary import)
        return None
    finally:
        for name in set(sys.modules) - before:
            if name == "nltk" or name.startswith("nltk."):
                del sys.modules[name]
