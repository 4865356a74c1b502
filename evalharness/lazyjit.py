"""Numba kernels that cost nothing until a batch pays for them.

``import numba`` and loading cached machine code take 0.5 to 2 s: more than a
whole one-line evaluation should take. :func:`lazy_njit` is a drop-in for
``numba.njit(...)`` that returns a :class:`LazyKernel`: numba is imported and
the function compiled (or its cached code loaded) on the first compiled call.
Inside :func:`interpreted_kernels` a kernel runs as its plain Python function
instead, with NumPy scalars, as long as numba has not been loaded; the results
are the same (the kernels are integer and IEEE double arithmetic; tested).

Kernels call one another by their module-level names. When the first kernel is
compiled, every :class:`LazyKernel` in the namespaces of the kernels being
compiled is replaced by its numba dispatcher, so that numba sees dispatchers it
can type; from then on all calls run compiled.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

_STATE = threading.local()
_LOCK = threading.RLock()

#: Inputs up to this many characters (all texts together) are small enough for
#: interpreted kernels: ~0.1 s of CPU at most (sentence alignment), against 0.5 s
#: or more to import numba and load the cached machine code.
INTERPRETED_MAX_CHARS = 1500


class LazyKernel:
    """A function compiled by numba on its first compiled call (see the module doc)."""

    def __init__(self, func: Callable[..., Any], options: dict[str, Any]) -> None:
        self.py_func = func
        self.options = options
        self._dispatcher: Any = None
        functools.update_wrapper(self, func)

    def __call__(self, *args: Any) -> Any:
        """Run the kernel: interpreted when asked for and not compiled yet, else compiled."""
        if self._dispatcher is None and getattr(_STATE, "interpreted", False):
            return self.py_func(*args)
        return self.compiled()(*args)

    def compiled(self) -> Any:
        """The numba dispatcher (imports numba and binds the kernels' names on first use)."""
        if self._dispatcher is None:
            with _LOCK:
                if self._dispatcher is None:
                    from numba import njit

                    self._dispatcher = njit(**self.options)(self.py_func)
                    _bind_compiled(self.py_func.__globals__)
        return self._dispatcher


def _bind_compiled(namespace: dict[str, Any]) -> None:
    """Replace the lazy kernels named in a module namespace by their dispatchers."""
    for name, value in list(namespace.items()):
        if isinstance(value, LazyKernel):
            namespace[name] = value.compiled()


def lazy_njit(**options: Any) -> Callable[[Callable[..., Any]], LazyKernel]:
    """``numba.njit(**options)``, deferred: see :class:`LazyKernel`."""

    def wrap(func: Callable[..., Any]) -> LazyKernel:
        return LazyKernel(func, options)

    return wrap


@contextmanager
def interpreted_kernels(enabled: bool = True) -> Iterator[None]:
    """Run lazy kernels as Python in this thread while numba is not loaded yet.

    Args:
        enabled: When false, nothing changes (kernels run compiled); lets a caller
            write ``with interpreted_kernels(small):``.
    """
    if not enabled:
        yield
        return
    previous = getattr(_STATE, "interpreted", False)
    _STATE.interpreted = True
    try:
        # uint64 hashing wraps around on purpose, as it does compiled.
        with np.errstate(over="ignore"):
            yield
    finally:
        _STATE.interpreted = previous
