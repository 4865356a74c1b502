"""The Hugging Face Hub side of COMET models: cache location, offline mode, downloads.

Everything is read from the environment at call time (``HF_HOME``, ``HF_HUB_CACHE``,
``HF_HUB_OFFLINE``, ``HF_ENDPOINT``), so a test or a CI job can change it after
import. The local cache is always tried first. Before a download, one bounded
probe of the Hub (:func:`hub_unreachable`) tells a machine without network in
at most a few seconds, where the Hub client itself could wait on DNS or on a
silent connection for much longer. A failed download becomes a
:class:`~evalharness.errors.MetricUnavailableError` that says why (gated model
without a token, no network, full disk, unknown name) with the cause chained,
and a fix that matches the cause.
"""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from evalharness.errors import MetricUnavailableError

GATED_NOTE = "CometKiwi and xCOMET models are gated and licensed CC BY-NC-SA 4.0 (non-commercial)"
OFFLINE_VARIABLES = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
# Seconds the Hub probe may take (DNS, connection, answer) unless HF_HUB_ETAG_TIMEOUT is set.
PROBE_SECONDS = 4.0
_TRUE = {"1", "true", "yes", "on"}
_PROBES: dict[str, str | None] = {}  # endpoint -> why it is unreachable (None: it answered)


def unavailable(model: str, cause: str, fix: str = "") -> MetricUnavailableError:
    """A COMET :class:`MetricUnavailableError` that also names the model (for the report)."""
    exc = MetricUnavailableError("comet", cause, fix)
    exc.model = model  # type: ignore[attr-defined]
    return exc


def hub_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The Hugging Face Hub cache, read from the environment at call time."""
    env = os.environ if environ is None else environ
    for var in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
        if env.get(var):
            return Path(env[var]).expanduser()
    if env.get("HF_HOME"):
        return Path(env["HF_HOME"]).expanduser() / "hub"
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "huggingface" / "hub"


def offline_variables(environ: Mapping[str, str] | None = None) -> list[str]:
    """The variables among ``HF_HUB_OFFLINE`` and ``TRANSFORMERS_OFFLINE`` that forbid downloads."""
    env = os.environ if environ is None else environ
    return [v for v in OFFLINE_VARIABLES if env.get(v, "").strip().lower() in _TRUE]


def hub_offline(environ: Mapping[str, str] | None = None) -> bool:
    """True when ``HF_HUB_OFFLINE`` (or ``TRANSFORMERS_OFFLINE``) forbids downloads."""
    return bool(offline_variables(environ))


def hub_endpoint() -> str:
    """The Hub's address: ``HF_ENDPOINT`` now, else what huggingface_hub was configured with."""
    if os.environ.get("HF_ENDPOINT"):
        return os.environ["HF_ENDPOINT"].rstrip("/")
    from huggingface_hub import constants

    return str(constants.ENDPOINT).rstrip("/")


def probe_seconds() -> float:
    """How long the Hub probe may take: ``HF_HUB_ETAG_TIMEOUT`` if set, else :data:`PROBE_SECONDS`."""
    try:
        return max(0.1, float(os.environ["HF_HUB_ETAG_TIMEOUT"]))
    except (KeyError, ValueError):
        return PROBE_SECONDS


def hub_unreachable() -> str | None:
    """Why the Hub cannot be reached from here, or None when it answers.

    One HEAD request to the endpoint (through the same proxy settings as the
    Hub client), bounded as a whole by :func:`probe_seconds` on a daemon
    thread, since DNS look-ups have no timeout of their own. Any HTTP answer,
    even an error status, counts as reachable. The result is remembered for
    the process, so the model and its encoder are not probed twice.
    """
    endpoint = hub_endpoint()
    if endpoint not in _PROBES:
        _PROBES[endpoint] = _probe(endpoint, probe_seconds())
    return _PROBES[endpoint]


def _probe(endpoint: str, seconds: float) -> str | None:
    import socket

    import requests

    host = urlsplit(endpoint).hostname or endpoint
    outcome: list[str | None] = []

    def attempt() -> None:
        try:
            requests.head(endpoint, timeout=seconds, allow_redirects=False)
            outcome.append(None)
        except Exception as exc:  # noqa: BLE001 - any failure means no usable connection
            dns = any(isinstance(e, socket.gaierror) for e in _chain(exc))
            outcome.append(f"{'DNS look-up failed, ' if dns else ''}{_root_cause(exc)}")

    worker = threading.Thread(target=attempt, name="evalharness-hub-probe", daemon=True)
    worker.start()
    worker.join(seconds)
    return outcome[0] if outcome else f"no answer from {host} within {seconds:g} s"


def hub_snapshot(
    repo: str,
    download: bool,
    *,
    patterns: tuple[str, ...] | None,
    required: tuple[Path, ...],
    model: str | None = None,
) -> Path:
    """The snapshot directory of ``repo``: from the local cache first, then the Hub.

    Args:
        repo: Hub repository id.
        download: Whether the Hub may be contacted when the cache has no complete copy.
        patterns: Only these files (e.g. tokenizer and config of an encoder).
        required: Files the snapshot must contain to count as complete.
        model: The COMET model this is for (named in messages).

    Raises:
        MetricUnavailableError: not cached and no download possible, or the download failed.
    """
    from huggingface_hub import snapshot_download

    model = model or repo
    cache = hub_cache_dir()
    allow = list(patterns) if patterns else None
    try:
        snap = Path(
            snapshot_download(repo, cache_dir=cache, local_files_only=True, allow_patterns=allow)
        )
        if all((snap / r).is_file() for r in required):
            return snap
    except Exception:  # noqa: BLE001 - not cached is the normal miss; download below or explain
        pass
    what = f"encoder {repo} (named inside {model}'s checkpoint)" if repo != model else repo
    if not download:
        switches = " and ".join(offline_variables())
        raise unavailable(
            model,
            f"{what} is not in the local Hugging Face cache ({cache}) and downloads are "
            f"off ({f'{switches} is set' if switches else 'not allowed here'})",
            _fetch_fix(model, f"or unset {switches} to download" if switches else ""),
        )
    unreachable = hub_unreachable()
    if unreachable is not None:
        raise unavailable(
            model,
            f"cannot reach the Hugging Face Hub at {hub_endpoint()} ({unreachable}) to download "
            f"{what}, and the local Hugging Face cache ({cache}) has no copy",
            _fetch_fix(model, _NETWORK_FIX),
        )
    try:
        snap = Path(snapshot_download(repo, cache_dir=cache, allow_patterns=allow))
    except Exception as exc:
        raise hub_failure(exc, repo, model, cache) from exc
    missing = [str(r) for r in required if not (snap / r).is_file()]
    if missing:
        raise unavailable(
            model, f"{repo} on the Hub has no {', '.join(missing)}; is it a COMET model?"
        )
    return snap


_NETWORK_FIX = (
    "or give this machine access to the Hub (HTTPS_PROXY for a proxy); "
    "HF_HUB_OFFLINE=1 skips the attempt on machines that never have network"
)


def _fetch_fix(model: str, alternative: str = "") -> str:
    fix = (
        f"on a machine with network run `evalharness comet fetch {model} --to DIR`, copy DIR "
        "here and pass `--comet-model DIR`"
    )
    return f"{fix}; {alternative}" if alternative else fix


def hub_failure(exc: BaseException, repo: str, model: str, cache: Path) -> MetricUnavailableError:
    """Explain a failed Hub download: gated, not found, no network, disk full, other."""
    from huggingface_hub import errors as hf

    status = getattr(getattr(exc, "response", None), "status_code", None)
    detail = _root_cause(exc)
    if isinstance(exc, hf.GatedRepoError) or status in (401, 403):
        return unavailable(
            model,
            f"{repo} is gated on the Hugging Face Hub and this machine has no token with access (HTTP {status or 401}: {detail})",
            f"accept the licence at https://huggingface.co/{repo} ({GATED_NOTE}), then "
            "`huggingface-cli login` or set HF_TOKEN",
        )
    if isinstance(exc, hf.RepositoryNotFoundError):
        return unavailable(
            model,
            f"{repo} was not found on the Hugging Face Hub (or is private and no token was given): {detail}",
            "check the name (e.g. Unbabel/wmt22-comet-da) or log in with `huggingface-cli login`",
        )
    if _has_errno(exc, errno.ENOSPC):
        return unavailable(
            model,
            f"the disk is full while downloading {repo} into {cache}: {detail}",
            "free some space, or point HF_HOME at a disk with room (wmt22-comet-da needs about 2.3 GB)",
        )
    if isinstance(exc, hf.LocalEntryNotFoundError | hf.OfflineModeIsEnabled) or _is_network(exc):
        return unavailable(
            model,
            f"cannot reach the Hugging Face Hub to download {repo} ({detail}) and the local cache {cache} has no copy",
            _fetch_fix(model, _NETWORK_FIX),
        )
    return unavailable(model, f"downloading {repo} failed: {type(exc).__name__}: {detail}")


def _chain(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and cur not in out:
        out.append(cur)
        cur = cur.__cause__ or cur.__context__
    return out


def _root_cause(exc: BaseException) -> str:
    root = _chain(exc)[-1]
    text = str(root).strip().splitlines()[0] if str(root).strip() else ""
    return f"{type(root).__name__}: {text}"[:300]


def _has_errno(exc: BaseException, code: int) -> bool:
    return any(getattr(e, "errno", None) == code for e in _chain(exc))


def _is_network(exc: BaseException) -> bool:
    import socket

    import requests

    net = (
        requests.ConnectionError,
        requests.Timeout,
        socket.gaierror,
        ConnectionError,
        TimeoutError,
    )
    return any(isinstance(e, net) for e in _chain(exc))
