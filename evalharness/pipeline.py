"""The evaluate pipeline: load -> clean -> segment -> align -> score -> check.

:func:`evaluate` is the one function that does the work; the CLI, the gate and
the reports are views of the :class:`~evalharness.results.RunResult` it returns.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evalharness.errors import InputError, MetricUnavailableError, UsageError
from evalharness.inputs import formats as eio
from evalharness.metrics.base import Metric, get_metric
from evalharness.metrics.scoring import compare_systems, score_segments
from evalharness.records import (
    LINE_FORMATS,
    AlignedSegment,
    CometOptions,
    Document,
    MetricResult,
    Role,
    Sentence,
)
from evalharness.results import RunResult, SystemResult

if TYPE_CHECKING:
    from evalharness.checks.text.glossary_file import Glossary

DEFAULT_METRICS = ("bleu", "chrf", "ter", "comet")
OPTIONAL_BY_DEFAULT = frozenset({"comet"})

Info = Callable[[str], None]


@dataclass(frozen=True)
class EvaluateOptions:
    """Settings of one run beyond the input files."""

    fmt: str = "auto"
    metrics: tuple[str, ...] | None = None
    comet: CometOptions = CometOptions()
    resegment: bool = False
    ref_docids: str | None = None
    bootstrap_samples: int = 1000
    seed: int = 12345
    run_checks: bool = True
    names: tuple[str, ...] | None = None
    metric_params: Mapping[str, Mapping[str, Any]] | None = None
    glossary: str | None = None


def parse_metric_list(spec: str | Sequence[str] | None) -> tuple[str, ...] | None:
    """``"bleu,chrf"`` or ``["bleu", "chrf"]`` -> ``("bleu", "chrf")``; None stays None."""
    if spec is None:
        return None
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    names = tuple(dict.fromkeys(i.strip().lower() for i in items if i.strip()))
    if not names:
        raise UsageError("--metrics needs at least one metric name")
    return names


def evaluate(
    ref: str | Path,
    hyps: str | Path | Sequence[str | Path],
    src: str | Path | None = None,
    *,
    options: EvaluateOptions | None = None,
    info: Info | None = None,
    **overrides: Any,
) -> RunResult:
    """Evaluate one or more hypothesis files against a reference.

    Args:
        ref: Reference file.
        hyps: One hypothesis file or several (one system each; the first is the
            baseline of the paired significance tests).
        src: Optional source file (COMET, untranslated-text check).
        options: Run settings.
        info: Receives status lines (format choices, unavailable metrics).
        **overrides: Replace single fields of ``options``
            (e.g. ``metrics="bleu,chrf"``, ``fmt="lines"``).

    Returns:
        The run result; ``.to_dict()`` is the JSON report.

    Raises:
        InputError: unreadable, empty or mismatched inputs.
        UsageError: unknown metric or format.
        MetricUnavailableError: an explicitly requested metric cannot be computed.
    """
    opts = replace(options or EvaluateOptions(), **overrides)
    if "metrics" in overrides:
        opts = replace(opts, metrics=parse_metric_list(overrides["metrics"]))
    say = info or (lambda _msg: None)
    hyp_paths = [hyps] if isinstance(hyps, (str, Path)) else list(hyps)
    if not hyp_paths:
        raise UsageError("at least one hypothesis file is needed")
    metrics = _instantiate_metrics(opts)
    glossary = _load_glossary(opts)
    ref_doc, hyp_docs, src_doc = load_inputs(ref, hyp_paths, src, opts.fmt, say)
    ref_sents = document_sentences(ref_doc)
    src_sents = _source_sentences(src_doc, ref_sents)
    metrics = _resolve_metrics(metrics, opts, say)
    names = _system_names(hyp_paths, opts.names)
    systems = []
    for name, hyp_doc in zip(names, hyp_docs, strict=False):
        segments = build_segments(ref_doc, ref_sents, hyp_doc, src_sents, opts)
        systems.append(_evaluate_system(name, hyp_doc, segments, metrics, opts, say, glossary))
    systems = compare_systems(systems, metrics, opts.bootstrap_samples, opts.seed)
    return RunResult(
        reference=ref_doc,
        source=src_doc,
        systems=tuple(systems),
        reference_sentences=len(ref_sents),
        options={
            "format": ref_doc.format,
            "metrics": list(metrics),
            "bootstrap": {"samples": opts.bootstrap_samples, "seed": opts.seed},
            "resegment": opts.resegment,
            "ref_docids": opts.ref_docids,
            **_glossary_options(glossary),
        },
        created=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    )


def _load_glossary(opts: EvaluateOptions) -> Glossary | None:
    if not opts.glossary:
        return None
    from evalharness.checks.text.glossary_file import load_glossary

    return load_glossary(opts.glossary)


def _glossary_options(glossary: Glossary | None) -> dict[str, Any]:
    """The report's record of the glossary: path, SHA-256 and entry count."""
    if glossary is None:
        return {}
    return {
        "glossary": {
            "path": glossary.path,
            "sha256": glossary.sha256,
            "entries": len(glossary.entries),
        }
    }


def _instantiate_metrics(opts: EvaluateOptions) -> dict[str, Metric]:
    from evalharness.metrics.lexical.adapters import LexicalMetric

    names = opts.metrics or DEFAULT_METRICS
    params = opts.metric_params or {}
    metrics: dict[str, Metric] = {}
    for name in names:
        kwargs = dict(params.get(name, {}))
        if name == "comet":
            kwargs.setdefault("options", opts.comet)
        metric = get_metric(name, **kwargs)
        if isinstance(metric, LexicalMetric) and "n_bootstrap" not in kwargs:
            # Intervals come from score_segments with --bootstrap and --seed,
            # one pass of resamples for every metric.
            metric.n_bootstrap = 0
        metrics[name] = metric
    return metrics


def _resolve_metrics(
    metrics: dict[str, Metric], opts: EvaluateOptions, say: Info
) -> dict[str, Any]:
    """Check model-based metrics before any scoring; drop optional ones that fail."""
    resolved: dict[str, Any] = {}
    explicit = opts.metrics is not None
    for name, metric in metrics.items():
        resolve = getattr(metric, "resolve", None)
        if resolve is not None:
            try:
                resolve()
            except MetricUnavailableError as exc:
                if explicit or name not in OPTIONAL_BY_DEFAULT:
                    raise
                say(f"warning: {exc}; continuing without it")
                resolved[name] = exc
                continue
        resolved[name] = metric
    return resolved


def load_inputs(
    ref: str | Path,
    hyps: Sequence[str | Path],
    src: str | Path | None,
    fmt: str,
    say: Info,
) -> tuple[Document, list[Document], Document | None]:
    """Read every input file and settle the format of each.

    With ``--format auto`` plain files become ``lines`` when they all have the
    same line count as each other, else ``text`` documents.
    """
    if fmt not in eio.FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose from: {', '.join(eio.FORMATS)}")
    paths: list[tuple[str, Role]] = [(str(ref), "ref")]
    paths += [(str(h), "hyp") for h in hyps]
    if src is not None:
        paths.append((str(src), "src"))
    texts = {p: eio.read_text(p) for p, _ in paths}
    formats = {p: _choose_format(p, texts[p], fmt) for p, _ in paths}
    plain = [p for p, choice in formats.items() if choice.format == "plain"]
    if plain:
        line_ref = formats[str(ref)].format in LINE_FORMATS
        choice = (
            eio.FormatChoice("lines", "reference is line-aligned")
            if line_ref
            else eio.resolve_plain_formats([texts[p] for p in plain])
        )
        if not line_ref and formats[str(ref)].format == "markdown":
            choice = eio.FormatChoice("text", "reference is a Markdown document")
        for p in plain:
            formats[p] = choice
    docs = []
    for p, role in paths:
        choice = formats[p]
        if fmt == "auto":
            say(f"{p}: format {choice.format} ({choice.reason})")
        docs.append(eio.load_document(p, choice.format, role, text=texts[p]))
    ref_doc, hyp_docs = docs[0], docs[1 : 1 + len(hyps)]
    src_doc = docs[-1] if src is not None else None
    return ref_doc, hyp_docs, src_doc


def _choose_format(path: str, text: str, fmt: str) -> eio.FormatChoice:
    if fmt != "auto":
        return eio.FormatChoice(fmt, f"--format {fmt}")
    return eio.sniff_format(path, text)


def document_sentences(doc: Document) -> tuple[Sentence, ...]:
    """Sentences of a document: given segments, or cleaned and Punkt-split text."""
    if doc.segments is not None:
        return doc.segments
    from evalharness.inputs.clean import clean_document
    from evalharness.inputs.sentences import split_sentences

    return split_sentences(clean_document(doc))


def _source_sentences(src: Document | None, ref_sents: Sequence[Sentence]) -> tuple[Sentence, ...]:
    if src is None:
        return ()
    sents = document_sentences(src)
    if len(sents) != len(ref_sents):
        raise InputError(
            f"source has {len(sents)} segments but the reference has {len(ref_sents)}; "
            "a source must be line-aligned with the reference",
            src.path,
        )
    return sents


def build_segments(
    ref_doc: Document,
    ref_sents: Sequence[Sentence],
    hyp_doc: Document,
    src_sents: Sequence[Sentence],
    opts: EvaluateOptions,
) -> tuple[AlignedSegment, ...]:
    """Pair hypothesis text with reference segments: by position, alignment or re-segmentation."""
    from evalharness.align import sentences as align

    if opts.resegment:
        from evalharness.align.resegment import resegment_document

        segments = resegment_document(
            ref_sents, hyp_doc, docids=_read_docids(opts.ref_docids), docids_path=opts.ref_docids
        )
    elif ref_doc.is_line_aligned and hyp_doc.is_line_aligned:
        hyp_sents = hyp_doc.segments or ()
        if len(hyp_sents) != len(ref_sents):
            raise InputError(
                f"has {len(hyp_sents)} lines but the reference {ref_doc.path} has "
                f"{len(ref_sents)}; line-aligned inputs need equal line counts",
                hyp_doc.path,
            )
        segments = align_lines(ref_sents, hyp_sents)
    else:
        segments = align.align_sentences(ref_sents, document_sentences(hyp_doc))
    if src_sents:
        segments = _attach_source(segments, ref_sents, src_sents)
    return segments


# Line pairs per call of align_by_position: its character n-gram tables take
# about 20 kB per pair, so a whole 100k-line file at once would take 2 GB.
ALIGN_CHUNK = 4096


def align_lines(
    ref_sents: Sequence[Sentence], hyp_sents: Sequence[Sentence]
) -> tuple[AlignedSegment, ...]:
    """Pair line-aligned segments one to one, in chunks (memory stays bounded).

    Chunks run on threads: the similarity kernels release the GIL.
    """
    from concurrent.futures import ThreadPoolExecutor

    from evalharness.align import sentences as align

    if len(ref_sents) <= ALIGN_CHUNK:
        return align.align_by_position(ref_sents, hyp_sents)

    def chunk(start: int) -> tuple[AlignedSegment, ...]:
        end = start + ALIGN_CHUNK
        return align.align_by_position(ref_sents[start:end], hyp_sents[start:end], first_id=start)

    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        parts = pool.map(chunk, range(0, len(ref_sents), ALIGN_CHUNK))
        return tuple(s for part in parts for s in part)


def _attach_source(
    segments: Sequence[AlignedSegment],
    ref_sents: Sequence[Sentence],
    src_sents: Sequence[Sentence],
) -> tuple[AlignedSegment, ...]:
    """Give each segment the source lines of its reference sentences."""
    index = {id(s): i for i, s in enumerate(ref_sents)}
    return tuple(
        replace(seg, src=tuple(src_sents[index[id(r)]] for r in seg.ref if id(r) in index))
        for seg in segments
    )


def _read_docids(path: str | None) -> list[str] | None:
    if path is None:
        return None
    return [line.strip() for line in eio.read_text(path).split("\n") if line.strip()]


def _system_names(paths: Sequence[str | Path], names: Sequence[str] | None) -> list[str]:
    if names:
        if len(names) != len(paths):
            raise UsageError(f"--name given {len(names)} times for {len(paths)} hypotheses")
        return list(names)
    out: list[str] = []
    for p in paths:
        base = Path(p).stem or str(p)
        name, k = base, 2
        while name in out:
            name, k = f"{base}-{k}", k + 1
        out.append(name)
    return out


def _evaluate_system(
    name: str,
    hyp_doc: Document,
    segments: tuple[AlignedSegment, ...],
    metrics: Mapping[str, Any],
    opts: EvaluateOptions,
    say: Info,
    glossary: Glossary | None = None,
) -> SystemResult:
    results: dict[str, MetricResult] = score_segments(
        segments,
        metrics,
        opts.bootstrap_samples,
        opts.seed,
        explicit=opts.metrics is not None,
        say=say,
    )
    findings: tuple[tuple[Any, ...], ...] = tuple(() for _ in segments)
    if opts.run_checks:
        from evalharness.checks import find_errors

        findings = find_errors(
            segments, results, has_source=any(s.src for s in segments), glossary=glossary
        )
    return SystemResult(
        name=name, document=hyp_doc, segments=segments, metrics=results, findings=findings
    )
